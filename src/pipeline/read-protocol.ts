import type { FileSummary } from "../ingest/index.js";
import type { Issue } from "../issue.js";
import type { TakenEvents } from "../replay/index.js";
import type { SpanSnapshot } from "./coverage-tracker.js";

/** Messages between the main thread and the read workers (structured-cloned: plain data only). */
export type ToWorker = { type: "read"; index: number; path: string } | { type: "finish" };

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
