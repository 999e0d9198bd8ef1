import { readFile, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { z } from "zod";
import { CaseFileError } from "../errors.js";
import type { CaseData } from "./case-data.js";
import { UsageStore } from "./usage-store.js";

/**
 * The case file (DESIGN §6): gzip of one JSON document, `{format, version, createdAt, inputs, data}`, where
 * `data` holds the replayed records exactly as `CaseData` types them and usage as the columnar store.
 * Documented in docs/case-file.md. The version changes whenever a reader of the previous one would misread it.
 */
export const CASE_FORMAT = "keytrail-case";
export const CASE_VERSION = 1;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Array elements per JSON.stringify call: the usage columns (a million entries and more) go a slice at a time. */
const JSON_SLICE = 65_536;
/**
 * Characters of JSON per gzip member. The members are compressed on libuv's pool while the next ones are
 * being serialized, and in parallel with each other; a member boundary costs only the restarted 32 KB window.
 */
const MEMBER_CHARS = 4 * 1024 * 1024;
/**
 * zlib's output buffer per member: large enough for a compressed member (case JSON shrinks more than 3 times).
 * With the default 16 KB, every 16 KB of output waits for the main thread to hand zlib the next buffer, and
 * the main thread is busy serializing the next members: compression only got going once serializing ended.
 */
const MEMBER_OUT_BYTES = MEMBER_CHARS / 2;
/**
 * Writing the case is most of a replay's serial tail, and the last members' compression is what it waits for.
 * On the 1M-record bench case (53 MB of JSON), level 2 costs half the CPU of level 5 (0.55 against 1.09 s)
 * for a file 8% larger (16.6 against 15.3 MB); level 1 costs no less, levels 3 and 4 save less than 2.
 */
const GZIP_LEVEL = 2;
/** Output per zlib round trip when reading: the 16 KB default costs thousands of thread hops on a 50 MB text. */
const GUNZIP_CHUNK = 1024 * 1024;

const caseHeaderSchema = z.object({
  format: z.literal(CASE_FORMAT),
  version: z.number().int(),
  createdAt: z.string(),
  keytrailVersion: z.string(),
  inputs: z.array(z.string()),
});

const column = z.custom<unknown[]>(Array.isArray, { message: "expected an array" });

/*
 * The records were written by keytrail; the reader checks each one's shape as the queries rely on it (ids,
 * times, the lists they walk), not every field: a file damaged by hand or by a bad copy is refused here, in
 * one message naming the field, instead of failing deep inside a query. Elements are loose (fields a newer
 * keytrail adds pass) and the usage columns, a million entries and more, are checked as arrays, not entry by
 * entry, so a reload stays fast.
 */
const eventIds = z.array(z.string());
const span = { from: z.number(), to: z.number().nullable(), openedBy: eventIds, closedBy: eventIds };
const interval = z.object(span).loose();
const intervals = z.array(interval);

const keySchema = z
  .object({
    arn: z.string(),
    keyId: z.string(),
    account: z.string(),
    region: z.string(),
    firstSeen: z.number(),
    createdAt: z.number().nullable(),
    states: intervals,
    deletionDates: intervals,
    rotation: intervals,
    rotations: z.array(z.object({ time: z.number(), eventId: z.string() }).loose()),
    material: intervals,
    descriptions: intervals,
    tags: intervals,
    multiRegionRoles: intervals,
    policies: z.array(z.object({ ...span, version: z.number() }).loose()),
    // Absent in case files written before custom key stores were followed.
    customKeyStoreId: z.string().optional(),
    ownStates: intervals.optional(),
  })
  .loose();

const customKeyStoreSchema = z
  .object({
    id: z.string(),
    account: z.string(),
    region: z.string(),
    createdAt: z.number().nullable(),
    connection: z.array(z.object({ ...span, value: z.string() }).loose()),
    keys: z.array(z.string()),
  })
  .loose();

const grantSchema = z
  .object({
    ...span,
    grantId: z.string(),
    keyArn: z.string(),
    operations: z.array(z.string()),
    operationsKnown: z.boolean().optional(),
  })
  .loose();

const aliasSchema = z
  .object({
    ...span,
    value: z.string(),
    alias: z.object({ name: z.string(), account: z.string(), region: z.string() }).loose(),
  })
  .loose();

const principalSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    sessionNames: z.array(z.string()),
    principalIds: z.array(z.string()),
  })
  .loose();

