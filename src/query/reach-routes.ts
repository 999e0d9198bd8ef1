import type { Principal } from "../events/index.js";
import { samePrincipal, type Via } from "../policy/index.js";
import { callerDenies, statementReach } from "./caller-denies.js";
import type { KeyAuthorization } from "./key-authorization.js";
import { blockingState } from "./key-operations.js";

/** One operation a given principal could perform on the key, and the routes that reach it. */
export interface TargetRoute {
  operation: string;
  vias: Via[];
  conditional: boolean;
}

/**
 * A policy route reaches the principal when its statement's principal element reaches all of it (named, its
 * account, `*`, not excluded by NotPrincipal); a grant route when the principal is the grantee (a service under
 * either of its names; a grant to one session of a role does not reach the whole role).
 */
function viaReaches(authorization: KeyAuthorization, target: Principal) {
  const { policy } = authorization.policy;
  return (via: Via): boolean =>
    via.grantId !== undefined
      ? authorization.grants.some(
          (grant) =>
            grant.grantId === via.grantId && grant.grantee !== null && samePrincipal(grant.grantee, target),
        )
      : via.statement !== undefined && statementReach(policy, via.statement, target).extent === "all";
}

/**
 * Narrows who-can to one principal. A Deny that reaches it outright removes the operation even where it only
 * reached part of a who-can line (a role inside a delegated account): the judgement usage's attribution makes
 * of each call (callerDenies). Operations the key state refuses are left out.
 */
export function targetRoutes(authorization: KeyAuthorization, target: Principal): TargetRoute[] {
  const reaches = viaReaches(authorization, target);
  const { key, state, t } = authorization;
  return authorization.answers.flatMap((answer) => {
    if (blockingState(key, state.state, t, answer.action) !== null) return [];
    const matched = answer.principals.filter((entry) => entry.via.some(reaches));
    if (matched.length === 0) return [];
    const denies = callerDenies(authorization.policy.policy, matched, answer.removed, target);
    if (denies.outright.length > 0) return [];
    const vias = matched.flatMap((entry) => entry.via.filter(reaches));
    const outright = vias.some((via) => via.conditionResult !== "unknown");
    return [{ operation: answer.action, vias, conditional: denies.possible.length > 0 || !outright }];
  });
}

/** The escalation routes (PutKeyPolicy/CreateGrant) that reach the principal. */
export function targetEscalation(authorization: KeyAuthorization, target: Principal): Via[] {
  const reaches = viaReaches(authorization, target);
  return authorization.escalation.flatMap((path) => path.via.filter(reaches));
}
