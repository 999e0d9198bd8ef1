import type { PrincipalKind } from "../events/index.js";
import { arnAccount, roleSessionOf, sessionArnOf } from "../events/index.js";
import type { AliasInterval, CaseModel, KeyRecord, KeyState } from "../model/index.js";
import { type CoverageTarget, principalContext } from "../policy/index.js";
import { attributorOf, type NoneReason, UNEXPLAINED, UNJUDGED } from "./attribution.js";
import { childList } from "./child-map.js";
import { computeGaps, describeGap, gapCaveats } from "./gaps.js";
import { authorizeKey, viaEventIds } from "./key-authorization.js";
import { keyFromAliasCaveat } from "./key-from-alias.js";
import { KEY_OPERATIONS } from "./key-operations.js";
import { mergeVia, type WhoCanVia } from "./merge-via.js";
import { inSession, knownPrincipal, type PrincipalFilter, principalFilter } from "./principal-filter.js";
import { principalUsage, type UsageTally } from "./principal-usage.js";
import { targetEscalation, targetRoutes } from "./reach-routes.js";
import { iso } from "./resolve-key.js";
import { outsideIdentityCaveats, routeCaveats } from "./route-caveats.js";

export type ReachWindow = { at: number } | { from: number; to: number };

export interface ReachUse {
  /** The IAM action (a ReEncrypt counts as ReEncryptFrom on its source key, ReEncryptTo on its destination) */
  operation: string;
  /** Successful calls */
  count: number;
  /** Failed calls (denied, or refused for the key's state) */
  denied: number;
  /** Calls whose record named an alias and no key: counted on the key the alias history gives (inferred) */
  keyFromAlias: number;
  first: string;
  last: string;
}

export interface ReachKey {
  /**
   * `state` as of `at` (or `to`); `states`: every state the key was in at an instant evaluated; `aliases`: every
   * alias that pointed at the key while a route of the principal held (at `at`, or at any time of the window)
   */
  key: { arn: string; aliases: string[]; state: KeyState; states: KeyState[] };
  operations: string[];
  via: WhoCanVia[];
  conditional: boolean;
  used: ReachUse[];
}

/** Successful calls on a key that no route in the replayed state allowed at the call's time. */
export interface UnexplainedUse {
  key: string;
  operation: string;
  count: number;
  first: string;
  last: string;
  eventIds: string[];
  /** How many of the calls each reason covers (usage's noneReasons: denied-by-policy, key-state, no-route) */
  reasons: Partial<Record<NoneReason, number>>;
  /** Calls whose record named an alias and no key: judged on the key the alias history gives (inferred) */
  keyFromAlias: number;
}

/** `reach <principal> --format json` (DESIGN §8). Stable: fields may be added, never renamed. */
export interface ReachReport {
  principal: string;
  kind: PrincipalKind;
  /**
   * The session name, when the principal was asked as a session ARN: routes are judged for that session, and
   * `used` and `usedButNotExplained` count its calls only
   */
  session?: string;
  at?: string;
  from?: string;
  to?: string;
  /** The span `used` counts over: the window, or the whole trail for `--at` */
  usageWindow: { from: string | null; to: string | null };
  keys: ReachKey[];
  usedButNotExplained: UnexplainedUse[];
  caveats: string[];
}

const span = (window: ReachWindow) =>
  "at" in window ? { from: window.at, to: window.at } : { from: window.from, to: window.to };

/** Every instant at which anything that decides reach changed: policy, grants, state, material. */
function changeInstants(model: CaseModel, key: KeyRecord): number[] {
  const times = [
    ...key.policies.map((version) => version.from),
    ...key.states.map((state) => state.from),
    ...key.material.flatMap((material) => [material.from, material.value.validTo ?? material.from]),
    ...(model.grantsByKey.get(key.arn) ?? []).flatMap((grant) => [grant.from, grant.to ?? grant.from]),
    ...(key.createdAt === null ? [] : [key.createdAt]),
  ];
  return [...new Set(times)].sort((a, b) => a - b);
}

