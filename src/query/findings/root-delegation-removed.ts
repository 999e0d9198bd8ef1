import type { Detection, DetectorContext } from "./detector.js";
import { policyBaseline } from "./policy-baseline.js";
import { policyTrust } from "./policy-trust.js";

/** A policy version that drops the key account's own IAM delegation: the account's admins lose the key. */
export function rootDelegationRemoved(context: DetectorContext): Detection[] {
  return context.model.data.keys.flatMap((key) => {
    const versions = [...key.policies].sort((a, b) => a.version - b.version);
    return versions.slice(1).flatMap((version, index) => {
      const previous = versions[index];
      const before = policyTrust(previous?.document);
      const after = policyTrust(version.document);
      if (!previous || !before || !after || version.openedBy.length === 0) return [];
      if (!before.get(key.account)?.iamDelegation || after.get(key.account)?.iamDelegation) return [];
      const actor = context.eventsById.get(version.openedBy[0] ?? "")?.actor.id;
      return [
        {
          severity: "high" as const,
          time: version.from,
          account: key.account,
          region: key.region,
          explanation: `key policy version ${version.version} of ${key.arn} no longer delegates to IAM in its own account ${key.account} (version ${version.version - 1} did): only the principals it names can manage the key`,
          eventIds: version.openedBy,
          keys: [key.arn],
          principals: actor ? [actor] : [],
          usageWindow: { from: version.from, to: version.to },
          ...policyBaseline(context, key, previous, version),
        },
      ];
    });
  });
}
