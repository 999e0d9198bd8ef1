export type { Block, Table, TextFormat } from "./blocks.js";
export { csvCell, renderBlocks, textTable } from "./blocks.js";
export { keyAtBlocks, keyHistoryBlocks } from "./key-report.js";
export { replaySummaryBlocks } from "./replay-summary.js";
