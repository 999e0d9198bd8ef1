import { countAtOrBefore } from "./sorted-search.js";
import { StringTable } from "./string-table.js";

/**
 * Raw usage events (cryptographic calls and reads) can be millions, so they are not graph nodes: they live
 * in this columnar store, one array per field, with repeated strings interned in one table (DESIGN §6).
 * Rows are appended during collection and put in (time, eventId) order by `sorted()`.
 */

/** The columns that name a key. */
export type KeyColumn = "key" | "destinationKey";
export const KEY_COLUMNS: readonly KeyColumn[] = ["key", "destinationKey"];

/** The column that names a call's key on one side: ReEncrypt's destination, else the key (`source`). */
export function keyColumnOf(side: "key" | "source" | "destination"): KeyColumn {
  return side === "destination" ? "destinationKey" : "key";
}

export interface UsageRow {
  time: number;
  eventId: string;
  /** Other eventIds of the same action (cross-account copy with the same sharedEventID) */
  alsoEventIds: string[];
  operation: string;
  /** Resolved key ARN, or null when the call named no key or an alias that could not be resolved */
  key: string | null;
  /** The key reference as the caller wrote it, when it was not an ARN (alias name, key id) */
  keyRef: string | null;
  /** ReEncrypt's destination key ARN */
  destinationKey: string | null;
  principal: string;
  sessionName: string | null;
  invokedBy: string | null;
  errorCode: string | null;
  account: string;
  region: string;
  sourceIp: string | null;
  /** JSON of the encryption context, when logged */
  encryptionContext: string | null;
  /**
   * The key columns the record did not give: the call named an alias, and the key is the one the trail's alias
   * history had it pointing to at the call's time (inferred). Empty as a reader builds a row: replay sets them
   * once the alias history is known (setKeyFromAlias).
   */
  keysFromAlias: KeyColumn[];
}

const STRING_COLUMNS = [
  "eventId",
  "operation",
  "key",
  "keyRef",
  "destinationKey",
  "principal",
  "sessionName",
  "invokedBy",
  "errorCode",
  "account",
  "region",
  "sourceIp",
  "encryptionContext",
] as const satisfies readonly (keyof UsageRow)[];
export type UsageColumn = (typeof STRING_COLUMNS)[number];

/**
 * The serialized form: plain arrays in the case file (toJSON), typed arrays in a reader's batch (toData),
 * which cross between threads as one copied block each instead of a number at a time.
 */
export interface UsageStoreData {
  strings: string[];
  time: ArrayLike<number>;
  columns: Record<UsageColumn, ArrayLike<number>>;
  /** row index -> other eventIds */
  also: Record<string, string[]>;
  /** row index -> UsageRow.keysFromAlias, for the rows that have any. Absent in older case files. */
  keysFromAlias?: Record<string, KeyColumn[]>;
}

/** The id of no string (null) in an id column: ids() hands these out, and readers of columns compare with it. */
export const NONE = -1;
const NO_COLUMNS: ReadonlySet<UsageColumn> = new Set();
/** Each column's place in STRING_COLUMNS: a property read, since `field` runs for every row collected. */
const COLUMN_INDEX = Object.fromEntries(STRING_COLUMNS.map((column, index) => [column, index])) as Record<
  UsageColumn,
  number
>;
/** Rows a store built by appending makes room for at first; it doubles when full. */
const FIRST_CAPACITY = 64;

/** An interned-id column: -1 for null. Read-only outside the store. */
export type IdColumn = Readonly<Int32Array>;

const int32Of = (values: ArrayLike<number>) =>
  values instanceof Int32Array ? values : Int32Array.from(values);
const float64Of = (values: ArrayLike<number>) =>
  values instanceof Float64Array ? values : Float64Array.from(values);

function grown<T extends Int32Array | Float64Array>(
  values: T,
  make: (length: number) => T,
  length: number,
): T {
  const next = make(length);
  next.set(values);
  return next;
}

/** A sparse per-row member of UsageStoreData (JSON object keys are strings) as a map by row number. */
function rowMap<T>(entries: Record<string, T> | undefined): Map<number, T> {
  return new Map(Object.entries(entries ?? {}).map(([row, value]) => [Number(row), value]));
}

