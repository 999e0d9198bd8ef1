export type {
  AttributionBasis,
  AttributionCandidate,
  CallAttribution,
  CallFacts,
  NoneReason,
} from "./attribution.js";
export { Attributor, candidateLabel, viaServiceOf } from "./attribution.js";
export type { FindingThresholds, Severity } from "./findings/detector.js";
export { DEFAULT_THRESHOLDS } from "./findings/detector.js";
export type { DetectorName } from "./findings/detectors.js";
export { DETECTORS } from "./findings/detectors.js";
export type { Finding, FindingsOptions, FindingsReport } from "./findings.js";
export { findings } from "./findings.js";
export { formatDuration } from "./format-duration.js";
export type { Gap, GapOptions, GapReason, GapsReport } from "./gaps.js";
export {
  computeGaps,
  DEFAULT_SILENCE_MS,
  describeGap,
  gapCaveats,
  gapCaveatsInWindow,
  gapsReport,
} from "./gaps.js";
export type { KeyAuthorization } from "./key-authorization.js";
export { authorizeKey, viaEventIds } from "./key-authorization.js";
export { blockingState, isCryptographic, KEY_OPERATIONS } from "./key-operations.js";
export type {
  GrantSummary,
  HistoryInterval,
  KeyAtReport,
  KeyHistoryReport,
  KeyIdentity,
} from "./key-report.js";
export { keyAt, keyHistory } from "./key-report.js";
export type { WhoCanVia } from "./merge-via.js";
export type { PolicyAt } from "./policy-at.js";
export { policyAt } from "./policy-at.js";
export { askedPrincipal } from "./principal-filter.js";
export type { QuestionFacts } from "./question-context.js";
export { questionContext } from "./question-context.js";
export type { ReachKey, ReachReport, ReachUse, ReachWindow, UnexplainedUse } from "./reach.js";
export { reach } from "./reach.js";
export type { RefusedAcrossAccounts } from "./refused-across-accounts.js";
export type { CoverageRow, ReplaySummary } from "./replay-summary.js";
export { replaySummary } from "./replay-summary.js";
export type { Report, ReportSubject } from "./report.js";
export { report } from "./report.js";
export { iso, resolveKey } from "./resolve-key.js";
export type { StateRefusal } from "./state-verdict.js";
export type { TimelineEntry, TimelineKind, TimelineOptions, TimelineReport } from "./timeline.js";
export { shortPrincipal, timeline } from "./timeline.js";
export type { UsageAttribution, UsageCall, UsageGroup, UsageOptions, UsageReport } from "./usage.js";
export { usage } from "./usage.js";
export type { WhoCanPrincipal, WhoCanQuestion, WhoCanReport } from "./who-can.js";
export { unknownOperationNote, whoCanAt } from "./who-can.js";
