import type { EvaluationOptions } from "./applicable-statements.js";
import type { PrincipalAuthorization, Via } from "./authorization.js";
import { authorizeOperation } from "./authorize-operation.js";
import type { GrantInput } from "./grant-allows.js";
import type { ParsedPolicy } from "./parsed-policy.js";

const ESCALATION_ACTIONS = ["PutKeyPolicy", "CreateGrant"] as const;

/** Turns a route to PutKeyPolicy/CreateGrant into an escalation via that keeps where it came from. */
function asEscalation(via: Via, action: (typeof ESCALATION_ACTIONS)[number]): Via {
  return { ...via, type: "escalation", action };
}

/**
 * Principals that could give themselves any operation on the key: those allowed kms:PutKeyPolicy (rewrite the
 * policy) or kms:CreateGrant (by policy, or by a grant that includes CreateGrant), after the policy's Denies.
 * Each keeps the operations it holds (`PutKeyPolicy`, `CreateGrant`) and escalation vias naming their source.
 */
export function escalationPaths(
  policy: ParsedPolicy | null,
  grants: readonly GrantInput[],
  options: Omit<EvaluationOptions, "side"> = {},
): PrincipalAuthorization[] {
  const merged = new Map<string, PrincipalAuthorization>();
  for (const action of ESCALATION_ACTIONS) {
    for (const entry of authorizeOperation(policy, grants, action, options).principals) {
      const via = entry.via.map((v) => asEscalation(v, action));
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
