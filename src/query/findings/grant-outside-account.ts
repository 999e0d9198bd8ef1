import type { Principal } from "../../events/index.js";
import type { GrantRecord } from "../../model/index.js";
import { type FindingConfidence, lowered, weakest } from "./confidence.js";
import type { Detection, DetectorContext, Severity } from "./detector.js";
import { principalAccount } from "./principal-account.js";

/**
 * A grant whose grantee lives in another account than the key (or is anyone), or may: a unique id (AROA…,
 * AIDA…) that no record links to a role or user has no account keytrail can judge, and is reported as such
 * rather than passed over.
 */
export function grantOutsideAccount(context: DetectorContext): Detection[] {
  return context.model.data.grants.flatMap((grant) => {
    const keyAccount = context.model.keysByArn.get(grant.keyArn)?.account ?? principalAccount(grant.keyArn);
    const grantee = grant.grantee;
    if (!grantee || keyAccount === null || grant.openedBy.length === 0) return [];
    const judged = judgement(grantee, keyAccount);
    if (!judged) return [];
    const key = context.model.keysByArn.get(grant.keyArn);
    const operations =
      grant.operationsKnown === false ? "operations not logged" : grant.operations.join(", ");
    return [
      {
        severity: judged.severity,
        time: grant.from,
        account: keyAccount,
        region: key?.region ?? "",
        explanation: `grant ${grant.grantId} on ${grant.keyArn} gives ${grantee.id} (${judged.whose}) ${operations}; created by ${grant.creator}`,
        eventIds: grant.openedBy,
        keys: [grant.keyArn],
        principals: [grantee.id, grant.creator],
        usageWindow: { from: grant.from, to: grant.to },
        // The CreateGrant record names the grantee. Unlogged operations (eventVersion 1.02) leave the claim
        // whole: the explanation says so, and what the grant allows is the blast radius, not the finding.
        ...weakest(judged.ground, grantGround(grant)),
      },
    ];
  });
}

/**
 * How a grantee stands to the key's account: outside (another account, or anyone); possibly outside (a unique
 * id no record resolves: low, and unknown, since it is as likely one of the key account's own roles or users);
 * null when inside, a service, or of no account at all.
 */
function judgement(
  grantee: Principal,
  keyAccount: string,
): { severity: Severity; whose: string; ground: FindingConfidence | null } | null {
  if (grantee.kind === "principal-id")
    return {
      severity: "low",
      whose: "unresolved unique id, account unknown",
      ground: lowered(
        "unknown",
        `no record links ${grantee.id} to a role or user: its account is unknown, and may be the key's own ${keyAccount}`,
      ),
    };
  if (grantee.kind === "any") return { severity: "high", whose: "account any", ground: null };
  if (grantee.kind === "service" || grantee.account === null || grantee.account === keyAccount) return null;
  return { severity: "high", whose: `account ${grantee.account}`, ground: null };
}

function grantGround(grant: GrantRecord): FindingConfidence | null {
  return lowered(grant.confidence, `grant ${grant.grantId} is ${grant.confidence} in the replayed state`);
}