export class UsageStore {
  /** Its lookup is built on the first intern: a loaded case is only read, and building it costs most of a load. */
  private readonly strings: StringTable;
  /** key string id -> rows naming it as key or destination, each found by one scan on the first question. */
  private readonly keyRows = new Map<number, number[]>();
  /**
   * Typed columns (4 bytes an id, where an array of small integers takes 8): a question about one key reads
   * its rows scattered over every column, and half the bytes is half the cache misses. A store being built
   * holds room for more rows than it has (`size` of them are rows); a loaded or sorted one exactly its rows.
   */
  private time: Float64Array;
  /** The id columns in STRING_COLUMNS order */
  private columnList: Int32Array[];
  private rows: number;
  private readonly also: Map<number, string[]>;
  private readonly keysFromAlias: Map<number, KeyColumn[]>;

  /** `hashes`: the strings' hashes, when the reader that built `data` sent them (see `stringHashes`). */
  constructor(data?: UsageStoreData, hashes?: Int32Array) {
    this.strings = new StringTable(data?.strings, hashes);
    this.time = data ? float64Of(data.time) : new Float64Array(FIRST_CAPACITY);
    this.columnList = STRING_COLUMNS.map((column) =>
      data ? int32Of(data.columns[column]) : new Int32Array(FIRST_CAPACITY),
    );
    this.rows = data ? data.time.length : 0;
    this.also = rowMap(data?.also);
    this.keysFromAlias = rowMap(data?.keysFromAlias);
  }

  get size(): number {
    return this.rows;
  }

  /** Room for one more row, doubling the columns when they are full; the new row's index. */
  private nextRow(): number {
    this.keyRows.clear();
    const index = this.rows;
    if (index === this.time.length) {
      const capacity = Math.max(FIRST_CAPACITY, index * 2);
      this.time = grown(this.time, (length) => new Float64Array(length), capacity);
      this.columnList = this.columnList.map((column) =>
        grown(column, (length) => new Int32Array(length), capacity),
      );
    }
    this.rows = index + 1;
    return index;
  }

  private column(column: UsageColumn): Int32Array {
    return this.columnList[COLUMN_INDEX[column]] as Int32Array;
  }

  /**
   * Appends a row. The values of the `unlookedUp` columns go into the string table without a lookup, which
   * saves an insertion into the table for values nearly always new (a batch's eventIDs): the table may then
   * hold a string twice, so this is only for a store that is read through another's `idsFor` (a reader's batch).
   */
  append(row: UsageRow, unlookedUp: ReadonlySet<UsageColumn> = NO_COLUMNS): number {
    const index = this.nextRow();
    this.time[index] = row.time;
    for (let column = 0; column < STRING_COLUMNS.length; column++) {
      const name = STRING_COLUMNS[column] as UsageColumn;
      const value = row[name];
      const id = value !== null && unlookedUp.has(name) ? this.strings.add(value) : this.intern(value);
      (this.columnList[column] as Int32Array)[index] = id;
    }
    if (row.alsoEventIds.length > 0) this.also.set(index, [...row.alsoEventIds]);
    if (row.keysFromAlias.length > 0) this.keysFromAlias.set(index, [...row.keysFromAlias]);
    return index;
  }

  /**
   * This store's ids for every string of `source` (interning the new ones), indexed by `source`'s ids: rows
   * copied with `appendFrom` then cost no hashing of their strings.
   */
  idsFor(source: UsageStore): Int32Array {
    const values = source.strings.values;
    const hashes = source.strings.hashes();
    const ids = new Int32Array(values.length);
    for (let id = 0; id < values.length; id++) {
      ids[id] = this.strings.intern(values[id] ?? "", hashes[id] ?? 0);
    }
    return ids;
  }

  /** The string table's hashes by id: a reader sends them with its batch, so collection hashes nothing. */
  stringHashes(): Int32Array {
    return this.strings.hashes().slice();
  }

  /** Appends row `row` of `source` (a batch a read worker built, say), given `idsFor(source)`. */
  appendFrom(source: UsageStore, row: number, ids: Int32Array): number {
    const index = this.nextRow();
    this.time[index] = source.timeAt(row);
    for (let column = 0; column < STRING_COLUMNS.length; column++) {
      const id = source.columnList[column]?.[row] ?? NONE;
      (this.columnList[column] as Int32Array)[index] = id === NONE ? NONE : (ids[id] ?? NONE);
    }
    const also = source.also.get(row);
    if (also) this.also.set(index, [...also]);
    const fromAlias = source.keysFromAlias.get(row);
    if (fromAlias) this.keysFromAlias.set(index, [...fromAlias]);
    return index;
  }

