import type {
  CaseModel,
  Confidence,
  KeyColumn,
  KeyRecord,
  ManagementEvent,
  UsageStore,
} from "../model/index.js";
import { countAtOrBefore, KEY_COLUMNS } from "../model/index.js";
import { EventIdSample } from "./event-id-sample.js";
import { gapCaveatsInWindow } from "./gaps.js";
import { type PrincipalFilter, principalFilter } from "./principal-filter.js";
import { iso } from "./resolve-key.js";
import { resolveKeys } from "./resolve-keys.js";
import { type WindowQuery, windowQuery } from "./window-query.js";

export interface TimelineOptions {
  key?: string | undefined;
  principal?: string | undefined;
  /** Half-open window [from, to), ms */
  from?: number | undefined;
  to?: number | undefined;
}

/**
 * `event`: a management event as logged (failed ones too); `state`: a change no record shows (material expiry,
 * an alias seen only through calls, a key whose earlier state is unknown); `usage`: a run of calls.
 */
export type TimelineKind = "event" | "state" | "usage";

export interface TimelineEntry {
  time: string;
  /** The run's last call (usage), else null */
  end: string | null;
  kind: TimelineKind;
  confidence: Confidence;
  account: string;
  region: string;
  /** Normalized principal; null for changes no one made (inferred) */
  actor: string | null;
  sessions: string[];
  invokedBy: string | null;
  sourceIp: string | null;
  keys: string[];
  /** Event name, or the operation of a usage run */
  name: string;
  /** What changed, or `Decrypt x 412 by …` */
  summary: string;
  /** null for success, else the errorCode (for a run: all its calls failed with it) */
  error: string | null;
  count: number;
  eventIds: string[];
  eventIdsOmitted: number;
}

export interface TimelineReport {
  query: WindowQuery;
  entries: TimelineEntry[];
  totals: { events: number; stateChanges: number; usageRuns: number; usageCalls: number };
  caveats: string[];
}

interface Scope {
  keySet: Set<string> | null;
  /** account/region of the keys asked about: events there that name no key are context (logging changes) */
  places: Set<string> | null;
  matchesPrincipal: PrincipalFilter | null;
  from: number;
  to: number;
}

const place = (account: string, region: string) => `${account}/${region}`;
const inWindow = (scope: Scope, t: number) => t >= scope.from && t < scope.to;

/** The principal without its ARN prefix, for lines a human reads: `role/App`, `user/alice`. */
export function shortPrincipal(id: string): string {
  return id.replace(/^arn:[^:]+:iam::(\d{12}):/, "$1:");
}

function eventEntry(event: ManagementEvent): TimelineEntry {
  return {
    time: iso(event.time),
    end: null,
    kind: "event",
    confidence: "recorded",
    account: event.account,
    region: event.region,
    actor: event.actor.id,
    sessions: event.actor.sessionName ? [event.actor.sessionName] : [],
    invokedBy: event.invokedBy,
    sourceIp: event.sourceIp,
    keys: event.keys,
    name: event.name,
    summary: event.summary,
    error: event.error?.code ?? null,
    count: 1,
    eventIds: [event.eventId, ...event.alsoEventIds],
    eventIdsOmitted: 0,
  };
}

function stateEntry(key: KeyRecord, t: number, summary: string, confidence: Confidence, eventIds: string[]) {
  const entry: TimelineEntry = {
    time: iso(t),
    end: null,
    kind: "state",
    confidence,
    account: key.account,
    region: key.region,
    actor: null,
    sessions: [],
    invokedBy: null,
    sourceIp: null,
    keys: [key.arn],
    name: confidence === "unknown" ? "FirstSeen" : "InferredTransition",
    summary,
    error: null,
    count: 0,
    eventIds,
    eventIdsOmitted: 0,
  };
  return { t, entry };
}

/**
 * Changes no record shows, read from the key's intervals: transitions opened by no event (material expiry),
 * aliases learned from calls, and the unknown start of a key first seen mid-trail.
 */
