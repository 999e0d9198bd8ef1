import type { KeyRecord, PolicyVersion } from "../../model/index.js";
import { blindBetween, type FindingConfidence, lowered, weakest } from "./confidence.js";
import type { DetectorContext } from "./detector.js";

const WHY_NOT_RECORDED = {
  inferred: "is KMS's default policy, inferred because the record that created the key logged none",
  unknown: "was put in the same second as another, and the trail does not tell which came last",
} as const;

/** A policy version's own confidence as a finding's ground (null when recorded). */
export function versionGround(version: PolicyVersion): FindingConfidence | null {
  if (version.confidence === "recorded") return null;
  return lowered(
    version.confidence,
    `key policy version ${version.version} ${WHY_NOT_RECORDED[version.confidence]}`,
  );
}

/**
 * How sure a comparison of a key's policy version with the one before it is: both must be recorded (see
 * versionGround), and no blinding gap may fall between them (a PutKeyPolicy in it would be missing).
 */
export function policyBaseline(
  context: DetectorContext,
  key: KeyRecord,
  previous: PolicyVersion,
  version: PolicyVersion,
): FindingConfidence {
  return weakest(
    versionGround(version),
    versionGround(previous),
    blindBetween(
      context,
      key,
      previous.from,
      version.from,
      `versions ${previous.version} and ${version.version}`,
    ),
  );
}
