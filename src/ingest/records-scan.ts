import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../package-root.js";

/**
 * The WebAssembly record scan (source: wasm/records-scan.ts, built into dist/ingest/ by `npm run build`).
 * It finds the records of a `{"Records":[…]}` document and their top-level facts in the file's bytes, at a
 * fifth of the cost of scanning decoded text in JavaScript, so dropped records are never decoded at all.
 */

/** i32 slots per record in the scan's output: start, end, plain, then offset and length of each fact. */
export const SLOTS_PER_RECORD = 13;
export const START = 0;
export const END = 1;
export const PLAIN = 2;
/** The first fact's offset slot; each fact takes two (offset, or -1 when absent; length). */
export const FIRST_FACT = 3;

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
  heapBase: number;
  scan(input: number, length: number, output: number, capacity: number): number;
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
  const { memory, heapBase, slotsPerRecord, scan } = new WebAssembly.Instance(compiled).exports;
  if (
    !(memory instanceof WebAssembly.Memory) ||
    typeof heapBase !== "function" ||
    typeof scan !== "function" ||
    typeof slotsPerRecord !== "function" ||
    slotsPerRecord() !== SLOTS_PER_RECORD
  ) {
    throw new Error(`keytrail's record scanner ${WASM_PATH} is stale: run \`npm run build\``);
  }
  return { memory, heapBase: align(Number(heapBase()), READ_AHEAD), scan: scan as Scanner["scan"] };
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
 * The records of `bytes` when they are exactly one `{"Records": [ {…}, … ]}` document, as
 * SLOTS_PER_RECORD i32 per record (offsets into `bytes`); null for any other shape, for bytes that end
 * inside a record, and when the scanner cannot get the memory (the caller then reads the text as usual).
 */
export function scanRecordsDocument(bytes: Uint8Array): Int32Array | null {
  current ??= instantiate();
  const scanner = current;
  const input = scanner.heapBase;
  const output = align(input + bytes.length + READ_AHEAD, READ_AHEAD);
  let capacity = Math.max(64, Math.ceil(bytes.length / BYTES_PER_RECORD_GUESS));
  let result: Int32Array | null = null;
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
      result = new Int32Array(scanner.memory.buffer, output, count * SLOTS_PER_RECORD).slice();
    }
    break;
  }
  if (scanner.memory.buffer.byteLength > KEEP_MEMORY_BYTES) current = undefined;
  return result;
}
