import { isIP } from "node:net";
import { z } from "zod";
import { type Principal, roleSessionOf } from "../events/index.js";
import { isPublicIp } from "./ip-address.js";
import type { NormalizedConditions } from "./parsed-policy.js";
import { matchesWildcard } from "./wildcard.js";

/**
 * What is known about a request, for condition evaluation. Keys are IAM condition keys, matched
 * case-insensitively (`kms:ViaService`, `kms:EncryptionContext:Department`). An array is a multivalued key
 * (`kms:EncryptionContextKeys`, `kms:GrantOperations`); booleans are written as IAM compares them, "true"/"false".
 *
 * A key missing from `values` is *unknown* unless `authoritative` lists it (IAM globs allowed,
 * `kms:EncryptionContext:*`): then it is known to be absent from the request, which IAM's missing-key rules decide.
 */
export const requestContextSchema = z.object({
  values: z.record(z.string(), z.union([z.string(), z.boolean(), z.array(z.string())])).default({}),
  authoritative: z.array(z.string()).default([]),
  /**
   * Keys whose value is an IAM role or user ARN known but for its path (aws:PrincipalArn of a principal the
   * trail names without it): a condition on them is decided only where no path could change the answer.
   */
  pathUnknown: z.array(z.string()).optional(),
});
export type RequestContext = z.infer<typeof requestContextSchema>;

export type ContextLookup =
  | { state: "present"; values: string[]; multivalued: boolean; pathUnknown: boolean }
  | { state: "absent" }
  | { state: "unknown" };

export function lookupContextKey(context: RequestContext | undefined, key: string): ContextLookup {
  if (!context) return { state: "unknown" };
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(context.values)) {
    if (name.toLowerCase() !== wanted) continue;
    const pathUnknown = context.pathUnknown?.some((unknown) => unknown.toLowerCase() === wanted) ?? false;
    if (Array.isArray(value)) return { state: "present", values: value, multivalued: true, pathUnknown };
    return { state: "present", values: [String(value)], multivalued: false, pathUnknown };
  }
  const known = context.authoritative.some((pattern) => matchesWildcard(pattern, key, true));
  return known ? { state: "absent" } : { state: "unknown" };
}

/** Facts a caller knows about one KMS request; every fact given is authoritative for its keys. */
export interface KmsRequestFacts {
  /** The request's encryption context; `{}` or null means the request had none. */
  encryptionContext?: Record<string, string> | null;
  callerAccount?: string;
  /** The service that made the call on the caller's behalf (CloudTrail's invokedBy), or null for a direct call. */
  viaService?: string | null;
  principalArn?: string;
  /** principalArn is a role or user ARN without its path, which keytrail drops (see arnPathVariants) */
  principalArnPathUnknown?: boolean;
  principalAccount?: string;
  principalType?: string;
  userId?: string;
  grantIsForAwsResource?: boolean;
  grantOperations?: string[];
  sourceArn?: string;
  sourceAccount?: string;
  principalOrgId?: string;
  /** aws:SourceIp: the caller's address; null when known to be absent from the request. */
  sourceIp?: string | null;
  /** aws:ViaAWSService: whether a service made the call with the caller's credentials. */
  viaAwsService?: boolean;
}

type FactKey = Exclude<keyof KmsRequestFacts, "encryptionContext" | "principalArnPathUnknown">;

/** Where each simple fact goes; kept as data so that adding a key is one row. */
const FACT_KEYS: Record<FactKey, string> = {
  callerAccount: "kms:CallerAccount",
  viaService: "kms:ViaService",
  principalArn: "aws:PrincipalArn",
  principalAccount: "aws:PrincipalAccount",
  principalType: "aws:PrincipalType",
  userId: "aws:userid",
  grantIsForAwsResource: "kms:GrantIsForAWSResource",
  grantOperations: "kms:GrantOperations",
  sourceArn: "aws:SourceArn",
  sourceAccount: "aws:SourceAccount",
  principalOrgId: "aws:PrincipalOrgID",
  sourceIp: "aws:SourceIp",
  viaAwsService: "aws:ViaAWSService",
};