function stateChanges(model: CaseModel, key: KeyRecord): { t: number; entry: TimelineEntry }[] {
  const changes: { t: number; entry: TimelineEntry }[] = [];
  if (key.createdAt === null) {
    changes.push(
      stateEntry(
        key,
        key.firstSeen,
        "first seen; no CreateKey in the trail: earlier state and policy unknown",
        "unknown",
        [],
      ),
    );
  }
  key.states.forEach((interval, i) => {
    if (interval.confidence !== "inferred") return;
    // An expiry is closed by the import that set its validTo (its only evidence); any other inferred change
    // with evidence is the effect of a record at that time, which has its own line.
    const expired = key.material.some(
      (material) => material.to === interval.from && sameIds(material.closedBy, material.openedBy),
    );
    const connected = expired ? null : connectedByCall(model, key, interval);
    if (!expired && !connected && interval.openedBy.length > 0) return;
    const before = key.states[i - 1]?.value ?? "Unknown";
    const why = expired ? "key material expired at its validTo" : (connected ?? "a KMS rule with no record");
    changes.push(
      stateEntry(
        key,
        interval.from,
        `state ${before} -> ${interval.value} (${why})`,
        "inferred",
        interval.openedBy,
      ),
    );
  });
  for (const alias of model.aliasesByKey.get(key.arn) ?? []) {
    if (alias.confidence !== "inferred") continue;
    const until = alias.to === null ? "" : ` until ${iso(alias.to)}`;
    changes.push(
      stateEntry(
        key,
        alias.from,
        `${alias.alias.name} -> this key, seen in calls${until}`,
        "inferred",
        alias.openedBy,
      ),
    );
  }
  return changes;
}

/**
 * A state a key in a custom key store is back in because a successful call (a usage row, which has no line of
 * its own in the key's events) showed the store connected: what the state line says of it, else null.
 */
function connectedByCall(
  model: CaseModel,
  key: KeyRecord,
  interval: KeyRecord["states"][number],
): string | null {
  const store = model.storeOf(key);
  const link = store?.connection.find(
    (connection) =>
      connection.from === interval.from &&
      connection.value === "Connected" &&
      connection.confidence === "inferred",
  );
  const events = model.eventsByKey.get(key.arn) ?? [];
  if (!store || !link || link.openedBy.some((id) => events.some((event) => event.eventId === id)))
    return null;
  return `a successful call shows custom key store ${store.id} connected`;
}

function scopedKeys(model: CaseModel, scope: Scope): KeyRecord[] {
  return scope.keySet ? [...scope.keySet].flatMap((arn) => model.keysByArn.get(arn) ?? []) : model.data.keys;
}

function eventInScope(event: ManagementEvent, scope: Scope): boolean {
  if (!inWindow(scope, event.time)) return false;
  if (
    scope.matchesPrincipal &&
    !scope.matchesPrincipal(event.actor.id, event.invokedBy, event.actor.sessionName)
  )
    return false;
  if (!scope.keySet) return true;
  if (event.keys.length === 0) return scope.places?.has(place(event.account, event.region)) ?? false;
  return [...event.keys, previousKeyOf(event)].some((key) => key !== null && scope.keySet?.has(key));
}

/** UpdateAlias names only its new target; the key the alias left is in its details. */
function previousKeyOf(event: ManagementEvent): string | null {
  const previous = event.details.previousKey;
  return typeof previous === "string" ? previous : null;
}

/**
 * Per key, the sorted instants of its management events and state changes, and of the events that name no key
 * in its account and Region (CloudTrail logging changes): a usage run never spans one. Per account/Region
 * (`place`), the instants of its events that name no key, for the runs of calls that name no key.
 */
function breaksByKey(
  model: CaseModel,
  changes: { t: number; entry: TimelineEntry }[],
): Map<string, number[]> {
  const breaks = new Map<string, number[]>();
  const add = (key: string, t: number) => {
    const list = breaks.get(key);
    if (list) list.push(t);
    else breaks.set(key, [t]);
  };
  const byPlace = new Map<string, string[]>();
  for (const key of model.data.keys) {
    const here = place(key.account, key.region);
    byPlace.set(here, [...(byPlace.get(here) ?? []), key.arn]);
  }
  for (const event of model.data.events) {
    const here = place(event.account, event.region);
    const keys = event.keys.length > 0 ? event.keys : [here, ...(byPlace.get(here) ?? [])];
    for (const key of keys) add(key, event.time);
  }
  for (const { t, entry } of changes) for (const key of entry.keys) add(key, t);
  for (const list of breaks.values()) list.sort((a, b) => a - b);
  return breaks;
}

