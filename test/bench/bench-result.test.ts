import { describe, expect, it } from "vitest";
import { type BenchResult, benchBlocks, benchRatio, median } from "../../src/bench/bench-result.js";
import { renderBlocks } from "../../src/render/index.js";

describe("median", () => {
  it("is the middle value, or the mean of the two middle ones, whatever the order", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
  });
});

describe("benchRatio", () => {
  it("divides each round's replay by the same round's baseline, not the medians by each other", () => {
    // A machine slowing down over the rounds: each round's pair ran at the same speed.
    const ratio = benchRatio([8, 10, 12], [10, 12.5, 15]);
    expect(ratio.rounds).toEqual([0.8, 0.8, 0.8]);
    expect(ratio.median).toBeCloseTo(0.8);
    expect(ratio.best).toBeCloseTo(0.8);
  });

  it("leaves out a round where either run failed, and says so", () => {
    const ratio = benchRatio([8, null, 9], [10, 11, null]);
    expect(ratio.rounds).toEqual([0.8, null, null]);
    expect(ratio.median).toBe(0.8);
    expect(ratio.best).toBeCloseTo(8 / 10);
  });

  it("has no ratio when every round failed", () => {
    expect(benchRatio([null], [10])).toEqual({ median: null, best: null, rounds: [null] });
  });
});

describe("benchBlocks", () => {
  const result: BenchResult = {
    machine: { cpus: 2, node: "v20.20.2" },
    runs: 3,
    trail: { dir: "t", records: 1000, kmsRecords: 400, files: 2, bytes: 2048, generateMs: null },
    keytrail: {
      replayMs: 9000,
      replayRunsMs: [9000, 8000, 10000],
      peakRssBytes: 500 * 1_048_576,
      recordsPerSecond: 111,
      caseBytes: 1_048_576,
      reloadMs: 700,
      reloadWallMs: 1100,
      whoCanMs: 1000,
      usageMs: "n/a",
      findingsMs: "failed",
      usageQueryMs: 190,
      usageQueryAgainMs: 60,
    },
    floor: { wallMs: 12000, runsMs: [12000, 11000, 13000], innerMs: 11900, peakRssBytes: null },
    duckdb: { wallMs: 18000, runsMs: [18000, 17000, 19000], innerMs: 17500, peakRssBytes: null },
    ratios: {
      floor: benchRatio([9000, 8000, 10000], [12000, 11000, 13000]),
      duckdb: benchRatio([9000, 8000, 10000], [18000, 17000, 19000]),
    },
  };

  it("shows the median of each measure's runs with their spread, and the rounds' ratios", () => {
    const text = renderBlocks(benchBlocks(result), "table");
    expect(text).toMatch(/keytrail replay -o case\s+9\.00 s\s+500 MB.*median of 3 \(8\.00 s - 10\.00 s\)/);
    expect(text).toMatch(/ratio keytrail \/ floor\s+0\.75x\s+goal <= 0\.6x; rounds 0\.75x, 0\.73x, 0\.77x/);
    expect(text).toMatch(/ratio keytrail \/ DuckDB\s+0\.50x\s+goal <= 0\.5x; rounds 0\.50x, 0\.47x, 0\.53x/);
  });

  it("keeps the one-run table as it was", () => {
    const one: BenchResult = {
      ...result,
      runs: 1,
      keytrail: { ...result.keytrail, replayRunsMs: [9000] },
      floor: { ...result.floor, runsMs: [12000] },
      ratios: { ...result.ratios, floor: benchRatio([9000], [12000]) },
    };
    const text = renderBlocks(benchBlocks(one), "table");
    expect(text).toMatch(/ratio keytrail \/ floor\s+0\.75x\s+goal <= 0\.6x\n/);
    expect(text).not.toContain("median of 1");
  });
});

describe("benchBlocks, failed runs", () => {
  it("says how many runs the median is of, and how many failed", () => {
    const failing = {
      machine: { cpus: 2, node: "v20" },
      runs: 3,
      trail: { dir: "t", records: 10, kmsRecords: 4, files: 1, bytes: 1, generateMs: null },
      keytrail: {
        replayMs: 9000,
        replayRunsMs: [9000, null, 8000],
        peakRssBytes: null,
        recordsPerSecond: null,
        caseBytes: null,
        reloadMs: null,
        reloadWallMs: null,
        whoCanMs: "n/a",
        usageMs: "n/a",
        findingsMs: "n/a",
        usageQueryMs: null,
        usageQueryAgainMs: null,
      },
      floor: { wallMs: null, runsMs: [null, null, null], innerMs: null, peakRssBytes: null },
      duckdb: { wallMs: 12000, runsMs: [12000, 11000, 13000], innerMs: null, peakRssBytes: null },
      ratios: {
        floor: benchRatio([9000, null, 8000], [null, null, null]),
        duckdb: benchRatio([9000, null, 8000], [12000, 11000, 13000]),
      },
    } satisfies BenchResult;
    const text = renderBlocks(benchBlocks(failing), "table");
    expect(text).toContain("median of 2 (8.00 s - 9.00 s); 1 failed");
    expect(text).toContain("3 runs failed");
    expect(text).toMatch(/ratio keytrail \/ floor\s+n\/a/);
  });
});
