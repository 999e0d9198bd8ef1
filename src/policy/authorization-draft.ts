import type { Principal } from "../events/index.js";
import type { DenyNote, PrincipalAuthorization, RemovedPrincipal, Via } from "./authorization.js";
import { type ConditionOutcome, evaluateConditions } from "./evaluate-conditions.js";
import type { ParsedStatement } from "./parsed-policy.js";
import { principalSpecCovers } from "./principal-coverage.js";
import { principalContext, type RequestContext, readsPrincipalKeys } from "./request-context.js";

/** A principal's authorization while routes and denies are still being gathered. */
type Draft = PrincipalAuthorization & { target: Principal };
export type Drafts = Map<string, Draft>;

/** A statement that applies to the action, with its evaluated conditions (never false). */
export interface ApplicableStatement {
  statement: ParsedStatement;
  result: ConditionOutcome;
}

export interface Route {
  who: Principal;
  via: Via;
}

export function addRoutes(drafts: Drafts, routes: Route[], action: string): void {
  for (const { who, via } of routes) {
    const draft = drafts.get(who.id) ?? {
      principal: who.id,
      kind: who.kind,
      operations: [action],
      via: [],
      conditional: true,
      denies: [],
      target: who,
    };
    draft.via.push(via);
    drafts.set(who.id, draft);
  }
}

/** Sid, statement index and conditions shared by every via and deny note of one statement. */
export function statementFacts({ statement, result }: ApplicableStatement) {
  const facts: Pick<Via, "sid" | "statement" | "conditions" | "conditionResult" | "undecided"> & {
    statement: number;
  } = { statement: statement.index };
  if (statement.sid !== null) facts.sid = statement.sid;
  if (statement.condition) {
    facts.conditions = statement.condition;
    if (result.outcome !== false) facts.conditionResult = result.outcome;
  }
  if (result.undecided.length > 0) facts.undecided = result.undecided;
  return facts;
}

/**
 * The statement's conditions as they stand for requests by one principal: its account decides
 * kms:CallerAccount and aws:PrincipalAccount, its kind aws:PrincipalArn and aws:PrincipalType, where the
 * context does not (principalContext). Null when they cannot hold for it.
 */
export function forPrincipal(
  applicable: ApplicableStatement,
  principal: Principal,
  context: RequestContext | undefined,
): ApplicableStatement | null {
  // Most statements have no condition on the principal: their result stands as it is.
  if (!readsPrincipalKeys(applicable.statement.conditions)) return applicable;
  const narrowed = principalContext(context, principal);
  if (narrowed === context) return applicable;
  const result = evaluateConditions(applicable.statement.conditions, narrowed);
  return result.outcome === false ? null : { statement: applicable.statement, result };
}

/**
 * Explicit Deny wins over every Allow and every grant. A Deny that reaches a whole principal and holds
 * unconditionally removes it; any other Deny that may apply is kept beside the allow, never dropped.
 */
export function applyDenies(
  drafts: Drafts,
  denies: ApplicableStatement[],
  context?: RequestContext,
): RemovedPrincipal[] {
  const removed: RemovedPrincipal[] = [];
  for (const applicable of denies) {
    for (const draft of [...drafts.values()]) {
      const coverage = principalSpecCovers(applicable.statement.principals, draft.target);
      if (coverage.extent === "none") continue;
      // Evaluated for this principal: its account may decide kms:CallerAccount (a Deny on other accounts).
      const deny = forPrincipal(applicable, draft.target, context);
      if (!deny) continue;
      const facts = statementFacts(deny);
      if (coverage.extent === "all" && deny.result.outcome === true) {
        drafts.delete(draft.principal);
        const { sid, statement } = facts;
        removed.push({ principal: draft.principal, kind: draft.kind, statement, ...(sid ? { sid } : {}) });
        continue;
      }
      const note: DenyNote = {
        ...facts,
        conditionResult: deny.result.outcome === true ? true : "unknown",
        reason:
          coverage.extent === "partial"
            ? `the Deny reaches part of this principal: ${coverage.reason}`
            : "the Deny applies when its conditions hold",
      };
      draft.denies.push(note);
    }
  }
  return removed;
}

/**
 * A route holds outright when no condition is undecided, it serves the whole principal (reach's `partial`), and
 * KMS does not limit it to the key's account for a principal that may be outside it (`onlyAccount`). who-can,
 * reach and usage's attribution judge a route by this one rule.
 */
export const routeHoldsOutright = (via: Via): boolean =>
  via.conditionResult !== "unknown" && via.partial === undefined && via.onlyAccount === undefined;

/** The finished list: sorted by principal, conditional unless some route holds outright and no Deny may apply. */
export function finishDrafts(drafts: Drafts): PrincipalAuthorization[] {
  return [...drafts.values()]
    .map(({ target: _target, ...draft }) => ({
      ...draft,
      conditional: draft.denies.length > 0 || !draft.via.some(routeHoldsOutright),
    }))
    .sort((a, b) => a.principal.localeCompare(b.principal));
}
