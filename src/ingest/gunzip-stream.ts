import { Readable } from "node:stream";
import { constants, crc32, createGunzip, inflateRawSync } from "node:zlib";

/** How a gzip stream ended: cleanly, cut short before its trailer, or with corrupt data. */
export interface GzipOutcome {
  failure: "truncated" | "corrupt" | undefined;
  message: string;
}

function zlibCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/**
 * Decompresses a gzip byte stream (several members included), yielding every byte zlib recovers. A cut or
 * corrupt stream ends the output and is recorded in `outcome` instead of thrown; read errors still throw.
 */
export async function* gunzipStream(
  source: AsyncIterable<Buffer>,
  outcome: GzipOutcome,
): AsyncGenerator<Buffer> {
  let bytesIn = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      bytesIn += chunk.length;
      yield chunk;
    }
  }
  const input = Readable.from(counted(), { objectMode: false });
  const gunzip = createGunzip();
  input.on("error", (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
    // zlib ends silently at bytes that do not start a member (zero padding, junk): say what was left unread.
    const unread = bytesIn - gunzip.bytesWritten;
    if (unread > 0) {
      outcome.failure = "corrupt";
      outcome.message = `${unread} bytes after a gzip member do not start another one and were not read (a streamed input is not searched for later members)`;
    }
  } catch (error) {
    const code = zlibCode(error);
    if (code === "Z_BUF_ERROR") outcome.failure = "truncated";
    else if (code === "Z_DATA_ERROR") outcome.failure = "corrupt";
    else throw error;
    outcome.message = error instanceof Error ? error.message : String(error);
  } finally {
    input.destroy();
  }
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const DEFLATE = 8;
const TRAILER_BYTES = 8;
const FLAG_HCRC = 2;
const FLAG_EXTRA = 4;
const FLAG_NAME = 8;
const FLAG_COMMENT = 16;
/** Output chunks of one synchronous inflate: zlib's default 16 KB costs a third more time on 1 MB files. */
const INFLATE_CHUNK_BYTES = 1024 * 1024;

function isMemberStart(bytes: Buffer, at: number): boolean {
  return bytes[at] === GZIP_MAGIC_0 && bytes[at + 1] === GZIP_MAGIC_1 && bytes[at + 2] === DEFLATE;
}

/** Where the deflate data of the member whose header starts at `at` begins (RFC 1952), or null past the end. */
function memberBody(bytes: Buffer, at: number): number | null {
  const flags = bytes[at + 3] ?? 0;
  let body = at + 10;
  if (flags & FLAG_EXTRA) body += 2 + ((bytes[body] ?? 0) | ((bytes[body + 1] ?? 0) << 8));
  for (const flag of [FLAG_NAME, FLAG_COMMENT]) {
    if (!(flags & flag)) continue;
    const end = bytes.indexOf(0, body);
    body = end < 0 ? bytes.length + 1 : end + 1;
  }
  if (flags & FLAG_HCRC) body += 2;
  return body <= bytes.length ? body : null;
}

/** A whole gzip file decompressed member by member, with what kept it from being clean. */
export interface Gunzipped {
  bytes: Buffer;
  outcome: GzipOutcome;
}

type Inflated = { buffer: Buffer; engine: { bytesWritten: number } };

/**
 * One member's deflate data inflated, up to its end or the end of the input (a member cut short). Throws
 * zlib's RangeError (isTooLarge) when the output would pass `maxBytes`.
 */
function inflateMember(data: Buffer, maxBytes: number): Inflated {
  return inflateRawSync(data, {
    info: true,
    finishFlush: constants.Z_SYNC_FLUSH,
    chunkSize: INFLATE_CHUNK_BYTES,
    maxOutputLength: Math.max(maxBytes, 1),
  }) as unknown as Inflated;
}

/** zlib's error for output past `maxOutputLength`. */
export function isTooLarge(error: unknown): boolean {
  return error instanceof RangeError && zlibCode(error) === "ERR_BUFFER_TOO_LARGE";
}

/**
 * zlib's output chunk in a stream: the streaming reader keeps the chunks zlib finished before the damage, not the
 * one it was filling, which may already hold garbage decoded from the damaged data.
 */
const STREAM_CHUNK_BYTES = 16 * 1024;

/**
 * What a member whose deflate data is corrupt holds before the damage, as the streaming reader keeps it: the
 * output of the longest prefix of its data that inflates (found by halving; only corrupt files pay for it), cut
 * to whole stream chunks.
 */
function beforeDamage(data: Buffer, maxBytes: number): Buffer {
  let good = 0;
  let bad = data.length;
  let output: Buffer = Buffer.alloc(0);
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    try {
      output = inflateMember(data.subarray(0, middle), maxBytes).buffer;
      good = middle;
    } catch (error) {
      if (isTooLarge(error)) throw error;
      bad = middle;
    }
  }
  return output.subarray(0, output.length - (output.length % STREAM_CHUNK_BYTES));
}