/**
 * Builds a context from known facts, as when attributing a real event. A fact set to null is known to be
 * absent (a direct call has no kms:ViaService); a fact left undefined stays unknown.
 */
export function kmsRequestContext(facts: KmsRequestFacts): RequestContext {
  const values: RequestContext["values"] = {};
  const authoritative: string[] = [];
  for (const [fact, key] of Object.entries(FACT_KEYS) as [FactKey, string][]) {
    const value = facts[fact];
    if (value === undefined) continue;
    authoritative.push(key);
    if (value !== null) values[key] = value;
  }
  if (facts.encryptionContext !== undefined) {
    authoritative.push("kms:EncryptionContext:*", "kms:EncryptionContextKeys");
    const pairs = Object.entries(facts.encryptionContext ?? {});
    for (const [name, value] of pairs) values[`kms:EncryptionContext:${name}`] = value;
    if (pairs.length > 0) values["kms:EncryptionContextKeys"] = pairs.map(([name]) => name);
  }
  const pathUnknown = facts.principalArn !== undefined && facts.principalArnPathUnknown;
  return pathUnknown
    ? { values, authoritative, pathUnknown: [FACT_KEYS.principalArn] }
    : { values, authoritative };
}

/**
 * What a CloudTrail record says about the network side of a call. Only a direct call (no invokedBy, and an IP
 * address as source) decides anything: aws:ViaAWSService is false, and aws:SourceIp is the
 * logged sourceIPAddress when that is a public address. A private address means a VPC endpoint, where IAM
 * has no aws:SourceIp (aws:VpcSourceIp instead), and nothing here says so for sure: it stays unknown, as does
 * everything about calls a service made.
 */
export function recordNetworkFacts(
  invokedBy: string | null,
  sourceIp: string | null,
): Pick<KmsRequestFacts, "sourceIp" | "viaAwsService"> {
  // "AWS Internal", a service name or nothing: not a caller's own request as far as the record shows.
  if (invokedBy !== null || sourceIp === null || isIP(sourceIp) === 0) return {};
  return isPublicIp(sourceIp) ? { sourceIp, viaAwsService: false } : { viaAwsService: false };
}

/** The keys principalContext fills, lower case. */
const PRINCIPAL_KEYS_LOWER: ReadonlySet<string> = new Set([
  "kms:calleraccount",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:principaltype",
]);
const readsPrincipal = new WeakMap<NormalizedConditions, boolean>();

/**
 * Whether conditions name a key a request by a known principal decides: kms:CallerAccount,
 * aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalType (the keys principalContext fills).
 */
export function readsPrincipalKeys(conditions: NormalizedConditions): boolean {
  let reads = readsPrincipal.get(conditions);
  if (reads === undefined) {
    reads = Object.values(conditions).some((keys) =>
      Object.keys(keys).some((key) => PRINCIPAL_KEYS_LOWER.has(key.toLowerCase())),
    );
    readsPrincipal.set(conditions, reads);
  }
  return reads;
}

/**
 * The principal kinds whose account, when known, is the account of every request they make (its
 * kms:CallerAccount and aws:PrincipalAccount): an account, a role (or one session of it), a user, and a federated
 * principal. A federated user (`arn:…:sts::A:federated-user/n`, GetFederationToken) acts in A, the account of the
 * IAM user that got its credentials, as aws:PrincipalAccount says. A SAML or OIDC provider a statement names
 * (`arn:…:iam::A:saml-provider/…`) signs no KMS request itself: its users act through roles trusting it, in its
 * account A. CloudTrail's SAMLUser and WebIdentityUser identities carry no account of their own (null here).
 */
const ACCOUNT_KINDS: ReadonlySet<Principal["kind"]> = new Set(["account", "role", "user", "federated"]);
const FEDERATED_USER_ARN = /^arn:[^:]+:sts::\d{12}:federated-user\//;

