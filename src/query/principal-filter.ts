import { UsageError } from "../errors.js";
import {
  normalizePrincipal,
  type Principal,
  roleSessionOf,
  serviceIdentity,
  sessionArnOf,
} from "../events/index.js";
import type { CaseModel } from "../model/index.js";
import { samePrincipal } from "../policy/index.js";

/**
 * Whether a call or event belongs to the principal a user named: its normalized principal, the service that
 * made it for someone (invokedBy), and its assumed-role session name (null when it has none).
 */
export type PrincipalFilter = (
  principal: string,
  invokedBy: string | null,
  sessionName: string | null,
) => boolean;

/**
 * The principal a command line names, as the questions take it. DESIGN §8: an assumed-role session ARN means its
 * role (every session). `--session` narrows a role to one of its sessions, which the questions take as that
 * session's ARN: its calls only, and the routes that reach it.
 */
export function askedPrincipal(principal: string, session?: string): string {
  const name = principal.trim();
  const role = roleSessionOf(name)?.role ?? name;
  if (session === undefined) return role;
  const sessionArn = sessionArnOf(normalizePrincipal(role).id, session);
  if (sessionArn === null) {
    throw new UsageError(`--session: "${principal}" is not a role ARN or an assumed-role session ARN`, {
      hint: "e.g. --principal arn:aws:iam::111122223333:role/App --session alice",
    });
  }
  return sessionArn;
}

/** `name` as a principal; a name that is none (a typo, an 11-digit account) is the user's mistake, not nobody. */
export function knownPrincipal(name: string): Principal {
  const principal = normalizePrincipal(name);
  if (principal.kind === "unknown") {
    throw new UsageError(`principal: "${name}" is not an ARN, an account id or a service principal`, {
      hint: "e.g. arn:aws:iam::111122223333:role/App, 111122223333 or ec2.amazonaws.com",
    });
  }
  return principal;
}

/**
 * Whether a call's session is the one asked about. Asked about a role (`session` null), every session is; asked
 * about a session ARN, only calls logged under that session name, as reach judges that session's routes.
 */
export function inSession(session: string | null, sessionName: string | null): boolean {
  return session === null || sessionName === session;
}

/**
 * A principal asked about (askedPrincipal): an ARN (a session ARN, which `--session` gives, means that session
 * of its role), an account id (every principal of that account), or a service principal, which also matches
 * calls the service made on someone's behalf (invokedBy). A service is one principal under its regional and global names: grants often
 * name `dynamodb.us-west-2.amazonaws.com`, CloudTrail logs `dynamodb.amazonaws.com`. Answers are memoized per
 * principal: a filter is asked once per usage row.
 */
export function principalFilter(model: CaseModel, name: string): PrincipalFilter {
  const wanted = knownPrincipal(name);
  const principalOf = principalLookup(model);
  const matches = memoized((id) => {
    const principal = principalOf(id);
    return wanted.kind === "account" ? principal.account === wanted.id : samePrincipal(principal, wanted);
  });
  if (wanted.kind !== "service") {
    const session = roleSessionOf(name.trim())?.session ?? null;
    return (principal, _invokedBy, sessionName) => matches(principal) && inSession(session, sessionName);
  }
  const service = serviceIdentity(wanted.id);
  const madeBy = memoized((invokedBy) => serviceIdentity(invokedBy) === service);
  return (principal, invokedBy) => matches(principal) || (invokedBy !== null && madeBy(invokedBy));
}

/** A predicate on strings asked once per distinct string: filters run once per usage row, over few values. */
function memoized(test: (value: string) => boolean): (value: string) => boolean {
  const answers = new Map<string, boolean>();
  return (value) => {
    let answer = answers.get(value);
    if (answer === undefined) {
      answer = test(value);
      answers.set(value, answer);
    }
    return answer;
  };
}

// `<account>:<role name>:<session>`: how old records (eventVersion 1.02) name one session as a grantee, the
// role's unique id written as account and name (EC2's `111122223333:aws:ec2-infrastructure:i-81e2f56c`).
const OLD_SESSION_ID = /^(\d{12}):([^/]+):([^:/]+)$/;

/**
 * The assumed-role session such an id names, as a session ARN (kind `role`, as normalizeGrantee keeps a
 * grantee session), when its role is one the trail shows; null otherwise, and the id stays unresolved.
 */
function sessionOfOldId(id: string, roles: ReadonlySet<string>): Principal | null {
  const [, account = "", role = "", session = ""] = OLD_SESSION_ID.exec(id) ?? [];
  const roleArn = `arn:aws:iam::${account}:role/${role}`;
  const sessionArn = roles.has(roleArn) ? sessionArnOf(roleArn, session) : null;
  return sessionArn === null ? null : { id: sessionArn, kind: "role", account };
}

/**
 * A normalized principal id -> its record (kind, account), from the model or by reading the id itself. An id
 * of kind unknown that names a session of a known role the old way reads as that session.
 */
export function principalLookup(model: CaseModel): (id: string) => Principal {
  const roles = new Set(
    model.data.principals.flatMap((record) => (record.kind === "role" ? [record.id] : [])),
  );
  const resolve = (principal: Principal): Principal =>
    principal.kind === "unknown" ? (sessionOfOldId(principal.id, roles) ?? principal) : principal;
  const known = new Map<string, Principal>(
    model.data.principals.map((record) => [
      record.id,
      resolve({ id: record.id, kind: record.kind, account: record.account }),
    ]),
  );
  return (id) => {
    let principal = known.get(id);
    if (!principal) {
      principal = resolve(normalizePrincipal(id));
      known.set(id, principal);
    }
    return principal;
  };
}
