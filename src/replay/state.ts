import type { AliasRef, KeyRef, Principal } from "../events/index.js";
import type {
  AliasInterval,
  CoverageSpan,
  CustomKeyStoreRecord,
  GrantRecord,
  KeyRecord,
  KeyState,
  ManagementEvent,
  PolicyVersion,
  PrincipalRecord,
} from "../model/index.js";
import { closeLast, intervalAt, storeSlot, transition } from "../model/index.js";

/** An inferred transition due at a time with no event of its own (imported key material expiring). */
interface MaterialExpiry {
  at: number;
  keyArn: string;
  /** the material interval it ends; a later import or delete replaces it and the timer does nothing */
  materialFrom: number;
  /** the ImportKeyMaterial whose validTo this is: the provenance of the inferred transition */
  eventIds: string[];
}

/** The states of a key pending deletion. */
export const PENDING_DELETION: ReadonlySet<KeyState> = new Set<KeyState>([
  "PendingDeletion",
  "PendingReplicaDeletion",
]);

/**
 * The state a key is in once its imported material is gone (deleted or expired) while it was in `current`:
 * KMS keeps a key pending deletion pending deletion (its deletion date too) rather than moving it to
 * PendingImport.
 */
export function stateAfterMaterialLoss(current: KeyState): KeyState {
  return PENDING_DELETION.has(current) ? current : "PendingImport";
}

/** The state a key is in once KMS has created it: PendingImport for EXTERNAL material, else Enabled. */
export function readyState(origin: string | null): KeyState {
  return origin === "EXTERNAL" ? "PendingImport" : "Enabled";
}

/**
 * The state ImportKeyMaterial leaves: a key waiting for material (PendingImport) is Enabled, a Disabled or
 * Enabled one keeps its state (KMS API reference: the state changes from PendingImport to Enabled); one whose
 * state the trail does not show is taken to have been waiting for it.
 */
export function importedState(current: KeyState): KeyState {
  return current === "PendingImport" || current === "Unknown" ? "Enabled" : current;
}

/** The state CreateKey leaves: the logged keyState, else readyState. */
export function createdState(event: { keyState: string | null; origin: string | null }): KeyState {
  return (event.keyState as KeyState | null) ?? readyState(event.origin);
}

/** The state ScheduleKeyDeletion leaves: PendingReplicaDeletion when the response says so. */
export function scheduledState(event: { keyState: string | null }): KeyState {
  return event.keyState === "PendingReplicaDeletion" ? "PendingReplicaDeletion" : "PendingDeletion";
}

export function aliasSlot(alias: AliasRef): string {
  return `${alias.account}|${alias.region}|${alias.name}`;
}

export function keyIdOf(arn: string): string {
  return arn.slice(arn.indexOf(":key/") + 5);
}

function arnParts(arn: string): { account: string; region: string } {
  const parts = arn.split(":");
  return { region: parts[3] ?? "", account: parts[4] ?? "" };
}

