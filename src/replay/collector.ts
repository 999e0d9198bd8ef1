import type { Actor, AliasRef, KmsEvent, NormalizedEvent, PrincipalKind } from "../events/index.js";
import {
  ACCOUNT_READ_OPERATIONS,
  CRYPTO_OPERATIONS,
  KEY_READ_OPERATIONS,
  normalizePrincipal,
} from "../events/index.js";
import { UsageStore, type UsageStoreData } from "../model/index.js";

/**
 * First half of replay: takes normalized events in any order (files are read in any order, re-delivered,
 * and cross-account actions are logged twice) and keeps each action once. Usage events go straight to the
 * columnar store; management events are kept for the ordered state machine. Nothing here depends on order.
 */

const USAGE_NAMES: ReadonlySet<string> = new Set<string>([
  ...CRYPTO_OPERATIONS,
  ...KEY_READ_OPERATIONS,
  ...ACCOUNT_READ_OPERATIONS,
]);

const ALIAS_CALLS: ReadonlySet<string> = new Set(["CreateAlias", "UpdateAlias", "DeleteAlias"]);

/** Cryptographic calls and reads: they go to the usage store, in batches, not to the state machine. */
export function isUsageEvent(event: NormalizedEvent): event is KmsEvent {
  return event.source === "kms" && USAGE_NAMES.has(event.name);
}

export interface AliasObservation {
  alias: AliasRef;
  keyArn: string;
  time: number;
  eventId: string;
}

/**
 * Usage calls in columns: their rows as a usage store's data (repeated strings sent once) and their notes
 * as columns too (the rare ones sparse, by row). Read workers send these instead of whole events: a fraction
 * of the bytes to copy, and the main thread interns each distinct string of a batch once instead of every
 * string of every row.
 */
export interface UsageBatch {
  rows: UsageStoreData;
  /** The caller's kind and unique id (AROA…, AIDA…); its id and session name are in the rows */
  kinds: PrincipalKind[];
  principalIds: (string | null)[];
  sharedEventIds: Record<number, string>;
  /** The alias the call named for its key, and for ReEncrypt's destination key */
  keyAliases: Record<number, AliasRef>;
  destinationAliases: Record<number, AliasRef>;
}

function emptyNotes(): Omit<UsageBatch, "rows"> {
  return { kinds: [], principalIds: [], sharedEventIds: {}, keyAliases: {}, destinationAliases: {} };
}

/** Gathers usage events into a UsageBatch. */
export class UsageBatchBuilder {
  private rows = new UsageStore();
  private notes = emptyNotes();

  get size(): number {
    return this.rows.size;
  }

  add(event: KmsEvent): void {
    const key = "key" in event ? event.key : null;
    const destination = "destinationKey" in event ? event.destinationKey : null;
    const context = "encryptionContext" in event ? event.encryptionContext : null;
    const row = this.rows.append({
      time: event.time,
      eventId: event.eventId,
      alsoEventIds: [],
      operation: event.name,
      key: key?.arn ?? null,
      keyRef: key && key.raw !== key.arn ? key.raw : null,
      destinationKey: destination?.arn ?? null,
      principal: event.actor.id,
      sessionName: event.actor.sessionName,
      invokedBy: event.invokedBy,
      errorCode: event.error?.code ?? null,
      account: event.account,
      region: event.region,
      sourceIp: event.sourceIp,
      encryptionContext: context ? JSON.stringify(context) : null,
    });
    const notes = this.notes;
    notes.kinds.push(event.actor.kind);
    notes.principalIds.push(event.actor.principalId);
    if (event.sharedEventId) notes.sharedEventIds[row] = event.sharedEventId;
    if (key?.alias) notes.keyAliases[row] = key.alias;
    if (destination?.alias) notes.destinationAliases[row] = destination.alias;
  }

  /** The batch so far; the builder starts over. */
  take(): UsageBatch {
    const batch = { rows: this.rows.toJSON(), ...this.notes };
    this.rows = new UsageStore();
    this.notes = emptyNotes();
    return batch;
  }
}

/** Events a reader gathers before passing them on as one batch. */
const EVENT_BATCH = 2000;

/** Normalized events on their way to collection: usage events in columns (see UsageBatch), others whole. */
export class EventBatch {
  private events: NormalizedEvent[] = [];
  private readonly usage = new UsageBatchBuilder();

