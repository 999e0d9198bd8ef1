import type { KeyRecord, PolicyVersion } from "../../model/index.js";
import { blindBetween, type FindingConfidence, lowered, weakest } from "./confidence.js";
import type { DetectorContext } from "./detector.js";

const WHY_NOT_RECORDED = {
  inferred: "is KMS's default policy, inferred because the record that created the key logged none",
  unknown: "was put in the same second as another, and the trail does not tell which came last",
} as const;

const CREATING: ReadonlySet<string> = new Set(["CreateKey", "ReplicateKey"]);

/**
 * Whether another PutKeyPolicy of the key fell in the same second: CloudTrail's whole-second times do not
 * tell which came last. Replay keeps the one left in force as unknown; the other, closed in the second it
 * was put, is as unsure (had the order been the other way round, the other call made the change). A key's
 * creation comes before any put, whatever the second.
 */
function sharesItsSecond(context: DetectorContext, key: KeyRecord, version: PolicyVersion): boolean {
  const second = (at: PolicyVersion) => Math.floor(at.from / 1000);
  const put = (at: PolicyVersion) => !CREATING.has(context.eventsById.get(at.openedBy[0] ?? "")?.name ?? "");
  return (
    put(version) &&
    key.policies.some((other) => other !== version && second(other) === second(version) && put(other))
  );
}

/** A policy version's own confidence as a finding's ground (null when recorded). */
export function versionGround(
  context: DetectorContext,
  key: KeyRecord,
  version: PolicyVersion,
): FindingConfidence | null {
  const confidence =
    version.confidence === "recorded" && sharesItsSecond(context, key, version)
      ? "unknown"
      : version.confidence;
  if (confidence === "recorded") return null;
  return lowered(confidence, `key policy version ${version.version} ${WHY_NOT_RECORDED[confidence]}`);
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
    versionGround(context, key, version),
    versionGround(context, key, previous),
    blindBetween(
      context,
      key,
      previous.from,
      version.from,
      `versions ${previous.version} and ${version.version}`,
    ),
  );
}
