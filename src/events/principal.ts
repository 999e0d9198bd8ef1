import type { Principal } from "./types.js";

const ACCOUNT_ID = /^\d{12}$/;
// arn:<partition>:<service>:<region>:<account>:<resource>
const ARN = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/;
const SERVICE = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$|^[a-z0-9-]+\.aws\.internal$/;
const PRINCIPAL_ID = /^(AROA|AIDA|ANPA|AGPA|ASIA|AKIA|AIPA)[A-Z0-9]{8,}(:.*)?$/;

/** The account id in an ARN, or null. */
export function arnAccount(arn: string): string | null {
  const match = ARN.exec(arn);
  return match?.[4] ? match[4] : null;
}

export function arnPartition(arn: string): string {
  return ARN.exec(arn)?.[1] ?? "aws";
}

/** Drops the path of an IAM role or user resource: "role/path/to/Name" -> "role/Name". */
function withoutPath(kind: "role" | "user", resource: string): string {
  const name = resource.slice(resource.lastIndexOf("/") + 1);
  return `${kind}/${name}`;
}

/**
 * Normalizes a principal as policies, grants and identities write it (DESIGN §5):
 * - "*" is anyone; a bare account id and `arn:…:iam::A:root` are the account;
 * - an assumed-role session `arn:…:sts::A:assumed-role/R/s` is the role `arn:…:iam::A:role/R`;
 * - role and user ARNs lose their path, because session ARNs do not carry it and IAM matches by identity;
 * - service principals (`ec2.amazonaws.com`) and unique ids (AROA…, AIDA…) are kinds of their own.
 */
export function normalizePrincipal(raw: string): Principal {
  let principal = memo.get(raw);
  if (principal === undefined) {
    // The same few principals sign millions of records: remember them (bounded, and frozen, since shared).
    if (memo.size >= MEMO_LIMIT) memo.clear();
    principal = Object.freeze(principalOf(raw));
    memo.set(raw, principal);
  }
  return principal;
}

const MEMO_LIMIT = 100_000;
const memo = new Map<string, Principal>();

function principalOf(raw: string): Principal {
  const value = raw.trim();
  if (value === "*") return { id: "*", kind: "any", account: null };
  if (ACCOUNT_ID.test(value)) return { id: value, kind: "account", account: value };
  if (value === "AWS Internal" || SERVICE.test(value)) return { id: value, kind: "service", account: null };
  if (PRINCIPAL_ID.test(value)) return { id: value, kind: "principal-id", account: null };
  const match = ARN.exec(value);
  if (!match) return { id: value, kind: "unknown", account: null };
  const [, partition, service, , account = "", resource = ""] = match;
  const acct = account || null;
  if (service === "iam" && resource === "root") return { id: account, kind: "account", account: acct };
  if (service === "iam" && resource.startsWith("role/")) {
    return {
      id: `arn:${partition}:iam::${account}:${withoutPath("role", resource)}`,
      kind: "role",
      account: acct,
    };
  }
  if (service === "iam" && resource.startsWith("user/")) {
    return {
      id: `arn:${partition}:iam::${account}:${withoutPath("user", resource)}`,
      kind: "user",
      account: acct,
    };
  }
  if (service === "sts" && resource.startsWith("assumed-role/")) {
    const role = resource.split("/")[1] ?? "";
    return { id: `arn:${partition}:iam::${account}:role/${role}`, kind: "role", account: acct };
  }
  if (service === "sts" && resource.startsWith("federated-user/"))
    return { id: value, kind: "federated", account: acct };
  if (service === "iam" && (resource.startsWith("saml-provider/") || resource.startsWith("oidc-provider/"))) {
    return { id: value, kind: "federated", account: acct };
  }
  return { id: value, kind: "unknown", account: acct };
}

// <service>.<region>.amazonaws.com(.cn): the regional name of a service principal (dynamodb.us-west-2.amazonaws.com).
const REGIONAL_SERVICE = /^([a-z0-9-]+)\.[a-z]{2}(?:-[a-z]+)+-\d+\.(amazonaws\.com(?:\.cn)?)$/;

/**
 * The one name of a service principal: `dynamodb.us-west-2.amazonaws.com` -> `dynamodb.amazonaws.com`. Grants
 * and policies name services either way, but CloudTrail logs the caller (invokedBy, AWSService identities)
 * by the global name only, so both must compare equal. Anything else is returned unchanged.
 */
export function serviceIdentity(id: string): string {
  const match = REGIONAL_SERVICE.exec(id);
  return match ? `${match[1]}.${match[2]}` : id;
}

const SESSION_ARN = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;

/** An assumed-role session as a grant or key policy may name it: its role and the session name. */
export interface RoleSession {
  role: string;
  session: string;
}

/** The role and session of an assumed-role session ARN (`arn:…:sts::A:assumed-role/R/s`), or null. */
export function roleSessionOf(id: string): RoleSession | null {
  const match = SESSION_ARN.exec(id);
  if (!match) return null;
  const [, partition, account, role, session] = match;
  return { role: `arn:${partition}:iam::${account}:role/${role}`, session: session ?? "" };
}

/**
 * A principal as a grant (grantee, retiring principal) or a key policy statement (Principal, NotPrincipal)
 * names it. Unlike an actor, a session ARN is kept whole (kind `role`, id the session ARN): KMS and IAM bind
 * such a grant or statement to that one session, so widening it to the role would credit every other session
 * of the role with it. Everything else is normalizePrincipal's.
 */
export function normalizeGrantee(raw: string): Principal {
  const value = raw.trim();
  const match = SESSION_ARN.exec(value);
  if (!match) return normalizePrincipal(value);
  return { id: value, kind: "role", account: match[2] ?? null };
}

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:[^/]+\/)*([^/]+)$/;

/**
 * The ARN of session `session` of a role (`arn:…:iam::A:role/R` -> `arn:…:sts::A:assumed-role/R/session`),
 * the inverse of roleSessionOf; null when `roleArn` is not a role ARN. Session ARNs carry no role path.
 */
export function sessionArnOf(roleArn: string, session: string): string | null {
  const match = ROLE_ARN.exec(roleArn);
  if (!match || session === "") return null;
  const [, partition, account, role] = match;
  return `arn:${partition}:sts::${account}:assumed-role/${role}/${session}`;
}

/** A unique id as records write it: `AROA…` alone, or `AROA…:session-name` for one session of the role. */
export interface UniqueIdParts {
  uniqueId: string;
  session: string | null;
}

export function uniqueIdParts(id: string): UniqueIdParts {
  const colon = id.indexOf(":");
  if (colon < 0) return { uniqueId: id, session: null };
  return { uniqueId: id.slice(0, colon), session: id.slice(colon + 1) || null };
}

/** The session name of an assumed-role ARN (`…:assumed-role/R/session`), or null. */
export function sessionNameOf(arn: string): string | null {
  const match = /:assumed-role\/[^/]+\/(.+)$/.exec(arn);
  return match?.[1] ?? null;
}
