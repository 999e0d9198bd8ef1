import { parseAwsDate } from "../events/index.js";
import type { CoverageSpan } from "../model/index.js";

export interface SpanSnapshot {
  account: string;
  region: string;
  first: string;
  last: string;
  records: number;
}

/**
 * Coverage is the span of trail that was read, per account and region — of every record, not only KMS ones:
 * a day of S3 noise still proves the trail was logging. It runs on every raw record, so it compares eventTime
 * strings (CloudTrail's fixed ISO form sorts as text) and parses only the winners at the end.
 */
export class CoverageTracker {
  private readonly spans = new Map<string, SpanSnapshot>();

  /** Notes a record (parsed, or the fields peeked from the text of one dropped unparsed). */
  note(record: { eventTime?: unknown; recipientAccountId?: unknown; awsRegion?: unknown }): void {
    const time = record.eventTime;
    if (typeof time !== "string") return;
    const account = typeof record.recipientAccountId === "string" ? record.recipientAccountId : "unknown";
    const region = typeof record.awsRegion === "string" ? record.awsRegion : "unknown";
    const slot = `${account}|${region}`;
    const span = this.spans.get(slot);
    if (!span) {
      this.spans.set(slot, { account, region, first: time, last: time, records: 1 });
      return;
    }
    span.records++;
    if (time < span.first) span.first = time;
    if (time > span.last) span.last = time;
  }

  /** The raw spans, to send from a worker and merge in the main thread. */
  snapshot(): SpanSnapshot[] {
    return [...this.spans.values()];
  }

  merge(spans: readonly SpanSnapshot[]): void {
    for (const span of spans) {
      const slot = `${span.account}|${span.region}`;
      const mine = this.spans.get(slot);
      if (!mine) {
        this.spans.set(slot, { ...span });
        continue;
      }
      mine.records += span.records;
      if (span.first < mine.first) mine.first = span.first;
      if (span.last > mine.last) mine.last = span.last;
    }
  }

  spansRead(): CoverageSpan[] {
    return [...this.spans.values()]
      .flatMap((span) => {
        const from = parseAwsDate(span.first);
        const to = parseAwsDate(span.last);
        if (from === null || to === null) return [];
        return [{ account: span.account, region: span.region, from, to, records: span.records }];
      })
      .sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region));
  }
}
