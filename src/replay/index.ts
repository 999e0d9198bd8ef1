export type { AliasObservation, Collected, UsageCall } from "./collector.js";
export { Collector, isUsageEvent, usageCallOf } from "./collector.js";
export type { IngestTotals } from "./replay.js";
export { replay } from "./replay.js";
export { defaultKeyPolicy } from "./state.js";