  get size(): number {
    return this.events.length + this.usage.size;
  }

  /** Adds an event; true once the batch is full and should be taken and passed on. */
  add(event: NormalizedEvent): boolean {
    if (isUsageEvent(event)) this.usage.add(event);
    else this.events.push(event);
    return this.size >= EVENT_BATCH;
  }

  /** The events so far; the batch starts over. */
  take(): { events: NormalizedEvent[]; usage: UsageBatch } {
    const events = this.events;
    this.events = [];
    return { events, usage: this.usage.take() };
  }
}

export interface PendingAliasResolution {
  row: number;
  alias: AliasRef;
  destination: boolean;
}

export interface Collected {
  management: NormalizedEvent[];
  /** management event index -> other eventIds of the same action */
  managementAlso: Map<number, string[]>;
  usage: UsageStore;
  pendingAliases: PendingAliasResolution[];
  aliasObservations: AliasObservation[];
  /** unique id (AROA…, AIDA…) -> normalized principal id */
  principalIds: Map<string, string>;
  sessionNames: Map<string, Set<string>>;
  duplicates: number;
  sharedCopiesMerged: number;
  counts: { kms: number; trail: number; sts: number; failed: number };
}

export class Collector {
  private readonly seen = new Set<string>();
  private readonly shared = new Map<string, { usageRow: number } | { managementIndex: number }>();
  readonly collected: Collected = {
    management: [],
    managementAlso: new Map(),
    usage: new UsageStore(),
    pendingAliases: [],
    aliasObservations: [],
    principalIds: new Map(),
    sessionNames: new Map(),
    duplicates: 0,
    sharedCopiesMerged: 0,
    counts: { kms: 0, trail: 0, sts: 0, failed: 0 },
  };

  /** A batch of a reader's events (see EventBatch): usage in columns, the others whole. */
  addBatch(batch: { events: readonly NormalizedEvent[]; usage: UsageBatch }): void {
    for (const event of batch.events) this.add(event);
    this.addUsageBatch(batch.usage);
  }

  /** An event that is not a usage call (those come in columns, through addUsageBatch). */
  private add(event: NormalizedEvent): void {
    if (this.isDuplicate(event.eventId)) return;
    const { actor } = event;
    this.notePrincipal(actor.id, actor.kind, actor.principalId, actor.sessionName);
    if (event.source === "sts") {
      this.collected.counts.sts++;
      this.noteAssumeRole(event);
      return;
    }
    this.collected.counts[event.source === "kms" ? "kms" : "trail"]++;
    if (event.error) this.collected.counts.failed++;
    // The alias calls themselves name the alias and the key, but they are what changes the mapping.
    if (event.source === "kms" && !ALIAS_CALLS.has(event.name)) {
      const key = "key" in event ? event.key : null;
      if (key) this.noteAliasObservation(key.alias, key.arn, event);
    }
    if (event.sharedEventId && this.mergeSharedManagement(event.sharedEventId, event)) return;
    const managementIndex = this.addManagement(event);
    if (event.sharedEventId) this.shared.set(event.sharedEventId, { managementIndex });
  }

  /** Usage calls, a batch at a time (see UsageBatch); the notes are read from the batch's columns by row. */
  private addUsageBatch(batch: UsageBatch): void {
    const rows = new UsageStore(batch.rows);
    const ids = this.collected.usage.idsFor(rows);
    for (let row = 0; row < rows.size; row++) this.addUsageRow(batch, rows, row, ids);
  }

  private addUsageRow(batch: UsageBatch, rows: UsageStore, row: number, ids: Int32Array): void {
    const eventId = rows.field(row, "eventId") ?? "";
    if (this.isDuplicate(eventId)) return;
    const key = rows.field(row, "key");
    this.notePrincipal(
      rows.field(row, "principal") ?? "",
      batch.kinds[row] ?? "unknown",
      batch.principalIds[row] ?? null,
      rows.field(row, "sessionName"),
    );
    this.collected.counts.kms++;
    // A failed call always logs its error code.
    if (rows.field(row, "errorCode") !== null) this.collected.counts.failed++;
    const keyAlias = batch.keyAliases[row] ?? null;
    const destinationAlias = batch.destinationAliases[row] ?? null;
    const sharedEventId = batch.sharedEventIds[row];
    this.noteAliasObservation(keyAlias, key, { time: rows.timeAt(row), eventId });
    const account = rows.field(row, "account") ?? "";
    if (sharedEventId && this.mergeSharedUsage(sharedEventId, { eventId, account })) return;
    const usageRow = this.collected.usage.appendFrom(rows, row, ids);
    if (keyAlias && !key) {
      this.collected.pendingAliases.push({ row: usageRow, alias: keyAlias, destination: false });
    }
    if (destinationAlias && !rows.field(row, "destinationKey")) {
      this.collected.pendingAliases.push({ row: usageRow, alias: destinationAlias, destination: true });
    }
    if (sharedEventId) this.shared.set(sharedEventId, { usageRow });
  }

