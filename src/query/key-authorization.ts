import type { CaseModel, GrantRecord, KeyRecord, StateAt } from "../model/index.js";
import {
  authorizeOperation,
  escalationPaths,
  type OperationAnswer,
  type PrincipalAuthorization,
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
  /** Principals that could give themselves any operation (PutKeyPolicy / CreateGrant) */
  escalation: PrincipalAuthorization[];
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
  return {
    key,
    t,
    state: model.stateAt(key, t),
    policy,
    grants,
    answers: operations.map((operation) => authorizeOperation(policy.policy, grants, operation, options)),
    escalation: escalationPaths(policy.policy, grants, options, operations),
  };
}

/** The records behind a route: the grant's CreateGrant, or the CreateKey/PutKeyPolicy of the policy version. */
export function viaEventIds(via: Via, authorization: KeyAuthorization): string[] {
  if (via.grantId !== undefined) {
    return authorization.grants.find((grant) => grant.grantId === via.grantId)?.openedBy ?? [];
  }
  return authorization.policy.version?.openedBy ?? [];
}
