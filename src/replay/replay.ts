import {
  normalizeGrantee,
  normalizePrincipal,
  type Principal,
  sessionArnOf,
  uniqueIdParts,
} from "../events/index.js";
import type {
  CaseData,
  CoverageSpan,
  ManagementEvent,
  PrincipalRecord,
  ReplayStats,
  UsageStore,
} from "../model/index.js";
import { holdsAt, intervalAt, KEY_COLUMNS, NONE } from "../model/index.js";
import { applyEvent } from "./apply-event.js";
import type { AliasObservation, Collected } from "./collector.js";
import { findAmbiguities, markAmbiguities } from "./same-second-ambiguity.js";
import { orderSameSecond } from "./same-second-order.js";
import { aliasSlot, ReplayState } from "./state.js";
import { settleCustomKeyStores } from "./store-connection.js";

export type IngestTotals = Omit<
  ReplayStats,
  | "duplicates"
  | "sharedCopiesMerged"
  | "kmsEvents"
  | "trailEvents"
  | "stsEvents"
  | "managementEvents"
  | "usageEvents"
  | "failedCalls"
  | "unresolvedKeyRefs"
>;

/**
 * Second half of replay: applies the collected management events in time order to the key state machine
 * (DESIGN §4), events of the same second in an order KMS allows (applySecond), then settles what only the whole
 * trail can tell: usage calls made through an alias, aliases learned from observation, unique ids resolved to
 * principals.
 */
export function replay(collected: Collected, coverage: CoverageSpan[], ingest: IngestTotals): CaseData {
  const state = new ReplayState(coverage);
  const order = collected.management.map((_, index) => index);
  const events = collected.management;
  order.sort((a, b) => compareEvents(events[a], events[b]));
  const applyAt = (index: number) => {
    const event = events[index];
    if (event) applyEvent(state, event, collected.managementAlso.get(index) ?? []);
  };
  for (let start = 0; start < order.length; ) {
    const time = events[order[start] ?? 0]?.time ?? 0;
    let end = start + 1;
    while (end < order.length && events[order[end] ?? 0]?.time === time) end++;
    // Most seconds hold one management event: only a shared second needs an order worked out.
    if (end - start === 1) applyAt(order[start] ?? -1);
    else applySecond(state, collected, order.slice(start, end), time, applyAt);
    start = end;
  }
  state.fireExpiries();
  const end = lastTime(collected, coverage);

  addObservedAliases(state, collected.aliasObservations);
  namePreviousAliasTargets(state);
  const unresolved = resolveAliasedUsage(state, collected);
  const usage = collected.usage.sorted();
  registerUsageKeysAndPrincipals(state, usage);
  settleCustomKeyStores(state, usage);
  linkPrincipals(state, collected);
  const stores = [...state.stores.values()].sort(
    (a, b) =>
      a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || a.id.localeCompare(b.id),
  );

  return {
    keys: [...state.keys.values()].sort((a, b) => a.arn.localeCompare(b.arn)),
    grants: [...state.grants.values()].sort((a, b) => a.from - b.from || a.grantId.localeCompare(b.grantId)),
    aliases: state.aliases.sort((a, b) => a.from - b.from),
    principals: [...state.principals.values()].sort((a, b) => a.id.localeCompare(b.id)),
    events: state.events,
    usage,
    coverage,
    ...(stores.length > 0 ? { customKeyStores: stores } : {}),
    end,
    stats: {
      ...ingest,
      duplicates: collected.duplicates,
      sharedCopiesMerged: collected.sharedCopiesMerged,
      kmsEvents: collected.counts.kms,
      trailEvents: collected.counts.trail,
      stsEvents: collected.counts.sts,
      managementEvents: state.events.length,
      usageEvents: usage.size,
      failedCalls: failedCalls(usage, state.events),
      unresolvedKeyRefs: unresolved,
    },
  };
}