interface Run {
  first: number;
  last: number;
  breaks: number;
  account: string;
  region: string;
  principal: string;
  key: string | null;
  keys: Set<string>;
  operation: string;
  error: string | null;
  sessions: Set<string>;
  services: Set<string>;
  sourceIps: Set<string>;
  sample: EventIdSample;
  /**
   * The key columns whose value the calls' records did not give: they named an alias, and the key is the one
   * the alias history gives (usage's keyFromAlias)
   */
  fromAlias: KeyColumn[];
}

const NOT_MARKED: KeyColumn[] = [];

const INFERRED_TEXT: Record<string, string> = {
  key: " (key inferred from the alias history)",
  destinationKey: " (destination key inferred from the alias history)",
  "key,destinationKey": " (keys inferred from the alias history)",
};

/** A run's first and last times: times of day within one UTC day, else with their dates too. */
function runSpan(first: number, last: number): string {
  const [from, to] = [iso(first), iso(last)];
  const sameDay = from.slice(0, 10) === to.slice(0, 10);
  return sameDay ? `${from.slice(11, 19)}-${to.slice(11, 19)}` : `${from.slice(0, 19)}Z-${to.slice(0, 19)}Z`;
}

function runEntry(store: UsageStore, run: Run): { t: number; entry: TimelineEntry } {
  const { rows, omitted } = run.sample.rows();
  const count = run.sample.count;
  const span = count === 1 ? "" : `, ${runSpan(run.first, run.last)}`;
  const outcome = run.error ? ` failed (${run.error})` : "";
  const via = run.services.size > 0 ? ` via ${[...run.services].sort().join(",")}` : "";
  const inferred = INFERRED_TEXT[run.fromAlias.join(",")] ?? "";
  const single = (values: Set<string>) => (values.size === 1 ? ([...values][0] ?? null) : null);
  return {
    t: run.first,
    entry: {
      time: iso(run.first),
      end: iso(run.last),
      kind: "usage",
      confidence: run.fromAlias.length > 0 ? "inferred" : "recorded",
      account: run.account,
      region: run.region,
      actor: run.principal,
      sessions: [...run.sessions].sort(),
      invokedBy: single(run.services),
      sourceIp: single(run.sourceIps),
      keys: [...run.keys],
      name: run.operation,
      summary: `${run.operation} x ${count}${outcome} by ${shortPrincipal(run.principal)}${via}${span}${inferred}`,
      error: run.error,
      count,
      eventIds: rows.flatMap((row) => {
        const { eventId, alsoEventIds } = store.row(row);
        return [eventId, ...alsoEventIds];
      }),
      eventIdsOmitted: omitted,
    },
  };
}

/**
 * Usage collapsed into runs: consecutive calls by the same principal on the same key (calls that name no key:
 * in the same account and Region) with the same operation and outcome, with no management event or state
 * change of that key, and no event naming no key in its account and Region, in between (other principals' calls
 * do not break a run). Rows are read in place over the binary-searched window.
 */
