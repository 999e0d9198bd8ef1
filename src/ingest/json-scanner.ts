import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  isJsonWhitespace,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from "./json-chars.js";

/**
 * Incremental JSON boundary scanner: finds where each top-level value, and each element of a streamed
 * container array, starts and ends in text that arrives in chunks, so each can be `JSON.parse`d on its own
 * and a multi-GB `{"Records":[...]}` never sits in memory whole. It only tracks strings (with escapes) and
 * bracket depth; validating the JSON is left to `JSON.parse` of each piece, which is what lets one bad
 * element cost only itself.
 */

/** Arrays whose elements are handed out one by one: `Records`/`Events` of a top-level object, or a top-level array. */
export type ContainerKind = "Records" | "Events" | "array";

export interface ScanHandler {
  /** A whole top-level value that is not a streamed container (a record, an envelope, or junk). */
  value(text: string): void;
  /** A streamed container starts; its elements follow through `element`. */
  open(kind: ContainerKind): void;
  /** The text of one element of the open container. */
  element(text: string): void;
  /** Text the scanner stepped over without handing it out; scanning goes on after it. */
  skipped(reason: string): void;
}

/** What was lost when the input stopped making sense: everything from an unfinished value to the end. */
export interface ScanLoss {
  /** True when the input ended inside a value; false when a value outgrew the size limit. */
  unclosed: boolean;
  /** True when the loss starts inside an element of a streamed container. */
  inElement: boolean;
  /** UTF-8 bytes of text that were not handed out. */
  bytes: number;
}

/** No CloudTrail record comes near this; a value this large means a bracket was never closed. */
export const MAX_VALUE_CHARS = 64 * 1024 * 1024;

/** Index just past the closing quote of the string opening at `start`, or -1 when it is not complete yet. */
export function stringEnd(s: string, start: number): number {
  let q = start + 1;
  for (;;) {
    q = s.indexOf('"', q);
    if (q < 0) return -1;
    let b = q - 1;
    while (s.charCodeAt(b) === BACKSLASH) b--;
    if (((q - 1 - b) & 1) === 0) return q + 1;
    q++;
  }
}

/** Index just past the value opening with the bracket at `start` (strings respected), or -1 if it never closes. */
export function valueEnd(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(s, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) {
      return i + 1;
    }
  }
  return -1;
}

/** End of a bare top-level token (number, literal or garbage), or -1 when the text ends first. */
function tokenEnd(s: string, start: number): number {
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isJsonWhitespace(c) || c === OPEN_BRACE || c === OPEN_BRACKET || c === QUOTE || c === COMMA) return i;
    if (c === CLOSE_BRACE || c === CLOSE_BRACKET) return i;
  }
  return -1;
}

/**
 * What may follow the streamed array inside its object: nothing, or more members (`"NextToken": "..."`).
 * The members, or null when the tail is not that.
 */
