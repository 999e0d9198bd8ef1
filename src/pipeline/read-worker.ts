import { parentPort } from "node:worker_threads";
import { readPath } from "../ingest/index.js";
import type { Issue } from "../issue.js";
import { EventBatch } from "../replay/index.js";
import type { FromWorker, ToWorker } from "./read-protocol.js";
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
let pending = { bytes: 0, records: 0, dropped: 0 };
const post = (message: FromWorker) => port.postMessage(message);

function flush(): void {
  if (events.size || issues.length) post({ type: "batch", ...events.take(), issues });
  issues = [];
  if (pending.bytes || pending.records) post({ type: "progress", ...pending });
  pending = { bytes: 0, records: 0, dropped: 0 };
}

const normalizer = new RecordNormalizer(
  (event) => {
    if (events.add(event)) flush();
  },
  (issue) => {
    issues.push(issue);
  },
);

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
      issue: (issue) => issues.push(issue),
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
  flush();
  post({ type: "file", index: message.index, summary });
}

// The main thread queues the next file before this one is done: messages are handled one at a time, in order.
let queue = Promise.resolve();
port.on("message", (message: ToWorker) => {
  queue = queue.then(() => handle(message));
});
