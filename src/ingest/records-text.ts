import { skipWhitespace } from "./json-chars.js";
import type { RecordEmitter } from "./record-emitter.js";
import { type RecordFacts, scanRecord } from "./record-facts.js";

const RECORDS_KEY = '"Records"';

/** One element of the Records array: where its text is, and its top-level facts. */
interface Element {
  start: number;
  end: number;
  facts: RecordFacts;
}

/** Index just past `char` at `i` (after whitespace), or -1 when something else is there. */
function expect(text: string, i: number, char: string): number {
  const at = skipWhitespace(text, i);
  return text[at] === char ? at + 1 : -1;
}

/** The elements of `{"Records": [ {…}, … ]}` and nothing else, or null for any other shape. */
function recordsElements(text: string): Element[] | null {
  let i = expect(text, 0, "{");
  if (i < 0) return null;
  i = skipWhitespace(text, i);
  if (!text.startsWith(RECORDS_KEY, i)) return null;
  i = expect(text, i + RECORDS_KEY.length, ":");
  if (i >= 0) i = expect(text, i, "[");
  if (i < 0) return null;
  const elements: Element[] = [];
  i = skipWhitespace(text, i);
  if (text[i] === "]") i++;
  else {
    for (;;) {
      if (text[i] !== "{") return null;
      const scanned = scanRecord(text, i);
      if (scanned === null) return null;
      elements.push({ start: i, end: scanned.end, facts: scanned.facts });
      i = skipWhitespace(text, scanned.end);
      if (text[i] === "]") {
        i++;
        break;
      }
      if (text[i] !== ",") return null;
      i = skipWhitespace(text, i + 1);
    }
  }
  i = expect(text, i, "}");
  return i >= 0 && skipWhitespace(text, i) === text.length ? elements : null;
}

/**
 * The fast lane for the shape CloudTrail delivers, one `{"Records":[…]}` document: one pass finds each
 * record and its top-level facts, records `drop` rules out are never sliced or parsed, and the rest go to
 * the emitter exactly as the streaming scanner would hand them over. False, before anything reaches the
 * emitter, for any other shape (a NextToken tail, junk, a cut file): the general reader then takes it.
 */
export function readRecordsText(text: string, emitter: RecordEmitter): boolean {
  const elements = recordsElements(text);
  if (elements === null) return false;
  emitter.open("Records");
  for (const element of elements) {
    if (!emitter.droppedByFacts(element.facts)) emitter.parseElement(text.slice(element.start, element.end));
  }
  return true;
}
