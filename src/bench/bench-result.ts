import type { Block } from "../render/index.js";

type Timing = number | "n/a" | "failed";

/**
 * A ratio of keytrail's replay to a baseline. This machine's speed drifts by 15% within an hour, so the three
 * are run in rounds (replay, floor, DuckDB back to back) and each round gives its own ratio: `median` is the
 * median of those, `rounds` each one (null for a round where either run failed), `best` the fastest replay
 * over the fastest baseline run.
 */
export interface BenchRatio {
  median: number | null;
  best: number | null;
  rounds: (number | null)[];
}

/** The middle value (the mean of the two middle ones for an even count); null when there is none. */
export function median(values: readonly number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return null;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? null)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Each round's replay over its baseline, their median, and the fastest over the fastest. */
export function benchRatio(
  replays: readonly (number | null)[],
  baselines: readonly (number | null)[],
): BenchRatio {
  const rounds = replays.map((replay, round) => {
    const baseline = baselines[round] ?? null;
    return replay === null || baseline === null ? null : replay / baseline;
  });
  const fastest = (values: readonly (number | null)[]) => {
    const times = values.filter((value): value is number => value !== null);
    return times.length === 0 ? null : Math.min(...times);
  };
  const [replay, baseline] = [fastest(replays), fastest(baselines)];
  return {
    median: median(rounds.filter((value): value is number => value !== null)),
    best: replay === null || baseline === null ? null : replay / baseline,
    rounds,
  };
}

/** What `npm run bench` prints as JSON (times in ms of wall clock, each step in its own process). */
export interface BenchResult {
  machine: { cpus: number; node: string };
  /** Rounds of replay, floor and DuckDB; their times below are medians over the rounds, `…RunsMs` each run. */
  runs: number;
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
    replayRunsMs: (number | null)[];
    /** The largest of the runs' */
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
  floor: BaselineResult;
  duckdb: BaselineResult;
  ratios: { floor: BenchRatio; duckdb: BenchRatio };
}

export interface BaselineResult {
  wallMs: number | null;
  runsMs: (number | null)[];
  /** The time the script measured inside its process (no start-up), median over the rounds */
  innerMs: number | null;
  peakRssBytes: number | null;
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

function times(value: number | null): string {
  return value === null ? "n/a" : `${value.toFixed(2)}x`;
}

function ratioNote(ratio: BenchRatio, goal: string): string {
  if (ratio.rounds.length < 2) return goal;
  return `${goal}; rounds ${ratio.rounds.map(times).join(", ")}; fastest runs ${times(ratio.best)}`;
}

/** The spread of a measure's runs, when there were several. */
function runsNote(runs: readonly (number | null)[]): string {
  const done = runs.filter((run): run is number => run !== null);
  if (runs.length < 2) return "";
  if (done.length === 0) return `${runs.length} runs failed`;
  const failed = runs.length - done.length;
  const range = `${seconds(Math.min(...done))} - ${seconds(Math.max(...done))}`;
  return `median of ${done.length} (${range})${failed ? `; ${failed} failed` : ""}`;
}

const joined = (...notes: string[]) => notes.filter(Boolean).join("; ");

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
            joined(`case ${mb(keytrail.caseBytes)}`, runsNote(keytrail.replayRunsMs)),
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
            joined("one thread", runsNote(floor.runsMs)),
          ],
          [
            "DuckDB read_json + unnest",
            seconds(duckdb.wallMs),
            mb(duckdb.peakRssBytes),
            perSecond(n, duckdb.wallMs),
            joined("calls per principal per key", runsNote(duckdb.runsMs)),
          ],
          [
            "ratio keytrail / floor",
            times(result.ratios.floor.median),
            "",
            "",
            ratioNote(result.ratios.floor, "goal <= 0.6x"),
          ],
          [
            "ratio keytrail / DuckDB",
            times(result.ratios.duckdb.median),
            "",
            "",
            ratioNote(result.ratios.duckdb, "goal <= 0.5x"),
          ],
        ],
      },
    },
  ];
}
