import type { FileSummary } from "../ingest/index.js";
import type { Issue } from "../issue.js";
import type {
  AliasInterval,
  CoverageSpan,
  CustomKeyStoreRecord,
  GrantRecord,
  KeyRecord,
  ManagementEvent,
  PrincipalRecord,
} from "./types.js";
import type { UsageStore } from "./usage-store.js";

/** What replay read, kept and skipped: every input record is accounted for here. */
export interface ReplayStats {
  files: number;
  bytes: number;
  /** Records found in the inputs (kept + dropped + issues raised on records) */
  recordsRead: number;
  /** Well-formed records dropped early as irrelevant (not KMS, not CloudTrail control, not STS AssumeRole*) */
  droppedIrrelevant: number;
  /** Records whose eventID was already seen (re-delivered files, overlapping inputs) */
  duplicates: number;
  /** Copies of a cross-account action merged into the other copy (same sharedEventID) */
  sharedCopiesMerged: number;
  kmsEvents: number;
  trailEvents: number;
  stsEvents: number;
  /** Management events kept (state changes and failed attempts) */
  managementEvents: number;
  /** Usage rows kept (cryptographic calls and reads, one per action) */
  usageEvents: number;
  failedCalls: number;
  issues: number;
  issuesByCode: Record<string, number>;
  /** Files with issues, and the first issues in full (the counts above are complete) */
  filesWithIssues: FileSummary[];
  firstIssues: Issue[];
  /** Usage calls whose key could not be resolved to an ARN (alias unknown at that time) */
  unresolvedKeyRefs: number;
}

export interface CaseData {
  keys: KeyRecord[];
  grants: GrantRecord[];
  aliases: AliasInterval[];
  principals: PrincipalRecord[];
  events: ManagementEvent[];
  usage: UsageStore;
  coverage: CoverageSpan[];
  /** Custom key stores named by the trail; absent when none is (and in case files written before it existed) */
  customKeyStores?: CustomKeyStoreRecord[];
  stats: ReplayStats;
  /** Latest event time replayed (ms), null for an empty trail */
  end: number | null;
}
