import type { Principal } from "../events/index.js";
import type { Route } from "./authorization-draft.js";
import { lookupContextKey, principalRequestAccount, type RequestContext } from "./request-context.js";

/**
 * KMS actions on a key that AWS documents with "Cross-account use: No": the "Cross-account use" column of the AWS
 * KMS permissions reference (https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html)
 * and the same line on each operation's page of the AWS KMS API Reference ("You cannot perform this operation on a
 * KMS key in a different Amazon Web Services account"; GetKeyLastUsage included). A key policy or grant that allows
 * one of them to a principal of another account has no effect (key-policy-modifying-external-accounts.html): only
 * principals of the key's own account can be allowed them. CROSS_ACCOUNT_ACTIONS holds the "Yes" ones. An action in
 * neither list (SynchronizeMultiRegionKey, which only KMS's own service-linked role uses and AWS lists no such line
 * for, or an action AWS adds later) is not restricted here: missing someone who could act is the worse error.
 */
export const SAME_ACCOUNT_ACTIONS: ReadonlySet<string> = new Set([
  "CancelKeyDeletion",
  "CreateAlias",
  "DeleteAlias",
  "DeleteImportedKeyMaterial",
  "DisableKey",
  "DisableKeyRotation",
  "EnableKey",
  "EnableKeyRotation",
  "GetKeyLastUsage",
  "GetKeyPolicy",
  "GetParametersForImport",
  "ImportKeyMaterial",
  "ListKeyPolicies",
  "ListKeyRotations",
  "ListResourceTags",
  "PutKeyPolicy",
  "ReplicateKey",
  "RotateKeyOnDemand",
  "ScheduleKeyDeletion",
  "TagResource",
  "UntagResource",
  "UpdateAlias",
  "UpdateKeyDescription",
  "UpdatePrimaryRegion",
]);

/**
 * The KMS actions on a key that AWS documents with "Cross-account use: Yes" (same sources as SAME_ACCOUNT_ACTIONS;
 * ReEncrypt as both of its IAM actions). Every operation a grant can hold is among them.
 */
export const CROSS_ACCOUNT_ACTIONS: ReadonlySet<string> = new Set([
  "CreateGrant",
  "Decrypt",
  "DeriveSharedSecret",
  "DescribeKey",
  "Encrypt",
  "GenerateDataKey",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "GenerateDataKeyWithoutPlaintext",
  "GenerateMac",
  "GetKeyRotationStatus",
  "GetPublicKey",
  "ListGrants",
  "ReEncryptFrom",
  "ReEncryptTo",
  "RetireGrant",
  "RevokeGrant",
  "Sign",
  "Verify",
  "VerifyMac",
]);

/** A route KMS refuses because it allows an action that is not cross-account to a principal of another account. */
export interface RefusedRoute {
  principal: string;
  kind: Principal["kind"];
  /** The principal's account, which is not the key's */
  account: string;
  action: string;
  sid?: string;
  statement?: number;
  grantId?: string;
}

/** The request's kms:CallerAccount (or aws:PrincipalAccount) when the context gives exactly one. */
function callerAccountOf(context: RequestContext | undefined): string | null {
  for (const key of ["kms:CallerAccount", "aws:PrincipalAccount"]) {
    const found = lookupContextKey(context, key);
    if (found.state === "present" && found.values.length === 1) return found.values[0] ?? null;
  }
  return null;
}

/**
 * The account a route's requests come from: a named role, user, account or federated principal's own
 * (principalRequestAccount); for `*` (Principal `*`, NotPrincipal) or a principal whose account keytrail cannot
 * tell (an unresolved unique id, a principal of unknown kind), the caller's account when the question or the
 * record gives it, else null.
 */
function requestAccount(who: Principal, context: RequestContext | undefined): string | null {
  return principalRequestAccount(who) ?? callerAccountOf(context);
}

function refusedRoute({ who, via }: Route, account: string, action: string): RefusedRoute {
  return {
    principal: who.id,
    kind: who.kind,
    account,
    action,
    ...(via.sid === undefined ? {} : { sid: via.sid }),
    ...(via.statement === undefined ? {} : { statement: via.statement }),
    ...(via.grantId === undefined ? {} : { grantId: via.grantId }),
  };
}

/**
 * Applies KMS's cross-account rule to the routes of one action on a key of `keyAccount` (docs/authorization.md,
 * "Cross-account use"). For an action AWS documents as not cross-account, a route to a principal of another
 * account is refused (returned in `refused`, not kept); a route to `*` or to a principal whose account is not
 * known is kept for the key's account only (`via.onlyAccount`), which makes it conditional. A service principal
 * acting as itself belongs to no customer account and is left as it is.
 */
export function sameAccountRoutes(
  routes: readonly Route[],
  action: string,
  keyAccount: string | null,
  context: RequestContext | undefined,
): { kept: Route[]; refused: RefusedRoute[] } {
  if (keyAccount === null || !SAME_ACCOUNT_ACTIONS.has(action)) return { kept: [...routes], refused: [] };
  const kept: Route[] = [];
  const refused: RefusedRoute[] = [];
  for (const route of routes) {
    if (route.who.kind === "service") {
      kept.push(route);
      continue;
    }
    const account = requestAccount(route.who, context);
    if (account === keyAccount) kept.push(route);
    else if (account !== null) refused.push(refusedRoute(route, account, action));
    else kept.push({ who: route.who, via: { ...route.via, onlyAccount: keyAccount } });
  }
  return { kept, refused };
}
