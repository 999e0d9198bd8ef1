// A reader thread for read-counters.test.ts: counts each of nine batches as a read worker does before sending
// one. Plain JavaScript over the compiled module (npm test builds first): a worker cannot load TypeScript.
import { parentPort, workerData } from "node:worker_threads";
import { ReadCounters } from "../../dist/pipeline/read-protocol.js";

const counters = new ReadCounters(workerData);
for (let batch = 1; batch <= 9; batch++) {
  counters.queueBatch();
  parentPort?.postMessage(batch);
}
