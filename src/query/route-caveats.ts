import type { Via } from "../policy/index.js";
import type { WhoCanVia } from "./merge-via.js";

/**
 * Grants whose CreateGrant record did not log their operations (eventVersion 1.02): each is a conditional route
 * for every grant operation, and the investigator must know why.
 */
export function operationsUnknownCaveats(vias: readonly Via[]): string[] {
  const grants = [...new Set(vias.flatMap((via) => (via.operationsUnknown ? [via.grantId ?? "?"] : [])))];
  if (grants.length === 0) return [];
  return [
    `grant ${grants.join(", ")}: the CreateGrant record did not log the grant's operations; it may allow any grant operation (its routes are marked conditional)`,
  ];
}

/**
 * What the routes of an answer leave open: undecided conditions, grants whose operations are unknown, and IAM
 * delegation nobody can see.
 */
export function routeCaveats(vias: readonly WhoCanVia[]): string[] {
  // A grant whose operations are unknown stays undecided whatever the request facts: it has its own caveat.
  const undecided = vias.filter((via) => via.conditionResult === "unknown" && !via.operationsUnknown).length;
  const delegated = [...new Set(vias.flatMap((via) => (via.type === "iamDelegation" ? [via.account] : [])))];
  const caveats: string[] = [];
  if (undecided > 0)
    caveats.push(
      `${undecided} route(s) depend on conditions or grant constraints not decided without facts about the request (--context, --via-service, --caller-account): they are marked conditional`,
    );
  caveats.push(...operationsUnknownCaveats(vias));
  if (delegated.length > 0)
    caveats.push(
      `iamDelegation to ${delegated.join(", ")}: whoever IAM there allows; identity policies, permission boundaries and SCPs are not in CloudTrail`,
    );
  return caveats;
}
