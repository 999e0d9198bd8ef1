import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { IngestProgress } from "../../src/ingest/index.js";
import { throttleProgress } from "../../src/ingest/progress-throttle.js";
import { ingestAll, kmsRecords, useTempDir } from "./helpers.js";

const tempDir = useTempDir();

describe("progress", () => {
  it("calls back at most every 100 ms, then once with the final totals", () => {
    let clock = 0;
    const seen: number[] = [];
    let n = 0;
    const progress = throttleProgress(
      () => seen.push(clock),
      () => ({ filesDone: n, filesTotal: 1, records: 0, dropped: 0, issues: 0, bytes: 0 }),
      () => clock,
    );
    for (clock = 0; clock < 350; clock += 10) progress.tick();
    n = 1;
    progress.flush();
    expect(seen).toEqual([0, 100, 200, 300, 350]);
  });

  it("reports running totals that end equal to the summary", async () => {
    const dir = await tempDir();
    for (const name of ["a.json", "b.json"]) {
      await writeFile(join(dir, name), JSON.stringify({ Records: kmsRecords(4) }));
    }
    const calls: IngestProgress[] = [];
    const { summary } = await ingestAll([dir], {
      progress: (progress) => calls.push(progress),
      keep: (record) => record.eventName === "Decrypt",
    });
    expect(calls.at(-1)).toEqual({
      filesDone: 2,
      filesTotal: 2,
      records: 4,
      dropped: 4,
      issues: 0,
      bytes: summary.bytes,
    });
    expect(summary).toMatchObject({ records: 4, dropped: 4, issues: 0 });
  });
});
