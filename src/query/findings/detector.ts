import type { CaseModel, ManagementEvent } from "../../model/index.js";
import type { FindingConfidence } from "./confidence.js";

export type Severity = "critical" | "high" | "medium" | "low";

/** Thresholds of the stateful detectors; each is a CLI option of `findings` (docs/findings.md). */
export interface FindingThresholds {
  /** alias-repointed: a target key created at most this long before the repoint is "new" */
  recentKeyMs: number;
  /** key-in-use-disabled: look this far back for use of a key being disabled or scheduled for deletion */
  inUseMs: number;
  /** imported-material: material valid for less than this after its import is "short" */
  shortMaterialMs: number;
  /** bursts: at least this many calls ... */
  burstCount: number;
  /** ... within this long */
  burstWindowMs: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const DEFAULT_THRESHOLDS: FindingThresholds = {
  recentKeyMs: 60 * MINUTE,
  inUseMs: 7 * DAY,
  shortMaterialMs: 7 * DAY,
  burstCount: 3,
  burstWindowMs: 10 * MINUTE,
};

export interface DetectorContext {
  model: CaseModel;
  thresholds: FindingThresholds;
  eventsById: ReadonlyMap<string, ManagementEvent>;
  /** When set, only detections about this key are wanted: a detector may skip the work for other keys. */
  key?: string | undefined;
  /**
   * The window findings are asked about, [from, to) (infinite ends when open). A detector over calls counts and
   * dates the calls inside it, as usage does: a group of calls that began before it is reported from its first
   * call inside, and a burst is one that the calls inside make.
   */
  window: { from: number; to: number };
}

/**
 * What one detector saw; `findings` adds the detector's name, the blast radius's usage and gap caveats. Each
 * detector rates how well the records show it (`confidence`, with `confidenceReason` when not recorded).
 */
export interface Detection extends FindingConfidence {
  severity: Severity;
  time: number;
  account: string;
  region: string;
  explanation: string;
  /** The records that show it; a detection without any is dropped */
  eventIds: string[];
  keys: string[];
  principals: string[];
  /** The window whose use of `keys` is the blast radius (null `to`: the end of the records read) */
  usageWindow: { from: number; to: number | null };
}

export type Detector = (context: DetectorContext) => Detection[];