/** The next member's start after `from`, or -1. */
function nextMember(file: Buffer, from: number): number {
  for (let at = file.indexOf(GZIP_MAGIC_0, from); at >= 0; at = file.indexOf(GZIP_MAGIC_0, at + 1))
    if (isMemberStart(file, at)) return at;
  return -1;
}

/**
 * Decompresses a whole gzip file member by member, keeping every byte its members hold: a member cut before its
 * trailer gives what it holds (truncated); a member whose check value does not match keeps its data; a member
 * whose deflate data is corrupt gives what comes before the damage, and reading goes on at the next member;
 * bytes after the last member are named (zero padding before another member is skipped, as `gzip -d` does).
 * Every problem met is said, member by member. Null when the file does not start with a gzip member, when its
 * only member is damaged, or when what it holds passes `maxBytes` (memory stays bounded): the streaming reader
 * then reads it, up to the first damage. Only run when one `gunzipSync` of the file failed or left bytes unread.
 */
export function gunzipWhole(file: Buffer, maxBytes: number): Gunzipped | null {
  try {
    return salvageMembers(file, maxBytes);
  } catch (error) {
    if (isTooLarge(error)) return null;
    throw error;
  }
}

function salvageMembers(file: Buffer, maxBytes: number): Gunzipped | null {
  if (!isMemberStart(file, 0)) return null;
  const parts: Buffer[] = [];
  const problems: { failure: "truncated" | "corrupt"; text: string }[] = [];
  let room = maxBytes;
  let at = 0;
  let member = 0;
  while (at < file.length) {
    let next = at;
    while (file[next] === 0) next++;
    if (next === file.length) break;
    if (next > at && isMemberStart(file, next)) at = next;
    if (!isMemberStart(file, at)) {
      problems.push({
        failure: "corrupt",
        text: `${file.length - at} bytes after gzip member ${member} are not gzip data and were ignored`,
      });
      break;
    }
    member++;
    const body = memberBody(file, at);
    if (body === null) {
      problems.push({ failure: "truncated", text: `the file ends inside gzip member ${member}'s header` });
      break;
    }
    const data = file.subarray(body);
    let inflated: Inflated;
    try {
      inflated = inflateMember(data, room);
    } catch (error) {
      if (isTooLarge(error)) throw error;
      const resume = nextMember(file, body);
      // Damage in the only member: the streaming reader keeps the same, and says so in zlib's words.
      if (member === 1 && resume < 0) return null;
      const kept = beforeDamage(data, room);
      room -= kept.length;
      parts.push(kept);
      const reason = error instanceof Error ? error.message : String(error);
      const after = resume < 0 ? "" : "; reading went on at the next member";
      problems.push({
        failure: "corrupt",
        text: `gzip member ${member}'s data is corrupt (${reason}): what came before the damage was read${after}`,
      });
      if (resume < 0) break;
      at = resume;
      continue;
    }
    parts.push(inflated.buffer);
    room -= inflated.buffer.length;
    const trailer = body + inflated.engine.bytesWritten;
    if (trailer + TRAILER_BYTES > file.length) {
      // zlib's own words for a file cut in its only member, as the streaming reader says it.
      const text = member === 1 ? "unexpected end of file" : `gzip member ${member} ends before its trailer`;
      problems.push({ failure: "truncated", text });
      break;
    }
    if (crc32(inflated.buffer) !== file.readUInt32LE(trailer)) {
      problems.push({
        failure: "corrupt",
        text: `gzip member ${member}'s CRC does not match its data, which was read anyway`,
      });
    }
    at = trailer + TRAILER_BYTES;
  }
  const failure = problems.some((problem) => problem.failure === "corrupt")
    ? "corrupt"
    : problems[0]?.failure;
  const message = problems.map((problem) => problem.text).join("; ");
  return { bytes: Buffer.concat(parts), outcome: { failure, message } };
}
