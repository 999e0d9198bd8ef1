import type { EvaluationOptions } from "./applicable-statements.js";
import type { PrincipalAuthorization, Via } from "./authorization.js";
import { authorizeOperation } from "./authorize-operation.js";
import { type GrantInput, grantAllows } from "./grant-allows.js";
import type { ParsedPolicy } from "./parsed-policy.js";

const ESCALATION_ACTIONS = ["PutKeyPolicy", "CreateGrant"] as const;

/**
 * Turns a route to PutKeyPolicy/CreateGrant into an escalation via that keeps where it came from. A grant's
 * CreateGrant can only grant the operations of that grant (KMS: a grantee creates grants for some or all of
 * the parent grant's operations): such a via says which (`reaches`), when they were logged.
 */
function asEscalation(
  via: Via,
  action: (typeof ESCALATION_ACTIONS)[number],
  parent: GrantInput | undefined,
): Via {
  const reaches = parent && parent.operationsKnown !== false ? { reaches: [...parent.operations] } : {};
  return { ...via, type: "escalation", action, ...reaches };
}

/**
 * Whether an escalation through `parent` (a grant's CreateGrant; undefined: by policy) can give one of
 * `operations` (undefined: any operation is of interest). ReEncrypt is asked of both of its sides.
 */
function reachesAny(parent: GrantInput | undefined, operations: readonly string[] | undefined): boolean {
  if (parent === undefined || operations === undefined) return true;
  const sides = ["source", "destination"] as const;
  return operations.some((operation) =>
    sides.some((side) => grantAllows(parent, operation, { side }).allowed !== false),
  );
}

/**
 * Principals that could give themselves operations on the key: those allowed kms:PutKeyPolicy (rewrite the
 * policy: any operation) or kms:CreateGrant (by policy: any operation; by a grant that includes CreateGrant:
 * that grant's operations), after the policy's Denies. Each keeps the operations it holds (`PutKeyPolicy`,
 * `CreateGrant`) and escalation vias naming their source. With `operations`, a grant's route that can give none
 * of them is left out.
 */
export function escalationPaths(
  policy: ParsedPolicy | null,
  grants: readonly GrantInput[],
  options: Omit<EvaluationOptions, "side"> = {},
  operations?: readonly string[],
): PrincipalAuthorization[] {
  const merged = new Map<string, PrincipalAuthorization>();
  const byId = new Map(grants.map((grant) => [grant.grantId, grant]));
  for (const action of ESCALATION_ACTIONS) {
    for (const entry of authorizeOperation(policy, grants, action, options).principals) {
      const via = entry.via.flatMap((v) => {
        const parent = v.type === "grant" ? byId.get(v.grantId ?? "") : undefined;
        return reachesAny(parent, operations) ? [asEscalation(v, action, parent)] : [];
      });
      if (via.length === 0) continue;
      const existing = merged.get(entry.principal);
      if (!existing) {
        merged.set(entry.principal, { ...entry, via });
        continue;
      }
      existing.operations.push(action);
      existing.via.push(...via);
      existing.denies.push(...entry.denies);
      existing.conditional = existing.conditional && entry.conditional;
    }
  }
  return [...merged.values()].sort((a, b) => a.principal.localeCompare(b.principal));
}
