import type { KmsEvent, NormalizedEvent, Tag } from "../events/index.js";
import type { GrantRecord, KeyRecord, KeyState, ManagementEvent, MultiRegionRole } from "../model/index.js";
import { closeLast, transition } from "../model/index.js";
import { customKeyStoreHandlers, joinStore } from "./custom-key-store-events.js";
import type { Effect, Handler } from "./effect.js";
import {
  createdState,
  defaultKeyPolicy,
  importedState,
  type ReplayState,
  readyState,
  scheduledState,
  stateAfterMaterialLoss,
} from "./state.js";
import { trailDetails, trailSummary } from "./trail-effect.js";

type KmsHandlers = { [N in KmsEvent["name"]]?: Handler<Extract<KmsEvent, { name: N }>> };

const NOTHING = (keys: string[], summary: string): Effect => ({ summary, keys });

const DAY_MS = 24 * 60 * 60 * 1000;

function keyFor(state: ReplayState, event: KmsEvent & { key: KmsEvent["key"] }): KeyRecord | null {
  const arn = state.resolve(event.key);
  return arn ? state.key(arn, event.time) : null;
}

function changeState(
  state: ReplayState,
  key: KeyRecord,
  t: number,
  next: KeyState,
  ids: string[],
  confidence: "recorded" | "inferred" = "recorded",
): string {
  const before = state.stateOf(key, t);
  state.setState(key, t, next, ids, confidence);
  return before === next ? `state stays ${next}` : `state ${before} -> ${next}`;
}

/** The key's multi-Region role now (the open interval), if any. */
function roleOf(key: KeyRecord): MultiRegionRole | null {
  const last = key.multiRegionRoles.at(-1);
  return last && last.to === null ? last.value : null;
}

/**
 * A replica is created by its ReplicateKey and by the CreateKey KMS logs in its Region, in either order: what
 * the first of them set from `t` on is dropped, so that the replica is created once.
 */
function dropFrom(key: KeyRecord, t: number): void {
  const lists: { from: number }[][] = [
    key.policies,
    key.rotation,
    key.multiRegionRoles,
    key.descriptions,
    key.tags,
  ];
  for (const intervals of lists) {
    const first = intervals.findIndex((interval) => interval.from >= t);
    if (first >= 0) intervals.splice(first);
  }
}

function withKey<E extends KmsEvent & { key: KmsEvent["key"] }>(
  apply: (state: ReplayState, key: KeyRecord, event: E, ids: string[]) => string | Effect,
): Handler<E> {
  return (state, event, ids) => {
    const key = keyFor(state, event);
    if (!key) return NOTHING([], `key ${event.key?.raw ?? "?"} could not be resolved; no state changed`);
    const result = apply(state, key, event, ids);
    return typeof result === "string" ? { summary: result, keys: [key.arn] } : result;
  };
}

function createKey(
  state: ReplayState,
  key: KeyRecord,
  t: number,
  ids: string[],
  policy: unknown,
  initial: KeyState,
  confidence: "recorded" | "inferred",
  creator: string,
) {
  key.createdAt = t;
  key.createdBy = creator;
  key.createdByEventId = ids[0] ?? null;
  key.firstSeen = Math.min(key.firstSeen, t);
  // A key named before its CreateKey (clock skew between services) keeps no Unknown prefix.
  key.states = key.states.filter((interval) => interval.confidence !== "unknown" && interval.from < t);
  closeLast(key.states, t, ids);
  state.setState(key, t, initial, ids, confidence);
  transition(key.rotation, t, { enabled: false, periodDays: null }, ids, "inferred");
  const version = policy
    ? state.addPolicy(key, t, policy, ids, "recorded")
    : state.addPolicy(key, t, defaultKeyPolicy(key.account), ids, "inferred");
  return version;
}

function setTags(key: KeyRecord, t: number, tags: Tag[], ids: string[]): void {
  for (const tag of tags) {
    const open = key.tags.find((interval) => interval.value.key === tag.key && interval.to === null);
    if (open) {
      open.to = t;
      open.closedBy = ids;
    }
    key.tags.push({ from: t, to: null, value: tag, openedBy: ids, closedBy: [], confidence: "recorded" });
  }
}