/**
 * Failed actions, counted as the other action counts are: after a cross-account call's two copies are merged
 * into one (counting records, a failed cross-account call counted twice).
 */
function failedCalls(usage: UsageStore, events: readonly ManagementEvent[]): number {
  let failed = events.filter((event) => event.error !== null).length;
  for (const code of usage.ids("errorCode")) if (code !== NONE) failed++;
  return failed;
}

/**
 * Applies the management events of one timestamp (given by eventId). CloudTrail logs times to the second and
 * eventIDs are random, so the log does not order them: they go in an order KMS's rules allow, and what the
 * order decides where the rules do not (DisableKey and EnableKey in one second) is not asserted as recorded.
 */
function applySecond(
  state: ReplayState,
  collected: Collected,
  indices: readonly number[],
  t: number,
  applyAt: (index: number) => void,
): void {
  const events = indices.flatMap((index) => collected.management[index] ?? []);
  const stateBefore = (arn: string) => state.keys.get(arn)?.states.at(-1)?.value ?? "Unknown";
  const ambiguities = findAmbiguities(events, stateBefore);
  const order = orderSameSecond(events, {
    stateOf: stateBefore,
    aliasExists: (alias) => state.aliasTarget(alias) !== null,
  });
  const first = state.events.length;
  for (const position of order) applyAt(indices[position] ?? -1);
  if (ambiguities.length > 0) markAmbiguities(state, t, ambiguities, state.events.slice(first));
}

