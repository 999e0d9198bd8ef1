export type { AliasObservation, Collected } from "./collector.js";
export { Collector, isUsageEvent } from "./collector.js";
export type { IngestTotals } from "./replay.js";
export { replay } from "./replay.js";
export { defaultKeyPolicy } from "./state.js";