/** The default key policy KMS applies when CreateKey/ReplicateKey has none (DESIGN §4). */
export function defaultKeyPolicy(account: string, partition = "aws"): unknown {
  return {
    Version: "2012-10-17",
    Id: "key-default-1",
    Statement: [
      {
        Sid: "Enable IAM User Permissions",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  };
}

/** The mutable world as replay walks the trail in time order. */
export class ReplayState {
  readonly keys = new Map<string, KeyRecord>();
  readonly grants = new Map<string, GrantRecord>();
  readonly aliases: AliasInterval[] = [];
  readonly events: ManagementEvent[] = [];
  readonly principals = new Map<string, PrincipalRecord>();
  /** Custom key stores by storeSlot (account|region|id) */
  readonly stores = new Map<string, CustomKeyStoreRecord>();
  private readonly openAliases = new Map<string, AliasInterval>();
  private readonly openGrantsByKey = new Map<string, Set<string>>();
  private expiries: MaterialExpiry[] = [];
  /** key ARN -> keyMaterialIds imported as NEW_KEY_MATERIAL (for an on-demand rotation), not yet deleted */
  private readonly pendingMaterials = new Map<string, Set<string>>();
  /** primary key ARN -> the waiting period (days) of its deletion, begun when its last replica is deleted */
  private readonly replicaWaits = new Map<string, number>();
  /** The earliest pending expiry's time (infinity when none), so that most events skip the list */
  private nextExpiry = Number.POSITIVE_INFINITY;

  constructor(private readonly coverage: readonly CoverageSpan[]) {}

  /** The key record for an ARN, created on first sight with state Unknown from the start of coverage. */
  key(arn: string, t: number): KeyRecord {
    let key = this.keys.get(arn);
    if (!key) {
      const { account, region } = arnParts(arn);
      const start = this.unknownSince(arn, t);
      key = {
        arn,
        keyId: keyIdOf(arn),
        account,
        region,
        firstSeen: t,
        createdAt: null,
        createdBy: null,
        createdByEventId: null,
        origin: null,
        keySpec: null,
        keyUsage: null,
        multiRegion: keyIdOf(arn).startsWith("mrk-"),
        states: [
          { from: start, to: null, value: "Unknown", openedBy: [], closedBy: [], confidence: "unknown" },
        ],
        deletionDates: [],
        rotation: [],
        rotations: [],
        material: [],
        descriptions: [],
        tags: [],
        multiRegionRoles: [],
        policies: [],
      };
      this.keys.set(arn, key);
    }
    return key;
  }

  /**
   * Where a fact first seen at t about a key, with no record of its beginning, starts: the start of coverage
   * of the key's account and Region (or t if earlier). Such facts carry confidence "unknown" until the record.
   */
  unknownSince(arn: string, t: number): number {
    const { account, region } = arnParts(arn);
    return this.unknownSinceIn(account, region, t);
  }

  private unknownSinceIn(account: string, region: string, t: number): number {
    return Math.min(t, this.coverageStart(account, region) ?? t);
  }

  /**
   * The custom key store `id` of an account and Region, created on first sight with its connection Unknown
   * from the start of coverage (as a key first seen mid-trail).
   */
  store(account: string, region: string, id: string, t: number): CustomKeyStoreRecord {
    const slot = storeSlot(account, region, id);
    let store = this.stores.get(slot);
    if (!store) {
      const from = this.unknownSinceIn(account, region, t);
      store = {
        id,
        account,
        region,
        name: null,
        type: null,
        createdAt: null,
        createdByEventId: null,
        connection: [{ from, to: null, value: "Unknown", openedBy: [], closedBy: [], confidence: "unknown" }],
        keys: [],
      };
      this.stores.set(slot, store);
    }
    return store;
  }

  /** Resolves a key reference at time t: the ARN the record gives, else the alias as it points at t. */
  resolve(ref: KeyRef | null): string | null {
    if (!ref) return null;
    if (ref.arn) return ref.arn;
    return ref.alias ? (this.openAliases.get(aliasSlot(ref.alias))?.value ?? null) : null;
  }

  stateOf(key: KeyRecord, t: number): KeyState {
    return intervalAt(key.states, t)?.value ?? "Unknown";
  }

  setState(
    key: KeyRecord,
    t: number,
    state: KeyState,
    eventIds: string[],
    confidence: "recorded" | "inferred",
  ): void {
    if (key.states.at(-1)?.value === state && key.states.at(-1)?.to === null) return;
    transition(key.states, t, state, eventIds, confidence);
  }

  addPolicy(
    key: KeyRecord,
    t: number,
    document: unknown,
    eventIds: string[],
    confidence: "recorded" | "inferred",
  ): PolicyVersion {
    const last = key.policies.at(-1);
    if (last && last.to === null) {
      last.to = t;
      last.closedBy = eventIds;
    }
    const version: PolicyVersion = {
      keyArn: key.arn,
      version: (last?.version ?? 0) + 1,
      document,
      from: t,
      to: null,
      openedBy: eventIds,
      closedBy: [],
      confidence,
    };
    key.policies.push(version);
    return version;
  }

  principal(p: Principal): PrincipalRecord {
    let record = this.principals.get(p.id);
    if (!record) {
      record = { id: p.id, kind: p.kind, account: p.account, sessionNames: [], principalIds: [] };
      this.principals.set(p.id, record);
    }
    return record;
  }

  openGrant(grant: GrantRecord): void {
    this.grants.set(grant.grantId, grant);
    const open = this.openGrantsByKey.get(grant.keyArn) ?? new Set<string>();
    open.add(grant.grantId);
    this.openGrantsByKey.set(grant.keyArn, open);
  }

  closeGrant(
    grant: GrantRecord,
    t: number,
    eventIds: string[],
    reason: GrantRecord["closeReason"],
    by: string | null,
  ): void {
    if (grant.to !== null) return;
    grant.to = t;
    grant.closedBy = eventIds;
    grant.closeReason = reason;
    grant.closedByPrincipal = by;
    this.openGrantsByKey.get(grant.keyArn)?.delete(grant.grantId);
  }

  openGrantsOf(keyArn: string): GrantRecord[] {
    return [...(this.openGrantsByKey.get(keyArn) ?? [])].flatMap((id) => this.grants.get(id) ?? []);
  }

  aliasTarget(alias: AliasRef): AliasInterval | null {
    return this.openAliases.get(aliasSlot(alias)) ?? null;
  }

  pointAlias(alias: AliasRef, keyArn: string, t: number, eventIds: string[]): AliasInterval {
    this.unpointAlias(alias, t, eventIds);
    const interval: AliasInterval = {
      alias,
      value: keyArn,
      from: t,
      to: null,
      openedBy: eventIds,
      closedBy: [],
      confidence: "recorded",
    };
    this.aliases.push(interval);
    this.openAliases.set(aliasSlot(alias), interval);
    return interval;
  }

  unpointAlias(alias: AliasRef, t: number, eventIds: string[]): AliasInterval | null {
    const open = this.openAliases.get(aliasSlot(alias));
    if (!open) return null;
    open.to = t;
    open.closedBy = eventIds;
    this.openAliases.delete(aliasSlot(alias));
    return open;
  }

  aliasesOf(keyArn: string): AliasInterval[] {
    return [...this.openAliases.values()].filter((interval) => interval.value === keyArn);
  }

  /** A primary key scheduled for deletion waits for its replicas' deletion, then `days` more. */
  waitForReplicas(keyArn: string, days: number): void {
    this.replicaWaits.set(keyArn, days);
  }

  replicaWaitDays(keyArn: string): number | undefined {
    return this.replicaWaits.get(keyArn);
  }

  addPendingMaterial(keyArn: string, keyMaterialId: string): void {
    const ids = this.pendingMaterials.get(keyArn) ?? new Set<string>();
    this.pendingMaterials.set(keyArn, ids.add(keyMaterialId));
  }

  /** Whether the material was imported for a rotation (it then is no longer tracked). */
  removePendingMaterial(keyArn: string, keyMaterialId: string): boolean {
    return this.pendingMaterials.get(keyArn)?.delete(keyMaterialId) ?? false;
  }

  scheduleExpiry(keyArn: string, at: number, materialFrom: number, eventIds: string[]): void {
    this.expiries.push({ at, keyArn, materialFrom, eventIds });
    this.nextExpiry = Math.min(this.nextExpiry, at);
  }

  /**
   * Fires the material expiries due at or before t (each exactly at its validTo, in time order). Replay calls
   * this before each event, so a re-import or delete before validTo still cancels the timer.
   */
  fireExpiriesDue(t: number): void {
    // Called for every event: only look at the list when its earliest expiry is due.
    if (t < this.nextExpiry) return;
    const due = this.expiries.filter((expiry) => expiry.at <= t);
    this.expiries = this.expiries.filter((expiry) => expiry.at > t);
    this.nextExpiry = earliest(this.expiries);
    this.fire(due);
  }

  /**
   * Settles every pending expiry once the last event is applied: those due by the end of the trail and those
   * after it too. An expiry is a known future transition (KMS deletes the material at validTo with no record
   * of its own), so `key --at` past the end must not answer Enabled/usable. All are inferred, with the
   * ImportKeyMaterial as provenance.
   */
  fireExpiries(): void {
    const all = this.expiries;
    this.expiries = [];
    this.nextExpiry = Number.POSITIVE_INFINITY;
    this.fire(all);
  }

  private fire(expiries: MaterialExpiry[]): void {
    for (const expiry of [...expiries].sort((a, b) => a.at - b.at)) {
      const key = this.keys.get(expiry.keyArn);
      const material = key?.material.at(-1);
      if (!key || !material || material.from !== expiry.materialFrom || material.to !== null) continue;
      closeLast(key.material, expiry.at, expiry.eventIds);
      const next = stateAfterMaterialLoss(this.stateOf(key, expiry.at));
      this.setState(key, expiry.at, next, expiry.eventIds, "inferred");
    }
  }

  private coverageStart(account: string, region: string): number | null {
    return this.coverage.find((span) => span.account === account && span.region === region)?.from ?? null;
  }
}

function earliest(expiries: readonly MaterialExpiry[]): number {
  let at = Number.POSITIVE_INFINITY;
  for (const expiry of expiries) at = Math.min(at, expiry.at);
  return at;
}
