import type { Actor, AliasRef, NormalizedEvent } from "../events/index.js";
import { normalizePrincipal, uniqueIdParts } from "../events/index.js";
import { type Issue, IssueCode } from "../issue.js";
import { KEY_COLUMNS, type KeyColumn, UsageStore } from "../model/index.js";
import type { AssumeRoleBatch, BatchPositions, TakenEvents, UsageBatch, WholeEvent } from "./event-batch.js";
import { Interner } from "./interner.js";

/**
 * First half of replay: takes normalized events in any order (files are read in any order, re-delivered,
 * and cross-account actions are logged twice) and keeps each action once. Usage events go straight to the
 * columnar store; management events are kept for the ordered state machine. Nothing here depends on order
 * but the copy of an eventID kept, which the input order decides (see `orderDependent`).
 */

const ALIAS_CALLS: ReadonlySet<string> = new Set(["CreateAlias", "UpdateAlias", "DeleteAlias"]);

export interface AliasObservation {
  alias: AliasRef;
  keyArn: string;
  time: number;
  eventId: string;
}

export interface PendingAliasResolution {
  row: number;
  alias: AliasRef;
  /** The column the alias stands for: the call's key, or ReEncrypt's destination */
  column: KeyColumn;
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
  /** Records whose eventID was already read: identical re-deliveries and conflicting copies alike */
  duplicates: number;
  /** Of the duplicates, those whose content differs from the copy kept (each also raised as an issue) */
  conflictingDuplicates: number;
  sharedCopiesMerged: number;
  counts: { kms: number; trail: number; sts: number };
}

