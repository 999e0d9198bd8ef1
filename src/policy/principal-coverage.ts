import { type Principal, type RoleSession, roleSessionOf, serviceIdentity } from "../events/index.js";
import type { PrincipalSpec } from "./parsed-policy.js";

/**
 * The part of a target role reached, when it is a matter of the role's assumed-role sessions: only the sessions
 * named (a grant or Principal naming them), or every session but those (a NotPrincipal listing them).
 */
export interface SessionPart {
  reaches: "only" | "allBut";
  /** The session ARNs named, sorted */
  sessions: string[];
}

/**
 * How much of a target principal a statement's principal element reaches. When the part reached is a matter of
 * the target role's sessions, `sessions` says which (reach lists such routes).
 */
export type Coverage =
  | { extent: "all" }
  | { extent: "none" }
  | { extent: "partial"; reason: string; sessions?: SessionPart };

/**
 * A principal asked about. A caller (an Actor), or a session ARN asked about (reach), also gives its session
 * name, so that a grant or statement naming one assumed-role session can be told apart from the other
 * sessions of the same role. Without one, a role is asked about as a whole.
 */
export type CoverageTarget = Principal & { sessionName?: string | null };

const ALL: Coverage = { extent: "all" };
const NONE: Coverage = { extent: "none" };
const partial = (reason: string): Coverage => ({ extent: "partial", reason });

/**
 * Coverage of part of `role`, by its sessions: the reason names every session, as reach's `via.partial` and
 * its caveat repeat it (`it names session batch of R only (ARN)`, `NotPrincipal exempts only session debug of R`).
 */
function sessionsPart(role: string, reaches: SessionPart["reaches"], arns: readonly string[]): Coverage {
  const sessions = [...new Set(arns)].sort();
  const names = sessions.map((arn) => roleSessionOf(arn)?.session ?? arn).join(", ");
  const noun = sessions.length > 1 ? "sessions" : "session";
  const reason =
    reaches === "only"
      ? `it names ${noun} ${names} of ${role} only (${sessions.join(", ")})`
      : `NotPrincipal exempts only ${noun} ${names} of ${role}`;
  return { extent: "partial", reason, sessions: { reaches, sessions } };
}

/**
 * The same principal: equal ids, or one service under its regional and global names
 * (`dynamodb.us-west-2.amazonaws.com` granted, `dynamodb.amazonaws.com` in CloudTrail).
 */
export function samePrincipal(a: Principal, b: Principal): boolean {
  if (a.id === b.id) return true;
  return a.kind === "service" && b.kind === "service" && serviceIdentity(a.id) === serviceIdentity(b.id);
}

/**
 * An entry naming one assumed-role session (a grantee or policy principal kept whole by normalizeGrantee)
 * reaches that session, and of its role only a caller with that session name; a role asked about without a
 * session, partly.
 */
function sessionEntryCovers(entry: Principal, session: RoleSession, target: CoverageTarget) {
  if (target.id !== session.role) return null;
  if (typeof target.sessionName === "string") return target.sessionName === session.session ? ALL : NONE;
  return sessionsPart(session.role, "only", [entry.id]);
}

/** Whether an entry names exactly the session a target (a caller, or a session asked about) is in. */
function namesSessionOf(entry: Principal, target: CoverageTarget): boolean {
  const session = roleSessionOf(entry.id);
  return session !== null && session.role === target.id && session.session === target.sessionName;
}

/**
 * Whether one named principal reaches the target. Naming an account reaches every principal in it, as a
 * Deny on `arn:aws:iam::A:root` does; naming a role reaches its sessions. A named principal inside a target
 * account or under a target `*` reaches only part of it; an unresolved unique id (AROA…) may or may not be
 * the target role or user.
 */
export function entryCovers(entry: Principal, target: CoverageTarget): Coverage {
  if (entry.kind === "any" || samePrincipal(entry, target)) return ALL;
  if (entry.kind === "account" && target.account === entry.id) return ALL;
  const entrySession = roleSessionOf(entry.id);
  const bySession = entrySession ? sessionEntryCovers(entry, entrySession, target) : null;
  if (bySession) return bySession;
  if (roleSessionOf(target.id)?.role === entry.id) return ALL;
  if (target.kind === "any") return partial(`it names ${entry.id}, one of anyone`);
  if (target.kind === "account" && entry.account === target.id) {
    return partial(`it names ${entry.id}, one principal of account ${target.id}`);
  }
  const ids = [entry.kind, target.kind].filter((kind) => kind === "principal-id").length;
  const iam = [entry.kind, target.kind].filter((kind) => kind === "role" || kind === "user").length;
  if (ids === 1 && iam === 1)
    return partial(`unique id ${entry.kind === "principal-id" ? entry.id : target.id} is unresolved`);
  return NONE;
}

