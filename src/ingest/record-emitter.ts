import { type Issue, IssueCode, type SourcePosition } from "../issue.js";
import { escapeControls, excerpt, looksBinary } from "../printable.js";
import type { ContainerKind, ScanHandler } from "./json-scanner.js";
import type { LineHandler } from "./line-scanner.js";
import { factsOfText, type RecordFacts } from "./record-facts.js";
import {
  describeJsonError,
  describeValue,
  isEnvelope,
  isRawRecord,
  looksLikeRecord,
  unwrapEnvelope,
  unwrapLookupEntry,
} from "./record-shapes.js";
import { recoverObjects } from "./recover-objects.js";
import { cutReason, type RestartPoint, swallowedRestart } from "./restart-point.js";
import type { IngestSink, InputFormat, RawRecord } from "./types.js";

/** Where a value sits in its file: the record index it takes, and its line for NDJSON. */
interface Place {
  index: number;
  line?: number;
}

/** Top-level record values are one record or several; which format that is only shows at the end. */
type Detected = InputFormat | "record-values";

/**
 * Bad values or lines a file may start with before it is taken for not JSON at all. Until a JSON object or
 * array shows up, issues are held back; a text log or a binary file reaches this within a few lines and then
 * costs one issue instead of one per word, while a trail whose first records are damaged (far fewer than this)
 * still gets one issue per bad record once a good one shows up.
 */
export const NOT_JSON_AFTER = 100;
/** Characters of the file's start quoted in the not-JSON issue. */
const EXCERPT_CHARS = 60;
const BINARY_EXCERPT_CHARS = 16;

/**
 * Turns the values and elements the scanners find into records and issues for one file: unwraps the
 * known shapes, numbers every record (0-based, in file order, bad ones included), applies `keep` and counts.
 */
export class RecordEmitter implements ScanHandler, LineHandler {
  records = 0;
  dropped = 0;
  issues = 0;
  private nextIndex = 0;
  private detected: Detected | null = null;
  /** Top-level values and lines seen, bad ones included: one record is single-record, more are ndjson. */
  private topValues = 0;
  private container: ContainerKind = "array";
  /** Set when a bare array's first object is not a record, so its other elements are ignored. */
  private arrayRejected = false;
  private arrayDecided = false;
  /** Set once a JSON object or array (or a Records/Events member) has been seen: the file is JSON. */
  private sawJson = false;
  /** Issues about values met before `sawJson`, held until it is known whether the file is JSON at all. */
  private held: Issue[] = [];
  /** The start of the text, for the not-JSON issue. */
  private head = "";
  /** Set when the file was taken for not JSON: nothing more of it is read. */
  notJson = false;

  constructor(
    private readonly file: string,
    private readonly sink: Pick<IngestSink, "record" | "issue">,
    private readonly keep?: (record: RawRecord) => boolean,
    private readonly drop?: (facts: RecordFacts) => boolean,
  ) {}

  get format(): InputFormat | null {
    if (this.detected !== "record-values") return this.detected;
    return this.topValues > 1 ? "ndjson" : "single-record";
  }

  /** The index the next value will take (for issues about text that is not a value). */
  get index(): number {
    return this.nextIndex;
  }

  /** The text as it arrives (only its start is kept, to be quoted if the file turns out not to be JSON). */
  text(chunk: string): void {
    if (this.head.length <= EXCERPT_CHARS) this.head += chunk.slice(0, EXCERPT_CHARS + 1);
  }

  open(kind: ContainerKind): void {
    if (this.notJson) return;
    if (kind !== "array") this.seeJson();
    this.container = kind;
    this.arrayRejected = false;
    this.arrayDecided = false;
    if (kind === "Records") this.detect("cloudtrail-records");
    if (kind === "Events") this.detect("lookup-events");
  }

  element(text: string): RestartPoint | null {
    if (this.notJson) return null;
    if (this.container === "Records" && this.droppedUnparsed(text)) return null;
    return this.parseElement(text);
  }

