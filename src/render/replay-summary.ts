import type { ReplaySummary } from "../query/index.js";
import type { Block } from "./blocks.js";
import { coverageBlock } from "./coverage-block.js";

const count = (n: number) => n.toLocaleString("en-US");

export function replaySummaryBlocks(summary: ReplaySummary): Block[] {
  const { records, actions, issues, model } = summary;
  const kept = records.kept.kms + records.kept.cloudtrail + records.kept.sts;
  const fields: [string, string][] = [
    ["files", `${count(summary.inputs.files)} (${count(summary.inputs.bytes)} bytes)`],
    ["records read", count(records.read)],
    [
      "kept",
      `${count(kept)} (KMS ${count(records.kept.kms)}, CloudTrail control ${count(records.kept.cloudtrail)}, STS ${count(records.kept.sts)})`,
    ],
    ["dropped (not KMS)", count(records.droppedIrrelevant)],
    ["duplicates (same eventID)", count(records.duplicates)],
    ["rejected records", count(records.rejected)],
    ["every record accounted for", records.accountedFor ? "yes" : "NO (report this as a bug)"],
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
    {
      kind: "table",
      title: "First issues",
      table: {
        headers: ["file", "where", "reason"],
        rows: issues.first
          .slice(0, 20)
          .map((issue) => [
            issue.file,
            issue.line !== undefined
              ? `line ${issue.line}`
              : issue.index !== undefined
                ? `record ${issue.index}`
                : "-",
            `${issue.code}: ${issue.reason}`,
          ]),
      },
    },
    coverageBlock(summary.coverage, "Coverage (trail read, per account and region)", count),
  ];
}