/**
 * The most a list of named principals reaches together. Several sessions of the role asked about make one
 * part, naming them all: a statement naming sessions w1 and w2 reaches both, not only the first.
 */
function strongest(results: Coverage[], target: CoverageTarget): Coverage {
  if (results.some((c) => c.extent === "all")) return ALL;
  const sessions = results.flatMap((c) =>
    c.extent === "partial" && c.sessions?.reaches === "only" ? c.sessions.sessions : [],
  );
  if (sessions.length > 0) return sessionsPart(target.id, "only", sessions);
  return results.find((c) => c.extent === "partial") ?? NONE;
}

/**
 * NotPrincipal excludes the principals it lists. IAM may evaluate a role's or user's account before the
 * principal itself, so AWS tells authors to list the account too; when they did not, the exclusion is doubtful.
 * Listing the account (`arn:aws:iam::A:root`) exempts the root user only, never the account's roles and users:
 * for an account target the Deny still reaches the principals it did not exempt.
 */
function notPrincipalCovers(entries: Principal[], target: CoverageTarget): Coverage {
  if (entries.some((e) => e.kind === "any")) return NONE;
  if (target.kind === "any") return partial("NotPrincipal excludes some principals from anyone");
  if (target.kind === "account") {
    const exempts = entries.some((e) => e.id === target.id || e.account === target.id);
    return exempts
      ? partial(`NotPrincipal exempts some principals of account ${target.id} (its root user at most)`)
      : ALL;
  }
  // A listed role exempts its sessions too; a listed session ARN exempts that one session of its role.
  const role = roleSessionOf(target.id)?.role;
  const listed = entries.some((e) => samePrincipal(e, target) || e.id === role || namesSessionOf(e, target));
  const accountListed =
    target.account !== null && entries.some((e) => e.kind === "account" && e.id === target.account);
  if (target.kind === "role" || target.kind === "user") {
    if (listed && accountListed) return NONE;
    if (listed)
      return partial(`NotPrincipal lists ${target.id} but not its account ${target.account ?? "?"}`);
    return sessionsExempted(entries, target) ?? ALL;
  }
  if (listed) return NONE;
  return target.kind === "principal-id" || target.kind === "unknown"
    ? unresolvedExempted(entries, target)
    : ALL;
}

/**
 * A target keytrail could not resolve, an AROA…/AIDA… unique id (or a principal of unknown kind), may be one of
 * the principals a NotPrincipal exempts (`role/Admin`): the Deny may reach it or not, as a Principal naming an
 * unresolved id may reach a role (entryCovers). Only when nothing listed could be it does the Deny reach it
 * whole; listing an account exempts its root user, which a role's or user's unique id is not.
 */
function unresolvedExempted(entries: Principal[], target: CoverageTarget): Coverage {
  const base = (id: string) => id.split(":")[0];
  const couldBe = (entry: Principal) =>
    target.kind === "unknown"
      ? entry.kind !== "service"
      : entry.kind === "role" ||
        entry.kind === "user" ||
        entry.kind === "unknown" ||
        (entry.kind === "principal-id" && base(entry.id) === base(target.id));
  const exempted = entries.filter(couldBe).map((entry) => entry.id);
  if (exempted.length === 0) return ALL;
  const what =
    target.kind === "unknown"
      ? `principal ${target.id} is not known`
      : `unique id ${target.id} is unresolved`;
  return partial(`${what}: it may be ${exempted.join(", ")}, which NotPrincipal exempts`);
}

/**
 * For a role asked about without a session: a NotPrincipal listing some of its sessions exempts only those, so
 * the statement reaches every other session (for an Allow, a route reach keeps as partial).
 */
function sessionsExempted(entries: Principal[], target: CoverageTarget): Coverage | null {
  if (typeof target.sessionName === "string") return null;
  const sessions = entries.filter((e) => roleSessionOf(e.id)?.role === target.id).map((e) => e.id);
  return sessions.length === 0 ? null : sessionsPart(target.id, "allBut", sessions);
}

export function principalSpecCovers(spec: PrincipalSpec, target: CoverageTarget): Coverage {
  const entries = spec.entries.map((entry) => entry.principal);
  if (spec.kind === "NotPrincipal") return notPrincipalCovers(entries, target);
  return strongest(
    entries.map((entry) => entryCovers(entry, target)),
    target,
  );
}
