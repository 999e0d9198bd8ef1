// AssemblyScript, compiled by `npm run build` to dist/ingest/records-scan.wasm (see src/ingest/records-scan.ts).
//
// The record scan of CloudTrail's `{"Records":[…]}` documents over UTF-8 bytes: where each record starts and
// ends, and the top-level facts a reader drops noise by. It is the byte-for-byte twin of `scanRecord` in
// src/ingest/record-facts.ts, which the streaming reader uses (test/ingest/records-scan.test.ts holds the
// two readers equal); only speed differs:
// strings, most of a record's bytes, are skipped sixteen bytes at a time.
//
// Facts that repeat from record to record (eventSource, eventName, recipientAccountId, awsRegion: a handful of
// values in a file of hundreds of records) are also given as ids in a dictionary of the texts seen so far, which
// lives in the module's memory from one scan to the next: the reader decodes each distinct text once, where it
// would decode four facts of every record, noise included.

const QUOTE: u8 = 34;
const BACKSLASH: u8 = 92;
const COMMA: u8 = 44;
const COLON: u8 = 58;
const OPEN_BRACE: u8 = 123;
const CLOSE_BRACE: u8 = 125;
const OPEN_BRACKET: u8 = 91;
const CLOSE_BRACKET: u8 = 93;

/**
 * i32 slots per record: start, end, plain (1 or 0), then offset and length of each fact (offset -1: absent),
 * then each fact's dictionary id (-1: none; eventTime never has one).
 */
const SLOTS: i32 = 18;
const PLAIN: usize = 8;
const FACTS: usize = 12;
const FACT_IDS: usize = 52;
/** Fact slots in output order: eventSource, eventName, eventTime, recipientAccountId, awsRegion. */
const EVENT_SOURCE = 0;
const EVENT_NAME = 1;
const EVENT_TIME = 2;
const RECIPIENT_ACCOUNT_ID = 3;
const AWS_REGION = 4;
/** A key that makes the record's facts not plain (it wraps records, or has an escape). */
const OPAQUE = 5;
const OTHER = -1;

let base: usize = 0;
let limit: i32 = 0;

/**
 * The dictionary, at the start of the free memory: DICTIONARY_SLOTS i32 (an entry's id + 1, 0 where empty;
 * open addressing by textHash), then DICTIONARY_ENTRIES entries of three i32 (offset of the text
 * in the text area, its length, its hash), then the text area. Texts longer than DICTIONARY_TEXT_MAX, and any
 * once it is full, get no id.
 */
const DICTIONARY_SLOTS: i32 = 8192;
const DICTIONARY_ENTRIES: i32 = 4096;
const DICTIONARY_TEXT: i32 = 65536;
const DICTIONARY_TEXT_MAX: i32 = 64;
const ENTRY_BYTES: usize = 12;
const dictionarySlots: usize = __heap_base;
const dictionaryEntries: usize = dictionarySlots + <usize>DICTIONARY_SLOTS * 4;
const dictionaryText: usize = dictionaryEntries + <usize>DICTIONARY_ENTRIES * ENTRY_BYTES;
let entries: i32 = 0;
let textUsed: i32 = 0;

function at(i: i32): u8 {
  return load<u8>(base + <usize>i);
}

