import { gunzipSync } from "node:zlib";
import { IssueCode } from "../issue.js";
import {
  type CleanEncoding,
  cleanEncoding,
  decodeClean,
  decodeUtf8,
  noDamage,
  type TextDamage,
} from "./decode-utf8.js";
import { type Gunzipped, type GzipOutcome, gunzipStream, gunzipWhole, isTooLarge } from "./gunzip-stream.js";
import type { ScanLoss } from "./json-scanner.js";
import { RecordEmitter } from "./record-emitter.js";
import type { RecordFacts } from "./record-facts.js";
import { describeJsonError } from "./record-shapes.js";
import { readRecordsDocument } from "./records-document.js";
import { type TextOutcome, TextReader } from "./text-reader.js";
import type { FileSummary, IngestSink, RawRecord } from "./types.js";

export interface ReadSourceOptions {
  keep?: (record: RawRecord) => boolean;
  /**
   * Decides from a record's top-level facts, read before it is parsed, that `keep` would drop it (true:
   * counted as dropped, never parsed). Applied to Records elements and plain NDJSON record lines, where most
   * of a trail's volume is, and only to plain facts; it must never say true of a record `keep` would keep.
   */
  drop?: (facts: RecordFacts) => boolean;
  /** Called with the size of each chunk of raw bytes as it is read (for progress). */
  onBytes?: (bytes: number) => void;
}

/** What a reader needs of a sink: records and issues, delivered synchronously in file order. */
export type RecordSink = Pick<IngestSink, "record" | "issue">;

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Wraps the raw bytes: counts them, and peeks at the first two to see whether they are gzip. */
async function peekGzip(
  source: AsyncIterable<Uint8Array>,
  onBytes: (bytes: number) => void,
): Promise<{ gzip: boolean; bytes: AsyncIterable<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  let done = false;
  while (headLength < GZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
      break;
    }
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    onBytes(chunk.length);
    head.push(chunk);
    headLength += chunk.length;
  }
  const start = Buffer.concat(head);
  async function* bytes(): AsyncGenerator<Buffer> {
    if (start.length > 0) yield start;
    if (done) return;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      onBytes(next.value.byteLength);
      yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    }
  }
  return { gzip: start[0] === GZIP_MAGIC[0] && start[1] === GZIP_MAGIC[1], bytes: bytes() };
}

async function* catchReadErrors(
  source: AsyncIterable<Buffer>,
  onError: (error: unknown) => void,
): AsyncGenerator<Buffer> {
  try {
    yield* source;
  } catch (error) {
    onError(error);
  }
}

function lossReason(loss: ScanLoss, index: number): string {
  const where = loss.inElement ? `inside record ${index}` : "inside a JSON value";
  const what = loss.unclosed ? `the input ends ${where}` : `a value ${where} grew past the size limit`;
  return `${what} (a bracket is never closed); ${loss.bytes} bytes up to the end of the file were not read`;
}

/** A gzip that decompressed cleanly, or input that is no gzip. */
const CLEAN_GZIP: GzipOutcome = Object.freeze({ failure: undefined, message: "" });

/** End-of-file issues, in the order a reader meets them: the cut or read error, then text damage. */
function reportEnd(
  emitter: RecordEmitter,
  gzip: GzipOutcome,
  readError: unknown,
  loss: ScanLoss | undefined,
  damage: TextDamage,
): void {
  const lost = loss === undefined ? "" : `; the unfinished record at the cut (${loss.bytes} bytes) is lost`;
  if (gzip.failure === "truncated") {
    emitter.issue(IssueCode.gzipTruncated, `gzip stream ends before its trailer (${gzip.message})${lost}`);
  } else if (gzip.failure === "corrupt") {
    emitter.issue(IssueCode.gzipCorrupt, `gzip data is corrupt (${gzip.message})${lost}`);
  } else if (readError !== undefined) {
    emitter.issue(IssueCode.fileUnreadable, `read failed: ${describeJsonError(readError)}${lost}`);
  } else if (loss !== undefined) {
    emitter.issue(IssueCode.invalidJson, lossReason(loss, emitter.index), { index: emitter.index });
  }
  if (damage.invalidUtf8 > 0) {
    emitter.issue(
      IssueCode.invalidUtf8,
      `bytes that are not UTF-8 were replaced by U+FFFD (first at byte ${damage.firstInvalidAt})`,
    );
  }
  if (damage.nulBytes > 0) {
    emitter.issue(
      IssueCode.nulBytes,
      `${damage.nulBytes} NUL bytes were removed (first at byte ${damage.firstNulAt})`,
    );
  }
}