/** The window's start and each change inside it: the answer cannot change between two of them. */
function instantsIn(changes: number[], from: number, to: number): number[] {
  return [from, ...changes.filter((t) => t > from && t <= to)];
}

interface KeyReach {
  operations: Set<string>;
  routes: Map<string, WhoCanVia>;
  conditional: boolean;
  aliases: Set<string>;
  states: KeyState[];
  policyUnknown: boolean;
}

/**
 * The aliases of the key while the routes evaluated at instant `t` hold: up to the `next` instant, or for the
 * last one up to the window's end `to` (inclusive). An alias may start or stop pointing at the key between two
 * instants, where the routes do not change.
 */
function aliasesWhileRouted(
  model: CaseModel,
  key: KeyRecord,
  t: number,
  next: number | undefined,
  to: number,
): AliasInterval[] {
  return next === undefined
    ? [...model.aliasesDuring(key.arn, t, to), ...model.aliasesAt(key.arn, to)]
    : model.aliasesDuring(key.arn, t, next);
}

function keyReach(
  model: CaseModel,
  key: KeyRecord,
  target: CoverageTarget,
  instants: number[],
  to: number,
): KeyReach {
  const reach: KeyReach = {
    operations: new Set(),
    routes: new Map(),
    conditional: true,
    aliases: new Set(),
    states: [],
    policyUnknown: false,
  };
  // Every request by the principal asked about carries its account (kms:CallerAccount, aws:PrincipalAccount)
  // and, where its kind decides them, aws:PrincipalArn and aws:PrincipalType (a role's ARN but for its path,
  // also for one session of it), as usage's attribution knows them of a logged caller. who-can has no single
  // caller and leaves them unknown on a delegation or `*` line; reach has one, so its conditions are decided
  // for it: `role/*` never holds for a user, a Deny on aws:PrincipalType User refuses every user.
  const context = principalContext(undefined, target);
  for (const [i, t] of instants.entries()) {
    const authorization = authorizeKey(model, key, t, KEY_OPERATIONS, context);
    if (!reach.states.includes(authorization.state.state)) reach.states.push(authorization.state.state);
    if (!authorization.policy.policy && authorization.state.state !== "NotCreated")
      reach.policyUnknown = true;
    const routes = targetRoutes(authorization, target);
    if (routes.length === 0) continue;
    for (const interval of aliasesWhileRouted(model, key, t, instants[i + 1], to))
      reach.aliases.add(interval.alias.name);
    for (const route of routes) {
      reach.operations.add(route.operation);
      if (!route.conditional) reach.conditional = false;
      for (const via of route.vias)
        mergeVia(reach.routes, via, route.operation, viaEventIds(via, authorization));
    }
    for (const via of targetEscalation(authorization, target))
      mergeVia(reach.routes, via, via.action ?? "", viaEventIds(via, authorization));
  }
  return reach;
}

/**
 * The calls `used` counts, as `usage --principal` finds them: the principal's own; for a service, also those
 * logged under its other name and those it made on callers' behalf (invokedBy); for an account, those of
 * every principal of the account (the account's routes are what IAM delegation hands them). Asked about a
 * session, that session's calls only: the routes listed are that session's, so the counts beside them must
 * be too.
 */
function callsOf(model: CaseModel, target: CoverageTarget): PrincipalFilter {
  if (target.kind === "service" || target.kind === "account") return principalFilter(model, target.id);
  const session = target.sessionName ?? null;
  return (principal, _invokedBy, sessionName) => principal === target.id && inSession(session, sessionName);
}

/**
 * Which successful calls nothing explains at their own time: each call judged by usage's attribution (the
 * same request facts, Denies, key state and grant propagation delay). Calls under an unknown or unreadable
 * policy are not judged, only counted.
 */
