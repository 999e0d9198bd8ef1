import type { GapsReport } from "../query/index.js";
import type { Block } from "./blocks.js";

export function gapsBlocks(report: GapsReport): Block[] {
  return [
    {
      kind: "table",
      title: "Coverage (records read per account and Region)",
      table: {
        headers: ["account", "region", "from", "to", "records"],
        rows: report.coverage.map((span) => [
          span.account,
          span.region,
          span.from,
          span.to,
          String(span.records),
        ]),
      },
      empty: "no records read",
    },
    {
      kind: "table",
      title: `Gaps (silence threshold ${Math.round(report.silenceMs / 60000)} min)`,
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
