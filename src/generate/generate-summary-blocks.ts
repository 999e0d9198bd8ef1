import type { Block } from "../render/index.js";
import type { GenerateSummary } from "./generate-trail.js";

function count(value: number): string {
  return value.toLocaleString("en-US");
}

/** `keytrail generate`'s table: what was written where. */
export function generateSummaryBlocks(summary: GenerateSummary): Block[] {
  return [
    {
      kind: "fields",
      title: `Generated CloudTrail delivery in ${summary.out}`,
      fields: [
        ["span", `${summary.from} .. ${summary.to}`],
        ["seed", String(summary.seed)],
        ["accounts", summary.accounts.join(", ")],
        ["regions", summary.regions.join(", ")],
        ["keys", count(summary.keys)],
        ["files", count(summary.files)],
        ["records", count(summary.records)],
        [
          "KMS records",
          `${count(summary.kmsRecords)} (${((100 * summary.kmsRecords) / Math.max(1, summary.records)).toFixed(1)}%)`,
        ],
        ["cross-account copies", count(summary.crossAccountCopies)],
        ["late records", count(summary.lateRecords)],
        ["bytes (gzip)", count(summary.bytes)],
        ["example key", summary.exampleKey ?? "(none)"],
      ],
    },
  ];
}
