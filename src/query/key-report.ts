import type { Confidence, Interval, KeyRecord, ManagementEvent, StoreConnection } from "../model/index.js";
import { type CaseModel, intervalAt } from "../model/index.js";
import { gapCaveats } from "./gaps.js";
import { keyStateCaveats, unnamedGrantEndCaveats } from "./key-caveats.js";
import { customKeyStoreCaveats } from "./key-store-caveats.js";
import { iso, resolveKey } from "./resolve-key.js";

export interface KeyIdentity {
  arn: string;
  keyId: string;
  account: string;
  region: string;
  multiRegion: boolean;
  origin: string | null;
  keySpec: string | null;
  keyUsage: string | null;
  createdAt: string | null;
  firstSeen: string;
}

export interface GrantSummary {
  grantId: string;
  grantee: string | null;
  retiringPrincipal: string | null;
  operations: string[];
  /** false when the CreateGrant record did not log the operations: `operations` is then unknown, not empty */
  operationsKnown: boolean;
  constraints: unknown;
  name: string | null;
  creator: string;
  createdByService: string | null;
  from: string;
  to: string | null;
  closeReason: string | null;
  /** "unknown" for a grant the trail shows only being retired or revoked: its start and terms are not logged */
  confidence: Confidence;
  eventIds: string[];
}

/** `key <key> --at T --format json` (DESIGN §8). Stable: fields may be added, never renamed. */
export interface KeyAtReport {
  key: KeyIdentity;
  at: string;
  state: string;
  stateKnown: boolean;
  stateConfidence: Confidence;
  stateSince: string | null;
  stateEventIds: string[];
  aliases: string[];
  grants: GrantSummary[];
  policyVersion: number | null;
  policy: {
    version: number;
    confidence: Confidence;
    since: string;
    eventIds: string[];
    document: unknown;
  } | null;
  rotation: { enabled: boolean; periodDays: number | null; confidence: Confidence } | null;
  lastRotation: string | null;
  material: { validTo: string | null; expirationModel: string | null; keyMaterialId: string | null } | null;
  deletionDate: string | null;
  multiRegionRole: { role: string; primaryArn: string } | null;
  description: string | null;
  tags: Record<string, string>;
  /** The custom key store the key was created in, with its connection at T; null for a key in none */
  customKeyStore: {
    id: string;
    name: string | null;
    type: string | null;
    connection: StoreConnection;
    connectionConfidence: Confidence;
    connectionSince: string | null;
    connectionEventIds: string[];
    /** The key's own state (EnableKey, DisableKey…), which KMS reports while the store is connected */
    ownState: string | null;
  } | null;
  caveats: string[];
}

export interface HistoryInterval<T> {
  from: string;
  to: string | null;
  value: T;
  confidence: Confidence;
  openedBy: string[];
  closedBy: string[];
}

/** `key <key>` without --at: the whole history. */
export interface KeyHistoryReport {
  key: KeyIdentity;
  states: HistoryInterval<string>[];
  aliases: HistoryInterval<string>[];
  grants: GrantSummary[];
  policies: HistoryInterval<number>[];
  rotation: HistoryInterval<{ enabled: boolean; periodDays: number | null }>[];
  rotations: { time: string; rotationType: string | null; eventId: string }[];
  material: HistoryInterval<{ validTo: string | null; expirationModel: string | null }>[];
  /** The deletion date scheduled, while the key was pending deletion */
  deletionDates: HistoryInterval<string>[];
  descriptions: HistoryInterval<string | null>[];
  multiRegionRoles: HistoryInterval<{ role: "PRIMARY" | "REPLICA"; primaryArn: string }>[];
  tags: HistoryInterval<string>[];
  /** The key's custom key store and its connection over time; `states` above has it applied. Null: none */
  customKeyStore: {
    id: string;
    name: string | null;
    type: string | null;
    connection: HistoryInterval<StoreConnection>[];
    /** The key's own states, before the store's connection is applied */
    ownStates: HistoryInterval<string>[];
  } | null;
  events: {
    time: string;
    name: string;
    actor: string;
    summary: string;
    error: string | null;
    eventIds: string[];
  }[];
  caveats: string[];
}

