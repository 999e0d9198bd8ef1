export { type CollectedInputs, collectInputs, type InputEntry } from "./collect-inputs.js";
export { ingest, readPath, STDIN_NAME } from "./ingest.js";
export { type ReadSourceOptions, type RecordSink, readSource } from "./read-source.js";
export type { RecordFacts } from "./record-facts.js";
export type {
  FileSummary,
  IngestOptions,
  IngestProgress,
  IngestSink,
  IngestSummary,
  InputFormat,
  RawRecord,
  SkippedPath,
} from "./types.js";