function unexplained(model: CaseModel, tallies: UsageTally[]) {
  const attributor = attributorOf(model);
  const found: UnexplainedUse[] = [];
  let unjudged = 0;
  for (const tally of tallies) {
    const reasons: Partial<Record<NoneReason, number>> = {};
    const calls = tally.successes.filter(({ facts }) => {
      const reason = attributor.attribute(facts).noneReason;
      if (reason !== null && UNJUDGED.has(reason)) unjudged++;
      if (reason === null || !UNEXPLAINED.has(reason)) return false;
      reasons[reason] = (reasons[reason] ?? 0) + 1;
      return true;
    });
    const first = calls[0];
    const last = calls.at(-1);
    if (!first || !last) continue;
    found.push({
      key: tally.key,
      operation: tally.operation,
      count: calls.length,
      first: iso(first.time),
      last: iso(last.time),
      eventIds: calls.map((call) => call.eventId),
      reasons,
      keyFromAlias: calls.filter((call) => call.keyFromAlias).length,
    });
  }
  return { found, unjudged };
}

function windowGapCaveats(model: CaseModel, places: Set<string>, window: ReachWindow): string[] {
  if ("at" in window) {
    return [...places].flatMap((place) => {
      const [account = "", region = ""] = place.split(" ");
      return gapCaveats(model, account, region, window.at);
    });
  }
  return computeGaps(model)
    .filter((gap) => gap.keyArn === null && places.has(`${gap.account} ${gap.region}`))
    .filter((gap) => gap.from <= window.to && (gap.to === null || gap.to > window.from))
    .map((gap) => `the window overlaps a gap of ${gap.account}/${gap.region}: ${describeGap(gap)}`);
}

/**
 * The principal asked about. A session ARN is its role (DESIGN §8) and keeps its session name, so that a grant
 * or statement naming one session of the role is judged as usage judges a call by that session: the session
 * asked is reached by it, another session is not.
 */
function reachTarget(principal: string): CoverageTarget {
  const target = knownPrincipal(principal);
  const session = roleSessionOf(principal.trim())?.session;
  return session === undefined ? target : { ...target, sessionName: session };
}

/**
 * The principal asked about, unless the trail shows it: a principal no record names, or a session of a known
 * role that the trail never shows under that session name (a mistyped session would otherwise just count 0).
 */
function unseenName(model: CaseModel, target: CoverageTarget): string | null {
  const record = model.data.principals.find((known) => known.id === target.id);
  if (typeof target.sessionName !== "string") return record ? null : target.id;
  if (record?.sessionNames.includes(target.sessionName)) return null;
  return sessionArnOf(target.id, target.sessionName) ?? target.id;
}

/**
 * Routes that serve only part of the principal, each with its reason: every format, the table too, says which
 * session.
 */
function partialRouteCaveats(keys: readonly ReachKey[]): string[] {
  const reasons = keys.flatMap(({ key, via }) =>
    via.flatMap((route) => {
      if (route.partial === undefined) return [];
      const name =
        route.grantId === undefined ? `statement #${route.statement ?? "?"}` : `grant ${route.grantId}`;
      return [`${key.arn}: ${name} reaches only part of the principal, ${route.partial}`];
    }),
  );
  return [...new Set(reasons)];
}

/**
 * Keys the principal used successfully with no route of its own at the instants evaluated: its calls went
 * through another's route (a caller a service acted for; for an account, one of its principals'), a key
 * policy the trail never shows, or nothing explains them.
 */
function usedWithoutRouteCaveat(
  target: CoverageTarget,
  arns: readonly string[],
  window: ReachWindow,
): string {
  const listed = `${arns.slice(0, 3).join(", ")}${arns.length > 3 ? ", …" : ""}`;
  const where =
    "at" in window
      ? "used in the trail but not usable by it at T (not listed)"
      : "used in the window with no route of its own at the instants evaluated (listed with no operations)";
  const others =
    target.kind === "account"
      ? "routes of the account's own principals (a statement or grant naming one of its roles or users)"
      : "a caller's route (one a service acted for)";
  return (
    `${arns.length} key(s) ${where}: the calls went through ${others}, a key policy the trail never shows, ` +
    `or nothing explains them (usedButNotExplained; \`usage --calls\` gives each call's basis); ${target.id}: ${listed}`
  );
}

