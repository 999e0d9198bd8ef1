/**
 * Bad input is data: ingest and normalization return Issues instead of throwing, and replay counts them.
 * An Issue names the file, the record (index within the file, 0-based) or line (1-based, for line formats)
 * and the reason. `code` is stable and documented in docs/input-formats.md.
 */
export const IssueCode = {
  /** The path could not be opened or read (permissions, vanished file, I/O error). */
  fileUnreadable: "file-unreadable",
  /** A path that does not exist, or a symlink whose target does not exist. */
  danglingLink: "dangling-link",
  /** A directory symlink that leads back into a directory being walked. */
  symlinkLoop: "symlink-loop",
  /** A file with no bytes, or only whitespace. */
  emptyFile: "empty-file",
  /** A gzip stream that ends before its trailer; the records before the cut are kept. */
  gzipTruncated: "gzip-truncated",
  /** A gzip stream whose data is corrupt. */
  gzipCorrupt: "gzip-corrupt",
  /** Bytes that are not valid UTF-8 (replaced by U+FFFD; the record is still parsed when possible). */
  invalidUtf8: "invalid-utf8",
  /** NUL bytes inside the text (stripped outside strings; the record is still parsed when possible). */
  nulBytes: "nul-bytes",
  /** Text that is not valid JSON (a line, or a whole document). */
  invalidJson: "invalid-json",
  /** Valid JSON that is none of the supported shapes (Records, Events, EventBridge, array, record). */
  unknownFormat: "unknown-format",
  /** An element of Records[]/array/line that is not a JSON object. */
  notAnObject: "not-an-object",
  /** A lookup-events entry whose CloudTrailEvent is missing or not a JSON document. */
  badLookupEvent: "bad-lookup-event",
  /** A record without eventTime, or with one that cannot be parsed. */
  missingEventTime: "missing-event-time",
  /** A record without eventSource or eventName. */
  missingEventSource: "missing-event-source",
  /** A record that fails the CloudTrail envelope schema (e.g. no eventID). */
  invalidRecord: "invalid-record",
  /** A KMS record whose event-specific fields do not have the shape its normalizer expects. */
  unknownShape: "unknown-shape",
  /**
   * A record whose eventID was already read with different content (eventName, eventTime, errorCode or key).
   * Raised at the later copy's position; the first copy read is kept. Identical re-deliveries raise nothing.
   */
  conflictingDuplicate: "conflicting-duplicate",
} as const;
export type IssueCode = (typeof IssueCode)[keyof typeof IssueCode];

/** Where a record came from: the file (or "-" for stdin), its 0-based index there, and its line for NDJSON. */
export interface SourcePosition {
  file: string;
  index: number;
  line?: number;
}

export interface Issue {
  code: IssueCode;
  reason: string;
  file: string;
  index?: number;
  line?: number;
  eventId?: string;
}

export function describeIssue(issue: Issue): string {
  const where =
    issue.line !== undefined
      ? `line ${issue.line}`
      : issue.index !== undefined
        ? `record ${issue.index}`
        : "";
  const at = where ? `${issue.file}: ${where}` : issue.file;
  const id = issue.eventId ? ` (eventID ${issue.eventId})` : "";
  return `${at}${id}: ${issue.code}: ${issue.reason}`;
}