function tailMembers(tail: string): Record<string, unknown> | null {
  const trimmed = tail.trim();
  if (trimmed === "") return {};
  if (!trimmed.startsWith(",")) return null;
  try {
    const members: unknown = JSON.parse(`{${trimmed.slice(1)}}`);
    return typeof members === "object" && members !== null ? (members as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Why a container member after the streamed one was not read: JSON.parse would keep the last of repeated
 * members, and a reader must not drop a container without a word.
 */
function unreadContainer(key: string, streamed: string, bytes: number): string {
  return key === streamed
    ? `the document repeats its "${key}" member; the repeated one was not read (${bytes} bytes)`
    : `a second container "${key}" after "${streamed}" was not read (${bytes} bytes)`;
}

export class JsonScanner {
  private buf = "";
  private pos = 0;
  private depth = 0;
  /** At depth <= floor every character is looked at; deeper text is only string- and bracket-counted. */
  private floor = 1;
  private stalled = false;
  private topIsObject = false;
  private expectKey = false;
  private lastKey = "";
  /** Depth of the streamed array's elements (1 for a top-level array, 2 for Records/Events), 0 for none. */
  private containerDepth = 0;
  private containerDone = false;
  /** The wrapper member whose elements were streamed, for what its tail may hold. */
  private streamed: Exclude<ContainerKind, "array"> = "Records";
  private valueStart = -1;
  private elemStart = -1;
  private scalarElem = false;
  private tailStart = -1;
  /** Bytes given up for lost once the input stopped making sense; -1 while all is well. */
  private lostBytes = -1;
  private lostInElement = false;

  constructor(private readonly handler: ScanHandler) {}

  push(chunk: string): void {
    if (this.lostBytes >= 0) {
      this.lostBytes += Buffer.byteLength(chunk);
      return;
    }
    this.compact();
    this.buf += chunk;
    this.run();
    const start = this.pendingStart();
    if (this.buf.length - start > MAX_VALUE_CHARS) this.giveUp(start);
  }

  /** Flushes a trailing bare token; returns what was lost if the input ended inside a value. */
  end(): ScanLoss | undefined {
    if (this.lostBytes >= 0) return { unclosed: false, inElement: this.lostInElement, bytes: this.lostBytes };
    const rest = this.buf.slice(this.pos);
    if (this.depth === 0) {
      if (rest.trim() !== "") this.handler.value(rest.trim());
      return undefined;
    }
    const start = this.pendingStart();
    const inElement = this.elemStart >= 0;
    return { unclosed: true, inElement, bytes: Buffer.byteLength(this.buf.slice(start)) };
  }

  private pendingStart(): number {
    let start = this.pos;
    for (const candidate of [this.valueStart, this.elemStart, this.tailStart]) {
      if (candidate >= 0 && candidate < start) start = candidate;
    }
    return start;
  }

  private giveUp(start: number): void {
    this.lostInElement = this.elemStart >= 0;
    this.lostBytes = Buffer.byteLength(this.buf.slice(start));
    this.buf = "";
    this.pos = 0;
  }

  /** Drops text nothing refers to any more, so the buffer holds at most one pending value. */
  private compact(): void {
    const keep = this.pendingStart();
    if (keep === 0) return;
    this.buf = this.buf.slice(keep);
    this.pos -= keep;
    if (this.valueStart >= 0) this.valueStart -= keep;
    if (this.elemStart >= 0) this.elemStart -= keep;
    if (this.tailStart >= 0) this.tailStart -= keep;
  }

  private run(): void {
    const s = this.buf;
    const n = s.length;
    let i = this.pos;
    this.stalled = false;
    while (i < n && !this.stalled) {
      if (this.depth > this.floor) {
        i = this.nested(s, i);
        if (this.depth === this.containerDepth && this.elemStart >= 0 && !this.scalarElem) {
          this.emitElement(s.slice(this.elemStart, i));
        }
        continue;
      }
      const c = s.charCodeAt(i);
      if (c === QUOTE) i = this.onString(s, i);
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) i = this.onOpen(c, i);
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) i = this.onClose(s, i);
      else if (c === COMMA) i = this.onComma(s, i);
      else if (isJsonWhitespace(c) || c === COLON) i++;
      else i = this.onOther(s, i);
    }
    this.pos = i;
  }

  /** Scans inside a value below the floor until its depth comes back to the floor or the text runs out. */
  private nested(s: string, from: number): number {
    const n = s.length;
    const floor = this.floor;
    let depth = this.depth;
    let i = from;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        // indexOf over each string measured twice as fast as a charCode loop on CloudTrail text.
        const end = stringEnd(s, i);
        if (end < 0) {
          this.stalled = true;
          break;
        }
        i = end;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth === floor) {
          this.depth = depth;
          return i + 1;
        }
      }
      i++;
    }
    this.depth = depth;
    return i;
  }

  private onString(s: string, i: number): number {
    const end = stringEnd(s, i);
    if (end < 0) {
      this.stalled = true;
      return i;
    }
    if (this.depth === 0) {
      this.handler.value(s.slice(i, end));
    } else if (this.depth === this.containerDepth) {
      this.startScalarElement(i);
    } else if (this.depth === 1 && this.topIsObject && this.expectKey) {
      this.lastKey = s.slice(i + 1, end - 1);
      this.expectKey = false;
    }
    return end;
  }

  private onOpen(c: number, i: number): number {
    if (this.depth === 0) {
      this.topIsObject = c === OPEN_BRACE;
      this.depth = 1;
      this.floor = 1;
      if (this.topIsObject) {
        this.valueStart = i;
        this.expectKey = true;
        this.lastKey = "";
        this.containerDone = false;
      } else {
        this.containerDepth = 1;
        this.handler.open("array");
      }
      return i + 1;
    }
    if (this.depth === this.containerDepth) {
      if (this.elemStart < 0) {
        this.elemStart = i;
        this.scalarElem = false;
      }
    } else if (this.opensContainer(c)) {
      this.containerDepth = 2;
      this.floor = 2;
      this.valueStart = -1;
      this.depth = 2;
      this.streamed = this.lastKey === "Records" ? "Records" : "Events";
      this.handler.open(this.streamed);
      return i + 1;
    }
    this.depth++;
    return i + 1;
  }

  private opensContainer(c: number): boolean {
    return (
      c === OPEN_BRACKET &&
      this.depth === 1 &&
      this.topIsObject &&
      this.containerDepth === 0 &&
      !this.containerDone &&
      (this.lastKey === "Records" || this.lastKey === "Events")
    );
  }

  private onClose(s: string, i: number): number {
    if (this.depth === 0) {
      this.handler.skipped(`unexpected '${s[i]}' between top-level values`);
      return i + 1;
    }
    if (this.depth === this.containerDepth) {
      if (this.elemStart >= 0) this.emitElement(s.slice(this.elemStart, i));
      this.depth--;
      this.containerDepth = 0;
      if (this.depth === 1) {
        this.containerDone = true;
        this.floor = 1;
        this.tailStart = i + 1;
      }
      return i + 1;
    }
    this.depth = 0;
    if (this.valueStart >= 0) {
      this.handler.value(s.slice(this.valueStart, i + 1));
      this.valueStart = -1;
    } else if (this.tailStart >= 0) {
      const tail = s.slice(this.tailStart, i);
      const members = tailMembers(tail);
      if (members === null) {
        this.handler.skipped(
          `unexpected text after the streamed array (${Buffer.byteLength(tail)} bytes ignored)`,
        );
      }
      for (const key of ["Records", "Events"].filter((name) => Array.isArray(members?.[name]))) {
        this.handler.skipped(unreadContainer(key, this.streamed, Buffer.byteLength(tail)));
      }
      this.tailStart = -1;
    }
    return i + 1;
  }

  private onComma(s: string, i: number): number {
    if (this.depth === this.containerDepth && this.depth > 0) {
      if (this.elemStart >= 0) this.emitElement(s.slice(this.elemStart, i));
    } else if (this.depth === 1 && this.topIsObject) {
      this.expectKey = true;
    }
    return i + 1;
  }

  private onOther(s: string, i: number): number {
    if (this.depth === 0) {
      const end = tokenEnd(s, i);
      if (end < 0) {
        this.stalled = true;
        return i;
      }
      this.handler.value(s.slice(i, end));
      return end;
    }
    if (this.depth === this.containerDepth) this.startScalarElement(i);
    return i + 1;
  }

  private startScalarElement(i: number): void {
    if (this.elemStart >= 0) return;
    this.elemStart = i;
    this.scalarElem = true;
  }

  private emitElement(text: string): void {
    this.elemStart = -1;
    this.scalarElem = false;
    this.handler.element(text.trimEnd());
  }
}
