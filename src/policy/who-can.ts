import type { EvaluationOptions } from "./applicable-statements.js";
import type { PrincipalAuthorization } from "./authorization.js";
import { authorizeOperation, type OperationAnswer } from "./authorize-operation.js";
import { escalationPaths } from "./escalation.js";
import type { GrantInput } from "./grant-allows.js";
import type { ParsedPolicy } from "./parsed-policy.js";

/** Adds escalation vias to a principal already listed, or lists it with no direct operation. */
function withEscalation(direct: PrincipalAuthorization[], escalation: PrincipalAuthorization[]) {
  const byPrincipal = new Map(direct.map((entry) => [entry.principal, { ...entry, via: [...entry.via] }]));
  for (const path of escalation) {
    const existing = byPrincipal.get(path.principal);
    if (existing) existing.via.push(...path.via);
    else byPrincipal.set(path.principal, { ...path, operations: [] });
  }
  return [...byPrincipal.values()].sort((a, b) => a.principal.localeCompare(b.principal));
}

/**
 * The `principals` of `who-can` for one operation (DESIGN §5): key-policy statements, IAM delegation and
 * grants that allow it, minus unconditional Denies, plus principals that could escalate (listed with no
 * direct operation and `escalation` vias). Key state and time are the caller's: pass the policy and grants
 * in force at T, or null for a policy that is not known.
 */
export function whoCan(
  policy: ParsedPolicy | null,
  grants: readonly GrantInput[],
  operation: string,
  options: EvaluationOptions = {},
): OperationAnswer {
  const direct = authorizeOperation(policy, grants, operation, options);
  const { side: _side, ...escalationOptions } = options;
  const escalation = escalationPaths(policy, grants, escalationOptions, [operation]);
  return { ...direct, principals: withEscalation(direct.principals, escalation) };
}
