import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { ReadCounters } from "../../src/pipeline/read-protocol.js";

describe("ReadCounters", () => {
  it("hands each file to one reader only, in input order, whichever reader claims it", () => {
    const first = new ReadCounters();
    const second = new ReadCounters(first.buffer);
    const claimed = [first.claimFile(), second.claimFile(), second.claimFile(), first.claimFile()];
    expect(claimed).toEqual([0, 1, 2, 3]);
  });

  it("holds a reader back while eight batches wait to be collected, and lets it go when one is", async () => {
    const counters = new ReadCounters();
    const reader = new Worker(new URL("./batch-sender.mjs", import.meta.url), {
      workerData: counters.buffer,
    });
    const sent: number[] = [];
    reader.on("message", (batch: number) => sent.push(batch));
    const failures: unknown[] = [];
    reader.on("error", (error) => failures.push(error));
    try {
      await waitFor(() => sent.length >= 8 || failures.length > 0);
      expect(failures).toEqual([]);
      // The ninth waits: give it time to be sent if it were not held back.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sent).toHaveLength(8);
      counters.batchCollected();
      await waitFor(() => sent.length === 9);
      expect(sent).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    } finally {
      await reader.terminate();
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 200) throw new Error("timed out waiting for the reader");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