  /** Records another eventId for the same action (the other account's copy). */
  addAlsoEventId(index: number, eventId: string): void {
    const list = this.also.get(index) ?? [];
    if (!list.includes(eventId)) list.push(eventId);
    this.also.set(index, list.sort());
  }

  /** The first row at or after `t` (rows are in time order): a binary search, never a scan. */
  firstRowAt(t: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.time[mid] ?? 0) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The rows of the half-open window [from, to) as an index range [start, end). */
  rowRange(from?: number, to?: number): { start: number; end: number } {
    return {
      start: from === undefined ? 0 : this.firstRowAt(from),
      end: to === undefined ? this.size : this.firstRowAt(to),
    };
  }

  timeAt(index: number): number {
    return index < this.rows ? (this.time[index] ?? Number.NaN) : Number.NaN;
  }

  field(index: number, column: UsageColumn): string | null {
    const id = index < this.rows ? (this.column(column)[index] ?? NONE) : NONE;
    return id === NONE ? null : this.strings.value(id);
  }

  setField(index: number, column: UsageColumn, value: string | null): void {
    if (index >= this.rows) throw new RangeError(`usage row ${index} of ${this.rows}`);
    this.keyRows.clear();
    this.column(column)[index] = this.intern(value);
  }

  /** Sets a key the record did not give, resolved from the alias the call named (see `keysFromAlias`). */
  setKeyFromAlias(index: number, column: KeyColumn, arn: string): void {
    this.setField(index, column, arn);
    const columns = this.keysFromAlias.get(index) ?? [];
    if (!columns.includes(column)) this.keysFromAlias.set(index, [...columns, column]);
  }

  /** Whether any row's key came from the alias history: questions skip looking when none did. */
  hasKeysFromAlias(): boolean {
    return this.keysFromAlias.size > 0;
  }

  /** Whether the row's `column` came from the alias history rather than the record (setKeyFromAlias). */
  keyFromAlias(index: number, column: KeyColumn): boolean {
    return this.keysFromAlias.get(index)?.includes(column) ?? false;
  }

  /**
   * The interned ids of one column, row by row (-1 = null), with `stringOf` to read them: a question over many
   * rows can compare and group ids and turn into strings only what it reports.
   */
  ids(column: UsageColumn): IdColumn {
    return this.rowsOf(this.column(column));
  }

  /** The time column, row by row (epoch ms, in row order), for a pass over many rows. */
  times(): Readonly<Float64Array> {
    return this.rowsOf(this.time);
  }

  /** A column's rows: itself when it holds no spare room (a loaded or sorted store, read most). */
  private rowsOf<T extends Int32Array | Float64Array>(values: T): T {
    return values.length === this.rows ? values : (values.subarray(0, this.rows) as T);
  }

  stringOf(id: number): string | null {
    return this.strings.value(id);
  }

  /** The id `value` is interned under, if any row holds it (without building the whole table when absent). */
  idOf(value: string): number | undefined {
    const id = this.strings.idOf(value);
    return id < 0 ? undefined : id;
  }

  alsoEventIds(index: number): string[] {
    return this.also.get(index) ?? [];
  }

  /**
   * The rows whose key or destination key is `arn`, in row (time) order, within [start, end): a question
   * about a few keys reads their rows only. Each key's rows are found by one scan of two id columns (a few
   * ms for a million rows), on the first question about it.
   */
  rowsOfKey(arn: string, start = 0, end = this.size): number[] {
    const id = this.idOf(arn);
    if (id === undefined) return [];
    const rows = this.keyRowsOf(id);
    // Row numbers are integers: the first row >= n is the count of rows <= n - 1.
    return rows.slice(countAtOrBefore(rows, start - 1), countAtOrBefore(rows, end - 1));
  }

  row(index: number): UsageRow {
    const value = (column: UsageColumn) => this.field(index, column);
    return {
      time: this.timeAt(index),
      eventId: value("eventId") ?? "",
      alsoEventIds: this.alsoEventIds(index),
      operation: value("operation") ?? "",
      key: value("key"),
      keyRef: value("keyRef"),
      destinationKey: value("destinationKey"),
      principal: value("principal") ?? "",
      sessionName: value("sessionName"),
      invokedBy: value("invokedBy"),
      errorCode: value("errorCode"),
      account: value("account") ?? "",
      region: value("region") ?? "",
      sourceIp: value("sourceIp"),
      encryptionContext: value("encryptionContext"),
      keysFromAlias: [...(this.keysFromAlias.get(index) ?? [])],
    };
  }

