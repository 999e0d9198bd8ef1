import type { Issue, SourcePosition } from "../issue.js";
import type { RecordFacts } from "./record-facts.js";

/** The shapes keytrail reads, detected from content (DESIGN §2). */
export type InputFormat =
  | "cloudtrail-records" // {"Records":[...]} (S3 delivery), .json or .json.gz
  | "ndjson" // one record a line (CloudTrail Lake / Athena exports, jq -c)
  | "lookup-events" // aws cloudtrail lookup-events output, possibly paged concatenations
  | "eventbridge" // {"detail-type":"AWS API Call via CloudTrail","detail":{...}} (one, many, or a line each)
  | "json-array" // [record, record, ...]
  | "single-record"; // one bare record object

/** A JSON object as parsed from input, before any schema has looked at it. */
export type RawRecord = Record<string, unknown>;

export interface FileSummary {
  file: string;
  /** null when the content matched no format (an issue says why). */
  format: InputFormat | null;
  gzip: boolean;
  /** Bytes read from disk (compressed size for .gz). */
  bytes: number;
  /** Records handed to the sink. */
  records: number;
  /** Well-formed records dropped early by `keep` (non-KMS noise). */
  dropped: number;
  /** Issues raised for this file. */
  issues: number;
}

/** Receives everything ingest finds. Called synchronously, in file order within one file. */
export interface IngestSink {
  record(record: RawRecord, position: SourcePosition): void;
  issue(issue: Issue): void;
}

export interface IngestProgress {
  filesDone: number;
  filesTotal: number;
  records: number;
  dropped: number;
  issues: number;
  bytes: number;
}

export interface IngestOptions {
  /** Early filter: records for which it returns false are counted as dropped and never reach the sink. */
  keep?: (record: RawRecord) => boolean;
  /** Earlier filter on a record's top-level facts, before parsing: true means `keep` would drop it (see ReadSourceOptions). */
  drop?: (facts: RecordFacts) => boolean;
  /** Called now and then (at most every ~100 ms) while reading. */
  progress?: (progress: IngestProgress) => void;
  /** Readable used for the path "-" (defaults to process.stdin). */
  stdin?: NodeJS.ReadableStream;
}

/** A path the directory walk passed over without opening it (see docs/input-formats.md for the rules). */
export interface SkippedPath {
  path: string;
  reason: string;
}

export interface IngestSummary {
  files: FileSummary[];
  /** Paths found while walking directories and deliberately not read. */
  skipped: SkippedPath[];
  records: number;
  dropped: number;
  issues: number;
  bytes: number;
}
