import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";
import { generateTrail } from "../generate/index.js";
import { renderBlocks } from "../render/index.js";
import { type BaselineResult, type BenchResult, benchBlocks, benchRatio, median } from "./bench-result.js";
import { measureProcess, type ProcessRun } from "./measure-process.js";

/**
 * `npm run bench [-- --records N] [-- --reuse] [-- --seed S]`: generates (or reuses) a trail under .bench/,
 * then times, each in its own process, keytrail replay, case reload, who-can, usage and findings, the single-thread
 * gunzip+JSON.parse floor and DuckDB on the same files. Prints one table and the same numbers as JSON, and
 * keeps the JSON in .bench/bench-<N>.json.
 */

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const DIST = join(REPO, "dist");
const CLI = join(DIST, "bundle", "keytrail.js");
// Lets --records 10000000 finish so its memory can be measured; the default heap limit would stop it.
const HEAP_MB = 16_384;

const benchArgsSchema = z.object({
  records: z.coerce.number().int().min(1).default(1_000_000),
  seed: z.coerce.number().int().min(0).default(1),
  kmsFraction: z.coerce.number().min(0).max(1).default(0.4),
  reuse: z.boolean().default(false),
  runs: z.coerce.number().int().min(1).default(3),
});

const savedSummarySchema = z.looseObject({
  records: z.number(),
  kmsRecords: z.number(),
  files: z.number(),
  bytes: z.number(),
  to: z.string(),
  exampleKey: z.string().nullable(),
});
type SavedSummary = z.infer<typeof savedSummarySchema>;

function argv(): z.infer<typeof benchArgsSchema> {
  const { values } = parseArgs({
    options: {
      records: { type: "string" },
      seed: { type: "string" },
      "kms-fraction": { type: "string" },
      reuse: { type: "boolean" },
      runs: { type: "string" },
    },
  });
  return benchArgsSchema.parse({ ...values, kmsFraction: values["kms-fraction"] });
}

async function trail(
  args: z.infer<typeof benchArgsSchema>,
): Promise<{ dir: string; summary: SavedSummary; generateMs: number | null }> {
  const dir = join(REPO, ".bench", `trail-${args.records}-s${args.seed}-k${args.kmsFraction}`);
  const saved = join(dir, "generate-summary.json");
  if (args.reuse && existsSync(saved)) {
    return {
      dir,
      summary: savedSummarySchema.parse(JSON.parse(await readFile(saved, "utf8"))),
      generateMs: null,
    };
  }
  await rm(dir, { recursive: true, force: true });
  process.stderr.write(`bench: generating ${args.records.toLocaleString("en-US")} records into ${dir}\n`);
  const started = performance.now();
  const summary = await generateTrail({
    out: dir,
    records: args.records,
    seed: args.seed,
    kmsFraction: args.kmsFraction,
  });
  const generateMs = performance.now() - started;
  await writeFile(saved, JSON.stringify(summary, null, 2));
  return { dir, summary: savedSummarySchema.parse(summary), generateMs };
}

/** The JSON line a bench script prints last, or null when the script failed or printed something else. */
function lastLine<T extends z.ZodType>(run: ProcessRun, schema: T): z.infer<T> | null {
  if (run.code !== 0) return null;
  const parsed = schema.safeParse(JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}"));
  return parsed.success ? parsed.data : null;
}

function parsedMs(run: ProcessRun): number | null {
  return lastLine(run, z.looseObject({ ms: z.number() }))?.ms ?? null;
}

const usageLineSchema = z.looseObject({ ms: z.number(), againMs: z.number().nullable() });

/**
 * Reads every file of the delivery once, untimed. This machine reclaims its page cache within minutes, and a
 * cold read of the 1M trail costs ~0.3 s more: warmed before each timed run, every run reads the same way
 * (from memory), whichever of the three comes first in a round.
 */
async function warmPageCache(dir: string): Promise<void> {
  for (const file of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (file.isFile()) await readFile(join(file.parentPath, file.name));
  }
}

async function step(name: string, args: string[], warm?: string): Promise<ProcessRun> {
  if (warm !== undefined) await warmPageCache(warm);
  process.stderr.write(`bench: ${name}\n`);
  const run = await measureProcess(process.execPath, args, REPO);
  if (run.code !== 0) process.stderr.write(`bench: ${name} exited ${run.code}\n${run.stderr.slice(-2000)}\n`);
  return run;
}

/** who-can and usage are other engineers' commands: timed when built, "n/a" otherwise. */
async function optionalCommand(command: string, args: string[]): Promise<number | "n/a" | "failed"> {
  if (!existsSync(join(DIST, "cli", "commands", `${command}.js`))) return "n/a";
  const run = await step(command, [CLI, command, ...args, "--format", "json"]);
  return run.code === 0 ? run.wallMs : "failed";
}