const eventSchema = z
  .object({
    eventId: z.string(),
    alsoEventIds: eventIds,
    name: z.string(),
    time: z.number(),
    account: z.string(),
    region: z.string(),
    keys: z.array(z.string()),
    actor: z.object({}).loose(),
  })
  .loose();

const coverageSchema = z
  .object({ account: z.string(), region: z.string(), from: z.number(), to: z.number(), records: z.number() })
  .loose();

const statsSchema = z
  .object({
    files: z.number(),
    recordsRead: z.number(),
    issues: z.number(),
    issuesByCode: z.record(z.string(), z.number()),
    filesWithIssues: z.array(z.object({ file: z.string() }).loose()),
    firstIssues: z.array(z.object({ code: z.string(), file: z.string(), reason: z.string() }).loose()),
  })
  .loose();

const caseBodySchema = z.object({
  keys: z.array(keySchema),
  grants: z.array(grantSchema),
  aliases: z.array(aliasSchema),
  principals: z.array(principalSchema),
  events: z.array(eventSchema),
  usage: z
    .object({
      strings: column,
      time: column,
      columns: z.record(z.string(), column),
      also: z.record(z.string(), eventIds).optional(),
      keysFromAlias: z.record(z.string(), z.array(z.enum(["key", "destinationKey"]))).optional(),
    })
    .loose()
    .refine((usage) => Object.values(usage.columns).every((values) => values.length === usage.time.length), {
      message: "usage columns differ in length",
    }),
  coverage: z.array(coverageSchema),
  customKeyStores: z.array(customKeyStoreSchema).optional(),
  stats: statsSchema,
  end: z.number().nullable(),
});

export type CaseHeader = z.infer<typeof caseHeaderSchema>;

export interface CaseFile {
  header: CaseHeader;
  data: CaseData;
}

export async function writeCaseFile(
  path: string,
  data: CaseData,
  inputs: string[],
  keytrailVersion: string,
): Promise<number> {
  const header: CaseHeader = {
    format: CASE_FORMAT,
    version: CASE_VERSION,
    createdAt: new Date().toISOString(),
    keytrailVersion,
    inputs,
  };
  const members: Promise<Buffer>[] = [];
  let pending: JsonPiece[] = [];
  let chars = 0;
  const compress = () => {
    members.push(gzipAsync(piecesBytes(pending), { level: GZIP_LEVEL, chunkSize: MEMBER_OUT_BYTES }));
    pending = [];
    chars = 0;
  };
  for (const piece of jsonPieces({ ...header, data: { ...data, usage: data.usage.toData() } })) {
    pending.push(piece);
    chars += piece.length;
    if (chars >= MEMBER_CHARS) compress();
  }
  if (chars > 0) compress();
  // gunzip reads concatenated members as one stream (RFC 1952 §2.2): the reader sees one document.
  const compressed = Buffer.concat(await Promise.all(members));
  await writeFile(path, compressed);
  return compressed.length;
}

/** A piece of JSON text: a string, or the ASCII bytes of a typed array's numbers (see numbersBytes). */
export type JsonPiece = string | Buffer;

/** Pieces as one buffer, each run of strings joined and encoded once. */
function piecesBytes(pieces: readonly JsonPiece[]): Buffer {
  const buffers: Buffer[] = [];
  let text: string[] = [];
  for (const piece of pieces) {
    if (typeof piece === "string") {
      text.push(piece);
      continue;
    }
    if (text.length > 0) buffers.push(Buffer.from(text.join("")));
    text = [];
    buffers.push(piece);
  }
  if (text.length > 0) buffers.push(Buffer.from(text.join("")));
  return buffers.length === 1 ? (buffers[0] as Buffer) : Buffer.concat(buffers);
}

/**
 * The JSON text of `value` in pieces that join to exactly `JSON.stringify(value)`: objects are walked member by
 * member (calling `toJSON` as JSON.stringify does) and arrays longer than `slice` are stringified a slice at a
 * time, so no piece is bigger than one slice of an array or one smaller value. (An element's `toJSON` would see
 * its index in the slice, not in the array: no case record has one that reads it.) One difference: an Int32Array
 * or Float64Array is written as the JSON array of its numbers, as the usage store's columns are, and its numbers
 * come as bytes.
 */
