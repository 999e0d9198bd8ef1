import { type Caller, isoSeconds, sourceIpOf, userAgentOf, userIdentityOf } from "./identities.js";
import type { Prng } from "./prng.js";

export interface ResourceRef {
  accountId?: string;
  type: string;
  ARN: string;
}

/** One API call or service event, before it becomes one record (or two, for a cross-account call). */
export interface CallSpec {
  time: number;
  source: string;
  name: string;
  region: string;
  caller: Caller;
  /** The account whose trail holds the record (the key owner for a KMS call). */
  recipient: string;
  request: unknown;
  response?: unknown;
  error?: { code: string; message: string } | undefined;
  additional?: unknown;
  resources?: ResourceRef[];
  readOnly: boolean;
  data?: boolean;
  /** A KMS service event (RotateKey, DeleteKey): eventType AwsServiceEvent and no requestID. */
  serviceEvent?: { details?: unknown };
  userAgent?: string;
}

/** A CloudTrail record, fields in CloudTrail's own order. */
export type TrailRecord = Record<string, unknown>;

export interface Delivered {
  time: number;
  account: string;
  region: string;
  kms: boolean;
  record: TrailRecord;
}

function tlsDetails(source: string, region: string): Record<string, string> {
  return {
    tlsVersion: "TLSv1.3",
    cipherSuite: "TLS_AES_128_GCM_SHA256",
    clientProvidedHostHeader: `${source.replace(".amazonaws.com", "")}.${region}.amazonaws.com`,
  };
}

function buildRecord(
  spec: CallSpec,
  ids: { eventId: string; requestId: string; sharedEventId: string | null },
  recipient: string,
  withAccessKey: boolean,
): TrailRecord {
  const service = spec.serviceEvent !== undefined;
  const record: TrailRecord = {
    eventVersion: "1.09",
    userIdentity: userIdentityOf(spec.caller, spec.time, withAccessKey),
    eventTime: isoSeconds(spec.time),
    eventSource: spec.source,
    eventName: spec.name,
    awsRegion: spec.region,
    sourceIPAddress: sourceIpOf(spec.caller),
    userAgent: spec.userAgent ?? userAgentOf(spec.caller),
  };
  if (spec.error) {
    record.errorCode = spec.error.code;
    record.errorMessage = spec.error.message;
  }
  record.requestParameters = spec.request ?? null;
  record.responseElements = spec.error ? null : (spec.response ?? null);
  if (spec.additional !== undefined) record.additionalEventData = spec.additional;
  if (!service) record.requestID = ids.requestId;
  record.eventID = ids.eventId;
  record.readOnly = spec.readOnly;
  if (spec.resources) record.resources = spec.resources;
  record.eventType = service ? "AwsServiceEvent" : "AwsApiCall";
  record.managementEvent = !spec.data;
  record.recipientAccountId = recipient;
  if (ids.sharedEventId) record.sharedEventID = ids.sharedEventId;
  if (spec.serviceEvent?.details !== undefined) record.serviceEventDetails = spec.serviceEvent.details;
  record.eventCategory = spec.data ? "Data" : "Management";
  if (!service && spec.caller.type !== "AWSService") record.tlsDetails = tlsDetails(spec.source, spec.region);
  return record;
}

/** The caller's account, when a call crosses accounts: it gets its own copy of the record. */
function crossAccount(spec: CallSpec): string | null {
  const caller = spec.caller;
  if (!("account" in caller) || caller.type === "KmsInternal") return null;
  return caller.account !== spec.recipient ? caller.account : null;
}

/** How many records `deliver` writes for the call: two for a call from another account, else one. */
export function recordCount(spec: CallSpec): number {
  return crossAccount(spec) === null ? 1 : 2;
}

/**
 * The records of one call: one, or for a call from another account two copies — one in each account's
 * trail, with different eventIDs and the same requestID and sharedEventID (fixtures/scenarios/cross-account).
 */
export function deliver(spec: CallSpec, prng: Prng): Delivered[] {
  const kms = spec.source === "kms.amazonaws.com";
  const eventId = prng.uuid();
  const requestId = prng.uuid();
  const callerAccount = crossAccount(spec);
  const sharedEventId = callerAccount ? prng.uuid() : null;
  const owner: Delivered = {
    time: spec.time,
    account: spec.recipient,
    region: spec.region,
    kms,
    record: buildRecord(spec, { eventId, requestId, sharedEventId }, spec.recipient, callerAccount === null),
  };
  if (!callerAccount) return [owner];
  const copy = buildRecord(spec, { eventId: prng.uuid(), requestId, sharedEventId }, callerAccount, true);
  return [owner, { time: spec.time, account: callerAccount, region: spec.region, kms, record: copy }];
}