function compareEvents(
  a: { time: number; eventId: string } | undefined,
  b: { time: number; eventId: string } | undefined,
): number {
  if (!a || !b) return 0;
  return a.time - b.time || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

function lastTime(collected: Collected, coverage: CoverageSpan[]): number | null {
  let end: number | null = null;
  for (const span of coverage) end = Math.max(end ?? span.to, span.to);
  for (const event of collected.management) end = Math.max(end ?? event.time, event.time);
  return end;
}

/**
 * A call that named alias/x while resources[] named key K shows alias/x -> K at that time. Where no recorded
 * CreateAlias/UpdateAlias covers the instant, runs of such observations become inferred alias intervals
 * [first, last] (half-open at last + 1 ms): the alias surely pointed there then, and nothing more is claimed.
 */
function addObservedAliases(state: ReplayState, observations: AliasObservation[]): void {
  const recorded = groupBy(state.aliases, (interval) => aliasSlot(interval.alias));
  const uncovered = observations.filter(
    (observation) =>
      !recorded.get(aliasSlot(observation.alias))?.some((interval) => holdsAt(interval, observation.time)),
  );
  const bySlot = groupBy(uncovered, (observation) => aliasSlot(observation.alias));
  for (const [slot, list] of bySlot) {
    list.sort((a, b) => a.time - b.time);
    let run: AliasObservation[] = [];
    const flush = () => {
      const first = run[0];
      const last = run.at(-1);
      if (first && last) {
        state.key(first.keyArn, first.time);
        state.aliases.push({
          alias: first.alias,
          value: first.keyArn,
          from: first.time,
          to: last.time + 1,
          openedBy: [first.eventId],
          closedBy: [last.eventId],
          confidence: "inferred",
        });
      }
      run = [];
    };
    for (const observation of list) {
      const previous = run.at(-1);
      const broken =
        previous &&
        (previous.keyArn !== observation.keyArn ||
          recorded
            .get(slot)
            ?.some((interval) => interval.from > previous.time && interval.from <= observation.time));
      if (broken) flush();
      run.push(observation);
    }
    flush();
  }
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * An UpdateAlias whose alias was never created in the trail does not say which key it left. When calls showed
 * the alias pointing somewhere before, that key is named (inferred), so its timeline shows the repoint.
 */
function namePreviousAliasTargets(state: ReplayState): void {
  const inferred = groupBy(
    state.aliases.filter((interval) => interval.confidence === "inferred"),
    (interval) => aliasSlot(interval.alias),
  );
  for (const event of state.events) {
    if (
      event.name !== "UpdateAlias" ||
      event.error ||
      event.details.previousKey ||
      typeof event.details.alias !== "string"
    )
      continue;
    const slot = aliasSlot({ name: event.details.alias, account: event.account, region: event.region });
    const before = (inferred.get(slot) ?? [])
      .filter((interval) => interval.from <= event.time)
      .sort((a, b) => b.from - a.from)[0];
    if (!before || event.keys.includes(before.value)) continue;
    event.details.previousKey = before.value;
    event.details.previousKeyConfidence = "inferred";
    event.keys = [before.value, ...event.keys];
    event.summary = `${event.details.alias}: ${before.value} (inferred from earlier calls) -> ${event.keys.at(-1) ?? "?"}`;
  }
}

function resolveAliasedUsage(state: ReplayState, collected: Collected): number {
  const bySlot = groupBy(state.aliases, (interval) => aliasSlot(interval.alias));
  for (const list of bySlot.values()) list.sort((a, b) => a.from - b.from);
  let unresolved = 0;
  for (const pending of collected.pendingAliases) {
    // Another copy of the call (cross-account) may have named the key since.
    if (collected.usage.field(pending.row, pending.column) !== null) continue;
    const t = collected.usage.timeAt(pending.row);
    const target = intervalAt(bySlot.get(aliasSlot(pending.alias)) ?? [], t);
    if (!target) {
      unresolved++;
      continue;
    }
    collected.usage.setKeyFromAlias(pending.row, pending.column, target.value);
  }
  return unresolved;
}

function registerUsageKeysAndPrincipals(state: ReplayState, usage: UsageStore): void {
  const principals = new Set<string>();
  for (let row = 0; row < usage.size; row++) {
    const t = usage.timeAt(row);
    const principal = usage.field(row, "principal");
    if (principal && !principals.has(principal)) {
      principals.add(principal);
      state.principal(normalizePrincipal(principal));
    }
    for (const column of KEY_COLUMNS) {
      const arn = usage.field(row, column);
      if (!arn) continue;
      const key = state.key(arn, t);
      if (t < key.firstSeen) key.firstSeen = t;
    }
  }
}

function linkPrincipals(state: ReplayState, collected: Collected): void {
  for (const [principal, names] of collected.sessionNames) {
    const record = state.principals.get(principal);
    if (record) record.sessionNames = [...names].sort();
  }
  for (const [uniqueId, principal] of collected.principalIds) {
    const record = state.principals.get(principal);
    if (record && !record.principalIds.includes(uniqueId)) record.principalIds.push(uniqueId);
  }
  for (const grant of state.grants.values()) {
    for (const field of ["grantee", "retiringPrincipal"] as const) {
      const principal = grant[field];
      if (principal?.kind !== "principal-id") continue;
      const resolved = resolveUniqueId(principal.id, collected.principalIds, state.principals);
      if (!resolved) continue;
      grant[field] = resolved;
      // Listed like a grantee named by its session ARN (apply-event registers those).
      state.principal(resolved);
    }
  }
}

/**
 * The principal a unique id names, once a record linked the id to a role or user. `AROA…:session-name` (as
 * CloudTrail logs some grantees) names one session of the role: it becomes that session's ARN, kept whole as
 * normalizeGrantee keeps a session ARN grantee, so the grant serves that session only, not the whole role.
 */
function resolveUniqueId(
  id: string,
  principalIds: ReadonlyMap<string, string>,
  principals: ReadonlyMap<string, PrincipalRecord>,
): Principal | null {
  const { uniqueId, session } = uniqueIdParts(id);
  const linked = principalIds.get(uniqueId);
  const record = linked === undefined ? undefined : principals.get(linked);
  if (!record) return null;
  const sessionArn = session !== null && record.kind === "role" ? sessionArnOf(record.id, session) : null;
  return sessionArn
    ? normalizeGrantee(sessionArn)
    : { id: record.id, kind: record.kind, account: record.account };
}
