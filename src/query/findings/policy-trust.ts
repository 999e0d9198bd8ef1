import type { PrincipalKind } from "../../events/index.js";
import { KMS_ACTIONS, parsePolicy, statementsFor } from "../../policy/index.js";
import { principalAccount } from "./principal-account.js";

/** One principal a key policy lets do something with the key. */
export interface Trust {
  principal: string;
  kind: PrincipalKind;
  account: string | null;
  /** Sids (or `#n` for statements without one) of the Allow statements naming it */
  statements: string[];
  /** true when every route to it carries conditions */
  conditional: boolean;
  /** The statement names an account: IAM in that account decides */
  iamDelegation: boolean;
  actions: string[];
}

/**
 * Who a key policy document trusts, over every KMS action, as the policy evaluator sees it (Allows minus
 * unconditional Denies). null when the document cannot be parsed, so callers do not mistake it for "nobody".
 */
export function policyTrust(document: unknown): Map<string, Trust> | null {
  const policy = parsePolicy(document);
  if (policy.kind === "problem") return null;
  const trust = new Map<string, Trust>();
  for (const action of KMS_ACTIONS) {
    for (const entry of statementsFor(policy, action).principals) {
      const statements = entry.via.map((via) => via.sid ?? `#${via.statement ?? "?"}`);
      const delegation = entry.via.some((via) => via.type === "iamDelegation");
      const known = trust.get(entry.principal);
      if (known) {
        known.statements = [...new Set([...known.statements, ...statements])];
        known.conditional &&= entry.conditional;
        known.iamDelegation ||= delegation;
        known.actions.push(action);
        continue;
      }
      trust.set(entry.principal, {
        principal: entry.principal,
        kind: entry.kind,
        account: entry.kind === "any" ? null : principalAccount(entry.principal),
        statements,
        conditional: entry.conditional,
        iamDelegation: delegation,
        actions: [action],
      });
    }
  }
  return trust;
}

/** Principals outside the key's account: `*`, and accounts, roles and users of another account. */
export function isOutside(trust: Trust, keyAccount: string): boolean {
  if (trust.kind === "any") return true;
  return trust.kind !== "service" && trust.account !== null && trust.account !== keyAccount;
}

export function describeTrust(trust: Trust): string {
  const who =
    trust.kind === "any" ? "*" : trust.kind === "account" ? `account ${trust.principal}` : trust.principal;
  const conditional = trust.conditional ? ", with conditions" : "";
  return `${who} (statement ${trust.statements.join(", ")}${conditional})`;
}