function isWhitespace(c: u8): bool {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function skipWhitespace(i: i32): i32 {
  let at_ = i;
  while (at_ < limit && isWhitespace(at(at_))) at_++;
  return at_;
}

/** Index just past the closing quote of the string opening at `start`, or -1 when the bytes end first. */
function stringEnd(start: i32): i32 {
  const quotes = i8x16.splat(<i8>QUOTE);
  const backslashes = i8x16.splat(<i8>BACKSLASH);
  let i = start + 1;
  while (i < limit) {
    const block = v128.load(base + <usize>i);
    const hits = i8x16.bitmask(v128.or(i8x16.eq(block, quotes), i8x16.eq(block, backslashes)));
    if (hits === 0) {
      i += 16;
      continue;
    }
    i += ctz(hits);
    if (i >= limit) return -1;
    if (at(i) === QUOTE) return i + 1;
    // A backslash escapes the byte after it, quote or not.
    i += 2;
  }
  return -1;
}

/** Index just past the value opening with the bracket at `start` (strings respected), or -1. */
function valueEnd(start: i32): i32 {
  let depth = 0;
  let i = start;
  while (i < limit) {
    const c = at(i);
    if (c === QUOTE) {
      i = stringEnd(i);
      if (i < 0) return -1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return i + 1;
    i++;
  }
  return -1;
}

/** Whether the `length` bytes at `a` and `b` are equal, eight at a time (the last eight may overlap). */
function sameBytes(a: usize, b: usize, length: i32): bool {
  if (length < 8) {
    for (let k = 0; k < length; k++) if (load<u8>(a + <usize>k) !== load<u8>(b + <usize>k)) return false;
    return true;
  }
  for (let k = 0; k + 8 <= length; k += 8) {
    if (load<u64>(a + <usize>k) !== load<u64>(b + <usize>k)) return false;
  }
  const last = <usize>(length - 8);
  return load<u64>(a + last) === load<u64>(b + last);
}

/** A u64 from its two halves: literals past 2^53 would lose precision as TypeScript, which lints this file. */
function u64Of(high: u32, low: u32): u64 {
  return ((<u64>high) << 32) | <u64>low;
}

/** Multipliers of MurmurHash3's and xxHash's 64-bit mixing */
const GOLDEN: u64 = u64Of(0x9e3779b9, 0x7f4a7c15);
const MIX_1: u64 = u64Of(0xc2b2ae3d, 0x27d4eb4f);
const MIX_2: u64 = u64Of(0x165667b1, 0x9e3779f9);
const FINAL: u64 = u64Of(0xff51afd7, 0xed558ccd);

function mixWord(hash: u64, word: u64): u64 {
  return rotl<u64>(hash ^ (word * MIX_1), 29) * MIX_2;
}

/** A text's hash from its length and all its bytes, eight at a time (the last eight may overlap). */
function textHash(text: usize, length: i32): u32 {
  let hash: u64 = <u64>length * GOLDEN;
  if (length < 8) {
    let word: u64 = 0;
    for (let k = 0; k < length; k++) word = (word << 8) | <u64>load<u8>(text + <usize>k);
    hash = mixWord(hash, word);
  } else {
    for (let k = 0; k + 8 <= length; k += 8) hash = mixWord(hash, load<u64>(text + <usize>k));
    hash = mixWord(hash, load<u64>(text + <usize>(length - 8)));
  }
  hash ^= hash >> 33;
  hash *= FINAL;
  hash ^= hash >> 33;
  return <u32>hash;
}

/** The dictionary id of the `length` input bytes at `from`, added when new; -1 when it has no room for them. */
function dictionaryId(from: i32, length: i32): i32 {
  if (length > DICTIONARY_TEXT_MAX) return -1;
  const text = base + <usize>from;
  const hash = textHash(text, length);
  const mask = DICTIONARY_SLOTS - 1;
  let slot = <i32>hash & mask;
  for (;;) {
    const held = load<i32>(dictionarySlots + <usize>slot * 4);
    if (held === 0) break;
    const entry = dictionaryEntries + <usize>(held - 1) * ENTRY_BYTES;
    if (
      load<u32>(entry, 8) === hash &&
      load<i32>(entry, 4) === length &&
      sameBytes(dictionaryText + <usize>load<i32>(entry), text, length)
    ) {
      return held - 1;
    }
    slot = (slot + 1) & mask;
  }
  if (entries === DICTIONARY_ENTRIES || textUsed + length > DICTIONARY_TEXT) return -1;
  const id = entries++;
  const entry = dictionaryEntries + <usize>id * ENTRY_BYTES;
  memory.copy(dictionaryText + <usize>textUsed, text, length);
  store<i32>(entry, textUsed);
  store<i32>(entry, length, 4);
  store<u32>(entry, hash, 8);
  store<i32>(dictionarySlots + <usize>slot * 4, id + 1);
  textUsed += length;
  return id;
}

function hasBackslash(from: i32, to: i32): bool {
  for (let i = from; i < to; i++) if (at(i) === BACKSLASH) return true;
  return false;
}

function bytesAre(from: i32, word: string): bool {
  for (let k = 0; k < word.length; k++) if (<i32>at(from + k) !== word.charCodeAt(k)) return false;
  return true;
}

/** Which fact slot the key at [from, to) names, OPAQUE, or OTHER. */
function fieldOf(from: i32, to: i32): i32 {
  switch (to - from) {
    case 6:
      if (bytesAre(from, "Events") || bytesAre(from, "detail")) return OPAQUE;
      break;
    case 7:
      if (bytesAre(from, "Records")) return OPAQUE;
      break;
    case 9:
      if (bytesAre(from, "eventName")) return EVENT_NAME;
      if (bytesAre(from, "eventTime")) return EVENT_TIME;
      if (bytesAre(from, "awsRegion")) return AWS_REGION;
      break;
    case 11:
      if (bytesAre(from, "eventSource")) return EVENT_SOURCE;
      break;
    case 18:
      if (bytesAre(from, "recipientAccountId")) return RECIPIENT_ACCOUNT_ID;
      break;
  }
  return hasBackslash(from, to) ? OPAQUE : OTHER;
}

/**
 * Reads the string value of fact `field`, whose key ends at `i`, into the record's slots; returns where
 * scanning goes on: past the string, or at the start of any other value (then the facts are not plain).
 */
function readField(i: i32, field: i32, slot: usize): i32 {
  let p = skipWhitespace(i);
  if (p >= limit || at(p) !== COLON) {
    store<i32>(slot, 0, PLAIN);
    return p;
  }
  p = skipWhitespace(p + 1);
  if (p >= limit || at(p) !== QUOTE) {
    store<i32>(slot, 0, PLAIN);
    return p;
  }
  const end = stringEnd(p);
  if (end < 0) return limit;
  if (hasBackslash(p + 1, end - 1)) {
    store<i32>(slot, 0, PLAIN);
  } else {
    const fact = slot + FACTS + <usize>(field * 8);
    const length = end - 1 - (p + 1);
    store<i32>(fact, p + 1);
    store<i32>(fact, length, 4);
    if (field !== EVENT_TIME) store<i32>(slot + FACT_IDS + <usize>(field * 4), dictionaryId(p + 1, length));
  }
  return end;
}

/** Scans the object whose `{` is at `start` into `slot`; returns where it ends, or -1 when the bytes end first. */
function scanRecord(start: i32, slot: usize): i32 {
  store<i32>(slot, start);
  store<i32>(slot, 1, PLAIN);
  for (let f = 0; f < 5; f++) {
    store<i32>(slot + FACTS + <usize>(f * 8), -1);
    store<i32>(slot + FACTS + <usize>(f * 8), 0, 4);
    store<i32>(slot + FACT_IDS + <usize>(f * 4), -1);
  }
  let expectKey = true;
  let i = start + 1;
  while (i < limit) {
    const c = at(i);
    if (c === QUOTE) {
      const end = stringEnd(i);
      if (end < 0) return -1;
      const field = expectKey ? fieldOf(i + 1, end - 1) : OTHER;
      expectKey = false;
      if (field === OPAQUE) store<i32>(slot, 0, PLAIN);
      i = field === OTHER || field === OPAQUE ? end : readField(end, field, slot);
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      i = valueEnd(i);
      if (i < 0) return -1;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      store<i32>(slot, i + 1, 4);
      return i + 1;
    } else {
      if (c === COMMA) expectKey = true;
      i++;
    }
  }
  return -1;
}

/** Index just past `c` at `i` (after whitespace), or -1 when something else is there. */
function expect(i: i32, c: u8): i32 {
  const p = skipWhitespace(i);
  return p < limit && at(p) === c ? p + 1 : -1;
}

/** Where input may be placed: above the module's own static data and the dictionary. */
export function inputBase(): usize {
  return dictionaryText + <usize>DICTIONARY_TEXT;
}

/** How many texts the dictionary holds; entry `id`'s text is at textOffset(id), textLength(id) bytes. */
export function dictionarySize(): i32 {
  return entries;
}

export function textOffset(id: i32): usize {
  return dictionaryText + <usize>load<i32>(dictionaryEntries + <usize>id * ENTRY_BYTES);
}

export function textLength(id: i32): i32 {
  return load<i32>(dictionaryEntries + <usize>id * ENTRY_BYTES, 4);
}

export function slotsPerRecord(): i32 {
  return SLOTS;
}

/**
 * Scans `{"Records": [ {…}, … ]}` and nothing else in the `length` bytes at `input` (16 readable bytes must
 * follow them). Writes SLOTS i32 per record at `output`, which has room for `capacity` records. Returns the
 * number of records, -1 for any other shape (or bytes that end early), -2 when `output` is too small.
 */
export function scan(input: usize, length: i32, output: usize, capacity: i32): i32 {
  base = input;
  limit = length;
  let i = expect(0, OPEN_BRACE);
  if (i < 0) return -1;
  i = skipWhitespace(i);
  if (i + 9 > limit || !bytesAre(i, '"Records"')) return -1;
  i = expect(i + 9, COLON);
  if (i >= 0) i = expect(i, OPEN_BRACKET);
  if (i < 0) return -1;
  let count = 0;
  i = skipWhitespace(i);
  if (i < limit && at(i) === CLOSE_BRACKET) i++;
  else {
    for (;;) {
      if (i >= limit || at(i) !== OPEN_BRACE) return -1;
      if (count === capacity) return -2;
      const end = scanRecord(i, output + <usize>(count * SLOTS * 4));
      if (end < 0) return -1;
      count++;
      i = skipWhitespace(end);
      if (i < limit && at(i) === CLOSE_BRACKET) {
        i++;
        break;
      }
      if (i >= limit || at(i) !== COMMA) return -1;
      i = skipWhitespace(i + 1);
    }
  }
  i = expect(i, CLOSE_BRACE);
  return i >= 0 && skipWhitespace(i) === limit ? count : -1;
}
