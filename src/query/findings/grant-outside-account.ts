import { lowered, weakest } from "./confidence.js";
import type { Detection, DetectorContext } from "./detector.js";
import { principalAccount } from "./principal-account.js";

/** A grant whose grantee lives in another account than the key (or is anyone). */
export function grantOutsideAccount(context: DetectorContext): Detection[] {
  return context.model.data.grants.flatMap((grant) => {
    const keyAccount = context.model.keysByArn.get(grant.keyArn)?.account ?? principalAccount(grant.keyArn);
    const grantee = grant.grantee;
    if (!grantee || keyAccount === null || grant.openedBy.length === 0) return [];
    const outside = grantee.kind === "any" || (grantee.account !== null && grantee.account !== keyAccount);
    if (!outside || grantee.kind === "service") return [];
    const key = context.model.keysByArn.get(grant.keyArn);
    const operations =
      grant.operationsKnown === false ? "operations not logged" : grant.operations.join(", ");
    return [
      {
        severity: "high" as const,
        time: grant.from,
        account: keyAccount,
        region: key?.region ?? "",
        explanation: `grant ${grant.grantId} on ${grant.keyArn} gives ${grantee.id} (account ${grantee.account ?? "any"}) ${operations}; created by ${grant.creator}`,
        eventIds: grant.openedBy,
        keys: [grant.keyArn],
        principals: [grantee.id, grant.creator],
        usageWindow: { from: grant.from, to: grant.to },
        // The CreateGrant record names the grantee. Unlogged operations (eventVersion 1.02) leave the claim
        // whole: the explanation says so, and what the grant allows is the blast radius, not the finding.
        ...weakest(
          lowered(grant.confidence, `grant ${grant.grantId} is ${grant.confidence} in the replayed state`),
        ),
      },
    ];
  });
}
