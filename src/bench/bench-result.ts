import type { Block } from "../render/index.js";

type Timing = number | "n/a" | "failed";

/** What `npm run bench` prints as JSON (times in ms of wall clock, each step in its own process). */
export interface BenchResult {
  machine: { cpus: number; node: string };
  trail: {
    dir: string;
    records: number;
    kmsRecords: number;
    files: number;
    bytes: number;
    generateMs: number | null;
  };
  keytrail: {
    replayMs: number | null;
    peakRssBytes: number | null;
    recordsPerSecond: number | null;
    caseBytes: number | null;
    /** loadCase alone, timed inside the process; reloadWallMs adds Node's start-up. */
    reloadMs: number | null;
    reloadWallMs: number | null;
    /** Whole CLI runs on the case file (start-up + reload + question). */
    whoCanMs: Timing;
    usageMs: Timing;
    /** Every detector over the whole case. */
    findingsMs: Timing;
    /** `usage --key` in process on the loaded case (dist/bench/usage-main.js): the first call, then a median. */
    usageQueryMs: number | null;
    usageQueryAgainMs: number | null;
  };
  floor: { wallMs: number | null; innerMs: number | null; peakRssBytes: number | null };
  duckdb: { wallMs: number | null; innerMs: number | null; peakRssBytes: number | null };
}

function seconds(ms: number | null): string {
  return ms === null ? "failed" : `${(ms / 1000).toFixed(2)} s`;
}

function timing(value: Timing): string {
  return typeof value === "number" ? seconds(value) : value;
}

function mb(bytes: number | null): string {
  return bytes === null ? "n/a" : `${(bytes / 1_048_576).toFixed(0)} MB`;
}

function ratio(a: number | null, b: number | null): string {
  return a === null || b === null ? "n/a" : `${(a / b).toFixed(2)}x`;
}

function perSecond(records: number, ms: number | null): string {
  return ms === null ? "n/a" : `${Math.round(records / (ms / 1000)).toLocaleString("en-US")}/s`;
}

/** One table: each measure with its time, peak memory and throughput, then the two ratios. */
export function benchBlocks(result: BenchResult): Block[] {
  const { trail, keytrail, floor, duckdb } = result;
  const n = trail.records;
  return [
    {
      kind: "table",
      title: `keytrail bench: ${n.toLocaleString("en-US")} records (${trail.kmsRecords.toLocaleString("en-US")} KMS), ${trail.files} files, ${mb(trail.bytes)} gzip, ${result.machine.cpus} CPUs, Node ${result.machine.node}`,
      table: {
        headers: ["measure", "wall", "peak RSS", "throughput", "note"],
        rows: [
          [
            "generate",
            trail.generateMs === null ? "reused" : seconds(trail.generateMs),
            "",
            perSecond(n, trail.generateMs),
            "in-process",
          ],
          [
            "keytrail replay -o case",
            seconds(keytrail.replayMs),
            mb(keytrail.peakRssBytes),
            perSecond(n, keytrail.replayMs),
            `case ${mb(keytrail.caseBytes)}`,
          ],
          [
            "case reload (loadCase)",
            seconds(keytrail.reloadMs),
            "",
            "",
            `process ${seconds(keytrail.reloadWallMs)}`,
          ],
          ["who-can (CLI on case)", timing(keytrail.whoCanMs), "", "", "start-up + reload + query"],
          ["usage --key (CLI on case)", timing(keytrail.usageMs), "", "", "start-up + reload + query"],
          [
            "findings (CLI on case)",
            timing(keytrail.findingsMs),
            "",
            "",
            "start-up + reload + every detector",
          ],
          [
            "usage (one key, in process)",
            seconds(keytrail.usageQueryMs),
            "",
            "",
            `first call; again ${seconds(keytrail.usageQueryAgainMs)}`,
          ],
          [
            "floor: gunzip + JSON.parse",
            seconds(floor.wallMs),
            mb(floor.peakRssBytes),
            perSecond(n, floor.wallMs),
            "one thread",
          ],
          [
            "DuckDB read_json + unnest",
            seconds(duckdb.wallMs),
            mb(duckdb.peakRssBytes),
            perSecond(n, duckdb.wallMs),
            "calls per principal per key",
          ],
          ["ratio keytrail / floor", ratio(keytrail.replayMs, floor.wallMs), "", "", "goal <= 0.6x"],
          ["ratio keytrail / DuckDB", ratio(keytrail.replayMs, duckdb.wallMs), "", "", "goal <= 0.5x"],
        ],
      },
    },
  ];
}
