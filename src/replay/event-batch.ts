import type { AliasRef, AssumeRoleEvent, KmsEvent, NormalizedEvent } from "../events/index.js";
import { ACCOUNT_READ_OPERATIONS, CRYPTO_OPERATIONS, KEY_READ_OPERATIONS } from "../events/index.js";
import type { SourcePosition } from "../issue.js";
import { type UsageColumn, UsageStore, type UsageStoreData } from "../model/index.js";
import { Interner } from "./interner.js";

/**
 * Normalized events on their way from a reader to collection, in batches. A read worker's batches are
 * structured-cloned to the main thread, and a clone of an event object writes every property name and nested
 * object again: the two kinds of event a trail holds by the hundred thousand (usage calls and AssumeRole*)
 * travel as columns of what collection keeps of them, the rare rest whole.
 */

const USAGE_NAMES: ReadonlySet<string> = new Set<string>([
  ...CRYPTO_OPERATIONS,
  ...KEY_READ_OPERATIONS,
  ...ACCOUNT_READ_OPERATIONS,
]);

/** Cryptographic calls and reads: they go to the usage store, in batches, not to the state machine. */
function isUsageEvent(event: NormalizedEvent): event is KmsEvent {
  return event.source === "kms" && USAGE_NAMES.has(event.name);
}

/**
 * Where each row's record was read: `files[fileOf[row]]`, its index there and its line (-1 when the format has
 * none). Only read when a row turns out to be a conflicting copy of an eventID, but it must travel with
 * every row since that is only known once all inputs are collected.
 */
export interface BatchPositions {
  files: string[];
  fileOf: Int32Array;
  recordIndex: Int32Array;
  line: Int32Array;
}

/**
 * A batch's number columns travel as typed arrays: a structured clone copies one of those as a block, and
 * an array of numbers a number at a time (the slowest part of cloning a batch, for the few bytes it is).
 */
const int32 = (values: readonly number[]) => Int32Array.from(values);

type Building<T> = { [K in keyof T]: T[K] extends Int32Array | Float64Array ? number[] : T[K] };

function emptyPositions(): Building<BatchPositions> {
  return { files: [], fileOf: [], recordIndex: [], line: [] };
}

/** Gathers BatchPositions. A batch's records nearly always come from one file: looked up once per change. */
class PositionColumns {
  private positions = emptyPositions();
  private lastFile: { name: string; index: number } | null = null;

  add(position: SourcePosition): void {
    const positions = this.positions;
    if (this.lastFile?.name !== position.file) {
      const known = positions.files.indexOf(position.file);
      const index = known >= 0 ? known : positions.files.push(position.file) - 1;
      this.lastFile = { name: position.file, index };
    }
    positions.fileOf.push(this.lastFile.index);
    positions.recordIndex.push(position.index);
    positions.line.push(position.line ?? -1);
  }

  take(): BatchPositions {
    const { files, fileOf, recordIndex, line } = this.positions;
    this.positions = emptyPositions();
    this.lastFile = null;
    return { files, fileOf: int32(fileOf), recordIndex: int32(recordIndex), line: int32(line) };
  }
}

/**
 * Usage calls in columns: their rows as a usage store's data (repeated strings sent once) and their notes
 * as columns too (the rare ones sparse, by row). The main thread interns each distinct string of a batch
 * once instead of every string of every row.
 */
export interface UsageBatch extends BatchPositions {
  rows: UsageStoreData;
  /** The hash of each string of `rows` (UsageStore.stringHashes): collection interns them without hashing. */
  stringHashes: Int32Array;
  /**
   * The caller's kind and unique id (AROA…, AIDA…), as ids in the rows' string table (-1: none): a string per
   * row would be written and read again for every row, and they repeat. Its id and session name are columns.
   */
  kinds: Int32Array;
  principalIds: Int32Array;
  sharedEventIds: Record<number, string>;
  /** The alias the call named for its key, and for ReEncrypt's destination key */
  keyAliases: Record<number, AliasRef>;
  destinationAliases: Record<number, AliasRef>;
}

type UsageNotes = Building<Omit<UsageBatch, "rows" | "stringHashes" | keyof BatchPositions>>;

function emptyNotes(): UsageNotes {
  return { kinds: [], principalIds: [], sharedEventIds: {}, keyAliases: {}, destinationAliases: {} };
}

/**
 * Columns whose values a batch rarely repeats (an eventID is unique, and 86% of encryption contexts are new to
 * their batch): they are appended without a lookup (see UsageStore.append), since a lookup that misses costs
 * an insertion, the dearest step of building a batch. The main thread looks every string of a batch up in its
 * own table anyway (UsageStore.idsFor).
 */
const MOSTLY_NEW: ReadonlySet<UsageColumn> = new Set<UsageColumn>(["eventId", "encryptionContext"]);

/** Gathers usage events into a UsageBatch. */
class UsageBatchBuilder {
  private rows = new UsageStore();
  private notes = emptyNotes();
  private readonly positions = new PositionColumns();

  get size(): number {
    return this.rows.size;
  }

  add(event: KmsEvent): void {
    const key = "key" in event ? event.key : null;
    const destination = "destinationKey" in event ? event.destinationKey : null;
    const context = "encryptionContext" in event ? event.encryptionContext : null;
    const row = this.rows.append(
      {
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
        keysFromAlias: [],
      },
      MOSTLY_NEW,
    );
    const notes = this.notes;
    notes.kinds.push(this.rows.intern(event.actor.kind));
    notes.principalIds.push(this.rows.intern(event.actor.principalId));
    if (event.sharedEventId) notes.sharedEventIds[row] = event.sharedEventId;
    if (key?.alias) notes.keyAliases[row] = key.alias;
    if (destination?.alias) notes.destinationAliases[row] = destination.alias;
    this.positions.add(event.position);
  }

