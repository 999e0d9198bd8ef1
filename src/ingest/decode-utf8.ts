import { isAscii, isUtf8 } from "node:buffer";

/** Damage found while decoding; offsets are in the decoded (decompressed) byte stream. */
export interface TextDamage {
  invalidUtf8: number;
  firstInvalidAt: number;
  nulBytes: number;
  firstNulAt: number;
}

export function noDamage(): TextDamage {
  return { invalidUtf8: 0, firstInvalidAt: -1, nulBytes: 0, firstNulAt: -1 };
}

/** Bytes at the end of `bytes` that begin a multi-byte character the next chunk completes. */
function incompleteTail(bytes: Buffer): number {
  const n = bytes.length;
  for (let k = 1; k <= Math.min(3, n); k++) {
    const b = bytes[n - k] ?? 0;
    if ((b & 0xc0) === 0x80) continue;
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > k ? k : 0;
  }
  return 0;
}

/** Offset of the first byte that breaks UTF-8 (only called on text known to be invalid). */
function firstInvalidByte(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) continue;
    const length = b >= 0xf8 ? 0 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
    if (length === 0 || !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length - 1;
  }
  return 0;
}

const NUL = "\u0000";
const BOM = 0xfeff;

function withoutBom(text: string): string {
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

/** How clean bytes decode: latin1 is the same text as UTF-8 for ASCII, and faster. */
export type CleanEncoding = "latin1" | "utf8";

/**
 * How bytes that need none of decodeUtf8's repairs (valid UTF-8 without NUL) decode in one go, else null.
 * ASCII, what CloudTrail writes, decodes faster as latin1, which is the same text for it.
 */
export function cleanEncoding(bytes: Buffer): CleanEncoding | null {
  if (bytes.indexOf(0) !== -1) return null;
  if (isAscii(bytes)) return "latin1";
  return isUtf8(bytes) ? "utf8" : null;
}

/** The text of clean bytes (see cleanEncoding), without a leading BOM. */
export function decodeClean(bytes: Buffer, encoding: CleanEncoding): string {
  const text = bytes.toString(encoding);
  return encoding === "utf8" ? withoutBom(text) : text;
}

/**
 * UTF-8 bytes to text chunks. A leading BOM is dropped; invalid sequences become U+FFFD and NUL characters
 * are removed, and both are counted in `damage` so the caller can report them once per file.
 */
export async function* decodeUtf8(source: AsyncIterable<Buffer>, damage: TextDamage): AsyncGenerator<string> {
  let carry: Buffer | undefined;
  let offset = 0;
  let first = true;
  const decode = (bytes: Buffer): string => {
    if (!isUtf8(bytes)) {
      if (damage.invalidUtf8 === 0) damage.firstInvalidAt = offset + firstInvalidByte(bytes);
      damage.invalidUtf8++;
    }
    let text = bytes.toString("utf8");
    if (first) text = withoutBom(text);
    first = first && text === "";
    const nul = text.indexOf(NUL);
    if (nul >= 0) {
      if (damage.nulBytes === 0) damage.firstNulAt = offset + Buffer.byteLength(text.slice(0, nul));
      const stripped = text.replaceAll(NUL, "");
      damage.nulBytes += text.length - stripped.length;
      text = stripped;
    }
    offset += bytes.length;
    return text;
  };
  for await (const chunk of source) {
    const bytes = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
    const cut = bytes.length - incompleteTail(bytes);
    carry = cut < bytes.length ? bytes.subarray(cut) : undefined;
    const text = decode(bytes.subarray(0, cut));
    if (text !== "") yield text;
  }
  if (carry !== undefined) {
    const text = decode(carry);
    if (text !== "") yield text;
  }
}
