import type { FileSummary } from "../ingest/index.js";
import type { Issue } from "../issue.js";
import type { TakenEvents } from "../replay/index.js";
import type { SpanSnapshot } from "./coverage-tracker.js";

/** Messages between the main thread and the read workers (structured-cloned: plain data only). */
export type ToWorker = { type: "read"; index: number; path: string } | { type: "finish" };

export type FromWorker =
  /** Usage and AssumeRole* events travel in columns (what collection keeps of them), other events whole */
  | ({ type: "batch"; issues: Issue[] } & TakenEvents)
  | { type: "progress"; bytes: number; records: number; dropped: number }
  | { type: "file"; index: number; summary: FileSummary }
  | { type: "finished"; irrelevant: number; coverage: SpanSnapshot[] };