const kmsHandlers: KmsHandlers = {
  CreateKey: withKey((state, key, event, ids) => {
    const role = roleOf(key);
    // A key the trail already shows created as a replica is created once: this is its Region's record of it.
    if (role?.role === "REPLICA" && key.createdAt !== null) {
      return `the replica's own creation record (its ReplicateKey from ${role.primaryArn} is applied); no state changed`;
    }
    key.origin = event.origin;
    key.keySpec = event.keySpec;
    key.keyUsage = event.keyUsage;
    key.multiRegion = event.multiRegion || key.multiRegion || event.replicaOf !== null;
    // A replica is logged Creating: KMS finishes creating it without a record (as after ReplicateKey).
    const creating = event.keyState === "Creating";
    const initial = creating ? readyState(event.origin) : createdState(event);
    const confidence = creating ? "inferred" : "recorded";
    if (event.replicaOf !== null) dropFrom(key, event.time);
    const version = createKey(state, key, event.time, ids, event.policy, initial, confidence, event.actor.id);
    transition(key.descriptions, event.time, event.description, ids, "recorded");
    setTags(key, event.time, event.tags, ids);
    if (key.multiRegion) {
      const value: MultiRegionRole = event.replicaOf
        ? { role: "REPLICA", primaryArn: event.replicaOf }
        : { role: "PRIMARY", primaryArn: key.arn };
      transition(key.multiRegionRoles, event.time, value, ids, "recorded");
    }
    const policy = version.confidence === "inferred" ? "default policy (inferred)" : "policy v1";
    const made = creating ? `${initial}, inferred: logged Creating` : initial;
    const store = event.customKeyStoreId
      ? joinStore(state, key, event.customKeyStoreId, event.time, ids)
      : "";
    return {
      summary: `created (${made}, ${policy})${event.replicaOf ? `; a replica of ${event.replicaOf}` : ""}${store}`,
      keys: [key.arn],
      details: { origin: event.origin, keySpec: event.keySpec },
    };
  }),
  ReplicateKey: withKey((state, primary, event, ids) => {
    const replicaArn = state.resolve(event.replica);
    if (!replicaArn) return `replica in ${event.replicaRegion} not named by the record; no state changed`;
    markPrimary(primary, event.time, ids);
    const replica = state.key(replicaArn, event.time);
    // The replica's own CreateKey may have come first (seconds earlier, as Regions log apart): one creation,
    // from its instant, with what the ReplicateKey says.
    const since =
      roleOf(replica)?.role === "REPLICA" && replica.createdAt !== null
        ? Math.min(replica.createdAt, event.time)
        : event.time;
    dropFrom(replica, since);
    replica.origin = event.origin ?? primary.origin;
    replica.keySpec = primary.keySpec;
    replica.keyUsage = primary.keyUsage;
    replica.multiRegion = true;
    // KMS finishes creating a replica without a trail record: Enabled is inferred (DESIGN §4), PendingImport
    // for imported material (a replica gets its own import).
    const initial = readyState(replica.origin);
    createKey(state, replica, since, ids, event.replicaPolicy, initial, "inferred", event.actor.id);
    transition(replica.descriptions, since, event.description, ids, "recorded");
    setTags(replica, since, event.tags, ids);
    transition(
      replica.multiRegionRoles,
      since,
      { role: "REPLICA", primaryArn: primary.arn },
      ids,
      "recorded",
    );
    return {
      summary: `replicated to ${event.replicaRegion} as ${replicaArn}`,
      keys: [primary.arn, replicaArn],
    };
  }),
  UpdatePrimaryRegion: withKey((state, oldPrimary, event, ids) => {
    const newPrimaryArn = oldPrimary.arn.replace(`:${oldPrimary.region}:`, `:${event.primaryRegion}:`);
    const newPrimary = state.key(newPrimaryArn, event.time);
    const related = [...state.keys.values()].filter((k) => k.keyId === oldPrimary.keyId);
    // The key the record names is the one in its own Region: in the new primary's Region (KMS logs the change
    // in both) that is not the key that was primary. The related key that was is.
    const wasPrimary = related.find((key) => key.multiRegionRoles.at(-1)?.value.role === "PRIMARY");
    for (const key of related) {
      const role = key.arn === newPrimaryArn ? "PRIMARY" : "REPLICA";
      transition(key.multiRegionRoles, event.time, { role, primaryArn: newPrimaryArn }, ids, "recorded");
    }
    return {
      summary: primaryMoveSummary(wasPrimary?.region ?? null, event),
      keys: [oldPrimary.arn, newPrimary.arn],
    };
  }),
  EnableKey: withKey((state, key, event, ids) => changeState(state, key, event.time, "Enabled", ids)),
  DisableKey: withKey((state, key, event, ids) => changeState(state, key, event.time, "Disabled", ids)),
  CancelKeyDeletion: withKey((state, key, event, ids) => {
    closeLast(key.deletionDates, event.time, ids);
    return changeState(state, key, event.time, "Disabled", ids);
  }),
  ScheduleKeyDeletion: withKey((state, key, event, ids) => {
    const next = scheduledState(event);
    const waitsForReplicas = next === "PendingReplicaDeletion";
    if (waitsForReplicas && event.pendingWindowInDays !== null)
      state.waitForReplicas(key.arn, event.pendingWindowInDays);
    const deletion = deletionDateOf(event, waitsForReplicas);
    if (deletion) transition(key.deletionDates, event.time, deletion.date, ids, deletion.confidence);
    const when = deletion
      ? `, deletion on ${new Date(deletion.date).toISOString()}${deletion.confidence === "inferred" ? " (inferred from the waiting period)" : ""}`
      : waitsForReplicas
        ? ", its waiting period starts when its last replica is deleted"
        : "";
    return {
      summary: `${changeState(state, key, event.time, next, ids)}${when}`,
      keys: [key.arn],
      details: {
        deletionDate: deletion?.date ?? null,
        ...(deletion?.confidence === "inferred" ? { deletionDateConfidence: "inferred" } : {}),
      },
    };
  }),
  DeleteKey: withKey((state, key, event, ids) => {
    const summary = `${changeState(state, key, event.time, "Deleted", ids)}${lastReplicaDeleted(state, key, event.time, ids)}`;
    closeLast(key.deletionDates, event.time, ids);
    closeLast(key.material, event.time, ids);
    const grants = state.openGrantsOf(key.arn);
    for (const grant of grants) state.closeGrant(grant, event.time, ids, "key-deleted", null);
    const aliases = state.aliasesOf(key.arn);
    for (const alias of aliases) state.unpointAlias(alias.alias, event.time, ids);
    return `${summary}; ended ${grants.length} grant(s) and ${aliases.length} alias(es)`;
  }),
  PutKeyPolicy: withKey((state, key, event, ids) => {
    const version = state.addPolicy(key, event.time, event.policy, ids, "recorded");
    return {
      summary: `policy version ${version.version}`,
      keys: [key.arn],
      details: { policyVersion: version.version },
    };
  }),
  CreateGrant: withKey((state, key, event, ids) => {
    if (!event.grantId) return "grant created but its grantId is not in the record; not tracked";
    const existing = state.grants.get(event.grantId);
    if (existing) {
      // KMS answers a retried request for a named grant with the existing grant's id and creates nothing.
      return {
        summary: `grant ${event.grantId} again (KMS returned an existing grant, as for a retried named request); the grant from ${new Date(existing.from).toISOString()} is unchanged`,
        keys: [existing.keyArn],
        details: { grantId: event.grantId, existingGrantFrom: existing.from },
      };
    }
    if (event.grantee) state.principal(event.grantee);
    if (event.retiringPrincipal) state.principal(event.retiringPrincipal);
    state.openGrant({
      grantId: event.grantId,
      keyArn: key.arn,
      grantName: event.grantName,
      grantee: event.grantee,
      retiringPrincipal: event.retiringPrincipal,
      operations: event.operations,
      operationsKnown: event.operationsKnown,
      constraints: event.constraints,
      creator: event.actor.id,
      createdByService: event.invokedBy,
      from: event.time,
      to: null,
      openedBy: ids,
      closedBy: [],
      closeReason: null,
      closedByPrincipal: null,
      confidence: "recorded",
    });
    const to = event.grantee?.id ?? "?";
    // An old record without operations must not read as a grant of nothing.
    const operations = event.operationsKnown ? event.operations.join(",") : "operations not logged";
    return {
      summary: `grant ${event.grantId} to ${to}: ${operations}`,
      keys: [key.arn],
      details: { grantId: event.grantId },
    };
  }),
  RetireGrant: closeGrantHandler("retired"),
  RevokeGrant: closeGrantHandler("revoked"),
  CreateAlias: aliasHandler,
  UpdateAlias: aliasHandler,
  DeleteAlias: deleteAlias,
  EnableKeyRotation: withKey((_state, key, event, ids) => {
    transition(
      key.rotation,
      event.time,
      { enabled: true, periodDays: event.rotationPeriodInDays },
      ids,
      "recorded",
    );
    return `rotation enabled${event.rotationPeriodInDays ? ` every ${event.rotationPeriodInDays} days` : ""}`;
  }),
  DisableKeyRotation: withKey((_state, key, event, ids) => {
    transition(key.rotation, event.time, { enabled: false, periodDays: null }, ids, "recorded");
    return "rotation disabled";
  }),
  RotateKey: withKey((state, key, event, ids) => {
    // New imported material made current by the rotation is the key's from now on (its loss matters).
    if (event.keyMaterialId !== null) state.removePendingMaterial(key.arn, event.keyMaterialId);
    key.rotations.push({
      time: event.time,
      eventId: ids[0] ?? event.eventId,
      rotationType: event.rotationType,
      keyMaterialId: event.keyMaterialId,
    });
    return `key material rotated${event.rotationType ? ` (${event.rotationType})` : ""}`;
  }),
  RotateKeyOnDemand: withKey(() => "on-demand rotation requested"),
  ImportKeyMaterial: withKey((state, key, event, ids) => {
    const material = {
      validTo: event.validTo,
      expirationModel: event.expirationModel,
      keyMaterialId: event.keyMaterialId,
    };
    if (event.importType === "NEW_KEY_MATERIAL" && key.material.at(-1)?.to === null) {
      // New material beside the key's own is for a later on-demand rotation: not the key's material yet (KMS
      // API reference; the first import is NEW_KEY_MATERIAL too, and makes the key's material).
      if (event.keyMaterialId) state.addPendingMaterial(key.arn, event.keyMaterialId);
      return {
        summary: `new key material${event.keyMaterialId ? ` ${event.keyMaterialId}` : ""} imported for an on-demand rotation; the key's material and state are unchanged`,
        keys: [key.arn],
        details: material,
      };
    }
    transition(key.material, event.time, material, ids, "recorded");
    if (event.validTo !== null && event.expirationModel !== "KEY_MATERIAL_DOES_NOT_EXPIRE") {
      state.scheduleExpiry(key.arn, event.validTo, event.time, ids);
    }
    const until = event.validTo === null ? "" : `, valid to ${new Date(event.validTo).toISOString()}`;
    return {
      summary: `${importState(state, key, event.time, ids)}; material imported${until}`,
      keys: [key.arn],
      details: material,
    };
  }),
  DeleteImportedKeyMaterial: withKey(
    (state, key, event, ids) =>
      `${loseMaterial(state, key, event, ids)}; imported material${materialName(event)} deleted`,
  ),
  DeleteExpiredKeyMaterial: withKey(
    (state, key, event, ids) =>
      `${loseMaterial(state, key, event, ids)}; expired material${materialName(event)} deleted`,
  ),
  TagResource: withKey((_state, key, event, ids) => {
    setTags(key, event.time, event.tags, ids);
    return `tagged ${event.tags.map((tag) => `${tag.key}=${tag.value}`).join(", ")}`;
  }),
  UntagResource: withKey((_state, key, event, ids) => {
    for (const interval of key.tags) {
      if (interval.to === null && event.tagKeys.includes(interval.value.key)) {
        interval.to = event.time;
        interval.closedBy = ids;
      }
    }
    return `untagged ${event.tagKeys.join(", ")}`;
  }),
  UpdateKeyDescription: withKey((_state, key, event, ids) => {
    transition(key.descriptions, event.time, event.description, ids, "recorded");
    return "description updated";
  }),
  SynchronizeMultiRegionKey: withKey(() => "multi-Region key synchronized"),
  GetParametersForImport: withKey(() => "import parameters requested"),
  ...customKeyStoreHandlers,
};

