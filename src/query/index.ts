export type {
  GrantSummary,
  HistoryInterval,
  KeyAtReport,
  KeyHistoryReport,
  KeyIdentity,
} from "./key-report.js";
export { keyAt, keyHistory } from "./key-report.js";
export type { ReplaySummary } from "./replay-summary.js";
export { replaySummary } from "./replay-summary.js";
export { iso, resolveKey } from "./resolve-key.js";