export class Collector {
  private readonly firstCopies = new FirstCopies();
  /** The facts of the record being collected, rewritten for each (no object per record) */
  private readonly facts: CopyFacts = {
    time: 0,
    name: -1,
    error: -1,
    key: -1,
    actor: -1,
    file: -1,
    record: -1,
    line: -1,
  };
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
    conflictingDuplicates: 0,
    sharedCopiesMerged: 0,
    counts: { kms: 0, trail: 0, sts: 0 },
  };
  /**
   * Set when a copy of an eventID arrived after another copy with different content that comes later in the
   * input order: which copy is kept then depended on the order parallel reads happened to deliver them.
   */
  orderDependent = false;
  /** File code -> its place in the input order (see `inputOrder`), looked up once per file */
  private readonly fileOrder = new Map<number, number>();

  /**
   * `onIssue` receives the issues collection raises (conflicting duplicates). `inputOrder` (file path -> its
   * index in the input list) tells, for parallel reads, which copy of an eventID comes first in the input:
   * identical copies then keep that one's position, and a conflicting copy read out of order is noted
   * (`orderDependent`). Without it, records are taken to arrive in input order (one reader).
   */
  constructor(
    private readonly onIssue: (issue: Issue) => void,
    private readonly inputOrder: ReadonlyMap<string, number> | null = null,
  ) {}

  /** A batch of a reader's events (see EventBatch): usage and AssumeRole* in columns, the others whole. */
  addBatch(batch: TakenEvents): void {
    const { events, assumeRoles } = batch;
    let row = 0;
    events.forEach((event, index) => {
      row = this.addAssumeRoles(assumeRoles, row, index);
      this.add(event);
    });
    this.addAssumeRoles(assumeRoles, row, events.length);
    this.addUsageBatch(batch.usage);
  }

  /** An event that is neither a usage call nor AssumeRole* (those come in columns). */
  private add(event: WholeEvent): void {
    const strings = this.firstCopies.strings;
    const facts = this.facts;
    facts.time = event.time;
    facts.name = strings.code(
      event.source === "kms" && event.name === "Other" ? event.eventName : event.name,
    );
    facts.error = strings.code(event.error?.code ?? null);
    facts.key = strings.code("key" in event ? (event.key?.arn ?? null) : null);
    facts.actor = strings.code(event.actor.id);
    facts.file = strings.code(event.position.file);
    facts.record = event.position.index;
    facts.line = event.position.line ?? -1;
    if (this.isDuplicate(event.eventId, this.collected.usage.intern(event.eventId))) return;
    const { actor } = event;
    this.notePrincipal(actor.id, actor.kind, actor.principalId, actor.sessionName);
    this.collected.counts[event.source === "kms" ? "kms" : "trail"]++;
    // The alias calls themselves name the alias and the key, but they are what changes the mapping.
    if (event.source === "kms" && !ALIAS_CALLS.has(event.name)) {
      const key = "key" in event ? event.key : null;
      if (key) this.noteAliasObservation(key.alias, key.arn, event);
    }
    // A DeleteAlias's resources[] names the key the alias pointed to until the delete: an observation at the
    // last instant before it (intervals are half-open, so an inferred run ends exactly at the delete).
    if (event.source === "kms" && event.name === "DeleteAlias" && !event.error) {
      this.noteAliasObservation(event.alias, event.key?.arn ?? null, {
        time: event.time - 1,
        eventId: event.eventId,
      });
    }
    if (event.sharedEventId && this.mergeSharedManagement(event.sharedEventId, event)) return;
    const managementIndex = this.addManagement(event);
    this.firstCopies.keptAs(this.collected.usage.intern(event.eventId), managementIndex);
    if (event.sharedEventId) this.shared.set(event.sharedEventId, { managementIndex });
  }

  /**
   * A batch's AssumeRole* calls from row `from` on that were read before its whole event `wholeIndex`; returns the
   * next row. They only tell sessions and unique ids apart (see noteAssumeRole).
   */
  private addAssumeRoles(batch: AssumeRoleBatch, from: number, wholeIndex: number): number {
    const readBefore = (row: number) =>
      row < batch.eventIds.length && (batch.wholeBefore[row] ?? 0) <= wholeIndex;
    if (!readBefore(from)) return from;
    const strings = this.firstCopies.strings;
    const facts = this.facts;
    const fileCodes = batch.files.map((file) => strings.code(file));
    const text = (column: Int32Array, row: number) => {
      const code = column[row] ?? -1;
      return code < 0 ? null : (batch.strings[code] ?? null);
    };
    let row = from;
    for (; readBefore(row); row++) {
      facts.time = batch.time[row] ?? Number.NaN;
      facts.name = strings.code(text(batch.names, row));
      facts.error = strings.code(text(batch.errorCodes, row));
      facts.key = -1;
      facts.actor = strings.code(text(batch.actors, row));
      notePosition(facts, batch, row, fileCodes);
      const eventId = batch.eventIds[row] ?? "";
      if (this.isDuplicate(eventId, this.collected.usage.intern(eventId))) continue;
      this.notePrincipal(
        text(batch.actors, row) ?? "",
        (text(batch.kinds, row) ?? "unknown") as Actor["kind"],
        text(batch.principalIds, row),
        text(batch.sessionNames, row),
      );
      this.collected.counts.sts++;
      if (facts.error < 0) {
        this.noteAssumeRole(
          text(batch.roleArns, row),
          text(batch.assumedRoleIds, row),
          text(batch.roleSessionNames, row),
        );
      }
    }
    return row;
  }

  /** Usage calls, a batch at a time (see UsageBatch); the notes are read from the batch's columns by row. */
  private addUsageBatch(batch: UsageBatch): void {
    const rows = new UsageStore(batch.rows, batch.stringHashes);
    const ids = this.collected.usage.idsFor(rows);
    const codes = new BatchCodes(this.firstCopies.strings, rows, ids.length, batch.files);
    for (let row = 0; row < rows.size; row++) this.addUsageRow(batch, rows, row, ids, codes);
  }

  private addUsageRow(
    batch: UsageBatch,
    rows: UsageStore,
    row: number,
    ids: Int32Array,
    codes: BatchCodes,
  ): void {
    const eventId = rows.field(row, "eventId") ?? "";
    codes.factsOf(row, batch, this.facts);
    if (this.isDuplicate(eventId, ids[rows.ids("eventId")[row] ?? -1] ?? -1)) return;
    const key = rows.field(row, "key");
    this.notePrincipal(
      rows.field(row, "principal") ?? "",
      (rows.stringOf(batch.kinds[row] ?? -1) ?? "unknown") as Actor["kind"],
      rows.stringOf(batch.principalIds[row] ?? -1),
      rows.field(row, "sessionName"),
    );
    this.collected.counts.kms++;
    const keyAlias = batch.keyAliases[row] ?? null;
    const destinationAlias = batch.destinationAliases[row] ?? null;
    const sharedEventId = batch.sharedEventIds[row];
    this.noteAliasObservation(keyAlias, key, { time: rows.timeAt(row), eventId });
    const account = rows.field(row, "account") ?? "";
    if (
      sharedEventId &&
      this.mergeSharedUsage(sharedEventId, {
        eventId,
        account,
        key,
        destinationKey: rows.field(row, "destinationKey"),
      })
    )
      return;
    const usageRow = this.collected.usage.appendFrom(rows, row, ids);
    if (keyAlias && !key) {
      this.collected.pendingAliases.push({ row: usageRow, alias: keyAlias, column: "key" });
    }
    if (destinationAlias && !rows.field(row, "destinationKey")) {
      this.collected.pendingAliases.push({
        row: usageRow,
        alias: destinationAlias,
        column: "destinationKey",
      });
    }
    if (sharedEventId) this.shared.set(sharedEventId, { usageRow });
  }

  /**
   * Dedup by eventID: the first copy read is kept (see `inputOrder` for parallel reads). A later copy that
   * differs from it (eventName, eventTime, errorCode, key or caller) is still dropped, but raised as a
   * `conflicting-duplicate` issue at its own position, so an investigator sees that two records claim one
   * eventID; the issue names both. The copy being collected, and where it was read, are in `this.facts`.
   */
  private isDuplicate(eventId: string, id: number): boolean {
    const difference = this.firstCopies.check(id, this.facts);
    if (difference === undefined) return false;
    this.collected.duplicates++;
    const readOutOfOrder = this.precedesKept(id);
    if (difference === null) {
      if (readOutOfOrder) this.movePosition(id);
      return true;
    }
    if (readOutOfOrder) this.orderDependent = true;
    this.collected.conflictingDuplicates++;
    const { file, record, line } = this.facts;
    this.onIssue({
      code: IssueCode.conflictingDuplicate,
      reason: difference,
      file: this.firstCopies.strings.value(file) ?? "",
      index: record,
      ...(line < 0 ? {} : { line }),
      eventId,
    });
    return true;
  }

  /** Whether the copy being collected comes before the kept copy of its eventID in the input order. */
  private precedesKept(id: number): boolean {
    if (this.inputOrder === null) return false;
    const kept = this.firstCopies.positionOf(id);
    const copy = this.orderOf(this.facts.file);
    const keptOrder = this.orderOf(kept.file);
    return copy < keptOrder || (copy === keptOrder && this.facts.record < kept.record);
  }

  private orderOf(file: number): number {
    let order = this.fileOrder.get(file);
    if (order === undefined) {
      order = this.inputOrder?.get(this.firstCopies.strings.value(file) ?? "") ?? Number.POSITIVE_INFINITY;
      this.fileOrder.set(file, order);
    }
    return order;
  }

  /**
   * An identical copy earlier in the input than the one kept: the kept event takes its position, so that a
   * management event's file is the same whatever order parallel reads delivered the copies in.
   */
  private movePosition(id: number): void {
    const { file, record, line } = this.facts;
    const managementIndex = this.firstCopies.moveTo(id, file, record);
    const event = this.collected.management[managementIndex];
    if (!event || this.collected.usage.idOf(event.eventId) !== id) return;
    const position = { file: this.firstCopies.strings.value(file) ?? "", index: record };
    event.position = line < 0 ? position : { ...position, line };
  }

  /**
   * The second copy of a cross-account action joins the first. Copies can arrive in any order (parallel
   * reads), so the primary copy is always the one with the smallest eventID, and the others are provenance.
   * A key one copy's record names and the other's does not (a copy without resources[] naming an alias) is
   * taken from the copy that names it: it is logged, and no longer left to the alias history.
   */
  private mergeSharedUsage(
    sharedEventId: string,
    copy: { eventId: string; account: string; key: string | null; destinationKey: string | null },
  ): boolean {
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
    for (const column of KEY_COLUMNS) {
      const named = copy[column];
      if (named !== null && usage.field(slot.usageRow, column) === null)
        usage.setField(slot.usageRow, column, named);
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
      // The event kept is this copy's now: its re-deliveries, not the other's, may move its position.
      const { usage } = this.collected;
      this.firstCopies.keptAs(usage.intern(existing.eventId), -1);
      this.firstCopies.keptAs(usage.intern(event.eventId), slot.managementIndex);
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
      this.collected.principalIds.set(uniqueIdParts(principalId).uniqueId, id);
    }
    if (kind === "role" && sessionName) this.addSessionName(id, sessionName);
  }

  /** A role assumed: its session's unique id (AROA…:session) and the session name belong to the role. */
  private noteAssumeRole(
    roleArn: string | null,
    assumedRoleId: string | null,
    roleSessionName: string | null,
  ): void {
    if (!roleArn) return;
    const roleId = normalizePrincipal(roleArn).id;
    if (assumedRoleId) this.collected.principalIds.set(uniqueIdParts(assumedRoleId).uniqueId, roleId);
    if (roleSessionName) this.addSessionName(roleId, roleSessionName);
  }

  private addSessionName(principal: string, sessionName: string): void {
    const names = this.collected.sessionNames.get(principal) ?? new Set<string>();
    names.add(sessionName);
    this.collected.sessionNames.set(principal, names);
  }
}