const materialName = (event: { keyMaterialId: string | null }) =>
  event.keyMaterialId ? ` ${event.keyMaterialId}` : "";

/** ImportKeyMaterial's state (see importedState): Enabled is inferred for a key whose state was not shown. */
function importState(state: ReplayState, key: KeyRecord, t: number, ids: string[]): string {
  const before = state.stateOf(key, t);
  return changeState(
    state,
    key,
    t,
    importedState(before),
    ids,
    before === "Unknown" ? "inferred" : "recorded",
  );
}

/**
 * Imported material is gone: PendingImport, except that a key pending deletion stays pending deletion with its
 * deletion date (KMS API reference, DeleteImportedKeyMaterial), so the scheduled deletion is not lost. Material
 * imported for a rotation that has not happened is not the key's: losing it changes nothing.
 */
function loseMaterial(
  state: ReplayState,
  key: KeyRecord,
  event: { time: number; keyMaterialId: string | null },
  ids: string[],
): string {
  if (event.keyMaterialId !== null && state.removePendingMaterial(key.arn, event.keyMaterialId))
    return `state stays ${state.stateOf(key, event.time)} (material imported for a rotation that had not happened)`;
  closeLast(key.material, event.time, ids);
  return changeState(state, key, event.time, stateAfterMaterialLoss(state.stateOf(key, event.time)), ids);
}

