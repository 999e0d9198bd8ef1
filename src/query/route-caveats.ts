import { normalizePrincipal, type PrincipalKind } from "../events/index.js";
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

/** An escalation by ReplicateKey is conditional by nature, not by a condition: it has its own caveat. */
const replicationOnly = (via: Via): boolean => via.action === "ReplicateKey" && via.undecided === undefined;

/**
 * Routes KMS limits to the key's account (`via.onlyAccount`): to `*`, or to a principal whose account is not
 * known, for an operation that is not cross-account.
 */
function onlyAccountCaveats(vias: readonly WhoCanVia[]): string[] {
  const limited = vias.filter((via) => via.onlyAccount !== undefined);
  if (limited.length === 0) return [];
  const operations = [...new Set(limited.flatMap((via) => via.operations))].sort();
  const accounts = [...new Set(limited.map((via) => via.onlyAccount))].join(", ");
  return [
    `${limited.length} route(s) to * or to a principal whose account is not known allow ${operations.join(", ")}, which KMS does not allow across accounts (AWS KMS permissions reference, "Cross-account use: No"): they serve principals of the key's account ${accounts} only and are marked conditional (via.onlyAccount)`,
  ];
}

/**
 * ReplicateKey on a multi-Region primary key: a replica with the same key material under a policy the caller
 * chooses, which the trail cannot show before it exists.
 */
function replicationCaveats(vias: readonly Via[]): string[] {
  if (!vias.some((via) => via.action === "ReplicateKey")) return [];
  return [
    "escalation by ReplicateKey: on a multi-Region primary key, a principal allowed kms:ReplicateKey can create a replica in another Region with a key policy of its choosing and the same key material, and use it on this key's ciphertexts (AWS KMS API Reference, ReplicateKey); it also needs kms:CreateKey in that Region, an IAM permission CloudTrail does not show, so these routes are conditional",
  ];
}

/**
 * What the routes of an answer leave open: undecided conditions, grants whose operations are unknown, routes
 * KMS limits to the key's account, escalation by ReplicateKey, and IAM delegation nobody can see.
 */
export function routeCaveats(vias: readonly WhoCanVia[]): string[] {
  // A grant whose operations are unknown stays undecided whatever the request facts: it has its own caveat.
  const undecided = vias.filter(
    (via) => via.conditionResult === "unknown" && !via.operationsUnknown && !replicationOnly(via),
  ).length;
  const delegated = [...new Set(vias.flatMap((via) => (via.type === "iamDelegation" ? [via.account] : [])))];
  const caveats: string[] = [];
  if (undecided > 0)
    caveats.push(
      `${undecided} route(s) depend on conditions or grant constraints not decided without facts about the request (--context, --via-service, --caller-account): they are marked conditional`,
    );
  caveats.push(...operationsUnknownCaveats(vias), ...onlyAccountCaveats(vias), ...replicationCaveats(vias));
  if (delegated.length > 0)
    caveats.push(
      `iamDelegation to ${delegated.join(", ")}: whoever IAM there allows; identity policies, permission boundaries and SCPs are not in CloudTrail`,
    );
  return caveats;
}

/** A principal's routes on a key: a who-can line, or reach's principal on one key. */
export interface KeyRoutes {
  principal: string;
  kind: PrincipalKind;
  /** The key's account */
  keyAccount: string;
  via: readonly Via[];
}

/** Principals that act in the account their ARN names: a role (or one session of it), a user, a federated one. */
const IDENTITY_KINDS: ReadonlySet<PrincipalKind> = new Set(["role", "user", "federated"]);

/** A route through a key-policy statement of its own (an account's IAM delegation and grants aside). */
const throughStatement = (via: Via): boolean =>
  (via.type === "keyPolicy" || via.type === "escalation") &&
  via.grantId === undefined &&
  via.account === undefined;

/**
 * Roles, users and federated principals of another account than the key's that key-policy statements allow: as
 * for an account's IAM delegation, each can use the key only if an IAM policy in its own account allows the
 * action too (AWS KMS Developer Guide, "Allowing users in other accounts to use a KMS key"), which the key's
 * trail does not show. Not conditional, as iamDelegation is not. Grants are left out (docs/authorization.md).
 */
export function outsideIdentityCaveats(lines: readonly KeyRoutes[]): string[] {
  const named = new Set<string>();
  for (const { principal, kind, keyAccount, via } of lines) {
    const { account } = normalizePrincipal(principal);
    if (!IDENTITY_KINDS.has(kind) || account === null || account === keyAccount) continue;
    if (via.some(throughStatement)) named.add(`${principal} (IAM in ${account})`);
  }
  if (named.size === 0) return [];
  return [
    `key-policy routes to principals of another account than the key's: ${[...named].join(", ")}: as for iamDelegation, each also needs an IAM policy in its own account that allows the action (AWS KMS Developer Guide, "Allowing users in other accounts to use a KMS key"); identity policies, permission boundaries and SCPs are not in CloudTrail`,
  ];
}