const wallOf = (run: ProcessRun) => (run.code === 0 ? run.wallMs : null);

/** The wall times of the runs that succeeded. */
const walls = (runs: readonly ProcessRun[]) => runs.flatMap((run) => wallOf(run) ?? []);

/** The largest peak RSS of some runs, null when none could be read. */
function peakOf(runs: readonly ProcessRun[]): number | null {
  const peaks = runs.flatMap((run) => (run.peakRss === null ? [] : [run.peakRss]));
  return peaks.length ? Math.max(...peaks) : null;
}

/** A baseline's runs as BaselineResult: the wall and inner times as medians over the rounds. */
function baseline(runs: readonly ProcessRun[]): BaselineResult {
  const inner = runs.flatMap((run) => parsedMs(run) ?? []);
  return {
    wallMs: median(walls(runs)),
    runsMs: runs.map(wallOf),
    innerMs: median(inner),
    peakRssBytes: peakOf(runs),
  };
}

async function main(): Promise<void> {
  const args = argv();
  const { dir, summary, generateMs } = await trail(args);
  await mkdir(join(REPO, ".bench"), { recursive: true });
  const casePath = join(REPO, ".bench", `bench-${args.records}.case.gz`);
  // The delivery itself, as the floor and DuckDB read it (the trail directory also holds the bench's summary).
  const logs = join(dir, "AWSLogs");
  // Rounds of the three, back to back, so that each round's ratios compare runs made at the same speed of
  // a machine whose speed drifts (see BenchRatio).
  const replays: ProcessRun[] = [];
  const floors: ProcessRun[] = [];
  const duckdbs: ProcessRun[] = [];
  for (let round = 1; round <= args.runs; round++) {
    const of = args.runs > 1 ? ` (round ${round} of ${args.runs})` : "";
    replays.push(
      await step(
        `keytrail replay${of}`,
        [`--max-old-space-size=${HEAP_MB}`, CLI, "replay", logs, "-o", casePath, "--format", "json"],
        logs,
      ),
    );
    floors.push(
      await step(`floor (gunzip + JSON.parse)${of}`, [join(DIST, "bench", "floor-main.js"), dir], logs),
    );
    duckdbs.push(await step(`duckdb${of}`, [join(DIST, "bench", "duckdb-main.js"), dir], logs));
  }
  const replayMs = median(walls(replays));
  // The questions below read the case the last round wrote: none when that round's replay failed.
  const caseBytes = replays.at(-1)?.code === 0 ? (await stat(casePath)).size : null;
  const reload =
    caseBytes === null
      ? null
      : await step("case reload", [
          `--max-old-space-size=${HEAP_MB}`,
          join(DIST, "bench", "reload-main.js"),
          casePath,
        ]);
  const key = summary.exampleKey;
  const whoCanMs =
    key && caseBytes !== null
      ? await optionalCommand("who-can", [key, "--at", summary.to, "-c", casePath])
      : "n/a";
  const usageMs =
    key && caseBytes !== null ? await optionalCommand("usage", ["--key", key, "-c", casePath]) : "n/a";
  const findingsMs = caseBytes !== null ? await optionalCommand("findings", ["-c", casePath]) : "n/a";
  const usageInProcess =
    key && caseBytes !== null
      ? lastLine(
          await step("usage in process", [join(DIST, "bench", "usage-main.js"), casePath, key]),
          usageLineSchema,
        )
      : null;
  const result: BenchResult = {
    machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
    runs: args.runs,
    trail: {
      dir,
      records: summary.records,
      kmsRecords: summary.kmsRecords,
      files: summary.files,
      bytes: summary.bytes,
      generateMs,
    },
    keytrail: {
      replayMs,
      replayRunsMs: replays.map(wallOf),
      peakRssBytes: peakOf(replays),
      recordsPerSecond: replayMs === null ? null : summary.records / (replayMs / 1000),
      caseBytes,
      reloadMs: reload ? parsedMs(reload) : null,
      reloadWallMs: reload?.code === 0 ? reload.wallMs : null,
      whoCanMs,
      usageMs,
      findingsMs,
      usageQueryMs: usageInProcess?.ms ?? null,
      usageQueryAgainMs: usageInProcess?.againMs ?? null,
    },
    floor: baseline(floors),
    duckdb: baseline(duckdbs),
    ratios: {
      floor: benchRatio(replays.map(wallOf), floors.map(wallOf)),
      duckdb: benchRatio(replays.map(wallOf), duckdbs.map(wallOf)),
    },
  };
  process.stdout.write(renderBlocks(benchBlocks(result), "table"));
  const json = JSON.stringify(result, null, 2);
  process.stdout.write(`\n${json}\n`);
  await writeFile(join(REPO, ".bench", `bench-${args.records}.json`), json);
}

await main();
