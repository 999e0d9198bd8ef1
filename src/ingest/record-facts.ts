import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  skipWhitespace,
} from "./json-chars.js";
import { stringEnd, valueEnd } from "./json-extent.js";

/**
 * The top-level fields a reader can decide on before parsing a record: which call it is (to drop the
 * records keytrail does not keep unparsed) and when and where it was logged (coverage counts those too).
 * A field is undefined when the record's top level does not have it.
 */
export type RecordFacts = {
  eventSource: string | undefined;
  eventName: string | undefined;
  eventTime: string | undefined;
  recipientAccountId: string | undefined;
  awsRegion: string | undefined;
  /**
   * False when the text holds more than plain strings can say: a top-level key with an escape (it may spell
   * one of these names), a member that wraps records (`Records`, lookup `Events`, an EventBridge `detail`),
   * or one of these fields escaped or not a string. Only parsing can tell what such a record holds, so it
   * must not be dropped unparsed.
   */
  plain: boolean;
};

/** Where a scanned record ends in its text (just past its `}`), and its facts. */
interface ScannedRecord {
  end: number;
  facts: RecordFacts;
}

type Field = "eventSource" | "eventName" | "eventTime" | "recipientAccountId" | "awsRegion";

function hasBackslash(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === BACKSLASH) return true;
  return false;
}

/**
 * Which field the key at [from, to) names; "opaque" when the key makes the record's facts not plain (it
 * wraps records, or has an escape); undefined for others.
 */
function fieldOf(text: string, from: number, to: number): Field | "opaque" | undefined {
  switch (to - from) {
    case 6:
      if (text.startsWith("Events", from) || text.startsWith("detail", from)) return "opaque";
      break;
    case 7:
      if (text.startsWith("Records", from)) return "opaque";
      break;
    case 9:
      if (text.startsWith("eventName", from)) return "eventName";
      if (text.startsWith("eventTime", from)) return "eventTime";
      if (text.startsWith("awsRegion", from)) return "awsRegion";
      break;
    case 11:
      if (text.startsWith("eventSource", from)) return "eventSource";
      break;
    case 18:
      if (text.startsWith("recipientAccountId", from)) return "recipientAccountId";
      break;
  }
  return hasBackslash(text, from, to) ? "opaque" : undefined;
}

/**
 * Reads the value of a wanted field that starts after its key (at `i`); returns where scanning goes on:
 * past a string value, or at the start of any other value, which the caller then scans as usual.
 */
function readField(text: string, i: number, field: Field, facts: RecordFacts): number {
  let at = skipWhitespace(text, i);
  if (text.charCodeAt(at) !== COLON) {
    facts.plain = false;
    return at;
  }
  at = skipWhitespace(text, at + 1);
  if (text.charCodeAt(at) !== QUOTE) {
    facts.plain = false;
    return at;
  }
  const end = stringEnd(text, at);
  if (end < 0) return text.length;
  if (hasBackslash(text, at + 1, end - 1)) facts.plain = false;
  else facts[field] = text.slice(at + 1, end - 1);
  return end;
}

/**
 * Scans the object whose `{` is at `start`: where it ends, and the facts of its top level (a later
 * duplicate key wins, as in JSON.parse). Null when the text ends first. Nested values are skipped by
 * bracket counting; nothing is validated: a record that is kept is parsed later, which validates it.
 */
function scanRecord(text: string, start: number): ScannedRecord | null {
  const facts: RecordFacts = {
    eventSource: undefined,
    eventName: undefined,
    eventTime: undefined,
    recipientAccountId: undefined,
    awsRegion: undefined,
    plain: true,
  };
  let expectKey = true;
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) return null;
      const field = expectKey ? fieldOf(text, i + 1, end - 1) : undefined;
      expectKey = false;
      if (field === "opaque") facts.plain = false;
      i = field === undefined || field === "opaque" ? end : readField(text, end, field, facts);
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      i = valueEnd(text, i);
      if (i < 0) return null;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      return { end: i + 1, facts };
    } else {
      if (c === COMMA) expectKey = true;
      i++;
    }
  }
  return null;
}

/** The facts of one record's text (a Records element or an NDJSON line), or null when it is no object. */
export function factsOfText(text: string): RecordFacts | null {
  const start = skipWhitespace(text, 0);
  if (text.charCodeAt(start) !== OPEN_BRACE) return null;
  const scanned = scanRecord(text, start);
  return scanned !== null && skipWhitespace(text, scanned.end) === text.length ? scanned.facts : null;
}
