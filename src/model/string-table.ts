/**
 * A table of distinct strings, each known by its position (its id).
 *
 * A replay's usage store interns a million strings or more (every eventID, most encryption contexts), arriving
 * from the read workers in batches of a few thousand. A `Map` of a million entries costs its insertions (~0.6 µs
 * each, the main thread's dearest step while the workers read) and is a large object for every major
 * collection: a large table looks strings up in typed arrays instead, an open-addressing table of ids probed by
 * each string's 32-bit hash, and a reader computes the hashes of its batch's strings (`hashes()`), which travel
 * with them. A small table (a batch being built) keeps a `Map`: V8 hashes a string natively, faster than any
 * hash written in JavaScript, and most of a batch's lookups find a string the batch already holds.
 *
 * The hash is not keyed, and encryption contexts are the caller's to choose: a trail can hold many strings of
 * one hash, on purpose or not. A lookup that probes more than MAX_PROBES slots turns the table back into a
 * `Map` (V8's string hash is seeded per process) for good, so such a trail costs what it did before the slots.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Strings hashed together at most, and their characters: a loaded case's million go a chunk at a time. */
const HASH_CHUNK = 4096;
const HASH_CHUNK_CHARS = 1 << 20;

/**
 * FNV-1a, 32-bit, over the low byte of each UTF-16 code unit (the string's latin1 encoding, which is how
 * `hashAll` reads many strings at once): the hash every table and every reader computes alike.
 */
export function stringHash(value: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i) & 0xff;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash | 0;
}

/**
 * stringHash of each of `values` into `into` from `at` on. The strings are encoded together once and their
 * bytes read from a buffer: strings that JSON.parse cut out of a record's text are slices of it, and reading
 * their characters one at a time costs several times reading a flat string's.
 */
function hashAll(values: readonly string[], into: Int32Array, at: number): void {
  const bytes = Buffer.from(values.join(""), "latin1");
  let byte = 0;
  for (let i = 0; i < values.length; i++) {
    const end = byte + (values[i]?.length ?? 0);
    let hash = FNV_OFFSET;
    for (; byte < end; byte++) {
      hash ^= bytes[byte] ?? 0;
      hash = Math.imul(hash, FNV_PRIME);
    }
    into[at + i] = hash | 0;
  }
}

/** `hashAll` for ids [from, end) of `values`, in chunks of at most HASH_CHUNK strings and HASH_CHUNK_CHARS. */
function hashRange(values: readonly string[], from: number, end: number, into: Int32Array): void {
  let start = from;
  let chars = 0;
  for (let id = from; id <= end; id++) {
    const length = id < end ? (values[id]?.length ?? 0) : 0;
    if (id === end || id - start === HASH_CHUNK || chars + length > HASH_CHUNK_CHARS) {
      if (id > start) hashAll(values.slice(start, id), into, start);
      start = id;
      chars = 0;
    }
    chars += length;
  }
}

const EMPTY = -1;
/** From this many strings on, lookups go through hashed slots rather than a Map. */
const SLOTS_FROM = 1 << 14;
/** Natural data probes 1.5 slots on average and a few dozen at most (1M eventIDs, contexts, ARNs). */
const MAX_PROBES = 256;
const TOO_MANY_PROBES = -1;
/** Slots kept at least twice the strings: probe runs stay short. */
const LOAD_FACTOR = 0.5;

export class StringTable {
  readonly values: string[];
  /** Each id's hash, computed up to `hashed` (the rest when asked for: `hashes()`, building slots). */
  private hashList: Int32Array;
  private hashed: number;
  /** A small table's lookup; null before the first lookup and once the table has slots. */
  private ids: Map<string, number> | null = null;
  /** Set when a probe ran past MAX_PROBES: lookups stay in `ids` whatever the size. */
  private flooded = false;
  /** A large table's lookup: ids by hash, open addressing (EMPTY where none); null while small. */
  private slots: Int32Array | null = null;
  private mask = 0;

  /** `hashes`, when given, are `values`' hashes by id (as the reader that built them computed them). */
  constructor(values: string[] = [], hashes?: Int32Array) {
    const hashed = hashes !== undefined && hashes.length >= values.length;
    this.values = values;
    this.hashList = hashed ? hashes : new Int32Array(values.length);
    this.hashed = hashed ? values.length : 0;
  }

  get size(): number {
    return this.values.length;
  }

  value(id: number): string | null {
    return id < 0 ? null : (this.values[id] ?? null);
  }

