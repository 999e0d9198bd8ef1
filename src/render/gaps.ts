import type { GapsReport } from "../query/index.js";
import type { Block } from "./blocks.js";
import { coverageBlock } from "./coverage-block.js";

export function gapsBlocks(report: GapsReport): Block[] {
  return [
    coverageBlock(report.coverage),
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
