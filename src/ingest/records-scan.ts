import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../package-root.js";

/**
 * The WebAssembly record scan (source: wasm/records-scan.ts, built into dist/ingest/ by `npm run build`).
 * It finds the records of a `{"Records":[…]}` document and their top-level facts in the file's bytes, at a
 * fifth of the cost of scanning decoded text in JavaScript, so dropped records are never decoded at all.
 */

/**
 * i32 slots per record in the scan's output: start, end, plain, then offset and length of each fact, then
 * each fact's id in the scanner's dictionary of repeated texts.
 */
export const SLOTS_PER_RECORD = 18;
export const START = 0;
export const END = 1;
export const PLAIN = 2;
/** The first fact's offset slot; each fact takes two (offset, or -1 when absent; length). */
export const FIRST_FACT = 3;
/** The first fact's dictionary id slot, one per fact: the text is `ScannedRecords.texts[id]`; -1 for none. */
export const FIRST_FACT_ID = 13;

/** A document's records, as the scan found them. */
export interface ScannedRecords {
  /** SLOTS_PER_RECORD i32 per record, offsets into the bytes scanned */
  slots: Int32Array;
  /** The dictionary's texts by id (it only grows: the texts of earlier scans are there too) */
  texts: readonly string[];
}

const WASM_FILE = "records-scan.wasm";
/** Built by `npm run build` (wasm/records-scan.ts), read from there by tests, tsc's output and the bundle. */
const WASM_PATH = join(PACKAGE_ROOT, "dist", "ingest", WASM_FILE);
const PAGE_BYTES = 65536;
/** The scan reads 16 bytes at a time: this many zero bytes follow the input. */
const READ_AHEAD = 16;
/** A scan that needed more memory than this drops its instance afterwards, so one huge file is not kept. */
const KEEP_MEMORY_BYTES = 256 * 1024 * 1024;
/** First guess at records per input byte (CloudTrail records run 1-3 KB); a short guess costs one rescan. */
const BYTES_PER_RECORD_GUESS = 512;

interface Scanner {
  memory: WebAssembly.Memory;
  inputBase: number;
  scan(input: number, length: number, output: number, capacity: number): number;
  dictionarySize(): number;
  textOffset(id: number): number;
  textLength(id: number): number;
  /** The dictionary's texts decoded so far */
  texts: string[];
}

let compiled: WebAssembly.Module | undefined;
let current: Scanner | undefined;

function compile(): WebAssembly.Module {
  let bytes: Buffer;
  try {
    bytes = readFileSync(WASM_PATH);
  } catch (error) {
    throw new Error(`keytrail's record scanner ${WASM_PATH} is missing: run \`npm run build\``, {
      cause: error,
    });
  }
  return new WebAssembly.Module(bytes);
}

/** The module's exports as the scan uses them; an error when the build is not the one this code expects. */
function instantiate(): Scanner {
  compiled ??= compile();
  const exports = new WebAssembly.Instance(compiled).exports;
  const { memory, inputBase, slotsPerRecord, scan, dictionarySize, textOffset, textLength } = exports;
  const functions = [inputBase, slotsPerRecord, scan, dictionarySize, textOffset, textLength];
  if (
    !(memory instanceof WebAssembly.Memory) ||
    functions.some((exported) => typeof exported !== "function") ||
    (slotsPerRecord as () => number)() !== SLOTS_PER_RECORD
  ) {
    throw new Error(`keytrail's record scanner ${WASM_PATH} is stale: run \`npm run build\``);
  }
  return {
    memory,
    inputBase: align(Number((inputBase as () => number)()), READ_AHEAD),
    scan: scan as Scanner["scan"],
    dictionarySize: dictionarySize as Scanner["dictionarySize"],
    textOffset: textOffset as Scanner["textOffset"],
    textLength: textLength as Scanner["textLength"],
    texts: [],
  };
}

/**
 * Decodes the texts the last scan added to the dictionary. They are the bytes of plain facts of clean input,
 * valid UTF-8 (ASCII when the input decodes as latin1: the same text either way).
 */
function learnTexts(scanner: Scanner): void {
  const size = scanner.dictionarySize();
  for (let id = scanner.texts.length; id < size; id++) {
    const offset = scanner.textOffset(id);
    scanner.texts.push(Buffer.from(scanner.memory.buffer, offset, scanner.textLength(id)).toString("utf8"));
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** Grows the scanner's memory to `bytes`; false when it cannot grow that far. */
function reserve(scanner: Scanner, bytes: number): boolean {
  const have = scanner.memory.buffer.byteLength;
  if (have >= bytes) return true;
  try {
    scanner.memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
    return true;
  } catch {
    return false;
  }
}

/**
 * The records of `bytes` when they are exactly one `{"Records": [ {…}, … ]}` document (see ScannedRecords);
 * null for any other shape, for bytes that end inside a record, and when the scanner cannot get the memory
 * (the caller then reads the text as usual).
 */
export function scanRecordsDocument(bytes: Uint8Array): ScannedRecords | null {
  current ??= instantiate();
  const scanner = current;
  const input = scanner.inputBase;
  const output = align(input + bytes.length + READ_AHEAD, READ_AHEAD);
  let capacity = Math.max(64, Math.ceil(bytes.length / BYTES_PER_RECORD_GUESS));
  let result: ScannedRecords | null = null;
  // The input is copied once: growing the memory for more output keeps it in place.
  let copied = false;
  while (reserve(scanner, output + capacity * SLOTS_PER_RECORD * 4)) {
    if (!copied) {
      const memory = new Uint8Array(scanner.memory.buffer);
      memory.set(bytes, input);
      memory.fill(0, input + bytes.length, input + bytes.length + READ_AHEAD);
      copied = true;
    }
    const count = scanner.scan(input, bytes.length, output, capacity);
    if (count === -2) {
      capacity *= 2;
      continue;
    }
    if (count >= 0) {
      learnTexts(scanner);
      const slots = new Int32Array(scanner.memory.buffer, output, count * SLOTS_PER_RECORD).slice();
      result = { slots, texts: scanner.texts };
    }
    break;
  }
  if (scanner.memory.buffer.byteLength > KEEP_MEMORY_BYTES) current = undefined;
  return result;
}
