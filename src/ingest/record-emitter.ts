import { type Issue, IssueCode, type SourcePosition } from "../issue.js";
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
import type { IngestSink, InputFormat, RawRecord } from "./types.js";

/** Where a value sits in its file: the record index it takes, and its line for NDJSON. */
interface Place {
  index: number;
  line?: number;
}

/** Top-level record values are one record or several; which format that is only shows at the end. */
type Detected = InputFormat | "record-values";

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

  open(kind: ContainerKind): void {
    this.container = kind;
    this.arrayRejected = false;
    this.arrayDecided = false;
    if (kind === "Records") this.detect("cloudtrail-records");
    if (kind === "Events") this.detect("lookup-events");
  }

  element(text: string): void {
    if (this.container === "Records" && this.droppedUnparsed(text)) return;
    this.parseElement(text);
  }

  /** An element of the open container that is to be parsed (not dropped from its facts first). */
  parseElement(text: string): void {
    const place = { index: this.nextIndex++ };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.badElement(text, error, place);
      return;
    }
    this.containerElement(value, this.container, place);
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
    this.issue(IssueCode.invalidJson, `${describeJsonError(error)}${after}`, place);
    for (const value of recovered) this.containerElement(value, kind, { index: this.nextIndex++ });
  }

  value(text: string): void {
    this.topValues++;
    const place = { index: this.nextIndex };
    const value = this.parse(text, place);
    if (value === undefined) this.nextIndex++;
    else this.topValue(value, undefined);
  }

  line(text: string, line: number): void {
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
    this.issue(IssueCode.invalidJson, `line of ${bytes} bytes is too long to be a record; skipped`, {
      index: this.nextIndex++,
      line,
    });
  }

  skipped(reason: string): void {
    this.issue(IssueCode.invalidJson, reason, { index: this.nextIndex });
  }

  issue(code: Issue["code"], reason: string, place?: Place, eventId?: string): void {
    this.issues++;
    const issue: Issue = { code, reason, file: this.file };
    if (place !== undefined) issue.index = place.index;
    if (place?.line !== undefined) issue.line = place.line;
    if (eventId !== undefined) issue.eventId = eventId;
    this.sink.issue(issue);
  }

  /**
   * Counts a record `drop` rules out from its facts, unparsed: it takes its index, like any record. Facts
   * that are not plain are not offered to `drop` (they may not say what the record holds).
   */
  droppedByFacts(facts: RecordFacts): boolean {
    if (this.drop === undefined || !facts.plain || !this.drop(facts)) return false;
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
    try {
      return JSON.parse(text);
    } catch (error) {
      this.issue(IssueCode.invalidJson, describeJsonError(error), place);
      return undefined;
    }
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
      if (this.plainObject(value, this.place(line), "record-values")) return;
    }
    this.issue(
      IssueCode.unknownFormat,
      `${describeValue(value)} is none of Records, Events, EventBridge, array or record`,
      this.place(line),
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
      else this.issue(IssueCode.unknownFormat, unwrapped.reason, place);
      return true;
    }
    if (!looksLikeRecord(value)) return false;
    this.detect(asRecord);
    this.deliver(value, place);
    return true;
  }

  private containerElement(value: unknown, kind: ContainerKind, place: Place): void {
    if (!isRawRecord(value)) {
      this.issue(IssueCode.notAnObject, `${kind} element is ${describeValue(value)}, not an object`, place);
    } else if (kind === "Records") {
      this.deliver(value, place);
    } else if (kind === "Events") {
      const entry = unwrapLookupEntry(value);
      if (entry.ok) this.deliver(entry.record, place);
      else this.issue(IssueCode.badLookupEvent, entry.reason, place, entry.eventId);
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
    this.issue(
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