function usageRuns(model: CaseModel, scope: Scope, breaks: Map<string, number[]>) {
  const store = model.data.usage;
  const open = new Map<string, Run>();
  const done: Run[] = [];
  // Most cases mark no row: a run's marks are then looked up for none.
  const marked = store.hasKeysFromAlias();
  const { start, end } = store.rowRange(scope.from, scope.to);
  for (let row = start; row < end; row++) {
    const key = store.field(row, "key");
    const destination = store.field(row, "destinationKey");
    const keySet = scope.keySet;
    if (keySet && !(key !== null && keySet.has(key)) && !(destination !== null && keySet.has(destination)))
      continue;
    const principal = store.field(row, "principal") ?? "";
    const invokedBy = store.field(row, "invokedBy");
    const session = store.field(row, "sessionName");
    if (scope.matchesPrincipal && !scope.matchesPrincipal(principal, invokedBy, session)) continue;
    const t = store.timeAt(row);
    const operation = store.field(row, "operation") ?? "";
    const error = store.field(row, "errorCode");
    const fromAlias = marked ? KEY_COLUMNS.filter((column) => store.keyFromAlias(row, column)) : NOT_MARKED;
    // A key's ARN fixes its calls' Region; calls that name no key keep to one account and Region a run.
    const where =
      key === null ? place(store.field(row, "account") ?? "", store.field(row, "region") ?? "") : "";
    const runKey = `${key}\u0000${where}\u0000${principal}\u0000${operation}\u0000${error}\u0000${fromAlias.join()}`;
    const keyBreaks = breaks.get(key ?? where);
    const breakCount = keyBreaks ? countAtOrBefore(keyBreaks, t) : 0;
    let run = open.get(runKey);
    if (run && run.breaks !== breakCount) {
      done.push(run);
      run = undefined;
    }
    if (!run) {
      run = {
        first: t,
        last: t,
        breaks: breakCount,
        account: store.field(row, "account") ?? "",
        region: store.field(row, "region") ?? "",
        principal,
        key,
        keys: new Set(),
        operation,
        error,
        sessions: new Set(),
        services: new Set(),
        sourceIps: new Set(),
        sample: new EventIdSample(),
        fromAlias,
      };
      open.set(runKey, run);
    }
    run.last = t;
    run.sample.add(row);
    if (key !== null) run.keys.add(key);
    if (destination !== null) run.keys.add(destination);
    if (session !== null) run.sessions.add(session);
    if (invokedBy !== null) run.services.add(invokedBy);
    const sourceIp = store.field(row, "sourceIp");
    if (sourceIp !== null) run.sourceIps.add(sourceIp);
  }
  return [...done, ...open.values()].map((run) => runEntry(store, run));
}

const KIND_ORDER: Record<TimelineKind, number> = { state: 0, event: 1, usage: 2 };

/**
 * `timeline`: every management event and state change in order, with usage collapsed into runs, so that a
 * key's year fits on a screen. Each line has its time, actor, what changed and its eventIds.
 */
export function timeline(model: CaseModel, options: TimelineOptions = {}): TimelineReport {
  const keys = options.key ? resolveKeys(model, options.key, options.from, options.to, "timeline") : null;
  const scope: Scope = {
    keySet: keys ? new Set(keys.map((key) => key.arn)) : null,
    places: keys ? new Set(keys.map((key) => place(key.account, key.region))) : null,
    matchesPrincipal: options.principal ? principalFilter(model, options.principal) : null,
    from: options.from ?? Number.NEGATIVE_INFINITY,
    to: options.to ?? Number.POSITIVE_INFINITY,
  };
  const changes = scopedKeys(model, scope).flatMap((key) => stateChanges(model, key));
  const events = model.data.events
    .filter((event) => eventInScope(event, scope))
    .map((event) => ({ t: event.time, entry: eventEntry(event) }));
  const shownChanges = scope.matchesPrincipal ? [] : changes.filter(({ t }) => inWindow(scope, t));
  const runs = usageRuns(model, scope, breaksByKey(model, changes));
  // The sort is stable: events in the same second keep the order replay applied them in (one KMS allows),
  // which their eventIds, random, do not tell.
  const entries = [...shownChanges, ...events, ...runs]
    .sort(
      (a, b) =>
        a.t - b.t ||
        KIND_ORDER[a.entry.kind] - KIND_ORDER[b.entry.kind] ||
        (a.entry.kind === "event" ? 0 : (a.entry.eventIds[0] ?? "").localeCompare(b.entry.eventIds[0] ?? "")),
    )
    .map(({ entry }) => entry);
  return {
    query: windowQuery(keys, options),
    entries,
    totals: {
      events: events.length,
      stateChanges: shownChanges.length,
      usageRuns: runs.length,
      usageCalls: runs.reduce((sum, run) => sum + run.entry.count, 0),
    },
    caveats: [
      ...(scope.matchesPrincipal
        ? ["changes no principal made (inferred transitions) are left out when --principal is given"]
        : []),
      ...gapCaveatsInWindow(
        model,
        scope.from,
        scope.to,
        keys?.map((key) => ({ account: key.account, region: key.region })) ?? null,
      ),
    ],
  };
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length > 0 && a.length === b.length && a.every((id, i) => id === b[i]);
}
