import { parseAwsDate, recordAccount, recordRegion } from "../events/index.js";
import type { CoverageSpan } from "../model/index.js";

/** What coverage reads of a record; a record dropped from its facts alone has no userIdentity to give. */
export interface CoverageFields {
  eventTime?: unknown;
  recipientAccountId?: unknown;
  awsRegion?: unknown;
  userIdentity?: unknown;
}

export interface SpanSnapshot {
  account: string;
  region: string;
  /** The first and last eventTime read, as UTC ms */
  first: number;
  last: number;
  records: number;
}

/**
 * Coverage is the span of trail that was read, per account and region — of every record, not only KMS ones:
 * a day of S3 noise still proves the trail was logging. A record counts when its eventTime reads as a time
 * (parseAwsDate, as normalization reads it): one that does not (`redacted`, `...`) says nothing of when the
 * trail logged, and must not stretch or hide a span.
 */
export class CoverageTracker {
  /** account -> region -> span: `note` runs on every record, and a nested lookup builds no key string. */
  private readonly byAccount = new Map<string, Map<string, SpanSnapshot>>();
  /** The last eventTime read and its time: neighbouring records often share their second. */
  private lastTime: unknown;
  private lastMs: number | null = null;

  /**
   * Notes a record (parsed, or the facts read from the text of one dropped unparsed), at the place its events
   * are given (buildEventBase): recipientAccountId, else the caller's account, else ""; awsRegion, else "".
   * Otherwise a record without recipientAccountId (older and hand-made ones) would cover a place no event is
   * at, and questions about its key would say its account was never read.
   */
  note(record: CoverageFields): void {
    const time = this.timeOf(record.eventTime);
    if (time === null) return;
    const account = recordAccount(record);
    const region = recordRegion(record);
    const span = this.byAccount.get(account)?.get(region);
    if (!span) {
      this.add({ account, region, first: time, last: time, records: 1 });
      return;
    }
    span.records++;
    if (time < span.first) span.first = time;
    if (time > span.last) span.last = time;
  }

  private timeOf(eventTime: unknown): number | null {
    if (eventTime !== this.lastTime) {
      this.lastTime = eventTime;
      this.lastMs = parseAwsDate(eventTime);
    }
    return this.lastMs;
  }

  /** The raw spans, to send from a worker and merge in the main thread. */
  snapshot(): SpanSnapshot[] {
    return [...this.byAccount.values()].flatMap((regions) => [...regions.values()]);
  }

  merge(spans: readonly SpanSnapshot[]): void {
    for (const span of spans) {
      const mine = this.byAccount.get(span.account)?.get(span.region);
      if (!mine) {
        this.add({ ...span });
        continue;
      }
      mine.records += span.records;
      if (span.first < mine.first) mine.first = span.first;
      if (span.last > mine.last) mine.last = span.last;
    }
  }

  private add(span: SpanSnapshot): void {
    const regions = this.byAccount.get(span.account) ?? new Map<string, SpanSnapshot>();
    regions.set(span.region, span);
    this.byAccount.set(span.account, regions);
  }

  spansRead(): CoverageSpan[] {
    return this.snapshot()
      .map((span) => ({
        account: span.account,
        region: span.region,
        from: span.first,
        to: span.last,
        records: span.records,
      }))
      .sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region));
  }
}
