import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { replayInputsInFull } from "../../src/pipeline/index.js";
import { type ReplaySummary, replaySummary } from "../../src/query/index.js";
import { renderBlocks, replaySummaryBlocks } from "../../src/render/index.js";
import { kmsRecords } from "../ingest/helpers.js";

/**
 * A delivery with every kind of loss: records rejected at normalization, a gzip cut short (a long reason),
 * and paths the walk passes over (a hidden file, the same file twice through a link).
 */
function delivery(): string {
  const root = mkdtempSync(join(tmpdir(), "keytrail-replay-summary-"));
  mkdirSync(join(root, "logs"));
  const good = kmsRecords(4);
  writeFileSync(join(root, "logs", "a-good.json"), JSON.stringify({ Records: good }));
  const rejected = kmsRecords(6, 10).map(({ eventTime: _time, ...rest }) => rest);
  writeFileSync(join(root, "logs", "b-rejected.json"), JSON.stringify({ Records: rejected }));
  const gz = gzipSync(JSON.stringify({ Records: kmsRecords(200, 100) }));
  writeFileSync(join(root, "logs", "c-cut.json.gz"), gz.subarray(0, Math.floor(gz.length / 2)));
  writeFileSync(join(root, "logs", ".hidden.json"), JSON.stringify({ Records: good }));
  symlinkSync(join(root, "logs", "a-good.json"), join(root, "logs", "d-link.json"));
  return join(root, "logs");
}

describe("replay's summary is honest about what was lost", () => {
  let summary: ReplaySummary;
  let table: string;
  beforeAll(async () => {
    const replayed = await replayInputsInFull([delivery()], { threads: 1 });
    summary = replaySummary(replayed.data, null, null, replayed);
    table = renderBlocks(replaySummaryBlocks(summary), "table");
  });

  it("lists a file whose records were all rejected among the files with issues", () => {
    expect(summary.records.rejected).toBe(6);
    const files = summary.inputs.filesWithIssues.map(({ file, issues }) => ({
      file: file.replace(/.*\//, ""),
      issues,
    }));
    expect(files).toEqual([
      { file: "b-rejected.json", issues: 6 },
      { file: "c-cut.json.gz", issues: 1 },
    ]);
  });

  it("says the balance is over parsed records, and that input was lost besides", () => {
    expect(table).not.toContain("every record accounted for");
    expect(table).toMatch(
      /parsed records accounted for: +yes; 1 issue about input that never became a record/,
    );
  });

  it("lists the skipped paths with their reasons (JSON and table)", () => {
    const skipped = summary.inputs.skipped.map(({ path, reason }) => ({
      path: path.replace(/.*\//, ""),
      reason: reason.replace(/\/.*\//, ""),
    }));
    expect(skipped).toEqual([
      { path: ".hidden.json", reason: expect.stringContaining("hidden") },
      { path: "d-link.json", reason: "same file as a-good.json" },
    ]);
    expect(table).toContain("paths skipped:");
    expect(table).toMatch(/Skipped paths\n +path +reason\n/);
    expect(table).toMatch(/d-link\.json +same file as .*a-good\.json/);
  });

  it("shows issue reasons in full", () => {
    const cut = summary.issues.first.find((issue) => issue.code === "gzip-truncated");
    expect(`gzip-truncated: ${cut?.reason}`.length).toBeGreaterThan(120);
    expect(table).toContain(`gzip-truncated: ${cut?.reason}`);
  });
});