function identity(key: KeyRecord): KeyIdentity {
  return {
    arn: key.arn,
    keyId: key.keyId,
    account: key.account,
    region: key.region,
    multiRegion: key.multiRegion,
    origin: key.origin,
    keySpec: key.keySpec,
    keyUsage: key.keyUsage,
    createdAt: key.createdAt === null ? null : iso(key.createdAt),
    firstSeen: iso(key.firstSeen),
  };
}

function grantSummary(grant: CaseModel["data"]["grants"][number]): GrantSummary {
  return {
    grantId: grant.grantId,
    grantee: grant.grantee?.id ?? null,
    retiringPrincipal: grant.retiringPrincipal?.id ?? null,
    operations: grant.operations,
    operationsKnown: grant.operationsKnown !== false,
    constraints: grant.constraints,
    name: grant.grantName,
    creator: grant.creator,
    createdByService: grant.createdByService,
    from: iso(grant.from),
    to: grant.to === null ? null : iso(grant.to),
    closeReason: grant.closeReason,
    confidence: grant.confidence,
    eventIds: [...grant.openedBy, ...grant.closedBy],
  };
}

function history<T, U>(intervals: readonly Interval<T>[], map: (value: T) => U): HistoryInterval<U>[] {
  return intervals.map((interval) => ({
    from: iso(interval.from),
    to: interval.to === null ? null : iso(interval.to),
    value: map(interval.value),
    confidence: interval.confidence,
    openedBy: interval.openedBy,
    closedBy: interval.closedBy,
  }));
}

function storeHistoryCaveat(model: CaseModel, key: KeyRecord): string[] {
  const store = model.storeOf(key);
  if (!store) return [];
  return [
    `the key is in custom key store ${store.id}: its states are those KMS reports with the store's connection applied (Unavailable while the store is disconnected, Unknown while a connection is pending); customKeyStore.ownStates holds its own`,
  ];
}

function knownFromCaveat(key: KeyRecord): string[] {
  if (key.createdAt !== null) return [];
  return [
    `the trail holds no CreateKey for this key: its state, policy and grants before ${iso(key.firstSeen)} (first seen) are unknown`,
  ];
}

export function keyAt(model: CaseModel, name: string, t: number): KeyAtReport {
  const key = resolveKey(model, name, t, "key");
  const state = model.stateAt(key, t);
  const policy = intervalAt(key.policies, t);
  const rotation = intervalAt(key.rotation, t);
  const material = intervalAt(key.material, t);
  const deletion = intervalAt(key.deletionDates, t);
  const role = intervalAt(key.multiRegionRoles, t);
  const description = intervalAt(key.descriptions, t);
  const lastRotation = key.rotations.filter((rotation) => rotation.time <= t).at(-1);
  const caveats = [...knownFromCaveat(key), ...gapCaveats(model, key.account, key.region, t)];
  if (!policy && state.state !== "NotCreated")
    caveats.push("the key policy in force at this time is unknown (no CreateKey or PutKeyPolicy before it)");
  caveats.push(
    ...keyStateCaveats(key, t, state.state, policy),
    ...customKeyStoreCaveats(model, key, t),
    ...unnamedGrantEndCaveats(model, key, t),
  );
  return {
    key: identity(key),
    at: iso(t),
    state: state.state,
    stateKnown: state.known,
    stateConfidence: state.confidence,
    stateSince: state.since === null ? null : iso(state.since),
    stateEventIds: state.eventIds,
    aliases: model
      .aliasesAt(key.arn, t)
      .map((interval) => interval.alias.name)
      .sort(),
    grants: model.grantsAt(key.arn, t).map(grantSummary),
    policyVersion: policy?.version ?? null,
    policy: policy
      ? {
          version: policy.version,
          confidence: policy.confidence,
          since: iso(policy.from),
          eventIds: policy.openedBy,
          document: policy.document,
        }
      : null,
    rotation: rotation ? { ...rotation.value, confidence: rotation.confidence } : null,
    lastRotation: lastRotation ? iso(lastRotation.time) : null,
    material: material
      ? {
          validTo: material.value.validTo === null ? null : iso(material.value.validTo),
          expirationModel: material.value.expirationModel,
          keyMaterialId: material.value.keyMaterialId,
        }
      : null,
    deletionDate: deletion ? iso(deletion.value) : null,
    multiRegionRole: role?.value ?? null,
    description: description?.value ?? null,
    tags: Object.fromEntries(
      key.tags
        .filter((tag) => tag.from <= t && (tag.to === null || t < tag.to))
        .map((tag) => [tag.value.key, tag.value.value]),
    ),
    customKeyStore: storeAt(model, key, t),
    caveats,
  };
}

