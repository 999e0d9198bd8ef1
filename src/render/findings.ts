import type { FindingsReport } from "../query/index.js";
import type { Block } from "./blocks.js";
import { type CsvTable, idList, textList } from "./csv.js";

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

const FINDINGS_COLUMNS = [
  "detector",
  "title",
  "severity",
  "time",
  "account",
  "region",
  "explanation",
  "eventIds",
  "blastRadius.keys",
  "blastRadius.principals",
  "blastRadius.usage.from",
  "blastRadius.usage.to",
  "blastRadius.usage.calls",
  "blastRadius.usage.failed",
  "blastRadius.usage.denied",
  "blastRadius.usage.principals",
  "caveats",
] as const;

/** `findings --format csv`: one row per finding, every evidence eventId, key and principal in full. */
export function findingsCsv(report: FindingsReport): CsvTable<(typeof FINDINGS_COLUMNS)[number]> {
  return {
    columns: FINDINGS_COLUMNS,
    rows: report.findings.map(({ blastRadius, ...finding }) => ({
      detector: finding.detector,
      title: finding.title,
      severity: finding.severity,
      time: finding.time,
      account: finding.account,
      region: finding.region,
      explanation: finding.explanation,
      eventIds: idList(finding.eventIds),
      "blastRadius.keys": idList(blastRadius.keys),
      "blastRadius.principals": idList(blastRadius.principals),
      "blastRadius.usage.from": blastRadius.usage.from,
      "blastRadius.usage.to": blastRadius.usage.to,
      "blastRadius.usage.calls": blastRadius.usage.calls,
      "blastRadius.usage.failed": blastRadius.usage.failed,
      "blastRadius.usage.denied": blastRadius.usage.denied,
      "blastRadius.usage.principals": idList(blastRadius.usage.principals),
      caveats: textList(finding.caveats),
    })),
  };
}
