import type { RawRecord } from "../ingest/index.js";
import { type Issue, IssueCode, type SourcePosition } from "../issue.js";
import { envelopeFastPath } from "./envelope-fast-path.js";
import { buildEventBase } from "./event-base.js";
import { isPresent } from "./is-relevant-record.js";
import { makeIssue } from "./make-issue.js";
import { parseAwsDate } from "./parse-aws-date.js";
import { cloudTrailRecordSchema } from "./record-schema.js";
import { normalizerFor } from "./registry.js";
import type { NormalizedEvent } from "./types.js";

/** `event: null` is a well-formed record keytrail does not keep. */
export type NormalizeResult = { ok: true; event: NormalizedEvent | null } | { ok: false; issue: Issue };

const NOT_KEPT: NormalizeResult = { ok: true, event: null };

/**
 * Normalizes one raw record into the event union. Pure: no I/O, no clock, no graph. Bad input is an Issue:
 * `missing-event-source`, `missing-event-time` (absent or unreadable), `invalid-record` (fails the
 * envelope), `unknown-shape` (event-specific fields of an unexpected shape).
 */
export function normalizeRecord(record: RawRecord, position: SourcePosition): NormalizeResult {
  const eventId = typeof record.eventID === "string" && record.eventID ? record.eventID : undefined;
  const fail = (code: IssueCode, reason: string): NormalizeResult => ({
    ok: false,
    issue: makeIssue(code, reason, position, eventId),
  });
  const { eventSource, eventName, eventTime } = record;
  if (typeof eventSource !== "string" || !eventSource || typeof eventName !== "string" || !eventName) {
    return fail(IssueCode.missingEventSource, "the record has no eventSource or eventName");
  }
  if (!isPresent(eventTime))
    return fail(IssueCode.missingEventTime, `${eventName}: the record has no eventTime`);
  const normalizer = normalizerFor(eventSource, eventName);
  if (normalizer === undefined) return NOT_KEPT;
  const time = parseAwsDate(eventTime);
  if (time === null) {
    return fail(
      IssueCode.missingEventTime,
      `${eventName}: unreadable eventTime ${JSON.stringify(eventTime)}`,
    );
  }
  const fast = envelopeFastPath(record);
  if (fast) return normalizer(fast, buildEventBase(fast, time, position));
  const envelope = cloudTrailRecordSchema.safeParse(record);
  if (!envelope.success) {
    const first = envelope.error.issues[0];
    const field = first?.path.map(String).join(".") || "(record)";
    return fail(IssueCode.invalidRecord, `${eventName}: ${field}: ${first?.message ?? "invalid record"}`);
  }
  return normalizer(envelope.data, buildEventBase(envelope.data, time, position));
}
