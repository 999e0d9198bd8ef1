import type { CleanEncoding } from "./decode-utf8.js";
import { isJsonWhitespace, OPEN_BRACE } from "./json-chars.js";
import { JsonScanner } from "./json-scanner.js";
import type { RecordEmitter } from "./record-emitter.js";
import type { RecordFacts } from "./record-facts.js";
import {
  END,
  FIRST_FACT,
  FIRST_FACT_ID,
  PLAIN,
  type ScannedRecords,
  SLOTS_PER_RECORD,
  START,
  scanRecordsDocument,
} from "./records-scan.js";
import type { RestartPoint } from "./restart-point.js";
import type { TextOutcome } from "./text-reader.js";

/** A UTF-8 byte order mark: JSON.parse of the decoded text would not skip it, so the scan starts after it. */
const BOM = [0xef, 0xbb, 0xbf] as const;

function bomLength(bytes: Uint8Array): number {
  return bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2] ? BOM.length : 0;
}

const RECORDS_KEY = Buffer.from('"Records"');

/**
 * Whether the bytes open like `{"Records"` (JSON whitespace allowed). Other text, an NDJSON export say, is not
 * copied into the scanner's memory only for the scan to refuse it at its first member.
 */
function opensRecords(bytes: Uint8Array): boolean {
  let at = 0;
  const skipWhitespace = () => {
    while (at < bytes.length && isJsonWhitespace(bytes[at] ?? 0)) at++;
  };
  skipWhitespace();
  if (bytes[at] !== OPEN_BRACE) return false;
  at++;
  skipWhitespace();
  return RECORDS_KEY.every((byte, k) => bytes[at + k] === byte);
}

/**
 * The text of fact `index` of the record at `at`, or undefined when the record's top level lacks it: from the
 * scanner's dictionary when it has the text, else decoded.
 */
function fact(
  bytes: Buffer,
  encoding: CleanEncoding,
  { slots, texts }: ScannedRecords,
  at: number,
  index: number,
): string | undefined {
  const offset = slots[at + FIRST_FACT + 2 * index] ?? -1;
  if (offset < 0) return undefined;
  const known = texts[slots[at + FIRST_FACT_ID + index] ?? -1];
  return known ?? bytes.toString(encoding, offset, offset + (slots[at + FIRST_FACT + 2 * index + 1] ?? 0));
}

function factsAt(bytes: Buffer, encoding: CleanEncoding, scanned: ScannedRecords, at: number): RecordFacts {
  return {
    eventSource: fact(bytes, encoding, scanned, at, 0),
    eventName: fact(bytes, encoding, scanned, at, 1),
    eventTime: fact(bytes, encoding, scanned, at, 2),
    recipientAccountId: fact(bytes, encoding, scanned, at, 3),
    awsRegion: fact(bytes, encoding, scanned, at, 4),
    plain: scanned.slots[at + PLAIN] === 1,
  };
}

/**
 * The fast lane for the shape CloudTrail delivers, one `{"Records":[…]}` document in clean bytes (no NUL,
 * valid UTF-8): the WebAssembly scan finds each record and its top-level facts, records `drop` rules out are
 * never decoded or parsed, and the rest go to the emitter exactly as the streaming scanner would hand them
 * over. Null, before anything reaches the emitter, for any other shape (a NextToken tail, junk, a cut file):
 * the general reader then takes it.
 */
export function readRecordsDocument(
  bytes: Buffer,
  encoding: CleanEncoding,
  emitter: RecordEmitter,
): TextOutcome | null {
  const body = bytes.subarray(bomLength(bytes));
  const scanned = opensRecords(body) ? scanRecordsDocument(body) : null;
  if (scanned === null) return null;
  const { slots } = scanned;
  emitter.open("Records");
  for (let at = 0; at < slots.length; at += SLOTS_PER_RECORD) {
    if (emitter.droppedByFacts(factsAt(body, encoding, scanned, at))) continue;
    const start = slots[at + START] ?? 0;
    const text = body.toString(encoding, start, slots[at + END]);
    const restart = emitter.parseElement(text);
    if (restart === null) continue;
    // A cut inside a string can leave bytes the scan takes for a document, a record that swallowed the ones
    // after it: the streaming scanner reads on from the first of them, as it does when it meets one.
    const from = start + Buffer.byteLength(text.slice(0, restart.at), encoding);
    return readOn(body.toString(encoding, from), restart.kind, emitter);
  }
  return { content: true, loss: undefined };
}

/** Reads the rest of a document with the streaming scanner, from a record inside Records or a new document. */
function readOn(rest: string, from: RestartPoint["kind"], emitter: RecordEmitter): TextOutcome {
  const scanner = new JsonScanner(emitter);
  // Where the streaming scanner is at a record: inside the Records array.
  if (from === "record") scanner.push('{"Records":[');
  scanner.push(rest);
  return { content: true, loss: scanner.end() };
}
