import type { z } from "zod";
import type { Issue } from "../issue.js";
import { IssueCode } from "../issue.js";
import { isKeyArn, resolveKeyRef, resourceKeyArns } from "./key-ref.js";
import { makeIssue } from "./make-issue.js";
import type { CloudTrailRecord } from "./record-schema.js";
import type { EventBase, EventFields, KeyRef, NormalizedEvent } from "./types.js";

export type Normalized = { ok: true; fields: EventFields } | { ok: false; issue: Issue };

/**
 * Turns one enveloped record into its typed event's own fields. Pure: no I/O, no clock, no graph. `base`
 * holds the fields every event shares (and the source position), built once by normalizeRecord, which
 * joins the two with `withBase`.
 */
export type Normalizer = (record: CloudTrailRecord, base: EventBase) => Normalized;

export function emit(fields: EventFields): Normalized {
  return { ok: true, fields };
}

/**
 * The whole event. Written out field by field on purpose: in the V8 of Node 20, `{ ...base, a, b }` copies
 * the base and then adds each property through a slow path, microseconds per event (most of a replay's
 * normalization time); a literal that ends in one spread is an order of magnitude cheaper.
 */
export function withBase(base: EventBase, fields: EventFields): NormalizedEvent {
  const event = {
    eventId: base.eventId,
    sharedEventId: base.sharedEventId,
    requestId: base.requestId,
    time: base.time,
    account: base.account,
    region: base.region,
    actor: base.actor,
    invokedBy: base.invokedBy,
    sourceIp: base.sourceIp,
    userAgent: base.userAgent,
    error: base.error,
    eventType: base.eventType,
    position: base.position,
    ...fields,
  } satisfies Record<keyof EventBase, unknown>;
  return event as NormalizedEvent;
}

export function unknownShape(
  base: EventBase,
  eventName: string,
  field: string,
  reason: string,
): { ok: false; issue: Issue } {
  const issue = makeIssue(
    IssueCode.unknownShape,
    `${eventName}: ${field}: ${reason}`,
    base.position,
    base.eventId,
  );
  return { ok: false, issue };
}

/**
 * Parses the event-specific parts of a record (requestParameters, responseElements, …) with the event's
 * schema; a mismatch is an `unknown-shape` issue naming the event, the field and the reason. `plain`, when
 * given, accepts by hand only records the schema would return unchanged (its objects are loose and its
 * fields plain text): those skip the schema, which costs more than the rest of normalizing on hot events,
 * and anything else still goes to it, which decides it and words the issue.
 */
export function parseFields<T>(
  schema: z.ZodType<T>,
  record: CloudTrailRecord,
  base: EventBase,
  plain?: (record: CloudTrailRecord) => boolean,
): { ok: true; value: T } | { ok: false; issue: Issue } {
  if (plain?.(record)) return { ok: true, value: record as T };
  const result = schema.safeParse(record);
  if (result.success) return { ok: true, value: result.data };
  const first = result.error.issues[0];
  const field = first?.path.map(String).join(".") || "(record)";
  return unknownShape(base, record.eventName, field, first?.message ?? "unexpected shape");
}

/** Key ARNs a record gives: resources[] first, then the key ARNs among `others` (parameters, response). */
export function keyCandidates(record: CloudTrailRecord, ...others: (string | null | undefined)[]): string[] {
  const extra = others.filter((value): value is string => typeof value === "string" && isKeyArn(value));
  return [...resourceKeyArns(record.resources), ...extra];
}

/** The key a record names through `reference`, resolved against resources[] and the ARNs in `others`. */
export function recordKey(
  record: CloudTrailRecord,
  base: EventBase,
  reference: string | null | undefined,
  ...others: (string | null | undefined)[]
): KeyRef {
  return resolveKeyRef(reference, base, keyCandidates(record, ...others));
}
