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
    this.coverage.note(record);
    return isRelevantRecord(record);
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
  private readonly issuesByCode: Record<string, number> = {};
  /** Issues per file, those about its records (rejected at normalization) included. */
  private readonly issuesPerFile = new Map<string, number>();
  private issues = 0;
  private irrelevant = 0;

  /** `inputOrder`: file path -> its index in the input list, for parallel reads (see Collector) */
  constructor(
    private readonly keepIssues = DEFAULT_KEEP_ISSUES,
    private readonly inputOrder: ReadonlyMap<string, number> | null = null,
  ) {
    this.collector = new Collector((issue) => this.issue(issue), inputOrder);
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
   * Keeps the first issues in input order. One reader meets them in that order; parallel readers do not, so
   * their issues are kept up to twice the limit and cut back to the earliest in the input whenever full.
   */
  private keepIssue(issue: Issue): void {
    if (this.inputOrder === null) {
      if (this.firstIssues.length < this.keepIssues) this.firstIssues.push(issue);
      return;
    }
    this.firstIssues.push(issue);
    if (this.firstIssues.length >= 2 * this.keepIssues) this.firstIssues = this.earliestIssues();
  }

  private earliestIssues(): Issue[] {
    const order = this.inputOrder;
    if (order === null) return this.firstIssues;
    const place = (issue: Issue) => order.get(issue.file) ?? Number.POSITIVE_INFINITY;
    return this.firstIssues
      .sort((a, b) => place(a) - place(b) || (a.line ?? a.index ?? -1) - (b.line ?? b.index ?? -1))
      .slice(0, this.keepIssues);
  }

  /**
   * The files read that raised issues, counting each file's rejected records with its reading issues: a file
   * whose records were all turned away by normalization has no reading issue, and must be listed all the same.
   */
  private filesWithIssues(files: readonly FileSummary[]): FileSummary[] {
    return files
      .filter((file) => (this.issuesPerFile.get(file.file) ?? 0) > 0)
      .map((file) => ({ ...file, issues: this.issuesPerFile.get(file.file) ?? 0 }))
      .sort((a, b) => a.file.localeCompare(b.file));
  }

  /** Folds in what a reader learnt besides events and issues. */
  addReader(reader: { irrelevant: number; coverage: SpanSnapshot[] }): void {
    this.irrelevant += reader.irrelevant;
    this.coverage.merge(reader.coverage);
  }

  finish(summary: IngestSummary): CaseData {
    const byPosition = (a: Issue, b: Issue) =>
      a.file.localeCompare(b.file) || (a.line ?? a.index ?? -1) - (b.line ?? b.index ?? -1);
    return replay(this.collector.collected, this.coverage.spansRead(), {
      files: summary.files.length,
      bytes: summary.bytes,
      recordsRead: summary.records + summary.dropped,
      droppedIrrelevant: summary.dropped + this.irrelevant,
      issues: this.issues,
      issuesByCode: this.issuesByCode,
      filesWithIssues: this.filesWithIssues(summary.files),
      firstIssues: this.earliestIssues().sort(byPosition),
    });
  }
}
