import type { CoverageRow } from "../query/index.js";
import type { Block } from "./blocks.js";

/** The span of trail read per account and Region, as replay, gaps and report all show it. */
export function coverageBlock(
  coverage: readonly CoverageRow[],
  title = "Coverage (records read per account and Region)",
  records: (n: number) => string = String,
): Block {
  return {
    kind: "table",
    title,
    table: {
      headers: ["account", "region", "from", "to", "records"],
      rows: coverage.map((span) => [span.account, span.region, span.from, span.to, records(span.records)]),
    },
    empty: "no records read",
  };
}
