import type { Block } from "./blocks.js";

export interface CoverageRow {
  account: string;
  region: string;
  from: string;
  to: string;
  records: number;
}

/** The span of trail read per account and Region, as replay, gaps and report all show it. */
export function coverageBlock(
  coverage: readonly CoverageRow[],
  title = "Coverage (records read per account and Region)",
): Block {
  return {
    kind: "table",
    title,
    table: {
      headers: ["account", "region", "from", "to", "records"],
      rows: coverage.map((span) => [span.account, span.region, span.from, span.to, String(span.records)]),
    },
    empty: "no records read",
  };
}
