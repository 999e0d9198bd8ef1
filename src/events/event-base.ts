import type { SourcePosition } from "../issue.js";
import { normalizeActor } from "./actor.js";
import type { CloudTrailRecord } from "./record-schema.js";
import type { EventBase } from "./types.js";

/** What a record's place is read from: its top-level fields, raw or enveloped. */
interface PlaceFields {
  recipientAccountId?: unknown;
  awsRegion?: unknown;
  userIdentity?: unknown;
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/**
 * The account a record is at: recipientAccountId, else the caller's account, else "" (hand-made samples),
 * never guessed further. Events and coverage both place records by it, so that they always agree.
 */
export function recordAccount(record: PlaceFields): string {
  const identity = record.userIdentity;
  const caller =
    typeof identity === "object" && identity !== null && "accountId" in identity ? identity.accountId : "";
  return text(record.recipientAccountId) || text(caller);
}

/** The Region a record is at: awsRegion, else "". */
export function recordRegion(record: PlaceFields): string {
  return text(record.awsRegion);
}

/**
 * The fields every normalized event shares. `account` is recipientAccountId, else the caller's account;
 * `account` and `region` are "" when the record gives neither (hand-made samples), never guessed further.
 */
export function buildEventBase(record: CloudTrailRecord, time: number, position: SourcePosition): EventBase {
  const identity = record.userIdentity;
  return {
    eventId: record.eventID,
    sharedEventId: record.sharedEventID || null,
    requestId: record.requestID || null,
    time,
    account: recordAccount(record),
    region: recordRegion(record),
    actor: normalizeActor(identity),
    invokedBy: identity?.invokedBy || null,
    sourceIp: record.sourceIPAddress || null,
    userAgent: record.userAgent || null,
    error: record.errorCode ? { code: record.errorCode, message: record.errorMessage || null } : null,
    eventType: record.eventType || null,
    position,
  };
}
