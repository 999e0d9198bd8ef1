import type { CaseData, CoverageSpan } from "../model/index.js";
import { iso } from "./resolve-key.js";

/** One account and Region's span of trail read, with its times as ISO text (replay, gaps and report print it). */
export interface CoverageRow {
  account: string;
  region: string;
  from: string;
  to: string;
  records: number;
}

interface CaseSpan {
  from: number | null;
  to: number | null;
}

/** `replay --format json`: what was read, kept and skipped (by reason), and the coverage. */
export interface ReplaySummary {
  caseFile: string | null;
  caseBytes: number | null;
  inputs: {
    files: number;
    bytes: number;
    /** Files that raised issues, reading ones and rejected records alike (`issues` counts both) */
    filesWithIssues: { file: string; format: string | null; records: number; issues: number }[];
    /** Paths passed over without being opened (hidden, not a log file name, the same file twice…) */
    skipped: { path: string; reason: string }[];
    /** The threads that read the inputs (1: the main thread); null when the summary is of a case read back */
    readThreads: number | null;
    /** Why a parallel read was done again in the main thread (see replayInputsInFull); null when it was not */
    readAgain: string | null;
  };
  records: {
    read: number;
    kept: { kms: number; cloudtrail: number; sts: number };
    droppedIrrelevant: number;
    duplicates: number;
    rejected: number;
    /**
     * read === kept + droppedIrrelevant + duplicates + rejected: every record that was parsed is accounted for.
     * Input that never became a record (a cut gzip, a line that is not JSON) is in `issues` only.
     */
    accountedFor: boolean;
    /** Issues about input that never became a record, which the balance above cannot include */
    inputIssuesNotRecords: number;
  };
  actions: {
    sharedCopiesMerged: number;
    managementEvents: number;
    usageEvents: number;
    failedCalls: number;
    unresolvedKeyRefs: number;
  };
  issues: {
    total: number;
    byCode: Record<string, number>;
    first: { code: string; file: string; index?: number; line?: number; reason: string }[];
  };
  model: { keys: number; keysCreatedInTrail: number; grants: number; aliases: number; principals: number };
  coverage: CoverageRow[];
  span: { from: string | null; to: string | null };
}

const RECORD_LEVEL_ISSUES = new Set([
  "missing-event-time",
  "missing-event-source",
  "invalid-record",
  "unknown-shape",
]);

/**
 * Issues about input that never became a record (a gzip cut short, text that is not JSON, a file that cannot
 * be read): outside the records' balance. Repairs (invalid UTF-8, NUL bytes) and conflicting duplicates are
 * raised on records that were read and counted.
 */
const INPUT_NOT_RECORDS = new Set([
  "file-unreadable",
  "dangling-link",
  "symlink-loop",
  "empty-file",
  "gzip-truncated",
  "gzip-corrupt",
  "invalid-json",
  "unknown-format",
  "not-an-object",
  "bad-lookup-event",
]);

const issuesIn = (byCode: Record<string, number>, codes: ReadonlySet<string>) =>
  Object.entries(byCode)
    .filter(([code]) => codes.has(code))
    .reduce((sum, [, count]) => sum + count, 0);

export function coverageRows(coverage: readonly CoverageSpan[]): CoverageRow[] {
  return coverage.map((span) => ({ ...span, from: iso(span.from), to: iso(span.to) }));
}

/** From the first record read to the latest event replayed; null bounds for an empty trail. */
export function caseSpan(data: CaseData): CaseSpan {
  const from = data.coverage.reduce<number | null>(
    (min, span) => (min === null ? span.from : Math.min(min, span.from)),
    null,
  );
  return { from, to: data.end };
}

export function spanText(span: CaseSpan): ReplaySummary["span"] {
  return {
    from: span.from === null ? null : iso(span.from),
    to: span.to === null ? null : iso(span.to),
  };
}

/** `skipped`: the paths the directory walk passed over (the case file does not keep them). */
export function replaySummary(
  data: CaseData,
  caseFile: string | null = null,
  caseBytes: number | null = null,
  read: {
    skipped: readonly { path: string; reason: string }[];
    readThreads: number | null;
    readAgain: string | null;
  } = {
    skipped: [],
    readThreads: null,
    readAgain: null,
  },
): ReplaySummary {
  const { stats } = data;
  const kept = { kms: stats.kmsEvents, cloudtrail: stats.trailEvents, sts: stats.stsEvents };
  const rejected = issuesIn(stats.issuesByCode, RECORD_LEVEL_ISSUES);
  const accounted =
    kept.kms + kept.cloudtrail + kept.sts + stats.droppedIrrelevant + stats.duplicates + rejected;
  return {
    caseFile,
    caseBytes,
    inputs: {
      files: stats.files,
      bytes: stats.bytes,
      filesWithIssues: stats.filesWithIssues.map((file) => ({
        file: file.file,
        format: file.format,
        records: file.records,
        issues: file.issues,
      })),
      skipped: read.skipped.map(({ path, reason }) => ({ path, reason })),
      readThreads: read.readThreads,
      readAgain: read.readAgain,
    },
    records: {
      read: stats.recordsRead,
      kept,
      droppedIrrelevant: stats.droppedIrrelevant,
      duplicates: stats.duplicates,
      rejected,
      accountedFor: accounted === stats.recordsRead,
      inputIssuesNotRecords: issuesIn(stats.issuesByCode, INPUT_NOT_RECORDS),
    },
    actions: {
      sharedCopiesMerged: stats.sharedCopiesMerged,
      managementEvents: stats.managementEvents,
      usageEvents: stats.usageEvents,
      failedCalls: stats.failedCalls,
      unresolvedKeyRefs: stats.unresolvedKeyRefs,
    },
    issues: { total: stats.issues, byCode: stats.issuesByCode, first: stats.firstIssues },
    model: {
      keys: data.keys.length,
      keysCreatedInTrail: data.keys.filter((key) => key.createdAt !== null).length,
      grants: data.grants.length,
      aliases: new Set(
        data.aliases.map(
          (interval) => `${interval.alias.account}|${interval.alias.region}|${interval.alias.name}`,
        ),
      ).size,
      principals: data.principals.length,
    },
    coverage: coverageRows(data.coverage),
    span: spanText(caseSpan(data)),
  };
}
