import { isRelevantRecord, type NormalizedEvent, normalizeRecord } from "../events/index.js";
import type { FileSummary, IngestSummary, RawRecord, RecordFacts } from "../ingest/index.js";
import type { Issue, SourcePosition } from "../issue.js";
import type { CaseData } from "../model/index.js";
import { Collector, replay, type TakenEvents } from "../replay/index.js";
import { CoverageTracker, type SpanSnapshot } from "./coverage-tracker.js";

const DEFAULT_KEEP_ISSUES = 1000;

/** What one reader (the main thread, or a worker) does with each raw record: note coverage, filter, normalize. */
export class RecordNormalizer {
  readonly coverage = new CoverageTracker();
  irrelevant = 0;

  constructor(
    private readonly onEvent: (event: NormalizedEvent) => void,
    private readonly onIssue: (issue: Issue) => void,
  ) {}

  keep = (record: RawRecord): boolean => {
    const relevant = isRelevantRecord(record);
    // The filter turns away calls keytrail does not keep, which still prove the trail was logging, and records
    // that name no call (Insights summaries, whose times are the insight's): only calls count for coverage.
    if (relevant || typeof record.eventSource === "string") this.coverage.note(record);
    return relevant;
  };

  /**
   * Noise ruled out from its facts alone, unparsed, still counts for coverage. Without recipientAccountId its
   * account is the caller's, which only parsing tells: such a record (rare outside hand-made samples) is
   * parsed, and `keep` then drops it.
   */
  drop = (facts: RecordFacts): boolean => {
    if (isRelevantRecord(facts) || !facts.recipientAccountId) return false;
    this.coverage.note(facts);
    return true;
  };

  record = (record: RawRecord, position: SourcePosition): void => {
    const result = normalizeRecord(record, position);
    if (!result.ok) this.onIssue(result.issue);
    else if (result.event) this.onEvent(result.event);
    else this.irrelevant++;
  };
}

/**
 * Everything a replay gathers while the inputs are read, in whatever order readers deliver it, and the replay
 * itself once reading is done. Issues are counted in full and the first ones kept for the report.
 */
export class ReplayAccumulator {
  private readonly collector: Collector;
  private readonly coverage = new CoverageTracker();
  private firstIssues: Issue[] = [];
  /** The last of the first issues once they were cut back: a later one is not kept. */
  private lastKept: Issue | undefined;
  private readonly issuesByCode: Record<string, number> = {};
  /** Issues per file, those about its records (rejected at normalization) included. */
  private readonly issuesPerFile = new Map<string, number>();
  private issues = 0;
  private irrelevant = 0;

  /**
   * `inputOrder`: each input's place (a file path, `-`, or a path the walk raised an issue about) -> its index
   * in the input list; issues are kept and listed in that order. `parallel`: readers deliver out of input order
   * (see Collector).
   */
  constructor(
    private readonly inputOrder: ReadonlyMap<string, number>,
    private readonly keepIssues = DEFAULT_KEEP_ISSUES,
    parallel = false,
  ) {
    this.collector = new Collector((issue) => this.issue(issue), parallel ? inputOrder : null);
  }

  /** Issues so far, of every kind: reading, normalization and collection. */
  get issueCount(): number {
    return this.issues;
  }

  /** Whether a conflicting copy of an eventID arrived out of input order (see Collector.orderDependent). */
  get orderDependent(): boolean {
    return this.collector.orderDependent;
  }

  /** A batch of a reader's events (see EventBatch). */
  events = (batch: TakenEvents): void => {
    this.collector.addBatch(batch);
  };

  issue = (issue: Issue): void => {
    this.issues++;
    this.issuesByCode[issue.code] = (this.issuesByCode[issue.code] ?? 0) + 1;
    this.keepIssue(issue);
    this.issuesPerFile.set(issue.file, (this.issuesPerFile.get(issue.file) ?? 0) + 1);
  };

  /**
   * Keeps the first issues in input order. Parallel readers do not meet them in that order, and even one reader
   * raises some late (a conflicting duplicate when its batch is collected): issues are kept up to twice the
   * limit and cut back to the earliest in the input whenever full. One past the last kept is not kept.
   */
  private keepIssue(issue: Issue): void {
    if (this.lastKept !== undefined && this.inInputOrder(issue, this.lastKept) >= 0) return;
    this.firstIssues.push(issue);
    if (this.firstIssues.length < 2 * this.keepIssues) return;
    this.firstIssues = this.earliestIssues();
    this.lastKept = this.firstIssues.at(-1);
  }

  /** The first issues in input order. The sort is stable: issues at one place keep the order they came in. */
  private earliestIssues(): Issue[] {
    return this.firstIssues.sort(this.inInputOrder).slice(0, this.keepIssues);
  }

  /**
   * Input order: by input, then by line or record. An issue about a whole file (a corrupt gzip, invalid UTF-8)
   * comes first among its issues, as it may explain the others.
   */
  private readonly inInputOrder = (a: Issue, b: Issue): number => {
    const place = (issue: Issue) => this.inputOrder.get(issue.file) ?? Number.MAX_SAFE_INTEGER;
    const position = (issue: Issue) => issue.line ?? issue.index ?? -1;
    return place(a) - place(b) || position(a) - position(b);
  };

  /**
   * The files read that raised issues, in input order, counting each file's rejected records with its reading
   * issues: a file whose records were all turned away by normalization has no reading issue, and must be listed
   * all the same.
   */
  private filesWithIssues(files: readonly FileSummary[]): FileSummary[] {
    return files
      .filter((file) => (this.issuesPerFile.get(file.file) ?? 0) > 0)
      .map((file) => ({ ...file, issues: this.issuesPerFile.get(file.file) ?? 0 }));
  }

  /** Folds in what a reader learnt besides events and issues. */
  addReader(reader: { irrelevant: number; coverage: SpanSnapshot[] }): void {
    this.irrelevant += reader.irrelevant;
    this.coverage.merge(reader.coverage);
  }

  finish(summary: IngestSummary): CaseData {
    return replay(this.collector.collected, this.coverage.spansRead(), {
      files: summary.files.length,
      bytes: summary.bytes,
      recordsRead: summary.records + summary.dropped,
      droppedIrrelevant: summary.dropped + this.irrelevant,
      issues: this.issues,
      issuesByCode: this.issuesByCode,
      filesWithIssues: this.filesWithIssues(summary.files),
      firstIssues: this.earliestIssues(),
    });
  }
}
