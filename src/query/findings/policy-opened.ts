import type { KeyRecord } from "../../model/index.js";
import type { Detection, DetectorContext } from "./detector.js";
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
      ? "the key was created trusting them"
      : before
        ? "the previous version did not trust them"
        : "the previous version is not in the trail";
    const anyone = added.some((entry) => entry.kind === "any" && !entry.conditional);
    detections.push({
      severity: anyone ? "critical" : "high",
      time: version.from,
      account: key.account,
      region: key.region,
      explanation: `key policy version ${version.version} of ${key.arn} added ${added.map(describeTrust).join(" and ")} — ${baseline}`,
      eventIds: version.openedBy,
      keys: [key.arn],
      principals: [...(event ? [event.actor.id] : []), ...added.map((entry) => entry.principal)],
      usageWindow: { from: version.from, to: version.to },
    });
  });
  return detections;
}
