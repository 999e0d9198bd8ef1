import type { KeyRecord, PolicyVersion } from "../../model/index.js";
import { type FindingConfidence, inferred, weakest } from "./confidence.js";
import type { Detection, DetectorContext } from "./detector.js";
import { policyBaseline, versionGround } from "./policy-baseline.js";
import { describeTrust, isOutside, policyTrust, type Trust } from "./policy-trust.js";

/** A policy version that trusts another account or `*` when the version before it did not (or is unknown). */
export function policyOpened(context: DetectorContext): Detection[] {
  return context.model.data.keys.flatMap((key) => keyPolicyOpenings(context, key));
}

function keyPolicyOpenings(context: DetectorContext, key: KeyRecord): Detection[] {
  const versions = [...key.policies].sort((a, b) => a.version - b.version);
  let previous: Map<string, Trust> | null = null;
  const detections: Detection[] = [];
  versions.forEach((version, index) => {
    const trust = policyTrust(version.document);
    const before = index === 0 ? null : previous;
    previous = trust;
    if (!trust || version.openedBy.length === 0) return;
    const added = [...trust.values()].filter(
      (entry) => isOutside(entry, key.account) && !(before?.has(entry.principal) ?? false),
    );
    if (added.length === 0) return;
    const event = context.eventsById.get(version.openedBy[0] ?? "");
    const created = event?.name === "CreateKey" || event?.name === "ReplicateKey";
    const baseline = created
      ? {
          text: "the key was created trusting them",
          confidence: weakest(versionGround(context, key, version)),
        }
      : baselineOf(context, key, version, versions[index - 1] ?? null, before);
    const anyone = added.some((entry) => entry.kind === "any" && !entry.conditional);
    detections.push({
      severity: anyone ? "critical" : "high",
      time: version.from,
      account: key.account,
      region: key.region,
      explanation: `key policy version ${version.version} of ${key.arn} added ${added.map(describeTrust).join(" and ")} — ${baseline.text}`,
      eventIds: version.openedBy,
      keys: [key.arn],
      principals: [...(event ? [event.actor.id] : []), ...added.map((entry) => entry.principal)],
      usageWindow: { from: version.from, to: version.to },
      ...baseline.confidence,
    });
  });
  return detections;
}

/**
 * What "added" is measured against when the key was not created with this version, in words and as a
 * confidence: the version before, which may be missing from the trail or unreadable (then it may already have
 * trusted them), else the comparison with it (policyBaseline). A key created trusting an outsider shows it in
 * its creation record alone.
 */
function baselineOf(
  context: DetectorContext,
  key: KeyRecord,
  version: PolicyVersion,
  prior: PolicyVersion | null,
  priorTrust: Map<string, Trust> | null,
): { text: string; confidence: FindingConfidence } {
  if (prior && priorTrust)
    return {
      text: "the previous version did not trust them",
      confidence: policyBaseline(context, key, prior, version),
    };
  const text = prior ? "the previous version could not be read" : "the previous version is not in the trail";
  const missing = prior
    ? `key policy version ${prior.version} could not be read`
    : `the key policy before version ${version.version} is not in the trail`;
  return {
    text,
    confidence: weakest(
      versionGround(context, key, version),
      inferred(`${missing}: it may already have trusted them`),
    ),
  };
}