  /** The batch so far; the builder starts over. */
  take(): UsageBatch {
    const { kinds, principalIds, ...notes } = this.notes;
    const batch = {
      rows: this.rows.toData(),
      stringHashes: this.rows.stringHashes(),
      ...notes,
      kinds: int32(kinds),
      principalIds: int32(principalIds),
      ...this.positions.take(),
    };
    this.rows = new UsageStore();
    this.notes = emptyNotes();
    return batch;
  }
}

/**
 * AssumeRole* calls in columns: what collection keeps of them (the facts duplicates are told by, the caller,
 * the role and the session) and nothing else.
 */
export interface AssumeRoleBatch extends BatchPositions {
  eventIds: string[];
  time: Float64Array;
  /** The strings of the columns below, which hold their codes (-1: null): callers and roles repeat. */
  strings: string[];
  names: Int32Array;
  errorCodes: Int32Array;
  /** The caller: its normalized id, kind, unique id and session name */
  actors: Int32Array;
  kinds: Int32Array;
  principalIds: Int32Array;
  sessionNames: Int32Array;
  roleArns: Int32Array;
  assumedRoleIds: Int32Array;
  roleSessionNames: Int32Array;
  /**
   * How many of the batch's whole events were added before each row: collection takes them in the order
   * they were read, since which of two records claiming one eventID is kept depends on it.
   */
  wholeBefore: Int32Array;
}

type AssumeRoleColumns = Building<Omit<AssumeRoleBatch, "strings" | keyof BatchPositions>>;
type CodeColumn = Exclude<keyof AssumeRoleColumns, "eventIds" | "time" | "wholeBefore">;

const CODE_COLUMNS: readonly CodeColumn[] = [
  "names",
  "errorCodes",
  "actors",
  "kinds",
  "principalIds",
  "sessionNames",
  "roleArns",
  "assumedRoleIds",
  "roleSessionNames",
];

function emptyAssumeRoles(): AssumeRoleColumns {
  return {
    eventIds: [],
    time: [],
    names: [],
    errorCodes: [],
    actors: [],
    kinds: [],
    principalIds: [],
    sessionNames: [],
    roleArns: [],
    assumedRoleIds: [],
    roleSessionNames: [],
    wholeBefore: [],
  };
}

/** Gathers AssumeRole* events into an AssumeRoleBatch. */
class AssumeRoleBatchBuilder {
  private columns = emptyAssumeRoles();
  private strings = new Interner();
  private readonly positions = new PositionColumns();

  get size(): number {
    return this.columns.eventIds.length;
  }

  add(event: AssumeRoleEvent, wholeBefore: number): void {
    const columns = this.columns;
    const code = (value: string | null) => this.strings.code(value);
    columns.eventIds.push(event.eventId);
    columns.time.push(event.time);
    columns.names.push(code(event.name));
    columns.errorCodes.push(code(event.error?.code ?? null));
    columns.actors.push(code(event.actor.id));
    columns.kinds.push(code(event.actor.kind));
    columns.principalIds.push(code(event.actor.principalId));
    columns.sessionNames.push(code(event.actor.sessionName));
    columns.roleArns.push(code(event.roleArn));
    columns.assumedRoleIds.push(code(event.assumedRoleId));
    columns.roleSessionNames.push(code(event.roleSessionName));
    columns.wholeBefore.push(wholeBefore);
    this.positions.add(event.position);
  }

  /** The batch so far; the builder starts over. */
  take(): AssumeRoleBatch {
    const columns = this.columns;
    const strings = this.strings.table();
    this.columns = emptyAssumeRoles();
    this.strings = new Interner();
    const codes = Object.fromEntries(
      CODE_COLUMNS.map((column) => [column, int32(columns[column])]),
    ) as Record<CodeColumn, Int32Array>;
    return {
      eventIds: columns.eventIds,
      time: Float64Array.from(columns.time),
      strings,
      ...codes,
      wholeBefore: int32(columns.wholeBefore),
      ...this.positions.take(),
    };
  }
}

/** Events that travel whole: KMS management calls and CloudTrail's own configuration calls. */
export type WholeEvent = Exclude<NormalizedEvent, AssumeRoleEvent>;

/** One batch as a reader passes it on: usage calls and AssumeRole* in columns, the other events whole. */
export interface TakenEvents {
  events: WholeEvent[];
  usage: UsageBatch;
  assumeRoles: AssumeRoleBatch;
}

/** Events a reader gathers before passing them on as one batch. */
export const EVENT_BATCH = 2000;

/** Normalized events on their way to collection (see TakenEvents). */
export class EventBatch {
  private events: WholeEvent[] = [];
  private readonly usage = new UsageBatchBuilder();
  private readonly assumeRoles = new AssumeRoleBatchBuilder();

  get size(): number {
    return this.events.length + this.usage.size + this.assumeRoles.size;
  }

  /** Adds an event; true once the batch is full and should be taken and passed on. */
  add(event: NormalizedEvent): boolean {
    if (isUsageEvent(event)) this.usage.add(event);
    else if (event.source === "sts") this.assumeRoles.add(event, this.events.length);
    else this.events.push(event);
    return this.size >= EVENT_BATCH;
  }

  /** The events so far; the batch starts over. */
  take(): TakenEvents {
    const events = this.events;
    this.events = [];
    return { events, usage: this.usage.take(), assumeRoles: this.assumeRoles.take() };
  }
}
