import { availableParallelism } from "node:os";
import type { IngestProgress, InputEntry, SkippedPath } from "../ingest/index.js";
import { collectInputs, ingest, STDIN_NAME } from "../ingest/index.js";
import type { CaseData } from "../model/index.js";
import { EventBatch } from "../replay/index.js";
import { readWithWorkers, workersAvailable } from "./read-with-workers.js";
import { RecordNormalizer, ReplayAccumulator } from "./replay-accumulator.js";

export interface ReplayInputsOptions {
  progress?: (progress: IngestProgress) => void;
  stdin?: NodeJS.ReadableStream;
  /** How many issues to keep in full in the case file (all are counted). */
  keepIssues?: number;
  /** Read threads; 1 reads in the main thread. Default: the machine's cores, at most 4. */
  threads?: number;
}

/** Below this many files, starting workers costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 64;
const MAX_DEFAULT_THREADS = 4;

export function defaultThreads(): number {
  return Math.min(availableParallelism(), MAX_DEFAULT_THREADS);
}

/** A replay, and what the case itself does not keep: the paths passed over without being opened. */
export interface ReplayedInputs {
  data: CaseData;
  /** Paths found while walking directories and deliberately not read (hidden, not a log, the same file twice…) */
  skipped: SkippedPath[];
  /** The threads that read: 1 is the main thread (few files, stdin, or asked for), more are worker threads */
  readThreads: number;
  /** Why the inputs were read a second time, in the main thread, after a parallel read; null when they were not */
  readAgain: string | null;
}

const READ_AGAIN =
  "copies of an eventID with different content arrived out of input order; read again in one thread so that the copy kept is the first in the input, whatever the order parallel reads deliver them";

/** Reads the inputs, normalizes every relevant record and replays them into a case (ingest -> events -> replay). */
export async function replayInputs(paths: string[], options: ReplayInputsOptions = {}): Promise<CaseData> {
  return (await replayInputsInFull(paths, options)).data;
}

/**
 * replayInputs, with the paths skipped (`replay` lists them). The case is the same whatever the threads: of the
 * copies of one eventID, the first in the input is kept (and gives an identical copy's position).
 */
export async function replayInputsInFull(
  paths: string[],
  options: ReplayInputsOptions = {},
): Promise<ReplayedInputs> {
  const threads = options.threads ?? defaultThreads();
  const { entries, skipped } = await collectInputs(paths);
  const inputOrder = inputOrderOf(entries);
  const files = entries.flatMap((entry) => (entry.kind === "file" ? [entry.path] : []));
  const parallel =
    threads > 1 && files.length >= MIN_FILES_FOR_WORKERS && !entries.some((entry) => entry.kind === "stdin");
  if (!parallel || !workersAvailable()) return readInMainThread(paths, options, inputOrder, null);
  const accumulator = new ReplayAccumulator(inputOrder, options.keepIssues, true);
  const progress = countingEveryIssue(options.progress, accumulator);
  const summary = await readWithWorkers(entries, skipped, accumulator, threads, progress);
  // Rare (hand-made or merged samples): reading again costs less than a case that depends on thread timing.
  if (accumulator.orderDependent) return readInMainThread(paths, options, inputOrder, READ_AGAIN);
  return { data: accumulator.finish(summary), skipped, readThreads: threads, readAgain: null };
}

/** The input's order: files, standard input, and the walk's own issues (a dangling link…) in their place. */
function inputOrderOf(entries: readonly InputEntry[]): Map<string, number> {
  const places = entries.map((entry) =>
    entry.kind === "file" ? entry.path : entry.kind === "issue" ? entry.issue.file : STDIN_NAME,
  );
  return new Map(places.map((place, index) => [place, index]));
}

/**
 * The readers' progress, its issue count taken from the accumulator: normalization rejects records, and
 * collection raises conflicting duplicates, past the reader's own count.
 */
function countingEveryIssue(
  progress: ReplayInputsOptions["progress"],
  accumulator: ReplayAccumulator,
): ReplayInputsOptions["progress"] {
  return progress && ((read) => progress({ ...read, issues: accumulator.issueCount }));
}

async function readInMainThread(
  paths: string[],
  options: ReplayInputsOptions,
  inputOrder: ReadonlyMap<string, number>,
  readAgain: string | null,
): Promise<ReplayedInputs> {
  const accumulator = new ReplayAccumulator(inputOrder, options.keepIssues);
  const progress = countingEveryIssue(options.progress, accumulator);
  const events = new EventBatch();
  const reader = new RecordNormalizer((event) => {
    if (events.add(event)) accumulator.events(events.take());
  }, accumulator.issue);
  const summary = await ingest(
    paths,
    { record: reader.record, issue: accumulator.issue },
    {
      keep: reader.keep,
      drop: reader.drop,
      ...(progress ? { progress } : {}),
      ...(options.stdin ? { stdin: options.stdin } : {}),
    },
  );
  accumulator.events(events.take());
  accumulator.addReader({ irrelevant: reader.irrelevant, coverage: reader.coverage.snapshot() });
  return { data: accumulator.finish(summary), skipped: summary.skipped, readThreads: 1, readAgain };
}