/**
 * The deletion date the response gives, else eventTime + pendingWindowInDays (KMS counts the waiting period
 * from the request), inferred. Null when the record holds neither, and for a primary key waiting for its
 * replicas' deletion, whose waiting period has not begun.
 */
function deletionDateOf(
  event: Extract<KmsEvent, { name: "ScheduleKeyDeletion" }>,
  waitsForReplicas: boolean,
): { date: number; confidence: "recorded" | "inferred" } | null {
  if (event.deletionDate !== null) return { date: event.deletionDate, confidence: "recorded" };
  if (event.pendingWindowInDays === null || waitsForReplicas) return null;
  return { date: event.time + event.pendingWindowInDays * DAY_MS, confidence: "inferred" };
}

/**
 * A replica's deletion that leaves its primary, PendingReplicaDeletion, without replicas: the primary becomes
 * PendingDeletion and its waiting period begins (KMS API reference, ScheduleKeyDeletion), inferred with this
 * DeleteKey as provenance. Returns what the timeline line adds.
 */
function lastReplicaDeleted(state: ReplayState, replica: KeyRecord, t: number, ids: string[]): string {
  const role = roleOf(replica);
  const primary = role?.role === "REPLICA" ? state.keys.get(role.primaryArn) : undefined;
  if (!primary || state.stateOf(primary, t) !== "PendingReplicaDeletion") return "";
  const remaining = [...state.keys.values()].filter(
    (key) =>
      key.keyId === replica.keyId &&
      key !== primary &&
      roleOf(key)?.role === "REPLICA" &&
      state.stateOf(key, t) !== "Deleted",
  );
  if (remaining.length > 0) return "";
  state.setState(primary, t, "PendingDeletion", ids, "inferred");
  const days = state.replicaWaitDays(primary.arn);
  if (days !== undefined) transition(primary.deletionDates, t, t + days * DAY_MS, ids, "inferred");
  const date = days === undefined ? "" : `, deletion on ${new Date(t + days * DAY_MS).toISOString()}`;
  return `; its primary ${primary.arn} has no replica left: PendingDeletion (inferred)${date}`;
}

