import { parentPort } from "node:worker_threads";
import { readPath } from "../ingest/index.js";
import type { Issue } from "../issue.js";
import { EVENT_BATCH, EventBatch } from "../replay/index.js";
import { type FromWorker, ReadCounters, type ReadProgress, type ToWorker } from "./read-protocol.js";
import { RecordNormalizer } from "./replay-accumulator.js";

/**
 * A read worker: reads the files the main thread hands it, one at a time, and sends back normalized events
 * (non-KMS noise never leaves the worker), issues and per-file summaries. Reading, gunzip, JSON.parse and
 * normalization — most of a replay's work — so run on every core.
 */
const port = parentPort;
if (!port) throw new Error("read-worker: must run as a worker thread");

const events = new EventBatch();
let issues: Issue[] = [];
const noProgress = (): ReadProgress => ({ bytes: 0, records: 0, dropped: 0 });
let pending = noProgress();
/** The counters shared with the main thread and the other workers, from the "read" message. */
let counters: ReadCounters;
const post = (message: FromWorker) => port.postMessage(message);

/** The progress since the previous message, which carries it. */
function progress(): ReadProgress {
  const read = pending;
  pending = noProgress();
  return read;
}

function flush(): void {
  if (events.size || issues.length) {
    counters.queueBatch();
    post({ type: "batch", ...events.take(), issues, progress: progress() });
  }
  issues = [];
}

/** Issues wait for the next batch, but no more of them than a batch holds events (a file of bad records). */
function addIssue(issue: Issue): void {
  if (issues.push(issue) >= EVENT_BATCH) flush();
}

const normalizer = new RecordNormalizer((event) => {
  if (events.add(event)) flush();
}, addIssue);

/** Reads the files this worker claims, one at a time, until none is left unclaimed. */
async function readClaimed(paths: readonly string[]): Promise<void> {
  for (let index = counters.claimFile(); index < paths.length; index = counters.claimFile()) {
    await readFile(index, paths[index] ?? "");
  }
  flush();
  post({ type: "finished", irrelevant: normalizer.irrelevant, coverage: normalizer.coverage.snapshot() });
}

async function readFile(index: number, path: string): Promise<void> {
  const summary = await readPath(
    path,
    {
      record(record, position) {
        pending.records++;
        normalizer.record(record, position);
      },
      issue: addIssue,
    },
    {
      keep(record) {
        if (normalizer.keep(record)) return true;
        pending.dropped++;
        return false;
      },
      drop(facts) {
        if (!normalizer.drop(facts)) return false;
        pending.dropped++;
        return true;
      },
      onBytes(bytes) {
        pending.bytes += bytes;
      },
    },
  );
  post({ type: "file", index, summary, progress: progress() });
}

port.once("message", (message: ToWorker) => {
  // A failure is an unhandled rejection, which ends the worker with an "error" event: the replay rejects.
  counters = new ReadCounters(message.counters);
  void readClaimed(message.paths);
});
