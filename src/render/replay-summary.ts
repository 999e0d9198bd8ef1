import type { ReplaySummary } from "../query/index.js";
import type { Block } from "./blocks.js";
import { coverageBlock } from "./coverage-block.js";

const count = (n: number) => n.toLocaleString("en-US");

/** Issues and skipped paths shown in the table; JSON has the first 1000 issues and every skipped path. */
const ISSUES_SHOWN = 20;
const SKIPPED_SHOWN = 10;

type Issue = ReplaySummary["issues"]["first"][number];

function where(issue: Issue): string {
  if (issue.line !== undefined) return `line ${issue.line}`;
  return issue.index !== undefined ? `record ${issue.index}` : "";
}

/**
 * The balance holds over records that were parsed; input that never became a record (a gzip cut short, text
 * that is not JSON) is not in it, and saying "every record" would hide that.
 */
function accountedText(summary: ReplaySummary): string {
  if (!summary.records.accountedFor) return "NO (report this as a bug)";
  const notRecords = summary.records.inputIssuesNotRecords;
  return notRecords > 0
    ? `yes; ${count(notRecords)} ${notRecords === 1 ? "issue" : "issues"} about input that never became a record (cut, not JSON, unreadable) not counted here`
    : "yes";
}

/** Issues in full, one a line: a reason names what was lost and must not be cut off. */
function issuesBlock(issues: ReplaySummary["issues"]): Block {
  const shown = issues.first.slice(0, ISSUES_SHOWN);
  const more = issues.total > shown.length ? ` (first ${shown.length} of ${count(issues.total)})` : "";
  return {
    kind: "list",
    title: `First issues${more}`,
    items: shown.map((issue) => {
      const at = where(issue);
      return `${issue.file}${at ? `: ${at}` : ""}: ${issue.code}: ${issue.reason}`;
    }),
  };
}

function skippedBlock(skipped: ReplaySummary["inputs"]["skipped"]): Block {
  const more = skipped.length > SKIPPED_SHOWN ? ` (first ${SKIPPED_SHOWN} of ${count(skipped.length)})` : "";
  return {
    kind: "table",
    title: `Skipped paths${more}`,
    table: {
      headers: ["path", "reason"],
      rows: skipped.slice(0, SKIPPED_SHOWN).map((path) => [path.path, path.reason]),
    },
  };
}

function readThreadsField(threads: number | null, readAgain: string | null): [string, string][] {
  if (threads === null) return [];
  const by = threads === 1 ? "the main thread" : `${threads} worker threads`;
  return [["read by", readAgain ? `${by} (${readAgain})` : by]];
}

export function replaySummaryBlocks(summary: ReplaySummary): Block[] {
  const { records, actions, issues, model } = summary;
  const kept = records.kept.kms + records.kept.cloudtrail + records.kept.sts;
  const fields: [string, string][] = [
    ["files", `${count(summary.inputs.files)} (${count(summary.inputs.bytes)} bytes)`],
    ["paths skipped", count(summary.inputs.skipped.length)],
    ...readThreadsField(summary.inputs.readThreads, summary.inputs.readAgain),
    ["records read", count(records.read)],
    [
      "kept",
      `${count(kept)} (KMS ${count(records.kept.kms)}, CloudTrail control ${count(records.kept.cloudtrail)}, STS ${count(records.kept.sts)})`,
    ],
    ["dropped (not KMS)", count(records.droppedIrrelevant)],
    ["duplicates (same eventID)", count(records.duplicates)],
    ["rejected records", count(records.rejected)],
    ["parsed records accounted for", accountedText(summary)],
    ["cross-account copies merged", count(actions.sharedCopiesMerged)],
    [
      "management events",
      `${count(actions.managementEvents)} (failed calls in all: ${count(actions.failedCalls)})`,
    ],
    ["usage calls", count(actions.usageEvents)],
    ["keys", `${count(model.keys)} (${count(model.keysCreatedInTrail)} created in the trail)`],
    [
      "grants / aliases / principals",
      `${count(model.grants)} / ${count(model.aliases)} / ${count(model.principals)}`,
    ],
    ["span", `${summary.span.from ?? "-"} .. ${summary.span.to ?? "-"}`],
  ];
  if (summary.caseFile)
    fields.push(["case file", `${summary.caseFile} (${count(summary.caseBytes ?? 0)} bytes)`]);
  if (actions.unresolvedKeyRefs > 0)
    fields.push(["calls via unknown alias", count(actions.unresolvedKeyRefs)]);
  return [
    { kind: "fields", title: "Replay", fields },
    {
      kind: "table",
      title: `Skipped input (${count(issues.total)} issues)`,
      table: {
        headers: ["reason", "count"],
        rows: Object.entries(issues.byCode)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([code, n]) => [code, count(n)]),
      },
      empty: "none: every input record was read",
    },
    ...(issues.first.length > 0 ? [issuesBlock(issues)] : []),
    ...(summary.inputs.skipped.length > 0 ? [skippedBlock(summary.inputs.skipped)] : []),
    coverageBlock(summary.coverage, "Coverage (trail read, per account and region)", count),
  ];
}