/** What every read ends with: the end-of-file issues, the empty-file issue, and the file's summary. */
function finish(
  emitter: RecordEmitter,
  outcome: TextOutcome,
  source: { file: string; gzip: boolean; bytes: number; gzipOutcome: GzipOutcome; readError: unknown },
  damage: TextDamage,
): FileSummary {
  const { file, gzip, bytes, gzipOutcome, readError } = source;
  // A file that is not JSON is one issue: its unclosed brackets and odd bytes are part of what that says.
  const notJson = emitter.endText(outcome.loss !== undefined);
  reportEnd(
    emitter,
    gzipOutcome,
    readError,
    notJson ? undefined : outcome.loss,
    notJson ? noDamage() : damage,
  );
  const failed = gzipOutcome.failure !== undefined || readError !== undefined;
  if (!outcome.content && !failed) emitter.issue(IssueCode.emptyFile, "the file has no content");
  return {
    file,
    format: emitter.format,
    gzip,
    bytes,
    records: emitter.records,
    dropped: emitter.dropped,
    issues: emitter.issues,
  };
}

/**
 * Reads one input from its raw bytes: gzip or not, any supported format, every record and issue to the sink
 * in file order. It touches no file system and no global state, so it can run in a worker thread as is.
 */
export async function readSource(
  source: AsyncIterable<Uint8Array>,
  file: string,
  sink: RecordSink,
  options: ReadSourceOptions = {},
  gunzipped: GzipOutcome = CLEAN_GZIP,
): Promise<FileSummary> {
  let bytesRead = 0;
  const onBytes = (bytes: number): void => {
    bytesRead += bytes;
    options.onBytes?.(bytes);
  };
  const emitter = new RecordEmitter(file, sink, options.keep, options.drop);
  const reader = new TextReader(emitter);
  // `gunzipped`: how the source, already decompressed (readBuffer), came out of its gzip.
  const gzipOutcome: GzipOutcome = { ...gunzipped };
  const damage = noDamage();
  let gzip = false;
  let readError: unknown;
  const onReadError = (error: unknown): void => {
    readError = error;
  };
  const peeked = await peekGzip(source, onBytes).catch(onReadError);
  if (peeked !== undefined) {
    gzip = peeked.gzip;
    const bytes = gzip ? gunzipStream(peeked.bytes, gzipOutcome) : peeked.bytes;
    // Errors of the sink are the caller's and propagate; only read errors become an issue.
    for await (const text of decodeUtf8(catchReadErrors(bytes, onReadError), damage)) {
      reader.push(text);
      if (reader.done) break;
    }
  }
  const outcome = reader.end(gzipOutcome.failure !== undefined || readError !== undefined);
  return finish(emitter, outcome, { file, gzip, bytes: bytesRead, gzipOutcome, readError }, damage);
}

async function* once(buffer: Buffer): AsyncGenerator<Buffer> {
  yield buffer;
}

/** Output chunks of one synchronous gunzip: zlib's default 16 KB costs a third more time on 1 MB files. */
const GUNZIP_CHUNK_BYTES = 1024 * 1024;
/**
 * A gzip read whole is gunzipped in memory only up to this: a few MB of gzip can hold GBs of NDJSON, and up
 * to four read workers hold one each. Past it the file is streamed, its memory bounded by the chunk size.
 */
export const WHOLE_GUNZIP_BYTES = 256 * 1024 * 1024;