function storeAt(model: CaseModel, key: KeyRecord, t: number): KeyAtReport["customKeyStore"] {
  const store = model.storeOf(key);
  if (!store) return null;
  const link = intervalAt(store.connection, t);
  return {
    id: store.id,
    name: store.name,
    type: store.type,
    connection: link?.value ?? "Unknown",
    connectionConfidence: link?.confidence ?? "unknown",
    connectionSince: link ? iso(link.from) : null,
    connectionEventIds: link?.openedBy ?? [],
    ownState: (key.ownStates && intervalAt(key.ownStates, t)?.value) ?? null,
  };
}

function storeHistory(model: CaseModel, key: KeyRecord): KeyHistoryReport["customKeyStore"] {
  const store = model.storeOf(key);
  if (!store) return null;
  return {
    id: store.id,
    name: store.name,
    type: store.type,
    connection: history(store.connection, (value) => value),
    ownStates: history(key.ownStates ?? key.states, (state) => state),
  };
}

function eventLine(event: ManagementEvent): KeyHistoryReport["events"][number] {
  return {
    time: iso(event.time),
    name: event.name,
    actor: event.actor.sessionName ? `${event.actor.id} (${event.actor.sessionName})` : event.actor.id,
    summary: event.summary,
    error: event.error?.code ?? null,
    eventIds: [event.eventId, ...event.alsoEventIds],
  };
}

export function keyHistory(model: CaseModel, name: string): KeyHistoryReport {
  const key = resolveKey(model, name, null, "key");
  return {
    key: identity(key),
    states: history(key.states, (state) => state),
    aliases: (model.aliasesByKey.get(key.arn) ?? []).map((interval) => ({
      from: iso(interval.from),
      to: interval.to === null ? null : iso(interval.to),
      value: interval.alias.name,
      confidence: interval.confidence,
      openedBy: interval.openedBy,
      closedBy: interval.closedBy,
    })),
    grants: (model.grantsByKey.get(key.arn) ?? []).map(grantSummary),
    policies: key.policies.map((policy) => ({
      from: iso(policy.from),
      to: policy.to === null ? null : iso(policy.to),
      value: policy.version,
      confidence: policy.confidence,
      openedBy: policy.openedBy,
      closedBy: policy.closedBy,
    })),
    rotation: history(key.rotation, (rotation) => rotation),
    rotations: key.rotations.map((rotation) => ({
      time: iso(rotation.time),
      rotationType: rotation.rotationType,
      eventId: rotation.eventId,
    })),
    material: history(key.material, (material) => ({
      validTo: material.validTo === null ? null : iso(material.validTo),
      expirationModel: material.expirationModel,
    })),
    deletionDates: history(key.deletionDates, iso),
    descriptions: history(key.descriptions, (description) => description),
    multiRegionRoles: history(key.multiRegionRoles, (role) => role),
    tags: history(key.tags, (tag) => `${tag.key}=${tag.value}`),
    customKeyStore: storeHistory(model, key),
    events: (model.eventsByKey.get(key.arn) ?? []).map(eventLine),
    caveats: [...knownFromCaveat(key), ...storeHistoryCaveat(model, key)],
  };
}
