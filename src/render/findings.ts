import type { Finding, FindingsReport } from "../query/index.js";
import type { Block } from "./blocks.js";
import { confidenceColumn } from "./confidence-column.js";
import { type CsvTable, idList, textList } from "./csv.js";

/** "Inferred: <why>. " for a finding the records do not show outright; nothing for a recorded one. */
function confidenceNote(finding: Finding): string {
  if (finding.confidence === "recorded") return "";
  const level = `${finding.confidence.charAt(0).toUpperCase()}${finding.confidence.slice(1)}`;
  return `${level}: ${finding.confidenceReason ?? "no reason given"}. `;
}

/**
 * The findings table and one detailed line per finding. Confidence gets a column only when some finding is not
 * recorded (see confidenceColumn), and a finding's line says why it is not.
 */
export function findingsBlocks(report: FindingsReport): Block[] {
  const { counts } = report;
  const rating = confidenceColumn(report.findings);
  return [
    {
      kind: "table",
      title: `Findings (${counts.critical} critical, ${counts.high} high, ${counts.medium} medium, ${counts.low} low)`,
      table: {
        headers: [
          "time",
          "severity",
          ...rating.header,
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
          ...rating.cell(finding),
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
          `[${finding.severity}] ${finding.time} ${finding.explanation}. ${confidenceNote(finding)}` +
          `Evidence: ${finding.eventIds.join(", ")}. ` +
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
  "confidence",
  "confidenceReason",
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
      confidence: finding.confidence,
      confidenceReason: finding.confidenceReason,
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
