import { parseAwsDate } from "../events/index.js";
import type { RawRecord } from "../ingest/index.js";
import type { CoverageSpan } from "../model/index.js";

interface Span {
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
  private readonly spans = new Map<string, Span>();

  note(record: RawRecord): void {
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
