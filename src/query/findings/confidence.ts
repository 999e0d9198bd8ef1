import type { Confidence } from "../../model/index.js";
import { type Gap, gapsInWindow } from "../gaps.js";
import { iso } from "../resolve-key.js";
import type { DetectorContext } from "./detector.js";

/**
 * How well the records show a finding (docs/findings.md#confidence), in the model's own terms: `recorded` when
 * the records it cites show the pattern itself, `inferred` when it rests on something keytrail derived rather
 * than read, `unknown` when it rests on a fact the model does not know.
 */
export interface FindingConfidence {
  confidence: Confidence;
  /** Why it is not `recorded`, in one sentence; null when it is */
  confidenceReason: string | null;
}

export const RECORDED: FindingConfidence = { confidence: "recorded", confidenceReason: null };

/** A ground of a finding that is not recorded, or null when `level` is: a model fact's confidence, passed on. */
export function lowered(level: Confidence, reason: string): FindingConfidence | null {
  return level === "recorded" ? null : { confidence: level, confidenceReason: reason };
}

export function inferred(reason: string): FindingConfidence {
  return { confidence: "inferred", confidenceReason: reason };
}

/**
 * The ground a finding's calls give it when `count` of them named an alias and no key (usage's keyFromAlias):
 * their key is the one the trail's alias history gives, not one a record named. null when none did.
 */
export function keysFromAliasGround(count: number): FindingConfidence | null {
  return count === 0
    ? null
    : inferred(
        `${count} of the calls named an alias and no key: their key is the one the trail's alias history had the alias pointing to`,
      );
}

const RANK: Record<Confidence, number> = { recorded: 0, inferred: 1, unknown: 2 };

/**
 * A finding is as sure as its weakest ground; the reasons of the grounds at that level are kept, joined.
 * null grounds (those that hold as recorded) are skipped, so callers write `condition ? inferred(...) : null`.
 */
export function weakest(...grounds: (FindingConfidence | null)[]): FindingConfidence {
  const known = grounds.filter((ground): ground is FindingConfidence => ground !== null);
  const worst = known.reduce<Confidence>(
    (level, ground) => (RANK[ground.confidence] > RANK[level] ? ground.confidence : level),
    "recorded",
  );
  if (worst === "recorded") return RECORDED;
  const reasons = known
    .filter((ground) => ground.confidence === worst)
    .map((ground) => ground.confidenceReason);
  return { confidence: worst, confidenceReason: [...new Set(reasons)].join("; ") };
}

/** Gaps in which the trail itself says it did not log KMS management events (silences are not counted). */
export const BLINDING: ReadonlySet<Gap["reason"]> = new Set([
  "logging-stopped",
  "trail-deleted",
  "kms-excluded",
]);

/**
 * A finding that compares a state with the one before it (a policy version with the previous version) assumes
 * nothing changed in between: a blinding gap of the account and Region overlapping (from, to) could hide a
 * change, so the comparison is inferred.
 */
export function blindBetween(
  context: DetectorContext,
  place: { account: string; region: string },
  from: number,
  to: number,
  what: string,
): FindingConfidence | null {
  const gap = gapsInWindow(context.model, from, to, [place]).find((candidate) =>
    BLINDING.has(candidate.reason),
  );
  if (!gap) return null;
  return inferred(
    `${gap.reason} from ${iso(gap.from)} falls between ${what}: a change in between may be missing`,
  );
}
