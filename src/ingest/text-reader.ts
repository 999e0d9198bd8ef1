import { JsonScanner, MAX_VALUE_CHARS, type ScanLoss } from "./json-scanner.js";
import { LineScanner } from "./line-scanner.js";
import type { RecordEmitter } from "./record-emitter.js";
import { SNIFF_LIMIT, sniffLayout } from "./sniff-layout.js";

/** What the text held, for the file's summary and its end-of-file issues. */
export interface TextOutcome {
  /** False when the text was empty or only whitespace. */
  content: boolean;
  /** Set when the text stopped inside a value (JSON layout only). */
  loss: ScanLoss | undefined;
}

/** Holds text until its layout is known, then streams it to the line scanner or the JSON scanner. */
export class TextReader {
  private head = "";
  private target: LineScanner | JsonScanner | undefined;

  constructor(private readonly emitter: RecordEmitter) {}

  /** True once the file was taken for not JSON: the rest of it need not be read. */
  get done(): boolean {
    return this.emitter.notJson;
  }

  push(text: string): void {
    if (this.done) return;
    this.emitter.text(text);
    if (this.target !== undefined) {
      this.target.push(text);
      return;
    }
    const before = this.head.length;
    this.head += text;
    // The sniff's answer changes only when a line ends or the head reaches one of its limits.
    const reaches = (limit: number) => before < limit && this.head.length >= limit;
    if (!text.includes("\n") && !reaches(SNIFF_LIMIT) && !reaches(MAX_VALUE_CHARS)) return;
    const layout = sniffLayout(this.head, false);
    if (layout !== undefined) this.start(layout === "lines");
  }

  /** `cut` says the bytes stopped early (truncated gzip, read error), so an unfinished line is no surprise. */
  end(cut: boolean): TextOutcome {
    if (this.done) return { content: true, loss: undefined };
    if (this.target === undefined) {
      if (this.head.trim() === "") return { content: false, loss: undefined };
      this.start(sniffLayout(this.head, true) === "lines");
    }
    const target = this.target;
    if (target instanceof LineScanner) {
      const bytes = target.end(cut);
      return { content: true, loss: bytes > 0 ? { unclosed: true, inElement: true, bytes } : undefined };
    }
    return { content: true, loss: target?.end() };
  }

  private start(lines: boolean): void {
    const target = lines ? new LineScanner(this.emitter) : new JsonScanner(this.emitter);
    this.target = target;
    target.push(this.head);
    this.head = "";
  }
}