  /**
   * A new store with the rows in (time, eventId) order and the string table rebuilt in row order, so the same
   * input gives the same store whatever order its records arrived in.
   */
  sorted(): UsageStore {
    const order = Array.from({ length: this.size }, (_, i) => i);
    // The eventIds read once into a plain array: the comparator runs tens of times per row, and CloudTrail's
    // whole-second times tie often enough that most calls compare eventIds.
    const times = this.time;
    const eventIdColumn = this.column("eventId");
    const eventIds = order.map((row) => this.strings.value(eventIdColumn[row] ?? NONE) ?? "");
    order.sort((a, b) => {
      const dt = (times[a] ?? 0) - (times[b] ?? 0);
      if (dt !== 0) return dt;
      const ea = eventIds[a] ?? "";
      const eb = eventIds[b] ?? "";
      return ea < eb ? -1 : ea > eb ? 1 : 0;
    });
    // The string table in order of first use by the sorted rows, as appending them would build it, but by
    // id: no row object and no hashing per row. Columns are walked in a flat loop (rows times columns runs to
    // millions), into columns made at their full length.
    const newIds = new Int32Array(this.strings.size).fill(NONE);
    const strings: string[] = [];
    const oldHashes = this.strings.hashes();
    const hashes = new Int32Array(this.strings.size);
    const from = this.columnList;
    const rows = order.length;
    const to = STRING_COLUMNS.map(() => new Int32Array(rows).fill(NONE));
    const time = new Float64Array(rows);
    const also: Record<string, string[]> = {};
    const keysFromAlias: Record<string, KeyColumn[]> = {};
    for (let row = 0; row < rows; row++) {
      const source = order[row] ?? 0;
      time[row] = this.timeAt(source);
      for (let column = 0; column < from.length; column++) {
        const id = from[column]?.[source] ?? NONE;
        if (id === NONE) continue;
        let next = newIds[id] ?? NONE;
        if (next === NONE) {
          next = strings.push(this.strings.value(id) ?? "") - 1;
          hashes[next] = oldHashes[id] ?? 0;
          newIds[id] = next;
        }
        (to[column] ?? [])[row] = next;
      }
      const alsoIds = this.also.get(source);
      if (alsoIds) also[row] = [...alsoIds];
      const fromAlias = this.keysFromAlias.get(source);
      if (fromAlias) keysFromAlias[row] = [...fromAlias];
    }
    return new UsageStore({ strings, time, columns: columnsOf(to), also, keysFromAlias }, hashes);
  }

  /** The case file's form: plain arrays (JSON.stringify would write a typed array as an object). */
  toJSON(): UsageStoreData {
    return this.data((values) => Array.from(this.rowsOf(values)));
  }

  /**
   * The same data with typed columns, no copy: for a reader's batch (cloned between threads as one block a
   * column) and for the case writer (jsonPieces writes typed arrays as JSON arrays, a slice at a time, where
   * toJSON's plain arrays would hold every column twice while the case is written).
   */
  toData(): UsageStoreData {
    return this.data((values) => this.rowsOf(values));
  }

  private data(columnOf: (values: Int32Array | Float64Array) => ArrayLike<number>): UsageStoreData {
    return {
      strings: this.strings.values,
      time: columnOf(this.time),
      columns: columnsOf(this.columnList.map(columnOf)),
      also: Object.fromEntries(this.also),
      keysFromAlias: Object.fromEntries(this.keysFromAlias),
    };
  }

  /** The id of `value` in the string table (added when new), -1 for null. */
  intern(value: string | null): number {
    return value === null ? NONE : this.strings.intern(value);
  }

  private keyRowsOf(id: number): number[] {
    let rows = this.keyRows.get(id);
    if (rows === undefined) {
      rows = [];
      const keys = this.column("key");
      const destinations = this.column("destinationKey");
      for (let row = 0; row < this.rows; row++) {
        if (keys[row] === id || destinations[row] === id) rows.push(row);
      }
      this.keyRows.set(id, rows);
    }
    return rows;
  }
}

/** Columns in STRING_COLUMNS order, by name. */
function columnsOf<T extends ArrayLike<number>>(list: readonly T[]): Record<UsageColumn, T> {
  return Object.fromEntries(STRING_COLUMNS.map((column, index) => [column, list[index]])) as Record<
    UsageColumn,
    T
  >;
}
