import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { codes, ingestAll } from "./helpers.js";

/** Public CloudTrail samples beside the repository (never copied into it); see ../shared/data/INDEX.md. */
const dataDir = fileURLToPath(new URL("../../../shared/data/", import.meta.url));
const present = existsSync(dataDir);
if (!present) {
  if (process.env.CI === "true")
    throw new Error(`shared data folder ${dataDir} is missing (required under CI=true)`);
  console.warn(`skipping shared-data ingest tests: ${dataDir} not found`);
}

describe.skipIf(!present)("ingest over ../shared/data", () => {
  it("reads every record of every sample, as INDEX.md counts them", async () => {
    const { records, issues, summary } = await ingestAll([dataDir]);
    expect(records).toHaveLength(956);
    expect(records.filter((record) => record.eventSource === "kms.amazonaws.com")).toHaveLength(144);
    // The two *.provenance.json files are arrays of test metadata, not records: one issue each.
    expect(codes(issues)).toEqual(["unknown-format", "unknown-format"]);
    expect(issues.every((issue) => issue.file.endsWith(".provenance.json"))).toBe(true);
    expect(summary.files).toHaveLength(135);
    expect(summary.skipped.map((skip) => skip.path.slice(dataDir.length))).toEqual(["INDEX.md"]);
  });
});
