import { parentPort } from "node:worker_threads";
import { readPath } from "../ingest/index.js";
import type { Issue } from "../issue.js";
import { EVENT_BATCH, EventBatch } from "../replay/index.js";
import type { FromWorker, ReadProgress, ToWorker } from "./read-protocol.js";
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
const post = (message: FromWorker) => port.postMessage(message);

/** The progress since the previous message, which carries it. */
function progress(): ReadProgress {
  const read = pending;
  pending = noProgress();
  return read;
}

function flush(): void {
  if (events.size || issues.length) post({ type: "batch", ...events.take(), issues, progress: progress() });
  issues = [];
}

/** Issues wait for the next batch, but no more of them than a batch holds events (a file of bad records). */
function addIssue(issue: Issue): void {
  if (issues.push(issue) >= EVENT_BATCH) flush();
}

const normalizer = new RecordNormalizer((event) => {
  if (events.add(event)) flush();
}, addIssue);

async function handle(message: ToWorker): Promise<void> {
  if (message.type === "finish") {
    flush();
    post({ type: "finished", irrelevant: normalizer.irrelevant, coverage: normalizer.coverage.snapshot() });
    return;
  }
  const summary = await readPath(
    message.path,
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
  post({ type: "file", index: message.index, summary, progress: progress() });
}

// The main thread queues the next file before this one is done: messages are handled one at a time, in order.
let queue = Promise.resolve();
port.on("message", (message: ToWorker) => {
  queue = queue.then(() => handle(message));
});
