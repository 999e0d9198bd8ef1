import { formatDuration, type GapsReport } from "../query/index.js";
import type { Block } from "./blocks.js";
import { coverageBlock } from "./coverage-block.js";
import { type CsvTable, type CsvValue, idList } from "./csv.js";

export function gapsBlocks(report: GapsReport): Block[] {
  return [
    coverageBlock(report.coverage),
    {
      kind: "table",
      title: `Gaps (silence threshold ${formatDuration(report.silenceMs)})`,
      table: {
        headers: ["account", "region", "from", "to", "reason", "confidence", "key", "detail", "eventIds"],
        rows: report.gaps.map((gap) => [
          gap.account,
          gap.region,
          gap.from,
          gap.to ?? "(end)",
          gap.reason,
          gap.confidence,
          gap.keyArn ?? "-",
          gap.detail,
          gap.eventIds.join(" ") || "-",
        ]),
      },
      empty: "no gaps",
    },
  ];
}

const GAPS_COLUMNS = [
  "section",
  "account",
  "region",
  "from",
  "to",
  "records",
  "reason",
  "detail",
  "eventIds",
  "confidence",
  "keyArn",
  "trail",
] as const;
type GapsColumn = (typeof GAPS_COLUMNS)[number];

/**
 * `gaps --format csv`: the coverage rows, then the gaps, in one table; `section` names the JSON list a row comes
 * from (`coverage` or `gaps`) and the other list's columns stay empty.
 */
export function gapsCsv(report: GapsReport): CsvTable<GapsColumn> {
  const coverage = report.coverage.map(
    (span): Record<GapsColumn, CsvValue> => ({
      section: "coverage",
      account: span.account,
      region: span.region,
      from: span.from,
      to: span.to,
      records: span.records,
      reason: null,
      detail: null,
      eventIds: null,
      confidence: null,
      keyArn: null,
      trail: null,
    }),
  );
  const gaps = report.gaps.map(
    (gap): Record<GapsColumn, CsvValue> => ({
      section: "gaps",
      account: gap.account,
      region: gap.region,
      from: gap.from,
      to: gap.to,
      records: null,
      reason: gap.reason,
      detail: gap.detail,
      eventIds: idList(gap.eventIds),
      confidence: gap.confidence,
      keyArn: gap.keyArn,
      trail: gap.trail,
    }),
  );
  return { columns: GAPS_COLUMNS, rows: [...coverage, ...gaps] };
}