/** What an UpdatePrimaryRegion record says of the move, from the Region whose key the trail shows primary. */
function primaryMoveSummary(before: string | null, event: { primaryRegion: string; region: string }): string {
  if (before === null)
    return `primary region ? -> ${event.primaryRegion} (the previous primary is not in the trail)`;
  if (before === event.primaryRegion)
    return `primary region ${event.primaryRegion} (already the primary: the same change, logged in ${event.region} too)`;
  return `primary region ${before} -> ${event.primaryRegion}`;
}

/**
 * ReplicateKey is accepted only on a multi-Region primary key, and its response names the key PRIMARY
 * (replicaKeyMetadata.multiRegionConfiguration): the record shows the role at this instant even when the
 * key's creation is not in the trail (or its id does not start with mrk-, as in AWS's samples).
 */
function markPrimary(primary: KeyRecord, t: number, ids: string[]): void {
  primary.multiRegion = true;
  const role = primary.multiRegionRoles.at(-1);
  if (role && role.to === null && role.value.role === "PRIMARY" && role.value.primaryArn === primary.arn)
    return;
  transition(primary.multiRegionRoles, t, { role: "PRIMARY", primaryArn: primary.arn }, ids, "recorded");
}

/**
 * DeleteAlias takes its key from resources[] (docs/events.md). When the trail shows where the alias pointed,
 * that interval ends here and the record's key is checked against it; when it does not, the record's key is
 * the one the alias pointed to (the collector also notes it as an alias observation just before the delete).
 */