  private isDuplicate(eventId: string): boolean {
    if (!this.seen.has(eventId)) {
      this.seen.add(eventId);
      return false;
    }
    this.collected.duplicates++;
    return true;
  }

  /**
   * The second copy of a cross-account action joins the first. Copies can arrive in any order (parallel
   * reads), so the primary copy is always the one with the smallest eventID, and the others are provenance.
   */
  private mergeSharedUsage(sharedEventId: string, copy: { eventId: string; account: string }): boolean {
    const slot = this.shared.get(sharedEventId);
    if (!slot || !("usageRow" in slot)) return false;
    this.collected.sharedCopiesMerged++;
    const usage = this.collected.usage;
    const primary = usage.field(slot.usageRow, "eventId") ?? "";
    if (copy.eventId < primary) {
      usage.setField(slot.usageRow, "eventId", copy.eventId);
      usage.setField(slot.usageRow, "account", copy.account);
      usage.addAlsoEventId(slot.usageRow, primary);
    } else {
      usage.addAlsoEventId(slot.usageRow, copy.eventId);
    }
    return true;
  }

  /** mergeSharedUsage for management events: the event with the smallest eventID is kept whole. */
  private mergeSharedManagement(sharedEventId: string, event: NormalizedEvent): boolean {
    const slot = this.shared.get(sharedEventId);
    if (!slot || !("managementIndex" in slot)) return false;
    const existing = this.collected.management[slot.managementIndex];
    if (!existing) return false;
    this.collected.sharedCopiesMerged++;
    const also = this.collected.managementAlso.get(slot.managementIndex) ?? [];
    if (event.eventId < existing.eventId) {
      this.collected.management[slot.managementIndex] = event;
      also.push(existing.eventId);
    } else {
      also.push(event.eventId);
    }
    this.collected.managementAlso.set(slot.managementIndex, also.sort());
    return true;
  }

  private addManagement(event: NormalizedEvent): number {
    this.collected.management.push(event);
    return this.collected.management.length - 1;
  }

  /** A call that named a key by an alias, and whose record also gives the key's ARN, shows alias -> key. */
  private noteAliasObservation(
    alias: AliasRef | null,
    keyArn: string | null,
    call: { time: number; eventId: string },
  ): void {
    if (alias && keyArn) {
      this.collected.aliasObservations.push({ alias, keyArn, time: call.time, eventId: call.eventId });
    }
  }

  private notePrincipal(
    id: string,
    kind: Actor["kind"],
    principalId: string | null,
    sessionName: string | null,
  ): void {
    if ((kind === "role" || kind === "user") && principalId) {
      this.collected.principalIds.set(uniqueIdOf(principalId), id);
    }
    if (kind === "role" && sessionName) this.addSessionName(id, sessionName);
  }

  private noteAssumeRole(event: Extract<NormalizedEvent, { source: "sts" }>): void {
    if (event.error || !event.roleArn) return;
    const roleId = normalizePrincipal(event.roleArn).id;
    if (event.assumedRoleId) this.collected.principalIds.set(uniqueIdOf(event.assumedRoleId), roleId);
    if (event.roleSessionName) this.addSessionName(roleId, event.roleSessionName);
  }

  private addSessionName(principal: string, sessionName: string): void {
    const names = this.collected.sessionNames.get(principal) ?? new Set<string>();
    names.add(sessionName);
    this.collected.sessionNames.set(principal, names);
  }
}

/** "AROAEXAMPLE:session" -> "AROAEXAMPLE" */
function uniqueIdOf(principalId: string): string {
  const colon = principalId.indexOf(":");
  return colon < 0 ? principalId : principalId.slice(0, colon);
}
