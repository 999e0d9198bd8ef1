import { CRYPTO_ACTIONS } from "../events/index.js";
import type { EvaluationOptions } from "./applicable-statements.js";
import type { EscalationAction, PrincipalAuthorization, Via } from "./authorization.js";
import { authorizeOperation } from "./authorize-operation.js";
import type { RefusedRoute } from "./cross-account.js";
import { type GrantInput, grantAllows } from "./grant-allows.js";
import { resolveAction } from "./kms-actions.js";
import type { ParsedPolicy } from "./parsed-policy.js";

export interface EscalationOptions extends Omit<EvaluationOptions, "side"> {
  /**
   * The key is a multi-Region primary key (or a multi-Region key whose role is not known): kms:ReplicateKey
   * creates a replica under a key policy of the caller's choosing, with the same key material (AWS KMS API
   * Reference, ReplicateKey), so it is an escalation toward every cryptographic operation.
   */
  replicable?: boolean;
}

/** The escalation actions that apply to every key; ReplicateKey only to a multi-Region primary key. */
const ESCALATION_ACTIONS: readonly EscalationAction[] = ["PutKeyPolicy", "CreateGrant"];

const SIDES = ["source", "destination"] as const;

/**
 * Turns a route to an escalation action into an escalation via that keeps where it came from. A grant's
 * CreateGrant can only grant the operations of that grant (KMS: a grantee creates grants for some or all of
 * the parent grant's operations): such a via says which (`reaches`), when they were logged. ReplicateKey reaches
 * the cryptographic operations, and is always conditional: it also needs kms:CreateKey in the replica Region (an
 * IAM permission, not in CloudTrail), and the replica's policy is the caller's to choose.
 */
function asEscalation(via: Via, action: EscalationAction, parent: GrantInput | undefined): Via {
  if (action === "ReplicateKey")
    return {
      ...via,
      type: "escalation",
      action,
      reaches: [...CRYPTO_ACTIONS],
      conditionResult: "unknown",
    };
  const reaches = parent && parent.operationsKnown !== false ? { reaches: [...parent.operations] } : {};
  return { ...via, type: "escalation", action, ...reaches };
}

/**
 * Whether an escalation can give one of `operations` (undefined: any operation is of interest): through a
 * grant's CreateGrant (`parent`), only that grant's; through ReplicateKey, only cryptographic ones. ReEncrypt is
 * asked of both of its sides.
 */
function reachesAny(
  action: EscalationAction,
  parent: GrantInput | undefined,
  operations: readonly string[] | undefined,
): boolean {
  if (operations === undefined) return true;
  // A replica has the same key material: it can do the cryptographic operations to this key's ciphertexts.
  const reaches: ((operation: string, side: (typeof SIDES)[number]) => boolean) | null =
    action === "ReplicateKey"
      ? (operation, side) => CRYPTO_ACTIONS.has(resolveAction(operation, side).action)
      : parent === undefined
        ? null
        : (operation, side) => grantAllows(parent, operation, { side }).allowed !== false;
  return reaches === null || operations.some((operation) => SIDES.some((side) => reaches(operation, side)));
}

/** escalationPaths with the routes KMS refuses across accounts (PutKeyPolicy, ReplicateKey to another account). */
export interface EscalationAnswer {
  principals: PrincipalAuthorization[];
  refusedAcrossAccounts: RefusedRoute[];
}

/**
 * Principals that could give themselves operations on the key, with the escalation routes KMS refuses across
 * accounts (see escalationPaths).
 */
export function escalationAnswer(
  policy: ParsedPolicy | null,
  grants: readonly GrantInput[],
  options: EscalationOptions = {},
  operations?: readonly string[],
): EscalationAnswer {
  const { replicable, ...evaluation } = options;
  const actions: EscalationAction[] = [
    ...ESCALATION_ACTIONS,
    ...(replicable ? ["ReplicateKey" as const] : []),
  ];
  const merged = new Map<string, PrincipalAuthorization>();
  const byId = new Map(grants.map((grant) => [grant.grantId, grant]));
  const refusedAcrossAccounts: RefusedRoute[] = [];
  for (const action of actions) {
    const answer = authorizeOperation(policy, grants, action, evaluation);
    if (reachesAny(action, undefined, operations))
      refusedAcrossAccounts.push(...answer.refusedAcrossAccounts);
    for (const entry of answer.principals) {
      const via = entry.via.flatMap((v) => {
        const parent = v.type === "grant" ? byId.get(v.grantId ?? "") : undefined;
        return reachesAny(action, parent, operations) ? [asEscalation(v, action, parent)] : [];
      });
      if (via.length === 0) continue;
      // ReplicateKey is never outright (asEscalation): nor is a principal that holds it alone.
      const conditional = entry.conditional || action === "ReplicateKey";
      const existing = merged.get(entry.principal);
      if (!existing) {
        merged.set(entry.principal, { ...entry, operations: [action], via, conditional });
        continue;
      }
      existing.operations.push(action);
      existing.via.push(...via);
      existing.denies.push(...entry.denies);
      existing.conditional = existing.conditional && conditional;
    }
  }
  const principals = [...merged.values()].sort((a, b) => a.principal.localeCompare(b.principal));
  return { principals, refusedAcrossAccounts };
}

/**
 * Principals that could give themselves operations on the key: those allowed kms:PutKeyPolicy (rewrite the
 * policy: any operation) or kms:CreateGrant (by policy: any operation; by a grant that includes CreateGrant:
 * that grant's operations), and, on a multi-Region primary key (`replicable`), kms:ReplicateKey (a replica with
 * the same key material and a policy of their choosing: the cryptographic operations, conditionally), after the
 * policy's Denies and KMS's cross-account rule (PutKeyPolicy and ReplicateKey are never allowed to another
 * account). Each keeps the actions it holds and escalation vias naming their source. With `operations`, a route
 * that can give none of them is left out.
 */
export function escalationPaths(
  policy: ParsedPolicy | null,
  grants: readonly GrantInput[],
  options: EscalationOptions = {},
  operations?: readonly string[],
): PrincipalAuthorization[] {
  return escalationAnswer(policy, grants, options, operations).principals;
}