/** What is compared between copies of one eventID (strings as Interner codes), and where the copy was read. */
interface CopyFacts {
  time: number;
  name: number;
  error: number;
  key: number;
  /** The caller (normalized principal id) */
  actor: number;
  file: number;
  record: number;
  /** The copy's line (NDJSON), -1 for none; not kept for first copies */
  line: number;
}

/**
 * What the collector keeps of the first copy of each eventID, to tell an identical re-delivery from a
 * conflicting copy: a cheap fingerprint (eventName, eventTime, errorCode, key, caller) and where it was read, as
 * numbers in columns. EventIDs are known by their id in the usage store's string table, which interns a
 * usage call's eventID anyway: a second table of every eventID would hash each one again.
 */
class FirstCopies {
  readonly strings = new Interner();
  /** eventID's string id -> its slot in the columns, -1 while unseen */
  private slots = new Int32Array(1024).fill(-1);
  private readonly time: number[] = [];
  private readonly name: number[] = [];
  private readonly error: number[] = [];
  private readonly key: number[] = [];
  private readonly actor: number[] = [];
  private readonly file: number[] = [];
  private readonly record: number[] = [];
  /** The kept copy's index among the management events, -1 for a usage or AssumeRole* call */
  private readonly management: number[] = [];

  /**
   * undefined: the first copy of the eventID with string id `id` (now remembered); null: the same as the
   * first; else what differs.
   */
  check(id: number, copy: CopyFacts): string | null | undefined {
    if (id >= this.slots.length) this.grow(id);
    const slot = this.slots[id] ?? -1;
    if (slot < 0) {
      this.slots[id] = this.time.length;
      this.time.push(copy.time);
      this.name.push(copy.name);
      this.error.push(copy.error);
      this.key.push(copy.key);
      this.actor.push(copy.actor);
      this.file.push(copy.file);
      this.record.push(copy.record);
      this.management.push(-1);
      return undefined;
    }
    const differences = [
      this.difference("eventName", this.name[slot], copy.name),
      this.difference("errorCode", this.error[slot], copy.error),
      this.difference("key", this.key[slot], copy.key),
      this.difference("caller", this.actor[slot], copy.actor),
      timeDifference(this.time[slot] ?? Number.NaN, copy.time),
    ].filter((text) => text !== null);
    if (differences.length === 0) return null;
    const first = `${this.strings.value(this.file[slot] ?? -1) ?? "?"} record ${this.record[slot] ?? "?"}`;
    return `eventID already read at ${first} with different content: ${differences.join("; ")}; that first copy is kept and this one dropped`;
  }