/**
 * reach (DESIGN §5, §8): the keys a principal could use at T or at any instant of [from, to] (each change in
 * the window is evaluated), with operations and routes, what it did use, and the successful calls nothing in
 * the replayed state explains.
 */
export function reach(model: CaseModel, principal: string, window: ReachWindow): ReachReport {
  const target = reachTarget(principal);
  const { from, to } = span(window);
  const calls = callsOf(model, target);
  const tallies =
    "at" in window
      ? principalUsage(model.data.usage, calls, null, null)
      : principalUsage(model.data.usage, calls, from, to);
  const keys: ReachKey[] = [];
  const unknownPolicy: string[] = [];
  const usedWithoutRoute: string[] = [];
  const talliesByKey = new Map<string, UsageTally[]>();
  for (const tally of tallies) childList(talliesByKey, tally.key).push(tally);
  for (const key of model.data.keys) {
    const result = keyReach(model, key, target, instantsIn(changeInstants(model, key), from, to), to);
    if (result.policyUnknown) unknownPolicy.push(key.arn);
    const used = talliesByKey.get(key.arn) ?? [];
    if (result.operations.size === 0) {
      // Refused calls alone are what no route means; a successful one went through some route all the same.
      const succeeded = used.some((tally) => tally.count > 0);
      if (succeeded) usedWithoutRoute.push(key.arn);
      // Over a window, a key used in it is listed even without a route: what the principal touched must show.
      // At T the keys are the ones usable then; a caveat names the others it used in the trail.
      if ("at" in window || !succeeded) continue;
    }
    const last = model.stateAt(key, to).state;
    keys.push({
      key: { arn: key.arn, aliases: [...result.aliases].sort(), state: last, states: result.states },
      operations: KEY_OPERATIONS.filter((operation) => result.operations.has(operation)),
      via: [...result.routes.values()],
      conditional: result.operations.size > 0 && result.conditional,
      used: used.map(({ operation, count, denied, keyFromAlias, first, last }) => ({
        operation,
        count,
        denied,
        keyFromAlias,
        first: iso(first),
        last: iso(last),
      })),
    });
  }
  const { found, unjudged } = unexplained(model, tallies);
  const places = new Set(keys.map(({ key }) => key.arn.split(":").slice(3, 5).reverse().join(" ")));
  const caveats = [
    ...partialRouteCaveats(keys),
    ...routeCaveats(keys.flatMap((key) => key.via)),
    ...outsideIdentityCaveats(
      keys.map(({ key, via }) => ({
        principal: target.id,
        kind: target.kind,
        keyAccount: arnAccount(key.arn) ?? "",
        via,
      })),
    ),
    ...windowGapCaveats(model, places, window),
  ];
  const unseen = unseenName(model, target);
  if (unseen !== null && tallies.length === 0)
    caveats.push(`${unseen} made no call in the trail: only what policies and grants name is known`);
  if (unknownPolicy.length > 0)
    caveats.push(
      `${unknownPolicy.length} key(s) had an unknown key policy at some instant: only their grants were checked (${unknownPolicy.slice(0, 3).join(", ")}${unknownPolicy.length > 3 ? ", …" : ""})`,
    );
  if (usedWithoutRoute.length > 0) caveats.push(usedWithoutRouteCaveat(target, usedWithoutRoute, window));
  if (unjudged > 0)
    caveats.push(`${unjudged} successful call(s) fell under an unknown key policy and are not judged`);
  const fromAlias = keyFromAliasCaveat(tallies.reduce((sum, tally) => sum + tally.keyFromAlias, 0));
  if (fromAlias !== null) caveats.push(fromAlias);
  return {
    principal: target.id,
    kind: target.kind,
    ...(typeof target.sessionName === "string" ? { session: target.sessionName } : {}),
    ...("at" in window ? { at: iso(window.at) } : { from: iso(from), to: iso(to) }),
    usageWindow: "at" in window ? { from: null, to: null } : { from: iso(from), to: iso(to) },
    keys,
    usedButNotExplained: found,
    caveats,
  };
}
