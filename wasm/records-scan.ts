// AssemblyScript, compiled by `npm run build` to dist/ingest/records-scan.wasm (see src/ingest/records-scan.ts).
//
// The record scan of CloudTrail's `{"Records":[…]}` documents over UTF-8 bytes: where each record starts and
// ends, and the top-level facts a reader drops noise by. It is the byte-for-byte twin of `scanRecord` in
// src/ingest/record-facts.ts, which the streaming reader uses (test/ingest/records-scan.test.ts holds the
// two readers equal); only speed differs:
// strings, most of a record's bytes, are skipped sixteen bytes at a time.

const QUOTE: u8 = 34;
const BACKSLASH: u8 = 92;
const COMMA: u8 = 44;
const COLON: u8 = 58;
const OPEN_BRACE: u8 = 123;
const CLOSE_BRACE: u8 = 125;
const OPEN_BRACKET: u8 = 91;
const CLOSE_BRACKET: u8 = 93;

/** i32 slots per record: start, end, plain (1 or 0), then offset and length of each fact (offset -1: absent). */
const SLOTS: i32 = 13;
const PLAIN: usize = 8;
const FACTS: usize = 12;
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
    store<i32>(fact, p + 1);
    store<i32>(fact, end - 1 - (p + 1), 4);
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

/** Where input may be placed: above the module's own static data. */
export function heapBase(): usize {
  return __heap_base;
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