  /** Where the kept copy of the eventID with string id `id` (already checked) was read. */
  positionOf(id: number): { file: number; record: number } {
    const slot = this.slots[id] ?? -1;
    return { file: this.file[slot] ?? -1, record: this.record[slot] ?? -1 };
  }

  /** Notes that the kept copy is management event `index`. */
  keptAs(id: number, index: number): void {
    const slot = this.slots[id] ?? -1;
    if (slot >= 0) this.management[slot] = index;
  }

  /** Gives the kept copy another position; returns its management event index (-1: none). */
  moveTo(id: number, file: number, record: number): number {
    const slot = this.slots[id] ?? -1;
    this.file[slot] = file;
    this.record[slot] = record;
    return this.management[slot] ?? -1;
  }

  private grow(id: number): void {
    let length = this.slots.length;
    while (length <= id) length *= 2;
    const slots = new Int32Array(length).fill(-1);
    slots.set(this.slots);
    this.slots = slots;
  }

  private difference(field: string, kept: number | undefined, copy: number): string | null {
    if (kept === copy) return null;
    const show = (code: number | undefined) => this.strings.value(code ?? -1) ?? "none";
    return `${field} ${show(kept)} (kept) vs ${show(copy)}`;
  }
}

/** Where a batch's row was read, into `facts`; `fileCodes` are the Interner codes of the batch's files. */
function notePosition(
  facts: CopyFacts,
  positions: BatchPositions,
  row: number,
  fileCodes: readonly number[],
): void {
  facts.file = fileCodes[positions.fileOf[row] ?? -1] ?? -1;
  facts.record = positions.recordIndex[row] ?? -1;
  facts.line = positions.line[row] ?? -1;
}

