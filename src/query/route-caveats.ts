import type { WhoCanVia } from "./merge-via.js";

/** What the routes of an answer leave open: undecided conditions, and IAM delegation nobody can see. */
export function routeCaveats(vias: readonly WhoCanVia[]): string[] {
  const undecided = vias.filter((via) => via.conditionResult === "unknown").length;
  const delegated = [...new Set(vias.flatMap((via) => (via.type === "iamDelegation" ? [via.account] : [])))];
  const caveats: string[] = [];
  if (undecided > 0)
    caveats.push(
      `${undecided} route(s) depend on conditions or grant constraints not decided without facts about the request (--context, --via-service, --caller-account): they are marked conditional`,
    );
  if (delegated.length > 0)
    caveats.push(
      `iamDelegation to ${delegated.join(", ")}: whoever IAM there allows; identity policies, permission boundaries and SCPs are not in CloudTrail`,
    );
  return caveats;
}
