export type { AliasObservation, Collected, UsageBatch } from "./collector.js";
export { Collector, EventBatch } from "./collector.js";
export type { IngestTotals } from "./replay.js";
export { replay } from "./replay.js";
export { defaultKeyPolicy } from "./state.js";