export function* jsonPieces(value: unknown, slice = JSON_SLICE): Generator<JsonPiece> {
  const json = jsonValue(value, "");
  if (json !== undefined) yield* piecesOf(json, slice);
}

function* piecesOf(json: unknown, slice: number): Generator<JsonPiece> {
  if (isTypedArray(json) || (Array.isArray(json) && json.length > slice)) {
    yield* arrayPieces(json, slice);
  } else if (typeof json === "object" && json !== null && !Array.isArray(json)) {
    let open = "{";
    for (const [member, raw] of Object.entries(json)) {
      const child = jsonValue(raw, member);
      if (child === undefined) continue;
      yield `${open}${JSON.stringify(member)}:`;
      open = ",";
      yield* piecesOf(child, slice);
    }
    yield open === "{" ? "{}" : "}";
  } else {
    yield JSON.stringify(json);
  }
}

/** An array a slice at a time; a typed array as the array of its numbers (JSON.stringify writes an object). */
function* arrayPieces(
  values: readonly unknown[] | Int32Array | Float64Array,
  slice: number,
): Generator<JsonPiece> {
  if (values.length === 0) yield "[";
  for (let start = 0; start < values.length; start += slice) {
    yield start === 0 ? "[" : ",";
    yield isTypedArray(values)
      ? numbersBytes(values.subarray(start, start + slice))
      : JSON.stringify(values.slice(start, start + slice)).slice(1, -1);
  }
  yield "]";
}

const COMMA = 44;
const MINUS = 45;
const ZERO = 48;
/** The most bytes a number and its comma take: an int32's 11 characters, a double's 24 (-1.7976931348623157e+308). */
const INT32_BYTES = 12;
const DOUBLE_BYTES = 25;

/**
 * A typed array's numbers as JSON writes them, comma-separated, as ASCII bytes. Most of a case file's text is
 * these numbers (the usage columns): written straight into bytes, they make no string to collect and none to
 * encode again for gzip, which was most of the replay's serial tail at 10M records. One loop per array type,
 * since reading elements of both types in one place costs a third more.
 */
export function numbersBytes(values: Int32Array | Float64Array): Buffer {
  return values instanceof Int32Array ? int32Bytes(values) : float64Bytes(values);
}

function int32Bytes(values: Int32Array): Buffer {
  const out = Buffer.allocUnsafe(values.length * INT32_BYTES);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out[at++] = COMMA;
    const value = values[i] ?? 0;
    if (value < 0) out[at++] = MINUS;
    // -2^31 negated is 2^31, past int32, but its quotients by 10 (what `| 0` truncates) are not.
    at = writeDigits(out, at, value < 0 ? -value : value);
  }
  return out.subarray(0, at);
}

function float64Bytes(values: Float64Array): Buffer {
  const out = Buffer.allocUnsafe(values.length * DOUBLE_BYTES);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out[at++] = COMMA;
    at = writeDouble(out, at, values[i] ?? 0);
  }
  return out.subarray(0, at);
}

/** `value` as JSON.stringify writes it, at `at`; returns where the next byte goes. */
function writeDouble(out: Buffer, at: number, value: number): number {
  if (!Number.isSafeInteger(value)) return at + out.write(JSON.stringify(value), at, "latin1");
  let next = at;
  let rest = value;
  if (rest < 0) {
    out[next++] = MINUS;
    rest = -rest;
  }
  // In two parts below 10^9 each, written with int32 arithmetic, which a time in ms overflows. The division is
  // exact enough: below 2^53, rest / 10^9 is at least 10^-9 under the next integer, more than half the spacing
  // of doubles there (2^-29 at most), so it never rounds up to it.
  const high = Math.floor(rest / 1e9);
  const low = rest - high * 1e9;
  if (high === 0) return writeDigits(out, next, low);
  next = writeDigits(out, next, high);
  writeDigitsBackwards(out, next + 9, low, next);
  return next + 9;
}

/** "00".."99" as ASCII pairs: digits are written two at a time, halving the divisions. */
const DIGIT_PAIRS = Buffer.from(
  Array.from({ length: 100 }, (_, n) => String(n).padStart(2, "0")).join(""),
  "latin1",
);

