import type { PrincipalKind } from "../events/index.js";
import type { RefusedRoute } from "../policy/index.js";
import type { KeyAuthorization } from "./key-authorization.js";

/** A principal of another account named for operations KMS refuses across accounts. */
export interface RefusedAcrossAccounts {
  principal: string;
  kind: PrincipalKind;
  /** The principal's account */
  account: string;
  /** The operations asked that KMS refuses it */
  operations: string[];
  /** The escalation actions (PutKeyPolicy, ReplicateKey) KMS refuses it */
  escalation: string[];
  /** The policy statements (0-based) that name it for them */
  statements: number[];
}

/**
 * The principals of other accounts left out of an answer because KMS refuses them the operations asked or an
 * escalation action across accounts (docs/authorization.md, "Cross-account use"), one entry per principal.
 */
export function refusedOf(authorization: KeyAuthorization): RefusedAcrossAccounts[] {
  const byPrincipal = new Map<string, RefusedAcrossAccounts>();
  const add = (route: RefusedRoute, list: "operations" | "escalation") => {
    const entry = byPrincipal.get(route.principal) ?? {
      principal: route.principal,
      kind: route.kind,
      account: route.account,
      operations: [],
      escalation: [],
      statements: [],
    };
    if (!entry[list].includes(route.action)) entry[list].push(route.action);
    if (route.statement !== undefined && !entry.statements.includes(route.statement))
      entry.statements.push(route.statement);
    byPrincipal.set(route.principal, entry);
  };
  for (const answer of authorization.answers)
    for (const route of answer.refusedAcrossAccounts) add(route, "operations");
  for (const route of authorization.escalationRefused) add(route, "escalation");
  return [...byPrincipal.values()].sort((a, b) => a.principal.localeCompare(b.principal));
}

/** The principals of other accounts left out for operations KMS refuses across accounts, in words. */
export function refusedCaveats(refused: readonly RefusedAcrossAccounts[], keyAccount: string): string[] {
  if (refused.length === 0) return [];
  const actions = [...new Set(refused.flatMap((entry) => [...entry.operations, ...entry.escalation]))].sort();
  const names = refused.map((entry) => entry.principal).join(", ");
  return [
    `KMS does not allow ${actions.join(", ")} across accounts (AWS KMS permissions reference, "Cross-account use: No"): the key policy allows them to principals outside the key's account ${keyAccount}, which are not listed for them: ${names} (refusedAcrossAccounts)`,
  ];
}
