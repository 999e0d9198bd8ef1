import type { Actor, AliasRef, GrantConstraints, Principal, PrincipalKind, Tag } from "../events/index.js";

/**
 * The replayed model (DESIGN §4, §6): plain, JSON-serializable records with half-open intervals. The case file
 * stores exactly these records; the graphology graph and the query indexes are built from them on load.
 */

/** How a fact is known: logged by CloudTrail, derived by rule (default policy, material expiry), or not known. */
export type Confidence = "recorded" | "inferred" | "unknown";

/** KMS KeyState plus keytrail's own Unknown, Deleted and NotCreated (the instant is before the key's CreateKey). */
export type KeyState =
  | "Creating"
  | "Enabled"
  | "Disabled"
  | "PendingDeletion"
  | "PendingReplicaDeletion"
  | "PendingImport"
  | "Unavailable"
  | "Updating"
  | "Deleted"
  | "Unknown"
  | "NotCreated";

/** A value that holds on [from, to). `to` null: still holds at the end of the replayed trail. */
export interface Interval<T> {
  from: number;
  to: number | null;
  value: T;
  /** eventIds of the record(s) that opened the interval (empty for an inferred or unknown start) */
  openedBy: string[];
  /** eventIds of the record(s) that closed it (empty while open, or for an inferred end) */
  closedBy: string[];
  confidence: Confidence;
}

export interface Rotation {
  enabled: boolean;
  periodDays: number | null;
}

export interface KeyMaterial {
  validTo: number | null;
  expirationModel: string | null;
  keyMaterialId: string | null;
}

export interface RotationInstant {
  time: number;
  eventId: string;
  rotationType: string | null;
  keyMaterialId: string | null;
}

export interface MultiRegionRole {
  role: "PRIMARY" | "REPLICA";
  primaryArn: string;
}

export interface PolicyVersion {
  keyArn: string;
  /** 1 for CreateKey's (or the default) policy, then +1 for each PutKeyPolicy */
  version: number;
  /** The parsed policy document as logged (or the default policy, for an inferred version 1) */
  document: unknown;
  from: number;
  to: number | null;
  openedBy: string[];
  closedBy: string[];
  confidence: Confidence;
}

export interface KeyRecord {
  arn: string;
  keyId: string;
  account: string;
  region: string;
  /** First time any record named the key */
  firstSeen: number;
  /** Time of CreateKey/ReplicateKey, null when the trail does not hold it */
  createdAt: number | null;
  /** The principal that created the key (normalized id), null when the trail does not hold the creation */
  createdBy: string | null;
  /** The eventId of the CreateKey/ReplicateKey record */
  createdByEventId: string | null;
  origin: string | null;
  keySpec: string | null;
  keyUsage: string | null;
  multiRegion: boolean;
  states: Interval<KeyState>[];
  /** Deletion date set by ScheduleKeyDeletion, per PendingDeletion interval */
  deletionDates: Interval<number>[];
  rotation: Interval<Rotation>[];
  rotations: RotationInstant[];
  material: Interval<KeyMaterial>[];
  descriptions: Interval<string | null>[];
  tags: Interval<Tag>[];
  multiRegionRoles: Interval<MultiRegionRole>[];
  policies: PolicyVersion[];
  /**
   * The custom key store the key was created in (CreateKey's `customKeyStoreId`); absent for a key the trail
   * does not show created in one (case files written before this field too). `states` then is what KMS reports,
   * the store's connection applied: Unavailable while the store is disconnected (docs/replay.md).
   */
  customKeyStoreId?: string;
  /**
   * For a key in a custom key store: the key's own state (EnableKey, DisableKey, ScheduleKeyDeletion…) before
   * the store's connection is applied. KMS applies such a change to a key of a disconnected store, and reports
   * it once the store is connected again.
   */
  ownStates?: Interval<KeyState>[];
}

/**
 * A custom key store's connection as the trail shows it (KMS's ConnectionState, plus keytrail's Unknown and
 * Deleted). `Connecting`: a ConnectCustomKeyStore was logged and nothing since shows the connection done (KMS
 * connects asynchronously, or fails).
 */
export type StoreConnection = "Unknown" | "Disconnected" | "Connecting" | "Connected" | "Deleted";

/** A custom key store (CloudHSM or external) named by the trail, with its connection over time. */
export interface CustomKeyStoreRecord {
  id: string;
  account: string;
  region: string;
  name: string | null;
  /** AWS_CLOUDHSM or EXTERNAL_KEY_STORE, when a record names it */
  type: string | null;
  /** Time of CreateCustomKeyStore, null when the trail does not hold it */
  createdAt: number | null;
  createdByEventId: string | null;
  /** From the start of coverage (Unknown until a record shows it); intervals with provenance and confidence */
  connection: Interval<StoreConnection>[];
  /** ARNs of the keys the trail shows created in the store */
  keys: string[];
}

export type GrantCloseReason = "retired" | "revoked" | "key-deleted";

export interface GrantRecord {
  grantId: string;
  keyArn: string;
  grantName: string | null;
  /** A session ARN stays whole (kind `role`, id the session ARN): the grant serves that session only. */
  grantee: Principal | null;
  retiringPrincipal: Principal | null;
  /** `[]` when the CreateGrant record did not log them (see operationsKnown) */
  operations: string[];
  /**
   * false when the CreateGrant record did not log the operations (eventVersion 1.02): the grant may allow any
   * grant operation. Absent means known, so case files written before this field load as they were.
   */
  operationsKnown?: boolean;
  constraints: GrantConstraints | null;
  /** Normalized principal id of the creator */
  creator: string;
  /** The AWS service that created the grant on the creator's behalf (invokedBy), if any */
  createdByService: string | null;
  from: number;
  to: number | null;
  openedBy: string[];
  closedBy: string[];
  closeReason: GrantCloseReason | null;
  closedByPrincipal: string | null;
  confidence: Confidence;
}

/** alias -> key over [from, to). Recorded from CreateAlias/UpdateAlias/DeleteAlias, or inferred from calls
 * that named the alias while resources[] named the key. */
export interface AliasInterval extends Interval<string> {
  alias: AliasRef;
}

export interface PrincipalRecord {
  id: string;
  kind: PrincipalKind;
  account: string | null;
  /** Session names seen for an assumed role */
  sessionNames: string[];
  /** Unique ids (AROA…, AIDA…) linked to this principal by some record */
  principalIds: string[];
}

/** A management event (anything that is not a cryptographic use or a read), failed ones included. */
export interface ManagementEvent {
  eventId: string;
  /** Other eventIds of the same action (the cross-account copy with the same sharedEventID) */
  alsoEventIds: string[];
  name: string;
  time: number;
  account: string;
  region: string;
  actor: Actor;
  invokedBy: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  error: { code: string; message: string | null } | null;
  /** Key ARNs the event touched (resolved) */
  keys: string[];
  /** A short human description of what changed ("state Enabled -> Disabled") */
  summary: string;
  /** Event-specific details worth keeping (grantId, alias, policy version, …) */
  details: Record<string, unknown>;
  file: string;
}

/** Per account and region: the span of time the replayed records cover. */
export interface CoverageSpan {
  account: string;
  region: string;
  from: number;
  to: number;
  records: number;
}
