import type { RawRecord } from "../ingest/index.js";
import type { CloudTrailRecord } from "./record-schema.js";

/**
 * zod's envelope parse costs a fifth of a replay, and nearly every record passes it. These checks accept only
 * records the schema accepts unchanged (looseObject keeps every field as is), so a record they accept is used
 * as it stands; anything they do not accept goes to the schema, which decides it and words the issue.
 */
export function isObjectValue(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Absent, null or a string: `optionalText`. */
export function isOptionalText(value: unknown): boolean {
  return value === undefined || value === null || typeof value === "string";
}

export const absent = (value: unknown): boolean => value === undefined || value === null;

const RECORD_TEXT = [
  "eventVersion",
  "eventType",
  "awsRegion",
  "recipientAccountId",
  "sourceIPAddress",
  "userAgent",
  "errorCode",
  "errorMessage",
  "requestID",
  "sharedEventID",
] as const;
const IDENTITY_TEXT = [
  "type",
  "principalId",
  "arn",
  "accountId",
  "accessKeyId",
  "userName",
  "invokedBy",
  "identityProvider",
] as const;
const ISSUER_TEXT = ["type", "principalId", "arn", "accountId", "userName"] as const;

const allText = (object: Record<string, unknown>, fields: readonly string[]): boolean =>
  fields.every((field) => isOptionalText(object[field]));

/**
 * Absent, or an object whose `fields` are each absent, null or a string: what a `looseObject` of
 * `optionalText` fields, `.nullish()`, accepts unchanged.
 */
export function isOptionalTextObject(value: unknown, fields: readonly string[]): boolean {
  return absent(value) || (isObjectValue(value) && allText(value, fields));
}

const nonEmptyText = (value: unknown): boolean => typeof value === "string" && value.length > 0;

function isSimpleIdentity(identity: unknown): boolean {
  if (absent(identity)) return true;
  if (!isObjectValue(identity) || !allText(identity, IDENTITY_TEXT)) return false;
  const session = identity.sessionContext;
  if (absent(session)) return true;
  if (!isObjectValue(session)) return false;
  const issuer = session.sessionIssuer;
  return absent(issuer) || (isObjectValue(issuer) && allText(issuer, ISSUER_TEXT));
}

/** The record as a CloudTrailRecord when it plainly fits the envelope, else null (ask the schema). */
export function envelopeFastPath(record: RawRecord): CloudTrailRecord | null {
  const time = record.eventTime;
  const fits =
    nonEmptyText(record.eventID) &&
    nonEmptyText(record.eventSource) &&
    nonEmptyText(record.eventName) &&
    (typeof time === "string" || typeof time === "number") &&
    allText(record, RECORD_TEXT) &&
    (absent(record.resources) || Array.isArray(record.resources)) &&
    isSimpleIdentity(record.userIdentity);
  return fits ? (record as CloudTrailRecord) : null;
}
