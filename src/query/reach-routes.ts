import {
  type Coverage,
  type CoverageTarget,
  entryCovers,
  type PrincipalAuthorization,
  routeHoldsOutright,
  type Via,
} from "../policy/index.js";
import { callerDenies, statementReach } from "./caller-denies.js";
import type { KeyAuthorization } from "./key-authorization.js";
import { blockingState } from "./key-operations.js";

/** One operation a given principal could perform on the key, and the routes that reach it. */
export interface TargetRoute {
  operation: string;
  vias: Via[];
  conditional: boolean;
}

const NONE: Coverage = { extent: "none" };

/**
 * How much of the principal a route reaches, by the coverage rule who-can's Denies and usage's attribution
 * use (entryCovers): a policy route through its statement's principal element (named, its account, `*`, not
 * excluded by NotPrincipal), a grant route through its grantee (a service under either of its names, a role
 * or session of a granted account, a session of a granted role).
 */
function viaCoverage(authorization: KeyAuthorization, target: CoverageTarget): (via: Via) => Coverage {
  const { policy } = authorization.policy;
  return (via) => {
    if (via.grantId !== undefined) {
      const grant = authorization.grants.find((candidate) => candidate.grantId === via.grantId);
      return grant?.grantee ? entryCovers(grant.grantee, target) : NONE;
    }
    return via.statement === undefined ? NONE : statementReach(policy, via.statement, target);
  };
}

/**
 * The routes of a who-can line that reach the principal, as reach lists them. A route that reaches part of the
 * role asked about by its sessions — only some sessions (a grant or statement naming them), or all but some (an
 * Allow whose NotPrincipal lists them) — is kept, marked `partial` with the reason naming those sessions. Other
 * partial reaches stay out: a role inside an account asked about, an unresolved unique id
 * (docs/authorization.md).
 */
function reachingVias(vias: readonly Via[], coverageOf: (via: Via) => Coverage): Via[] {
  return vias.flatMap((via) => {
    const coverage = coverageOf(via);
    if (coverage.extent === "all") return [via];
    if (coverage.extent === "partial" && coverage.sessions !== undefined)
      return [{ ...via, partial: coverage.reason }];
    return [];
  });
}

/**
 * Narrows who-can to one principal. A Deny that reaches it outright removes the operation even where it only
 * reached part of a who-can line (a role inside a delegated account): the judgement usage's attribution makes
 * of each call (callerDenies). Operations the key state refuses are left out.
 */
export function targetRoutes(authorization: KeyAuthorization, target: CoverageTarget): TargetRoute[] {
  const coverageOf = viaCoverage(authorization, target);
  const { key, state, t } = authorization;
  return authorization.answers.flatMap((answer) => {
    if (blockingState(key, state.state, t, answer.action) !== null) return [];
    const matched = answer.principals.flatMap((entry) => {
      const vias = reachingVias(entry.via, coverageOf);
      return vias.length > 0 ? [{ entry, vias }] : [];
    });
    if (matched.length === 0) return [];
    const entries: PrincipalAuthorization[] = matched.map(({ entry }) => entry);
    const denies = callerDenies(authorization.policy.policy, entries, answer.removed, target);
    if (denies.outright.length > 0) return [];
    const vias = matched.flatMap((match) => match.vias);
    const conditional = denies.possible.length > 0 || !vias.some(routeHoldsOutright);
    return [{ operation: answer.action, vias, conditional }];
  });
}

/** The escalation routes (PutKeyPolicy/CreateGrant) that reach the principal. */
export function targetEscalation(authorization: KeyAuthorization, target: CoverageTarget): Via[] {
  const coverageOf = viaCoverage(authorization, target);
  return authorization.escalation.flatMap((path) => reachingVias(path.via, coverageOf));
}
