import {
  type CaseModel,
  type GrantRecord,
  intervalAt,
  type KeyRecord,
  type StateAt,
} from "../model/index.js";
import {
  authorizeOperation,
  escalationAnswer,
  type OperationAnswer,
  type PrincipalAuthorization,
  type RefusedRoute,
  type RequestContext,
  type Via,
} from "../policy/index.js";
import { type PolicyAt, policyAt } from "./policy-at.js";

/** Everything the evaluator says about one key at one instant, for a list of operations. */
export interface KeyAuthorization {
  key: KeyRecord;
  t: number;
  state: StateAt;
  policy: PolicyAt;
  grants: GrantRecord[];
  /** One answer per operation asked, in the order asked */
  answers: OperationAnswer[];
  /** Principals that could give themselves operations (PutKeyPolicy / CreateGrant / ReplicateKey) */
  escalation: PrincipalAuthorization[];
  /** Escalation routes KMS refuses across accounts (PutKeyPolicy, ReplicateKey to another account) */
  escalationRefused: RefusedRoute[];
  /** The key's multi-Region role at t, as far as ReplicateKey goes (see multiRegionRoleAt) */
  multiRegionRole: MultiRegionRoleAt;
}

/** A multi-Region key's role at an instant: PRIMARY, REPLICA, or not known (no role interval holds it). */
export type MultiRegionRoleAt = "PRIMARY" | "REPLICA" | "unknown" | null;

/**
 * The key's multi-Region role at t (null for a single-Region key). A key whose mrk- id makes it multi-Region but
 * whose creation the trail does not show has no role interval: its role is not known.
 */
function multiRegionRoleAt(key: KeyRecord, t: number): MultiRegionRoleAt {
  if (!key.multiRegion) return null;
  return intervalAt(key.multiRegionRoles, t)?.value.role ?? "unknown";
}

/**
 * Runs the `src/policy` evaluator on the policy version and grants in force at `t` (DESIGN §5). Key state is
 * returned, not applied: who-can reports it beside the principals, reach filters with it.
 */
export function authorizeKey(
  model: CaseModel,
  key: KeyRecord,
  t: number,
  operations: readonly string[],
  context: RequestContext | undefined,
): KeyAuthorization {
  const policy = policyAt(key, t);
  const grants = model.grantsAt(key.arn, t);
  const options = context ? { keyArn: key.arn, context } : { keyArn: key.arn };
  // ReplicateKey is accepted only on a primary key: a replica's holders cannot replicate it (AWS KMS API
  // Reference, ReplicateKey). A multi-Region key of unknown role may be the primary.
  const multiRegionRole = multiRegionRoleAt(key, t);
  const replicable = multiRegionRole === "PRIMARY" || multiRegionRole === "unknown";
  const escalation = escalationAnswer(policy.policy, grants, { ...options, replicable }, operations);
  return {
    key,
    t,
    state: model.stateAt(key, t),
    policy,
    grants,
    answers: operations.map((operation) => authorizeOperation(policy.policy, grants, operation, options)),
    escalation: escalation.principals,
    escalationRefused: escalation.refusedAcrossAccounts,
    multiRegionRole,
  };
}

/** The records behind a route: the grant's CreateGrant, or the CreateKey/PutKeyPolicy of the policy version. */
export function viaEventIds(via: Via, authorization: KeyAuthorization): string[] {
  if (via.grantId !== undefined) {
    return authorization.grants.find((grant) => grant.grantId === via.grantId)?.openedBy ?? [];
  }
  return authorization.policy.version?.openedBy ?? [];
}