  /** An element of the open container that is to be parsed (not dropped from its facts first). */
  parseElement(text: string): RestartPoint | null {
    const place = { index: this.nextIndex++ };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return this.broken(text, error, place, true);
    }
    if (typeof value === "object" && value !== null) this.seeJson();
    this.containerElement(value, this.container, place);
    return null;
  }

  /**
   * A value or element that does not parse. When it is a record cut short that ran on into the records after it,
   * it is cut where they start, which is returned for the scanner to go on from (see restart-point.ts).
   */
  private broken(text: string, error: unknown, place: Place, inElement: boolean): RestartPoint | null {
    const restart = swallowedRestart(text);
    if (restart !== null) {
      this.reportCut(text.slice(0, restart.at).trimEnd(), place, inElement, restart.kind);
      return restart;
    }
    if (inElement) this.badElement(text, error, place);
    else this.valueIssue(IssueCode.invalidJson, describeJsonError(error), place);
    return null;
  }

  /** An element that is not JSON; records it swallowed (when it was cut short) are recovered after it. */
  private badElement(text: string, error: unknown, place: Place): void {
    const kind = this.container;
    const accept = (value: unknown): boolean =>
      isRawRecord(value) &&
      (kind === "Events" ? "CloudTrailEvent" in value : looksLikeRecord(value) || isEnvelope(value));
    const recovered = recoverObjects(text, accept);
    const after =
      recovered.length > 0 ? `; ${recovered.length} complete records after it were recovered` : "";
    if (recovered.length > 0) this.seeJson();
    this.valueIssue(IssueCode.invalidJson, `${describeJsonError(error)}${after}`, place);
    for (const value of recovered) this.containerElement(value, kind, { index: this.nextIndex++ });
  }

  value(text: string): RestartPoint | null {
    if (this.notJson) return null;
    this.topValues++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return this.broken(text, error, { index: this.nextIndex++ }, false);
    }
    if (typeof value === "object" && value !== null) this.seeJson();
    this.topValue(value, undefined);
    return null;
  }

  line(text: string, line: number): void {
    if (this.notJson) return;
    this.topValues++;
    if (this.droppedUnparsed(text)) {
      this.detect("record-values");
      return;
    }
    const place = { index: this.nextIndex, line };
    const value = this.parse(text, place);
    if (value === undefined) this.nextIndex++;
    else this.topValue(value, line);
  }

  tooLong(line: number, bytes: number): void {
    if (this.notJson) return;
    this.valueIssue(IssueCode.invalidJson, `line of ${bytes} bytes is too long to be a record; skipped`, {
      index: this.nextIndex++,
      line,
    });
  }

  skipped(reason: string): void {
    if (this.notJson) return;
    this.valueIssue(IssueCode.invalidJson, reason, { index: this.nextIndex });
  }

  cut(text: string, inElement: boolean, next: RestartPoint["kind"]): void {
    if (this.notJson) return;
    if (!inElement) this.topValues++;
    this.reportCut(text, { index: this.nextIndex++ }, inElement, next);
  }

  /** One issue for a value cut short by the start of another, a JSON object: the file is JSON. */
  private reportCut(text: string, place: Place, inElement: boolean, next: RestartPoint["kind"]): void {
    this.seeJson();
    this.valueIssue(IssueCode.invalidJson, cutReason(text, inElement, next), place);
  }

  /** An issue about the file as a whole or its end (gzip, read error, text damage): never held back. */
  issue(code: Issue["code"], reason: string, place?: Place, eventId?: string): void {
    this.emit(this.makeIssue(code, reason, place, eventId));
  }

  /**
   * The end of the text. Held issues are reported one by one, unless the file held nothing that is JSON and
   * more than one thing that is not (or one and an unclosed bracket): then it is one not-JSON issue. True
   * when the file was taken for not JSON, so that the caller does not report the unclosed bracket itself.
   */
  endText(unclosed: boolean): boolean {
    if (!this.notJson && this.held.length + (unclosed ? 1 : 0) >= 2 && this.held.length > 0)
      this.giveUp(false);
    for (const issue of this.held) this.emit(issue);
    this.held = [];
    return this.notJson;
  }

  private makeIssue(code: Issue["code"], reason: string, place?: Place, eventId?: string): Issue {
    // Reasons quote the input (JSON.parse's messages, keys, detail-types): keep them printable.
    const issue: Issue = { code, reason: escapeControls(reason), file: this.file };
    if (place !== undefined) issue.index = place.index;
    if (place?.line !== undefined) issue.line = place.line;
    if (eventId !== undefined) issue.eventId = escapeControls(eventId);
    return issue;
  }

  private emit(issue: Issue): void {
    this.issues++;
    this.sink.issue(issue);
  }

  /** An issue about one value, line or element: held back while the file may still turn out not to be JSON. */
  private valueIssue(code: Issue["code"], reason: string, place?: Place, eventId?: string): void {
    const issue = this.makeIssue(code, reason, place, eventId);
    if (this.sawJson) {
      this.emit(issue);
      return;
    }
    this.held.push(issue);
    if (this.held.length >= NOT_JSON_AFTER) this.giveUp(true);
  }

  /** The file is JSON: what was held back is reported as it came. */
  private seeJson(): void {
    if (this.sawJson) return;
    this.sawJson = true;
    for (const issue of this.held) this.emit(issue);
    this.held = [];
  }

  /** One issue for a file that is not JSON (a text log, a binary file), instead of one per word or line. */
  private giveUp(early: boolean): void {
    const values = this.held.length;
    // Words of a log may parse (numbers, true): one value that does not parse says the file is not JSON.
    const json = this.held.every((issue) => issue.code !== IssueCode.invalidJson);
    this.held = [];
    this.notJson = true;
    const head = this.head.trimStart();
    // Bytes that are not text (already U+FFFD) or controls other than line breaks: say so, and quote less.
    const binary = looksBinary(head);
    const quoted = `"${excerpt(head, binary ? BINARY_EXCERPT_CHARS : EXCERPT_CHARS)}"`;
    const start = binary ? `binary data ${quoted}` : quoted;
    const why = early
      ? `its first ${values} values or lines hold no JSON object or array; the rest of the file was not read`
      : "no JSON object or array in the whole file";
    if (json) this.issue(IssueCode.unknownFormat, `no CloudTrail JSON: ${start} (${why})`);
    else this.issue(IssueCode.invalidJson, `not JSON: ${start} (${why})`);
  }

  /**
   * Counts a record `drop` rules out from its facts, unparsed: it takes its index, like any record. Facts
   * that are not plain are not offered to `drop` (they may not say what the record holds).
   */
  droppedByFacts(facts: RecordFacts): boolean {
    if (this.drop === undefined || !facts.plain || !this.drop(facts)) return false;
    this.seeJson();
    this.nextIndex++;
    this.dropped++;
    return true;
  }

  private droppedUnparsed(text: string): boolean {
    if (this.drop === undefined) return false;
    const facts = factsOfText(text);
    return facts !== null && this.droppedByFacts(facts);
  }

  private parse(text: string, place: Place): unknown {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.valueIssue(IssueCode.invalidJson, describeJsonError(error), place);
      return undefined;
    }
    if (typeof value === "object" && value !== null) this.seeJson();
    return value;
  }

  private detect(format: Detected): void {
    if (this.detected === null) this.detected = format;
  }

  /** A complete top-level value (or NDJSON line): a container, an envelope, a record, or no known shape. */
  private topValue(value: unknown, line: number | undefined): void {
    if (Array.isArray(value)) {
      this.open("array");
      for (const element of value) this.containerElement(element, "array", this.place(line));
      return;
    }
    if (isRawRecord(value)) {
      const kind = Array.isArray(value.Records)
        ? "Records"
        : Array.isArray(value.Events)
          ? "Events"
          : undefined;
      const elements: unknown = kind === undefined ? undefined : value[kind];
      if (kind !== undefined && Array.isArray(elements)) {
        this.open(kind);
        for (const element of elements) this.containerElement(element, kind, this.place(line));
        return;
      }
      // One place for the value, whether it turns out a record or not: it takes one index.
      const place = this.place(line);
      if (this.plainObject(value, place, "record-values")) return;
      this.unknownTopValue(value, place);
      return;
    }
    this.unknownTopValue(value, this.place(line));
  }

  private unknownTopValue(value: unknown, place: Place): void {
    this.valueIssue(
      IssueCode.unknownFormat,
      `${describeValue(value)} is none of Records, Events, EventBridge, array or record`,
      place,
    );
  }

  private place(line: number | undefined): Place {
    const index = this.nextIndex++;
    return line === undefined ? { index } : { index, line };
  }

  /** An object outside Records/Events: an EventBridge envelope or a record. False when it is neither. */
  private plainObject(value: RawRecord, place: Place, asRecord: Detected): boolean {
    if (isEnvelope(value)) {
      this.detect("eventbridge");
      const unwrapped = unwrapEnvelope(value);
      if (unwrapped.ok) this.deliver(unwrapped.record, place);
      else this.valueIssue(IssueCode.unknownFormat, unwrapped.reason, place);
      return true;
    }
    if (!looksLikeRecord(value)) return false;
    this.detect(asRecord);
    this.deliver(value, place);
    return true;
  }

  private containerElement(value: unknown, kind: ContainerKind, place: Place): void {
    if (!isRawRecord(value)) {
      this.valueIssue(
        IssueCode.notAnObject,
        `${kind} element is ${describeValue(value)}, not an object`,
        place,
      );
    } else if (kind === "Records") {
      this.deliver(value, place);
    } else if (kind === "Events") {
      const entry = unwrapLookupEntry(value);
      if (entry.ok) this.deliver(entry.record, place);
      else this.valueIssue(IssueCode.badLookupEvent, entry.reason, place, entry.eventId);
    } else {
      this.arrayElement(value, place);
    }
  }

  /** The first object of a bare array decides whether the array holds records at all. */
  private arrayElement(value: RawRecord, place: Place): void {
    if (this.arrayRejected) return;
    const firstDecides = !this.arrayDecided;
    this.arrayDecided = true;
    if (this.plainObject(value, place, "json-array")) return;
    if (firstDecides) this.arrayRejected = true;
    const rest = firstDecides ? "; the rest of this array is not read" : "";
    this.valueIssue(
      IssueCode.unknownFormat,
      `array element is ${describeValue(value)}, not a record${rest}`,
      place,
    );
  }

  private deliver(record: RawRecord, place: Place): void {
    if (this.keep !== undefined && !this.keep(record)) {
      this.dropped++;
      return;
    }
    this.records++;
    const position: SourcePosition = { file: this.file, index: place.index };
    if (place.line !== undefined) position.line = place.line;
    this.sink.record(record, position);
  }
}
