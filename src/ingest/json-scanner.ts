import { tailIssues } from "./container-tail.js";
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  isJsonWhitespace,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from "./json-chars.js";
import { stringEnd, tokenEnd } from "./json-extent.js";
import { firstRestart, type RestartPoint } from "./restart-point.js";

/**
 * Incremental JSON boundary scanner: finds where each top-level value, and each element of a streamed
 * container array, starts and ends in text that arrives in chunks, so each can be `JSON.parse`d on its own
 * and a multi-GB `{"Records":[...]}` never sits in memory whole. It only tracks strings (with escapes) and
 * bracket depth; validating the JSON is left to `JSON.parse` of each piece, which is what lets one bad
 * element cost only itself. A record cut short has its brackets, or its strings, run on into the records after
 * it: the reader then tells where the next record or document starts in the piece (see restart-point.ts), or
 * the scanner finds it in a value the input ends inside, and scanning goes on from there.
 */

/** Arrays whose elements are handed out one by one: `Records`/`Events` of a top-level object, or a top-level array. */
export type ContainerKind = "Records" | "Events" | "array";

/**
 * Receives what the scanner finds. `value` and `element` return null, or, for text that is not JSON because a
 * record or document starts inside it, that start (in the text): the text before it was reported as cut short,
 * and scanning goes on from the start.
 */
export interface ScanHandler {
  /** A whole top-level value that is not a streamed container (a record, an envelope, or junk). */
  value(text: string): RestartPoint | null;
  /** A streamed container starts; its elements follow through `element`. */
  open(kind: ContainerKind): void;
  /** The text of one element of the open container. */
  element(text: string): RestartPoint | null;
  /** Text the scanner stepped over without handing it out; scanning goes on after it. */
  skipped(reason: string): void;
  /**
   * A value, or an element of the open container, that the input ends inside or that outgrew the size limit,
   * cut short where a record or document (`next`) starts inside it; scanning goes on from there.
   */
  cut(text: string, inElement: boolean, next: RestartPoint["kind"]): void;
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
    for (
      let start = this.pendingStart();
      this.buf.length - start > MAX_VALUE_CHARS;
      start = this.pendingStart()
    ) {
      const restart = this.cutPending();
      if (restart < 0) {
        this.giveUp(start);
        return;
      }
      this.resume(restart);
    }
  }

  /** Flushes a trailing bare token; returns what was lost if the input ended inside a value. */
  end(): ScanLoss | undefined {
    if (this.lostBytes >= 0) return { unclosed: false, inElement: this.lostInElement, bytes: this.lostBytes };
    while (this.depth > 0) {
      const restart = this.cutPending();
      if (restart < 0) break;
      this.resume(restart);
    }
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

  /**
   * Cuts the unfinished value or element short where a record or document starts inside it, and returns that
   * start; -1 when none does.
   */
  private cutPending(): number {
    const inElement = this.elemStart >= 0;
    const start = inElement ? this.elemStart : this.valueStart;
    const restart = start < 0 ? null : firstRestart(this.buf, start + 1);
    if (restart === null) return -1;
    this.handler.cut(this.buf.slice(start, restart.at).trimEnd(), inElement, restart.kind);
    return this.restartAt(restart, inElement);
  }

  /** Scanning goes on at a record or document that starts in place of the pending value or element. */
  private restartAt(restart: RestartPoint, inElement: boolean): number {
    this.valueStart = -1;
    this.elemStart = -1;
    this.scalarElem = false;
    if (inElement && restart.kind === "record") {
      this.depth = this.containerDepth;
    } else {
      this.depth = 0;
      this.containerDepth = 0;
      this.tailStart = -1;
    }
    return restart.at;
  }

  private resume(at: number): void {
    this.pos = at;
    this.run();
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
          const restart = this.emitElement(s, i);
          if (restart >= 0) i = restart;
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
      const restart = this.elemStart >= 0 ? this.emitElement(s, i) : -1;
      if (restart >= 0) return restart;
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
      const start = this.valueStart;
      this.valueStart = -1;
      const restart = this.handler.value(s.slice(start, i + 1));
      if (restart !== null) return this.restartAt({ ...restart, at: start + restart.at }, false);
    } else if (this.tailStart >= 0) {
      for (const reason of tailIssues(s.slice(this.tailStart, i), this.streamed))
        this.handler.skipped(reason);
      this.tailStart = -1;
    }
    return i + 1;
  }

  private onComma(s: string, i: number): number {
    if (this.depth === this.containerDepth && this.depth > 0) {
      const restart = this.elemStart >= 0 ? this.emitElement(s, i) : -1;
      if (restart >= 0) return restart;
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

  /** Hands out the pending element, which ends at `end`: -1, or where scanning goes on (see ScanHandler). */
  private emitElement(s: string, end: number): number {
    const start = this.elemStart;
    this.elemStart = -1;
    this.scalarElem = false;
    const restart = this.handler.element(s.slice(start, end).trimEnd());
    return restart === null ? -1 : this.restartAt({ ...restart, at: start + restart.at }, true);
  }
}
