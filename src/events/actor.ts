import { normalizePrincipal, sessionNameOf } from "./principal.js";
import type { UserIdentity } from "./record-schema.js";
import type { Actor, Principal } from "./types.js";

const FEDERATED_TYPES = new Set(["IdentityCenterUser", "SAMLUser", "WebIdentityUser"]);

const UNKNOWN: Principal = { id: "unknown", kind: "unknown", account: null };

/**
 * Who made a call (DESIGN §5). An assumed role is its role (the session issuer when logged, so the role
 * path is dropped the same way as in policies); a service acting on its own (AWSService, or a service event
 * whose identity is only accountId + invokedBy) is the service; a record without identity is kept as
 * kind "unknown".
 */
export function normalizeActor(identity: UserIdentity | null | undefined): Actor {
  const arn = identity?.arn || null;
  const principal = actorPrincipal(identity);
  // Field by field, not `{ ...principal, … }`: see withBase (normalizer.ts) for why.
  return {
    id: principal.id,
    kind: principal.kind,
    account: principal.account,
    identityType: identity?.type || null,
    arn,
    principalId: identity?.principalId || null,
    sessionName: arn ? sessionNameOf(arn) : null,
    accessKeyId: identity?.accessKeyId || null,
  };
}

function actorPrincipal(identity: UserIdentity | null | undefined): Principal {
  if (!identity) return UNKNOWN;
  const type = identity.type || null;
  const account = identity.accountId || null;
  if (type === "AssumedRole") {
    const issuer = identity.sessionContext?.sessionIssuer?.arn;
    if (issuer) return normalizePrincipal(issuer);
  }
  if (type === "AWSService" && identity.invokedBy) return normalizePrincipal(identity.invokedBy);
  if (type === "AWSAccount" && account) return normalizePrincipal(account);
  if (type !== null && FEDERATED_TYPES.has(type)) {
    const id = identity.arn || identity.principalId || identity.userName;
    if (id) return { id, kind: "federated", account };
  }
  if (identity.arn) return normalizePrincipal(identity.arn);
  if (type === "IAMUser" && account && identity.userName) {
    return normalizePrincipal(`arn:aws:iam::${account}:user/${identity.userName}`);
  }
  if (type === null && identity.invokedBy) return normalizePrincipal(identity.invokedBy);
  if (account) return normalizePrincipal(account);
  return UNKNOWN;
}
