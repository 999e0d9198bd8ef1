import type { KeyRecord, PolicyVersion } from "../../model/index.js";
import { type FindingConfidence, inferred, weakest } from "./confidence.js";
import type { Detection, DetectorContext } from "./detector.js";
import { policyBaseline, versionGround } from "./policy-baseline.js";
import { describeTrust, outsideTrust, type Trust, trustCovers } from "./policy-trust.js";

/**
 * A policy version that trusts another account or `*` more than the version before it did (or when that version
 * is unknown): not at all before, or only with conditions.
 */
export function policyOpened(context: DetectorContext): Detection[] {
  return context.model.data.keys.flatMap((key) => keyPolicyOpenings(context, key));
}

/** An outsider a version opens the key to. */
interface Opening {
  trust: Trust;
  /** The version before trusted it, or a principal covering it, but only with conditions */
  wasConditional: boolean;
}

function keyPolicyOpenings(context: DetectorContext, key: KeyRecord): Detection[] {
  const versions = [...key.policies].sort((a, b) => a.version - b.version);
  let previous: Map<string, Trust> | null = null;
  const detections: Detection[] = [];
  versions.forEach((version, index) => {
    const trust = outsideTrust(version.document, key.account);
    const before = index === 0 ? null : previous;
    previous = trust;
    if (!trust || version.openedBy.length === 0) return;
    const opened = openings(trust, before);
    if (opened.length === 0) return;
    const event = context.eventsById.get(version.openedBy[0] ?? "");
    const created = event?.name === "CreateKey" || event?.name === "ReplicateKey";
    const baseline = created
      ? {
          text: "the key was created trusting them",
          confidence: weakest(versionGround(context, key, version)),
        }
      : baselineOf(context, key, version, versions[index - 1] ?? null, before, opened);
    const anyone = opened.some(({ trust }) => trust.kind === "any" && !trust.conditional);
    detections.push({
      severity: anyone ? "critical" : "high",
      time: version.from,
      account: key.account,
      region: key.region,
      explanation: `key policy version ${version.version} of ${key.arn} added ${opened.map(({ trust }) => describeTrust(trust)).join(" and ")} — ${baseline.text}`,
      eventIds: version.openedBy,
      keys: [key.arn],
      principals: [...(event ? [event.actor.id] : []), ...opened.map(({ trust }) => trust.principal)],
      usageWindow: { from: version.from, to: version.to },
      ...baseline.confidence,
    });
  });
  return detections;
}

/**
 * The outsiders a version trusts that the version before (null: unknown, so every one) did not cover as surely:
 * no outsider it trusted reaches them (the same principal, their account, `*`) unconditionally, nor with
 * conditions when the version's own route has some too. Narrowing an account to one of its roles opens nothing;
 * dropping the conditions of a route opens it.
 */
function openings(trust: Map<string, Trust>, before: Map<string, Trust> | null): Opening[] {
  return [...trust.values()].flatMap((entry) => {
    const covering = [...(before?.values() ?? [])].filter((prior) => trustCovers(prior, entry));
    if (covering.some((prior) => !prior.conditional || entry.conditional)) return [];
    return [{ trust: entry, wasConditional: covering.length > 0 }];
  });
}

/** How the outsiders opened compare with the version before, which is known. */
function comparedText(opened: readonly Opening[]): string {
  const raised = opened.filter((opening) => opening.wasConditional).length;
  if (raised === 0) return "the previous version did not trust them";
  if (raised === opened.length) return "the previous version trusted them only with conditions";
  return "the previous version did not trust them, or only with conditions";
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
  opened: readonly Opening[],
): { text: string; confidence: FindingConfidence } {
  if (prior && priorTrust)
    return {
      text: comparedText(opened),
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