function deleteAlias(
  state: ReplayState,
  event: Extract<KmsEvent, { name: "DeleteAlias" }>,
  ids: string[],
): Effect {
  const named = event.key?.arn ?? null;
  const closed = state.unpointAlias(event.alias, event.time, ids);
  const details: Record<string, unknown> = { alias: event.alias.name };
  if (!closed) {
    if (!named) return { summary: `${event.alias.name} deleted`, keys: [], details };
    state.key(named, event.time);
    return {
      summary: `${event.alias.name} deleted (it pointed to ${named}, per the record)`,
      keys: [named],
      details: { ...details, previousKey: named },
    };
  }
  details.previousKey = closed.value;
  if (!named || named === closed.value) {
    return { summary: `${event.alias.name} deleted`, keys: [closed.value], details };
  }
  // The trail says the alias pointed to one key, the record another: a repoint is missing from the trail.
  state.key(named, event.time);
  return {
    summary: `${event.alias.name} deleted; the trail had it pointing to ${closed.value} but the record names ${named}`,
    keys: [closed.value, named],
    details: { ...details, recordKey: named, conflict: "alias target differs from the record's key" },
  };
}

function closeGrantHandler(
  reason: "retired" | "revoked",
): Handler<Extract<KmsEvent, { name: "RetireGrant" | "RevokeGrant" }>> {
  return (state, event, ids) => {
    const grant = event.grantId ? state.grants.get(event.grantId) : undefined;
    if (!grant) {
      const arn = state.resolve(event.key);
      if (arn) state.key(arn, event.time);
      if (arn && event.grantId) {
        grantSeenOnlyClosing(state, arn, event.grantId, event.time, ids, reason, event.actor.id);
        return {
          summary: `grant ${event.grantId} ${reason}; its creation is not in the trail (start unknown)`,
          keys: [arn],
          details: { grantId: event.grantId },
        };
      }
      return {
        summary: `grant ${event.grantId ?? "(by token)"} ${reason}; the grant was not seen created`,
        keys: arn ? [arn] : [],
        details: { grantId: event.grantId },
      };
    }
    state.closeGrant(grant, event.time, ids, reason, event.actor.id);
    return {
      summary: `grant ${grant.grantId} ${reason}`,
      keys: [grant.keyArn],
      details: { grantId: grant.grantId },
    };
  };
}