/**
 * Text past this size is not decoded whole (memory, and V8's longest string, 2^29 - 24 characters, that a
 * gzip well under 64 MiB can exceed): unless it is a Records document, whose records are decoded one by one,
 * it goes to the streaming reader in pieces.
 */
export const WHOLE_TEXT_BYTES = 64 * 1024 * 1024;
const STREAM_CHUNK_BYTES = 1024 * 1024;

async function* inChunks(bytes: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += STREAM_CHUNK_BYTES)
    yield bytes.subarray(at, at + STREAM_CHUNK_BYTES);
}

/**
 * Reads clean bytes that are already whole: CloudTrail's Records document through the fast lane, the rest as
 * one text; null, before anything reaches the sink, for other text too large to decode whole.
 */
function readClean(
  bytes: Buffer,
  encoding: CleanEncoding,
  source: { file: string; gzip: boolean; bytes: number; gzipOutcome: GzipOutcome },
  sink: RecordSink,
  options: ReadSourceOptions,
): FileSummary | null {
  const emitter = new RecordEmitter(source.file, sink, options.keep, options.drop);
  let outcome = readRecordsDocument(bytes, encoding, emitter);
  if (outcome === null) {
    if (bytes.length > WHOLE_TEXT_BYTES) return null;
    const reader = new TextReader(emitter);
    reader.push(decodeClean(bytes, encoding));
    outcome = reader.end(false);
  }
  return finish(emitter, outcome, { ...source, readError: undefined }, noDamage());
}

/**
 * Reads one input that is already in memory. Most log files are small, and for them one synchronous gunzip
 * and one scan of the bytes cost a fraction of a stream's round trips; a gzip that is cut or corrupt, and
 * text that needs repairs, go through `readSource`'s streaming path instead, which keeps every record before
 * the damage and says what was lost or repaired.
 */
export async function readBuffer(
  buffer: Buffer,
  file: string,
  sink: RecordSink,
  options: ReadSourceOptions = {},
): Promise<FileSummary> {
  const gzip = buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1];
  let bytes = buffer;
  let gzipOutcome = CLEAN_GZIP;
  if (gzip) {
    const gunzipped = gunzipInMemory(buffer);
    if (gunzipped === null) return readSource(once(buffer), file, sink, options);
    ({ bytes, outcome: gzipOutcome } = gunzipped);
  }
  const encoding = cleanEncoding(bytes);
  if (encoding === null && !gzip) return readSource(once(buffer), file, sink, options);
  options.onBytes?.(buffer.length);
  const source = { file, gzip, bytes: buffer.length, gzipOutcome };
  if (encoding !== null) {
    const summary = readClean(bytes, encoding, source, sink, options);
    if (summary !== null) return summary;
  }
  const { onBytes: _ignored, ...rest } = options;
  const summary = await readSource(inChunks(bytes), file, sink, rest, gzipOutcome);
  return { ...summary, gzip, bytes: buffer.length };
}

/**
 * The file gunzipped in memory: one synchronous gunzip, the common case, else gunzipWhole to keep what can be
 * kept and say why, when zlib fails or stops before the end of the file (it stops silently at bytes that do
 * not start a member). Null, for the streaming reader, when the output would pass WHOLE_GUNZIP_BYTES, or the
 * damage is gunzipWhole's to leave.
 */
function gunzipInMemory(buffer: Buffer): Gunzipped | null {
  try {
    const { buffer: bytes, engine } = gunzipSync(buffer, {
      chunkSize: GUNZIP_CHUNK_BYTES,
      info: true,
      maxOutputLength: WHOLE_GUNZIP_BYTES,
    }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    return engine.bytesWritten === buffer.length
      ? { bytes, outcome: CLEAN_GZIP }
      : gunzipWhole(buffer, WHOLE_GUNZIP_BYTES);
  } catch (error) {
    return isTooLarge(error) ? null : gunzipWhole(buffer, WHOLE_GUNZIP_BYTES);
  }
}
