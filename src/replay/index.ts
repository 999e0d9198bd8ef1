export type { AliasObservation, Collected } from "./collector.js";
export { Collector } from "./collector.js";
export type { AssumeRoleBatch, TakenEvents, UsageBatch } from "./event-batch.js";
export { EVENT_BATCH, EventBatch } from "./event-batch.js";
export type { IngestTotals } from "./replay.js";
export { replay } from "./replay.js";
export { defaultKeyPolicy } from "./state.js";
