import type { FileSummary } from "../ingest/index.js";
import type { Issue } from "../issue.js";
import type { TakenEvents } from "../replay/index.js";
import type { SpanSnapshot } from "./coverage-tracker.js";

/**
 * Messages between the main thread and the read workers (structured-cloned: plain data only). Each worker gets
 * every path and the same shared counters (ReadCounters): it claims the next unread file itself, so that no
 * worker waits for the main thread, busy collecting batches, to hand it its next file.
 */
export type ToWorker = { type: "read"; paths: string[]; counters: SharedArrayBuffer };

const NEXT_FILE = 0;
const QUEUED_BATCHES = 1;

/**
 * Batches sent and not yet collected beyond which a worker waits: when collection falls behind the readers,
 * what waits for it stays bounded (a batch is a few hundred KB) instead of growing with the input.
 */
const MAX_QUEUED_BATCHES = 8;

/** The counters the main thread and its read workers share: the next file to claim, the batches queued. */
export class ReadCounters {
  readonly buffer: SharedArrayBuffer;
  private readonly slots: Int32Array;

  constructor(buffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT)) {
    this.buffer = buffer;
    this.slots = new Int32Array(buffer);
  }

  /** The index of the next file no worker has claimed (past the last one when all are claimed). */
  claimFile(): number {
    return Atomics.add(this.slots, NEXT_FILE, 1);
  }

  /** A worker, before sending a batch: waits while too many wait to be collected, then counts its own. */
  queueBatch(): void {
    const slots = this.slots;
    for (let queued = Atomics.load(slots, QUEUED_BATCHES); queued >= MAX_QUEUED_BATCHES; ) {
      Atomics.wait(slots, QUEUED_BATCHES, queued);
      queued = Atomics.load(slots, QUEUED_BATCHES);
    }
    Atomics.add(slots, QUEUED_BATCHES, 1);
  }

  /** The main thread, once it has collected a batch: wakes a worker waiting to send one. */
  batchCollected(): void {
    Atomics.sub(this.slots, QUEUED_BATCHES, 1);
    Atomics.notify(this.slots, QUEUED_BATCHES, 1);
  }
}

/** What a worker read since its previous message, for the progress line. */
export interface ReadProgress {
  bytes: number;
  records: number;
  dropped: number;
}

/**
 * A batch goes when it is full (or at the end), not with each file: a message costs a worker a fixed share
 * besides its size (a trail's ~5-minute files hold a few hundred kept records each). Progress rides along.
 */
export type FromWorker =
  /** Usage and AssumeRole* events travel in columns (what collection keeps of them), other events whole */
  | ({ type: "batch"; issues: Issue[]; progress: ReadProgress } & TakenEvents)
  | { type: "file"; index: number; summary: FileSummary; progress: ReadProgress }
  | { type: "finished"; irrelevant: number; coverage: SpanSnapshot[] };
