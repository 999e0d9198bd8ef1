import type { SourcePosition } from "../issue.js";
import { normalizeActor } from "./actor.js";
import type { CloudTrailRecord } from "./record-schema.js";
import type { EventBase } from "./types.js";

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
    account: record.recipientAccountId || identity?.accountId || "",
    region: record.awsRegion || "",
    actor: normalizeActor(identity),
    invokedBy: identity?.invokedBy || null,
    sourceIp: record.sourceIPAddress || null,
    userAgent: record.userAgent || null,
    error: record.errorCode ? { code: record.errorCode, message: record.errorMessage || null } : null,
    eventType: record.eventType || null,
    position,
  };
}
