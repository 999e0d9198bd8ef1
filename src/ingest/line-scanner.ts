import { MAX_VALUE_CHARS } from "./json-scanner.js";

export interface LineHandler {
  /** One non-blank line, trimmed, with its 1-based number. */
  line(text: string, line: number): void;
  /** A line longer than the size limit; it is skipped up to the next newline. */
  tooLong(line: number, bytes: number): void;
}

/** Splits chunked text into lines for NDJSON, so a bad line costs only itself. */
export class LineScanner {
  private partial = "";
  private lineNo = 0;
  private skippedBytes = -1;

  constructor(private readonly handler: LineHandler) {}

  push(chunk: string): void {
    let start = 0;
    for (let nl = chunk.indexOf("\n"); nl >= 0; nl = chunk.indexOf("\n", start)) {
      const piece = chunk.slice(start, nl);
      start = nl + 1;
      this.lineNo++;
      if (this.skippedBytes >= 0) {
        this.handler.tooLong(this.lineNo, this.skippedBytes + Buffer.byteLength(piece));
        this.skippedBytes = -1;
        continue;
      }
      this.emit(this.partial === "" ? piece : this.partial + piece);
      this.partial = "";
    }
    this.keepPartial(chunk.slice(start));
  }

  /**
   * The last line, when the text does not end with a newline. When the input was cut (truncated gzip,
   * read error) that line is the cut one: it is not parsed, and its size is returned for the cut's issue.
   */
  end(cut: boolean): number {
    const partial = this.partial;
    this.partial = "";
    if (this.skippedBytes >= 0) {
      this.handler.tooLong(this.lineNo + 1, this.skippedBytes);
    } else if (cut && partial.trim() !== "") {
      return Buffer.byteLength(partial);
    } else if (partial !== "") {
      this.lineNo++;
      this.emit(partial);
    }
    return 0;
  }

  private keepPartial(rest: string): void {
    if (this.skippedBytes >= 0) {
      this.skippedBytes += Buffer.byteLength(rest);
      return;
    }
    this.partial += rest;
    if (this.partial.length > MAX_VALUE_CHARS) {
      this.skippedBytes = Buffer.byteLength(this.partial);
      this.partial = "";
    }
  }

  private emit(raw: string): void {
    const text = raw.trim();
    if (text !== "") this.handler.line(text, this.lineNo);
  }
}
