import { isRelevantRecord, normalizeRecord } from "../events/index.js";
import type { FileSummary, IngestProgress, RawRecord } from "../ingest/index.js";
import { ingest } from "../ingest/index.js";
import type { Issue } from "../issue.js";
import type { CaseData } from "../model/index.js";
import { Collector, replay } from "../replay/index.js";
import { CoverageTracker } from "./coverage-tracker.js";

export interface ReplayInputsOptions {
  progress?: (progress: IngestProgress) => void;
  stdin?: NodeJS.ReadableStream;
  /** How many issues to keep in full in the case file (all are counted). */
  keepIssues?: number;
}

const DEFAULT_KEEP_ISSUES = 1000;

/** Reads the inputs, normalizes every relevant record and replays them into a case (ingest -> events -> replay). */
export async function replayInputs(paths: string[], options: ReplayInputsOptions = {}): Promise<CaseData> {
  const collector = new Collector();
  const coverage = new CoverageTracker();
  const keepIssues = options.keepIssues ?? DEFAULT_KEEP_ISSUES;
  const firstIssues: Issue[] = [];
  const issuesByCode: Record<string, number> = {};
  const filesWithIssues: FileSummary[] = [];
  let issues = 0;
  let irrelevantAfterParse = 0;

  const report = (issue: Issue) => {
    issues++;
    issuesByCode[issue.code] = (issuesByCode[issue.code] ?? 0) + 1;
    if (firstIssues.length < keepIssues) firstIssues.push(issue);
  };

  const summary = await ingest(
    paths,
    {
      record(record, position) {
        const result = normalizeRecord(record, position);
        if (!result.ok) report(result.issue);
        else if (result.event) collector.add(result.event);
        else irrelevantAfterParse++;
      },
      issue: report,
      file(file) {
        if (file.issues > 0) filesWithIssues.push(file);
      },
    },
    {
      keep(record: RawRecord) {
        coverage.note(record);
        return isRelevantRecord(record);
      },
      ...(options.progress ? { progress: options.progress } : {}),
      ...(options.stdin ? { stdin: options.stdin } : {}),
    },
  );

  return replay(collector.collected, coverage.spansRead(), {
    files: summary.files.length,
    bytes: summary.bytes,
    recordsRead: summary.records + summary.dropped,
    droppedIrrelevant: summary.dropped + irrelevantAfterParse,
    issues,
    issuesByCode,
    filesWithIssues,
    firstIssues,
  });
}
