import type { Principal, PrincipalKind } from "../../events/index.js";
import {
  entryCovers,
  KMS_ACTIONS,
  kmsRequestContext,
  matchesWildcard,
  type ParsedPolicy,
  parsePolicy,
  type RequestContext,
  statementsFor,
} from "../../policy/index.js";
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
  return policy.kind === "problem" ? null : trustOf(policy);
}

/** policyTrust of a parsed policy, for requests that carry `context` when one is given. */
function trustOf(policy: ParsedPolicy, context?: RequestContext): Map<string, Trust> {
  const trust = new Map<string, Trust>();
  for (const action of KMS_ACTIONS) {
    for (const entry of statementsFor(policy, action, { context }).principals) {
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

/** A stand-in for every account a policy does not name: the conditions treat them all alike. */
const ANOTHER_ACCOUNT = "000000000000";
const ACCOUNT_KEYS: ReadonlySet<string> = new Set(["kms:calleraccount", "aws:principalaccount"]);

/**
 * Who outside the key's account a key policy trusts (isOutside); null when the document cannot be parsed.
 * Named principals carry their own account into conditions already. `*` is judged as callers of other accounts
 * meet it: a condition or Deny that pins kms:CallerAccount or aws:PrincipalAccount to the key's own account
 * (the usual pattern of AWS-service key policies) leaves them no route, and `*` is unconditional only when a
 * caller of any other account gets through without conditions.
 */
export function outsideTrust(document: unknown, keyAccount: string): Map<string, Trust> | null {
  const policy = parsePolicy(document);
  if (policy.kind === "problem") return null;
  const outside = new Map([...trustOf(policy)].filter(([, entry]) => isOutside(entry, keyAccount)));
  const anyone = outside.get("*");
  // Request facts only decide conditions, and an unconditional route has none left to decide.
  if (!anyone?.conditional) return outside;
  const routes = otherAccounts(policy, keyAccount).flatMap((account) => {
    const entry = trustOf(policy, callerOf(account)).get("*");
    return entry ? [{ account, entry }] : [];
  });
  if (routes.length === 0) {
    outside.delete("*");
    return outside;
  }
  outside.set("*", {
    ...anyone,
    statements: [...new Set(routes.flatMap(({ entry }) => entry.statements))],
    actions: [...new Set(routes.flatMap(({ entry }) => entry.actions))],
    // A route that conditions keep to the accounts they name is not open to anyone.
    conditional: !routes.some(({ account, entry }) => account === ANOTHER_ACCOUNT && !entry.conditional),
  });
  return outside;
}

/**
 * The caller accounts other than the key's that may meet a policy differently: one no condition names, and each
 * value a condition compares kms:CallerAccount or aws:PrincipalAccount with (a pattern matches itself) that is
 * not the key's own account.
 */
function otherAccounts(policy: ParsedPolicy, keyAccount: string): string[] {
  const named = policy.statements.flatMap((statement) =>
    Object.values(statement.conditions).flatMap((keys) =>
      Object.entries(keys).flatMap(([key, values]) => (ACCOUNT_KEYS.has(key.toLowerCase()) ? values : [])),
    ),
  );
  return [ANOTHER_ACCOUNT, ...new Set(named.filter((value) => !matchesWildcard(value, keyAccount, true)))];
}

function callerOf(account: string): RequestContext {
  return kmsRequestContext({ callerAccount: account, principalAccount: account });
}

/** Principals outside the key's account: `*`, and accounts, roles and users of another account. */
function isOutside(trust: Trust, keyAccount: string): boolean {
  if (trust.kind === "any") return true;
  return trust.kind !== "service" && trust.account !== null && trust.account !== keyAccount;
}

/** Whether `prior` reaches every caller `trust` does: the same principal, its account, or `*`. */
export function trustCovers(prior: Trust, trust: Trust): boolean {
  return entryCovers(principalOf(prior), principalOf(trust)).extent === "all";
}

function principalOf(trust: Trust): Principal {
  return { id: trust.principal, kind: trust.kind, account: trust.account };
}

export function describeTrust(trust: Trust): string {
  const who =
    trust.kind === "any" ? "*" : trust.kind === "account" ? `account ${trust.principal}` : trust.principal;
  const conditional = trust.conditional ? ", with conditions" : "";
  return `${who} (statement ${trust.statements.join(", ")}${conditional})`;
}
