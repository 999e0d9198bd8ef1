import { z } from "zod";
import type { RawRecord } from "./types.js";

/** An EventBridge event; CloudTrail ones ("AWS API Call via CloudTrail", …) carry the record in `detail`. */
export const eventBridgeEnvelopeSchema = z.object({
  "detail-type": z.string(),
  detail: z.record(z.string(), z.unknown()),
});

/** One entry of `aws cloudtrail lookup-events` output; the record is a JSON string in `CloudTrailEvent`. */
export const lookupEventEntrySchema = z.object({
  EventId: z.string().optional(),
  CloudTrailEvent: z.string(),
});

const CLOUDTRAIL_DETAIL_TYPE = /via CloudTrail$/;

/** Top-level fields every CloudTrail record has; an object with none of them is not a record. */
const RECORD_FIELDS = [
  "eventVersion",
  "eventTime",
  "eventSource",
  "eventName",
  "eventID",
  "userIdentity",
  "awsRegion",
  "recipientAccountId",
] as const;

export function isRawRecord(value: unknown): value is RawRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function looksLikeRecord(value: RawRecord): boolean {
  return RECORD_FIELDS.some((field) => field in value);
}

export function isEnvelope(value: RawRecord): boolean {
  return "detail-type" in value && "detail" in value;
}

export type EnvelopeResult = { ok: true; record: RawRecord } | { ok: false; reason: string };

/** The CloudTrail record inside an EventBridge envelope, or why there is none. */
export function unwrapEnvelope(value: RawRecord): EnvelopeResult {
  const parsed = eventBridgeEnvelopeSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: "EventBridge envelope whose detail is not an object" };
  const type = parsed.data["detail-type"];
  if (!CLOUDTRAIL_DETAIL_TYPE.test(type)) {
    return { ok: false, reason: `EventBridge event of type "${type}" does not carry a CloudTrail record` };
  }
  return { ok: true, record: parsed.data.detail };
}

export type LookupResult =
  | { ok: true; record: RawRecord }
  | { ok: false; reason: string; eventId: string | undefined };

/** The record inside a lookup-events entry, parsed from its `CloudTrailEvent` string. */
export function unwrapLookupEntry(value: RawRecord): LookupResult {
  const parsed = lookupEventEntrySchema.safeParse(value);
  const eventId = typeof value.EventId === "string" ? value.EventId : undefined;
  if (!parsed.success) return { ok: false, reason: "entry has no CloudTrailEvent string", eventId };
  let inner: unknown;
  try {
    inner = JSON.parse(parsed.data.CloudTrailEvent);
  } catch (error) {
    return { ok: false, reason: `CloudTrailEvent is not valid JSON: ${describeJsonError(error)}`, eventId };
  }
  if (!isRawRecord(inner)) return { ok: false, reason: "CloudTrailEvent is not a JSON object", eventId };
  return { ok: true, record: inner };
}

export function describeJsonError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A short description of a value for issue reasons, never the value itself (it may be huge). */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (isRawRecord(value)) {
    const keys = Object.keys(value).slice(0, 5);
    return keys.length === 0 ? "an empty object" : `an object with keys ${keys.join(", ")}`;
  }
  return `a ${typeof value}`;
}