/**
 * A retire/revoke of a grant the trail never shows created proves the grant existed until then. It is kept as
 * a grant whose start is unknown (from the start of coverage, as for a key first seen mid-trail), confidence
 * "unknown", closed by the record; what it allowed and to whom is not in the record (no operations).
 */
function grantSeenOnlyClosing(
  state: ReplayState,
  keyArn: string,
  grantId: string,
  t: number,
  ids: string[],
  reason: "retired" | "revoked",
  by: string,
): void {
  const grant: GrantRecord = {
    grantId,
    keyArn,
    grantName: null,
    grantee: null,
    retiringPrincipal: null,
    operations: [],
    operationsKnown: false,
    constraints: null,
    creator: "unknown",
    createdByService: null,
    from: state.unknownSince(keyArn, t),
    to: null,
    openedBy: [],
    closedBy: [],
    closeReason: null,
    closedByPrincipal: null,
    confidence: "unknown",
  };
  state.openGrant(grant);
  state.closeGrant(grant, t, ids, reason, by);
}

function aliasHandler(
  state: ReplayState,
  event: Extract<KmsEvent, { name: "CreateAlias" | "UpdateAlias" }>,
  ids: string[],
): Effect {
  const arn = state.resolve(event.key);
  if (!arn)
    return {
      summary: `${event.alias.name}: target key not resolvable`,
      keys: [],
      details: { alias: event.alias.name },
    };
  state.key(arn, event.time);
  const before = state.aliasTarget(event.alias)?.value ?? null;
  state.pointAlias(event.alias, arn, event.time, ids);
  const keys = before && before !== arn ? [before, arn] : [arn];
  const summary = before ? `${event.alias.name}: ${before} -> ${arn}` : `${event.alias.name} -> ${arn}`;
  return { summary, keys, details: { alias: event.alias.name, previousKey: before } };
}

/** Applies one management event (already in time order) and records it for the timeline. */
export function applyEvent(state: ReplayState, event: NormalizedEvent, alsoEventIds: string[]): void {
  state.fireExpiriesDue(event.time);
  const ids = [event.eventId, ...alsoEventIds];
  state.principal(event.actor);
  const effect = event.error ? failedEffect(state, event) : successEffect(state, event, ids);
  const management: ManagementEvent = {
    eventId: event.eventId,
    alsoEventIds,
    name: event.source === "kms" && event.name === "Other" ? event.eventName : event.name,
    time: event.time,
    account: event.account,
    region: event.region,
    actor: event.actor,
    invokedBy: event.invokedBy,
    sourceIp: event.sourceIp,
    userAgent: event.userAgent,
    error: event.error,
    keys: effect.keys,
    summary: effect.summary,
    details: effect.details ?? {},
    file: event.position.file,
  };
  state.events.push(management);
}

function failedEffect(state: ReplayState, event: NormalizedEvent): Effect {
  const arn = event.source === "kms" && "key" in event ? state.resolve(event.key) : null;
  if (arn) state.key(arn, event.time);
  return { summary: `failed (${event.error?.code}): no state changed`, keys: arn ? [arn] : [] };
}

function successEffect(state: ReplayState, event: NormalizedEvent, ids: string[]): Effect {
  if (event.source !== "kms") return { summary: trailSummary(event), keys: [], details: trailDetails(event) };
  const handler = kmsHandlers[event.name] as Handler<KmsEvent> | undefined;
  if (handler) return handler(state, event, ids);
  const arn = "key" in event ? state.resolve(event.key) : null;
  if (arn) state.key(arn, event.time);
  return {
    summary: event.name === "Other" ? `${event.eventName} (not interpreted)` : event.name,
    keys: arn ? [arn] : [],
  };
}