/**
 * The account every request by a principal comes from (ACCOUNT_KINDS), or null when its kind or its ARN does
 * not tell: `*`, a service, an unresolved unique id, a principal of unknown kind. Both the cross-account rule
 * (sameAccountRoutes) and the principal's context (principalContext) read it.
 */
export function principalRequestAccount({ account, kind }: Principal): string | null {
  return ACCOUNT_KINDS.has(kind) ? account : null;
}

/** kms:CallerAccount and aws:PrincipalAccount of every request by a named role, user, account or federated user. */
function accountFacts(principal: Principal): KmsRequestFacts {
  const account = principalRequestAccount(principal);
  return account === null ? {} : { callerAccount: account, principalAccount: account };
}

/**
 * aws:PrincipalArn and aws:PrincipalType of every request by a principal, where its kind decides them: a role
 * acts through its sessions (AssumedRole, and the role's ARN, not the session's, even for a principal named
 * as one session), a user as itself (User), a federated user by its sts ARN (FederatedUser). Role and user
 * ARNs are known but for their path. An account is left out: a request "by" it is its root user or, as
 * CloudTrail logs another account's caller (AWSAccount) and as IAM delegation means, any principal in it.
 */
export function principalIdentityFacts(principal: Principal): KmsRequestFacts {
  if (principal.kind === "role") {
    const arn = roleSessionOf(principal.id)?.role ?? principal.id;
    return { principalArn: arn, principalArnPathUnknown: true, principalType: "AssumedRole" };
  }
  if (principal.kind === "user")
    return { principalArn: principal.id, principalArnPathUnknown: true, principalType: "User" };
  if (principal.kind === "federated" && FEDERATED_USER_ARN.test(principal.id))
    return { principalArn: principal.id, principalType: "FederatedUser" };
  return {};
}

/**
 * The context for a route to (or a Deny on) one principal: what any request by it carries is known even when
 * the question gave no fact. A named role, user, account or federated principal sends its account (a role in
 * 111122223333 never matches kms:CallerAccount 999999999999), a role or user its ARN (but for the path) and type
 * (principalIdentityFacts). What the context already knows wins.
 */
export function principalContext(
  context: RequestContext | undefined,
  principal: Principal,
): RequestContext | undefined {
  const derived = kmsRequestContext({ ...accountFacts(principal), ...principalIdentityFacts(principal) });
  const open = derived.authoritative.filter((key) => lookupContextKey(context, key).state === "unknown");
  if (open.length === 0) return context;
  const base = context ?? { values: {}, authoritative: [] };
  const values = Object.fromEntries(
    open.flatMap((key) => {
      const value = derived.values[key];
      return value === undefined ? [] : [[key, value] as const];
    }),
  );
  const pathUnknown = [
    ...(base.pathUnknown ?? []),
    ...open.filter((key) => derived.pathUnknown?.includes(key)),
  ];
  return {
    values: { ...base.values, ...values },
    authoritative: [...base.authoritative, ...open],
    ...(pathUnknown.length > 0 ? { pathUnknown } : {}),
  };
}

const CONTEXT_PREFIX = "kms:encryptioncontext:";

/**
 * The request's encryption context as grant constraints see it: the `kms:EncryptionContext:<k>` values, or
 * undefined when the context is not authoritative for them (then constrained grants stay undecided).
 */
export function encryptionContextOf(context: RequestContext | undefined): Record<string, string> | undefined {
  // Probe with a key no policy names: only a pattern covering every context key makes the pairs complete.
  const probe = "kms:EncryptionContext:keytrail-probe";
  if (!context?.authoritative.some((pattern) => matchesWildcard(pattern, probe, true))) {
    return undefined;
  }
  const pairs: Record<string, string> = {};
  for (const [name, value] of Object.entries(context.values)) {
    if (name.toLowerCase().startsWith(CONTEXT_PREFIX) && typeof value === "string") {
      pairs[name.slice(CONTEXT_PREFIX.length)] = value;
    }
  }
  return pairs;
}
