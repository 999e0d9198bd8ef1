import type { FindingsReport } from "../query/index.js";
import type { Block } from "./blocks.js";

export function findingsBlocks(report: FindingsReport): Block[] {
  const { counts } = report;
  return [
    {
      kind: "table",
      title: `Findings (${counts.critical} critical, ${counts.high} high, ${counts.medium} medium, ${counts.low} low)`,
      table: {
        headers: [
          "time",
          "severity",
          "detector",
          "account",
          "region",
          "keys",
          "calls in window",
          "explanation",
        ],
        rows: report.findings.map((finding) => [
          finding.time,
          finding.severity,
          finding.detector,
          finding.account,
          finding.region,
          String(finding.blastRadius.keys.length),
          `${finding.blastRadius.usage.calls} (${finding.blastRadius.usage.failed} failed)`,
          finding.explanation,
        ]),
      },
      empty: "no findings",
    },
    {
      kind: "list",
      title: "Details",
      items: report.findings.map(
        (finding) =>
          `[${finding.severity}] ${finding.time} ${finding.explanation}. Evidence: ${finding.eventIds.join(", ")}. ` +
          `Principals: ${finding.blastRadius.principals.join(", ") || "-"}. ` +
          `Keys: ${finding.blastRadius.keys.join(", ") || "-"}.` +
          finding.caveats.map((caveat) => ` Caveat: ${caveat}.`).join(""),
      ),
    },
  ];
}
