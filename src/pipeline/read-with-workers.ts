import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { FileSummary, IngestProgress, IngestSummary, InputEntry, SkippedPath } from "../ingest/index.js";
import { type FromWorker, ReadCounters, type ReadProgress, type ToWorker } from "./read-protocol.js";
import type { ReplayAccumulator } from "./replay-accumulator.js";

const WORKER = new URL("./read-worker.js", import.meta.url);
const PROGRESS_INTERVAL_MS = 100;

/** Whether the compiled worker exists (it does not when the sources run under a TypeScript loader). */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER));
}

/**
 * Reads the files on `threads` workers, each worker claiming the next unread file as it finishes one (large
 * and small files balance out, and no worker waits for the main thread to hand it one). Events reach the
 * accumulator in no particular order, which replay is built for; file summaries are kept in input order so
 * reports stay deterministic.
 */
export async function readWithWorkers(
  entries: InputEntry[],
  skipped: SkippedPath[],
  accumulator: ReplayAccumulator,
  threads: number,
  progress?: (progress: IngestProgress) => void,
): Promise<IngestSummary> {
  const paths: string[] = [];
  for (const entry of entries) {
    if (entry.kind === "issue") accumulator.issue(entry.issue);
    else if (entry.kind === "file") paths.push(entry.path);
  }
  const summaries: (FileSummary | undefined)[] = new Array(paths.length);
  const totals: IngestProgress = {
    filesDone: 0,
    filesTotal: paths.length,
    records: 0,
    dropped: 0,
    issues: entries.length - paths.length,
    bytes: 0,
  };
  let lastProgress = 0;
  const tick = (force = false) => {
    const now = Date.now();
    if (progress && (force || now - lastProgress >= PROGRESS_INTERVAL_MS)) {
      lastProgress = now;
      progress({ ...totals });
    }
  };
  const addProgress = (read: ReadProgress) => {
    totals.bytes += read.bytes;
    totals.records += read.records;
    totals.dropped += read.dropped;
    tick();
  };
  const counters = new ReadCounters();
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(WORKER);
      worker.on("message", (message: FromWorker) => {
        if (message.type === "batch") {
          accumulator.events(message);
          for (const issue of message.issues) accumulator.issue(issue);
          counters.batchCollected();
          totals.issues += message.issues.length;
          addProgress(message.progress);
        } else if (message.type === "file") {
          summaries[message.index] = message.summary;
          totals.filesDone++;
          addProgress(message.progress);
        } else {
          accumulator.addReader(message);
          void worker.terminate().then(() => resolve());
        }
      });
      worker.on("error", reject);
      const read: ToWorker = { type: "read", paths, counters: counters.buffer };
      worker.postMessage(read);
    });
  await Promise.all(Array.from({ length: Math.min(threads, paths.length) }, runWorker));
  tick(true);
  const files = summaries.filter((summary): summary is FileSummary => summary !== undefined);
  return {
    files,
    skipped,
    records: files.reduce((sum, file) => sum + file.records, 0),
    dropped: files.reduce((sum, file) => sum + file.dropped, 0),
    issues: totals.issues,
    bytes: files.reduce((sum, file) => sum + file.bytes, 0),
  };
}
