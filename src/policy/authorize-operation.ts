import { arnAccount } from "../events/index.js";
import { allowRoutes, applicableStatements, type EvaluationOptions } from "./applicable-statements.js";
import type { PrincipalAuthorization, RemovedPrincipal, Via } from "./authorization.js";
import { addRoutes, applyDenies, type Drafts, finishDrafts, type Route } from "./authorization-draft.js";
import { type RefusedRoute, sameAccountRoutes } from "./cross-account.js";
import { type GrantInput, grantAllows } from "./grant-allows.js";
import { resolveAction } from "./kms-actions.js";
import type { ParsedPolicy } from "./parsed-policy.js";
import { encryptionContextOf } from "./request-context.js";

export interface OperationAnswer {
  action: string;
  knownAction: boolean;
  principals: PrincipalAuthorization[];
  removed: RemovedPrincipal[];
  /**
   * Routes KMS refuses: the action is not cross-account and the policy statement or grant names a principal
   * of another account than the key's (only with `keyArn` given). They are not among `principals`.
   */
  refusedAcrossAccounts: RefusedRoute[];
}

/** Grant routes for one action: grants whose constraints are known to fail are left out, undecided ones kept. */
function grantRoutes(grants: readonly GrantInput[], operation: string, options: EvaluationOptions): Route[] {
  const encryptionContext = encryptionContextOf(options.context);
  return grants.flatMap((grant) => {
    if (!grant.grantee) return [];
    const decision = grantAllows(grant, operation, { encryptionContext, side: options.side });
    if (decision.allowed === false) return [];
    const via: Via =
      decision.allowed === "unknown" ? { ...decision.via, conditionResult: "unknown" } : decision.via;
    return [{ who: grant.grantee, via }];
  });
}

/**
 * Key policy and grants together for one operation: policy Allows and matching grants, KMS's cross-account
 * rule (with `keyArn`: an action AWS documents as not cross-account is never allowed to another account), then
 * the policy's Denies, which override grants too. `policy` null means the policy is unknown: only grants are
 * listed.
 */
export function authorizeOperation(
  policy: ParsedPolicy | null,
  grants: readonly GrantInput[],
  operation: string,
  options: EvaluationOptions = {},
): OperationAnswer {
  const { action, known } = resolveAction(operation, options.side);
  const { allows, denies } = policy
    ? applicableStatements(policy, action, options)
    : { allows: [], denies: [] };
  const routes = [
    ...allows.flatMap((allow) => allowRoutes(allow, options.context)),
    ...grantRoutes(grants, action, options),
  ];
  const keyAccount = options.keyArn === undefined ? null : arnAccount(options.keyArn);
  const { kept, refused } = sameAccountRoutes(routes, action, keyAccount, options.context);
  const drafts: Drafts = new Map();
  addRoutes(drafts, kept, action);
  const removed = applyDenies(drafts, denies, options.context);
  return {
    action,
    knownAction: known,
    principals: finishDrafts(drafts),
    removed,
    refusedAcrossAccounts: refused,
  };
}