  /** Every string's hash, by id (a view, valid until the next string is added). */
  hashes(): Int32Array {
    this.hashUpTo(this.values.length);
    return this.hashList.subarray(0, this.values.length);
  }

  /** The id of `value`, or -1. A table never looked up in is scanned rather than indexed (a loaded case). */
  idOf(value: string): number {
    if (this.slots !== null) {
      const slot = this.slotOf(value, stringHash(value));
      if (slot !== TOO_MANY_PROBES) return this.slots[slot] ?? EMPTY;
      this.floodedBack();
    }
    if (this.ids !== null) return this.ids.get(value) ?? EMPTY;
    return this.values.indexOf(value);
  }

  /** The id of `value`, added when new. `hash`: its stringHash, when the caller has it. */
  intern(value: string, hash?: number): number {
    if (this.slots === null && (this.flooded || this.values.length < SLOTS_FROM || !this.rebuildSlots())) {
      return this.internSmall(value);
    }
    const valueHash = hash ?? stringHash(value);
    const slots = this.slots as Int32Array;
    const slot = this.slotOf(value, valueHash);
    if (slot === TOO_MANY_PROBES) {
      this.floodedBack();
      return this.internSmall(value);
    }
    const known = slots[slot] ?? EMPTY;
    if (known !== EMPTY) return known;
    const id = this.add(value);
    this.hashUpTo(id);
    this.roomForHashes(id + 1);
    this.hashList[id] = valueHash;
    this.hashed = id + 1;
    slots[slot] = id;
    if (this.values.length > slots.length * LOAD_FACTOR) this.rebuildSlots();
    return id;
  }

  /**
   * Adds `value` without looking it up: for strings nearly always new (a batch's eventIDs), where a lookup
   * would miss and cost an insertion. The table may then hold a string twice, and lookups need not find such
   * an entry: only for a table read through another's `intern` (a reader's batch).
   */
  add(value: string): number {
    return this.values.push(value) - 1;
  }

  /** Lookups go back to a Map, for good (see MAX_PROBES); of two ids holding one string, the first is kept. */
  private floodedBack(): void {
    this.flooded = true;
    this.slots = null;
    const ids = new Map<string, number>();
    this.values.forEach((known, id) => {
      if (!ids.has(known)) ids.set(known, id);
    });
    this.ids = ids;
  }

  private internSmall(value: string): number {
    this.ids ??= new Map(this.values.map((known, id) => [known, id]));
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.add(value);
      this.ids.set(value, id);
    }
    return id;
  }

  /** The slot holding `value`'s id, or the empty slot where it would go; TOO_MANY_PROBES past MAX_PROBES. */
  private slotOf(value: string, hash: number): number {
    const slots = this.slots as Int32Array;
    const hashes = this.hashList;
    const values = this.values;
    let slot = hash & this.mask;
    for (let probes = 0; probes < MAX_PROBES; probes++) {
      const id = slots[slot] ?? EMPTY;
      if (id === EMPTY || (hashes[id] === hash && values[id] === value)) return slot;
      slot = (slot + 1) & this.mask;
    }
    return TOO_MANY_PROBES;
  }

  /** Computes the hashes of ids below `end` that are not computed yet. */
  private hashUpTo(end: number): void {
    if (end <= this.hashed) return;
    this.roomForHashes(end);
    hashRange(this.values, this.hashed, end, this.hashList);
    this.hashed = end;
  }

  private roomForHashes(length: number): void {
    if (length <= this.hashList.length) return;
    const grown = new Int32Array(Math.max(2 * this.hashList.length, length, 16));
    grown.set(this.hashList.subarray(0, this.hashed));
    this.hashList = grown;
  }

  /**
   * Enters every id in slots twice their number or more, in id order: of two ids holding one string (added
   * without a lookup), lookups find the first. False, with the table turned back into a Map, when an id would
   * probe past MAX_PROBES.
   */
  private rebuildSlots(): boolean {
    const count = this.values.length;
    let size = 64;
    while (size * LOAD_FACTOR <= count) size *= 2;
    this.hashUpTo(count);
    const slots = new Int32Array(size).fill(EMPTY);
    const mask = size - 1;
    const hashes = this.hashList;
    for (let id = 0; id < count; id++) {
      let slot = (hashes[id] ?? 0) & mask;
      for (let probes = 0; slots[slot] !== EMPTY; probes++) {
        if (probes === MAX_PROBES) {
          this.floodedBack();
          return false;
        }
        slot = (slot + 1) & mask;
      }
      slots[slot] = id;
    }
    this.slots = slots;
    this.mask = mask;
    this.ids = null;
    return true;
  }
}
