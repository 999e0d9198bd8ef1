import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { FileSummary, IngestProgress, IngestSummary, InputEntry, SkippedPath } from "../ingest/index.js";
import type { FromWorker, ReadProgress, ToWorker } from "./read-protocol.js";
import type { ReplayAccumulator } from "./replay-accumulator.js";

const WORKER = new URL("./read-worker.js", import.meta.url);
const PROGRESS_INTERVAL_MS = 100;
/**
 * Files handed to a worker ahead of the one it reads: its next file is already queued when it finishes one,
 * instead of waiting for the main thread (busy with the events it sent) to answer.
 */
const FILES_IN_FLIGHT = 2;

/** Whether the compiled worker exists (it does not when the sources run under a TypeScript loader). */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER));
}

/**
 * Reads the files on `threads` workers, handing each worker the next file as it finishes one (large and small
 * files balance out). Events reach the accumulator in no particular order, which replay is built for; file
 * summaries are kept in input order so reports stay deterministic.
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
  let next = 0;
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(WORKER);
      const send = (message: ToWorker) => worker.postMessage(message);
      let finishing = false;
      const feed = () => {
        if (finishing) return;
        const index = next++;
        const path = paths[index];
        finishing = path === undefined;
        send(path === undefined ? { type: "finish" } : { type: "read", index, path });
      };
      worker.on("message", (message: FromWorker) => {
        if (message.type === "batch") {
          accumulator.events(message);
          for (const issue of message.issues) accumulator.issue(issue);
          totals.issues += message.issues.length;
          addProgress(message.progress);
        } else if (message.type === "file") {
          summaries[message.index] = message.summary;
          totals.filesDone++;
          addProgress(message.progress);
          feed();
        } else {
          accumulator.addReader(message);
          void worker.terminate().then(() => resolve());
        }
      });
      worker.on("error", reject);
      for (let file = 0; file < FILES_IN_FLIGHT; file++) feed();
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