/** How many decimal digits a non-negative integer below 2^31 has. */
function digitCount(value: number): number {
  if (value < 100_000) return value < 10 ? 1 : value < 100 ? 2 : value < 1_000 ? 3 : value < 10_000 ? 4 : 5;
  return value < 1_000_000
    ? 6
    : value < 10_000_000
      ? 7
      : value < 100_000_000
        ? 8
        : value < 1_000_000_000
          ? 9
          : 10;
}

/**
 * The digits of `value` (non-negative, below 2^31) ending just before `end`, down to `start`: leading zeros
 * fill the places between its own digits and `start` (`| 0` truncates the quotients).
 */
function writeDigitsBackwards(out: Buffer, end: number, value: number, start: number): void {
  let place = end;
  let rest = value;
  while (place - start >= 2) {
    const quotient = (rest / 100) | 0;
    const pair = (rest - quotient * 100) * 2;
    out[--place] = DIGIT_PAIRS[pair + 1] ?? ZERO;
    out[--place] = DIGIT_PAIRS[pair] ?? ZERO;
    rest = quotient;
  }
  if (place > start) out[--place] = ZERO + (rest % 10);
}

/** A non-negative integer up to 2^31 in decimal, without leading zeros. */
function writeDigits(out: Buffer, at: number, value: number): number {
  const end = at + digitCount(value);
  writeDigitsBackwards(out, end, value, at);
  return end;
}

function isTypedArray(value: unknown): value is Int32Array | Float64Array {
  return value instanceof Int32Array || value instanceof Float64Array;
}

/** A member as JSON.stringify sees it: after `toJSON`, and undefined when it leaves the member out. */
function jsonValue(value: unknown, key: string): unknown {
  const json = hasToJSON(value) ? value.toJSON(key) : value;
  return typeof json === "function" || typeof json === "symbol" ? undefined : json;
}

function hasToJSON(value: unknown): value is { toJSON(key: string): unknown } {
  return typeof value === "object" && value !== null && typeof Reflect.get(value, "toJSON") === "function";
}

const REWRITE_HINT =
  "replay the logs again (`keytrail replay <inputs> -o <case>`) or restore the file from a copy";

function damaged(path: string, what: string, cause?: unknown): CaseFileError {
  return new CaseFileError(`case file ${path}: damaged or truncated (${what})`, {
    hint: REWRITE_HINT,
    ...(cause === undefined ? {} : { cause }),
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The JSON text of a case file: a file that is not gzip at all is not a case file; a gzip that fails is damaged. */
async function gunzipCase(path: string, bytes: Buffer): Promise<string> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new CaseFileError(`case file ${path}: not a gzip'd keytrail case file`, {
      hint: "case files are written by `keytrail replay <inputs> -o <case>`; logs are read with -i/--input",
    });
  }
  try {
    return (await gunzipAsync(bytes, { chunkSize: GUNZIP_CHUNK })).toString("utf8");
  } catch (error) {
    throw damaged(path, `gzip: ${errorText(error)}`, error);
  }
}

function parseCaseText(path: string, bytes: Buffer, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw damaged(path, `its JSON does not parse (${bytes.length} bytes read): ${errorText(error)}`, error);
  }
}

export async function readCaseFile(path: string): Promise<CaseFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CaseFileError(`case file ${path}: cannot be read${code ? ` (${code})` : ""}`, {
      cause: error,
      hint: "check the path given to -c/--case",
    });
  }
  const document = parseCaseText(path, bytes, await gunzipCase(path, bytes));
  const header = caseHeaderSchema.safeParse(document);
  if (!header.success) {
    throw new CaseFileError(
      `case file ${path}: not a keytrail case file (${header.error.issues[0]?.message ?? "bad header"})`,
    );
  }
  if (header.data.version !== CASE_VERSION) {
    throw new CaseFileError(
      `case file ${path}: version ${header.data.version} is not supported (this keytrail reads ${CASE_VERSION})`,
      {
        hint: "replay the logs again with this keytrail version",
      },
    );
  }
  const body = caseBodySchema.safeParse((document as { data?: unknown }).data);
  if (!body.success) {
    const issue = body.error.issues[0];
    const where = ["data", ...(issue?.path ?? [])].map(String).join(".");
    throw damaged(path, `${where}: ${issue?.message ?? "invalid"}`);
  }
  const data = (document as { data: CaseData & { usage: ConstructorParameters<typeof UsageStore>[0] } }).data;
  return { header: header.data, data: { ...data, usage: new UsageStore(data.usage) } };
}
