export type { AliasObservation, Collected, UsageBatch, UsageNote } from "./collector.js";
export { Collector, isUsageEvent, UsageBatchBuilder } from "./collector.js";
export type { IngestTotals } from "./replay.js";
export { replay } from "./replay.js";
export { defaultKeyPolicy } from "./state.js";
