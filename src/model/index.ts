export type { CaseData, ReplayStats } from "./case-data.js";
export type { CaseFile, CaseHeader } from "./case-file.js";
export { CASE_FORMAT, CASE_VERSION, readCaseFile, writeCaseFile } from "./case-file.js";
export type { StateAt } from "./case-model.js";
export { CaseModel } from "./case-model.js";
export { allAt, closeLast, holdsAt, intervalAt, transition } from "./interval.js";
export { countAtOrBefore } from "./sorted-search.js";
export type {
  AliasInterval,
  Confidence,
  CoverageSpan,
  GrantCloseReason,
  GrantRecord,
  Interval,
  KeyMaterial,
  KeyRecord,
  KeyState,
  ManagementEvent,
  MultiRegionRole,
  PolicyVersion,
  PrincipalRecord,
  Rotation,
  RotationInstant,
} from "./types.js";
export type { UsageRow, UsageStoreData } from "./usage-store.js";
export { UsageStore } from "./usage-store.js";
