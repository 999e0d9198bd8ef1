import type { RawRecord } from "../ingest/index.js";
import { type Issue, IssueCode, type SourcePosition } from "../issue.js";
import { envelopeFastPath } from "./envelope-fast-path.js";
import { buildEventBase } from "./event-base.js";
import { isPresent } from "./is-relevant-record.js";
import { makeIssue } from "./make-issue.js";
import { withBase } from "./normalizer.js";
import { parseAwsDate } from "./parse-aws-date.js";
import { type CloudTrailRecord, cloudTrailRecordSchema } from "./record-schema.js";
import { normalizerFor } from "./registry.js";
import type { NormalizedEvent } from "./types.js";

/** `event: null` is a well-formed record keytrail does not keep. */
export type NormalizeResult = { ok: true; event: NormalizedEvent | null } | { ok: false; issue: Issue };

const NOT_KEPT: NormalizeResult = { ok: true, event: null };
const INSIGHT = "AwsCloudTrailInsight";

function failure(
  record: RawRecord,
  position: SourcePosition,
  code: IssueCode,
  reason: string,
): NormalizeResult {
  const eventId = typeof record.eventID === "string" && record.eventID ? record.eventID : undefined;
  return { ok: false, issue: makeIssue(code, reason, position, eventId) };
}

/**
 * Normalizes one raw record into the event union. Pure: no I/O, no clock, no graph. Bad input is an Issue:
 * `missing-event-source`, `missing-event-time` (absent or unreadable), `invalid-record` (fails the
 * envelope), `unknown-shape` (event-specific fields of an unexpected shape).
 */
export function normalizeRecord(record: RawRecord, position: SourcePosition): NormalizeResult {
  const { eventSource, eventName, eventTime } = record;
  // An Insights event names its call only inside insightDetails: a summary of activity, not a call.
  if (record.eventType === INSIGHT) return NOT_KEPT;
  if (typeof eventSource !== "string" || !eventSource || typeof eventName !== "string" || !eventName) {
    return failure(
      record,
      position,
      IssueCode.missingEventSource,
      "the record has no eventSource or eventName",
    );
  }
  if (!isPresent(eventTime))
    return failure(record, position, IssueCode.missingEventTime, `${eventName}: the record has no eventTime`);
  const normalizer = normalizerFor(eventSource, eventName);
  if (normalizer === undefined) return NOT_KEPT;
  const time = parseAwsDate(eventTime);
  if (time === null) {
    return failure(
      record,
      position,
      IssueCode.missingEventTime,
      `${eventName}: unreadable eventTime ${JSON.stringify(eventTime)}`,
    );
  }
  const fast = envelopeFastPath(record);
  let envelope: CloudTrailRecord;
  if (fast) envelope = fast;
  else {
    const parsed = cloudTrailRecordSchema.safeParse(record);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const field = first?.path.map(String).join(".") || "(record)";
      return failure(
        record,
        position,
        IssueCode.invalidRecord,
        `${eventName}: ${field}: ${first?.message ?? "invalid record"}`,
      );
    }
    envelope = parsed.data;
  }
  const base = buildEventBase(envelope, time, position);
  const normalized = normalizer(envelope, base);
  return normalized.ok ? { ok: true, event: withBase(base, normalized.fields) } : normalized;
}