function timeDifference(kept: number, copy: number): string | null {
  if (kept === copy) return null;
  const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : "?");
  return `eventTime ${iso(kept)} (kept) vs ${iso(copy)}`;
}

/**
 * Interner codes for one usage batch's strings, each looked up once per batch (rows repeat a handful of
 * operations, error codes and keys), so a row costs array reads, not hashing.
 */
class BatchCodes {
  private readonly cache: Int32Array;
  private readonly fileCodes: number[];

  constructor(
    private readonly strings: Interner,
    private readonly rows: UsageStore,
    stringCount: number,
    files: readonly string[],
  ) {
    this.cache = new Int32Array(stringCount).fill(-2);
    this.fileCodes = files.map((file) => strings.code(file));
  }

  factsOf(row: number, batch: UsageBatch, facts: CopyFacts): void {
    facts.time = this.rows.timeAt(row);
    facts.name = this.codeOf(this.rows.ids("operation")[row] ?? -1);
    facts.error = this.codeOf(this.rows.ids("errorCode")[row] ?? -1);
    facts.key = this.codeOf(this.rows.ids("key")[row] ?? -1);
    facts.actor = this.codeOf(this.rows.ids("principal")[row] ?? -1);
    notePosition(facts, batch, row, this.fileCodes);
  }

  private codeOf(id: number): number {
    if (id < 0) return -1;
    let code = this.cache[id] ?? -1;
    if (code === -2) {
      code = this.strings.code(this.rows.stringOf(id));
      this.cache[id] = code;
    }
    return code;
  }
}
