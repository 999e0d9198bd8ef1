import type { CaseModel, UsageStore } from "../model/index.js";
import type { ReEncryptSide } from "../policy/index.js";
import {
  type AttributionBasis,
  Attributor,
  type CallAttribution,
  candidateLabel,
  type NoneReason,
} from "./attribution.js";
import { childMap } from "./child-map.js";
import { EventIdSample, SAMPLE_EACH_END } from "./event-id-sample.js";
import { gapCaveatsInWindow } from "./gaps.js";
import { principalFilter } from "./principal-filter.js";
import { iso } from "./resolve-key.js";
import { resolveKeys } from "./resolve-keys.js";

export interface UsageOptions {
  key?: string | undefined;
  principal?: string | undefined;
  /** Half-open window [from, to), ms */
  from?: number | undefined;
  to?: number | undefined;
  operation?: string | undefined;
  /** List every call with its attribution (`--calls`) */
  calls?: boolean | undefined;
}

/** Per group: how many successful calls each basis explains (each call once), and which grants and statements. */
export interface UsageAttribution extends Record<AttributionBasis, number> {
  /** Calls explained only under conditions that could not be decided */
  conditional: number;
  /** grantId -> calls it could explain */
  grantIds: Record<string, number>;
  /** candidate label (`policy v1 #2 "Sid"`) -> calls it could explain */
  statements: Record<string, number>;
  noneReasons: Partial<Record<NoneReason, number>>;
}

/** One `calls[]` entry of `usage --format json` (DESIGN §8 fields first). */
export interface UsageGroup {
  principal: string;
  key: string | null;
  operation: string;
  count: number;
  denied: number;
  first: string;
  last: string;
  /** The first and last calls' eventIds (each followed by its cross-account copy's, if any) */
  eventIds: string[];
  /** Calls between the sampled ends whose eventIds are not listed */
  eventIdsOmitted: number;
  /** "destination" for the destination key of ReEncrypt; "key" otherwise */
  keyRole: "key" | "destination";
  /** Failed calls by errorCode */
  errors: Record<string, number>;
  sessions: string[];
  /** AWS services that made calls on the principal's behalf (invokedBy) */
  services: string[];
  sourceIps: string[];
  attribution: UsageAttribution;
}

export interface UsageCall {
  time: string;
  eventId: string;
  alsoEventIds: string[];
  principal: string;
  sessionName: string | null;
  invokedBy: string | null;
  key: string | null;
  keyRole: "key" | "destination";
  operation: string;
  errorCode: string | null;
  /** null for failed calls (nothing to attribute) */
  attribution: CallAttribution | null;
}

export interface UsageReport {
  query: {
    keys: string[] | null;
    principal: string | null;
    from: string | null;
    to: string | null;
    operation: string | null;
  };
  calls: UsageGroup[];
  totals: { calls: number; successful: number; denied: number; groups: number };
  /** With `calls: true`: every matching call, in time order */
  detail: UsageCall[] | null;
  caveats: string[];
}

interface Accumulator {
  principal: string;
  key: string | null;
  keyRole: "key" | "destination";
  operation: string;
  count: number;
  denied: number;
  first: number;
  last: number;
  sample: EventIdSample;
  errors: Map<string, number>;
  sessions: Set<string>;
  services: Set<string>;
  sourceIps: Set<string>;
  /** Distinct answers (the attributor returns one object per call shape) and how many calls got each */
  attributions: Map<CallAttribution, number>;
}

const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

function emptyAttribution(): UsageAttribution {
  return {
    grant: 0,
    keyPolicy: 0,
    iamDelegation: 0,
    none: 0,
    conditional: 0,
    grantIds: {},
    statements: {},
    noneReasons: {},
  };
}

function summarize(attributions: Map<CallAttribution, number>): UsageAttribution {
  const target = emptyAttribution();
  for (const [call, calls] of attributions) {
    target[call.basis] += calls;
    if (call.conditional) target.conditional += calls;
    if (call.noneReason)
      target.noneReasons[call.noneReason] = (target.noneReasons[call.noneReason] ?? 0) + calls;
    for (const candidate of call.candidates) {
      const counts = candidate.type === "grant" ? target.grantIds : target.statements;
      const label = candidate.type === "grant" ? (candidate.grantId ?? "?") : candidateLabel(candidate);
      counts[label] = (counts[label] ?? 0) + calls;
    }
  }
  return target;
}

/** Nested maps (key -> principal -> operation -> group), so a row costs lookups and no string building. */
type Groups = Map<string | null, Map<string, Map<string, Accumulator>>>;

function groupFor(
  groups: Groups,
  key: string | null,
  keyRole: Accumulator["keyRole"],
  principal: string,
  operation: string,
  t: number,
): Accumulator {
  const slot = keyRole === "destination" ? `${key}\u0000dst` : key;
  const byOperation = childMap(childMap(groups, slot), principal);
  let group = byOperation.get(operation);
  if (!group) {
    group = {
      principal,
      key,
      keyRole,
      operation,
      count: 0,
      denied: 0,
      first: t,
      last: t,
      sample: new EventIdSample(),
      errors: new Map(),
      sessions: new Set(),
      services: new Set(),
      sourceIps: new Set(),
      attributions: new Map(),
    };
    byOperation.set(operation, group);
  }
  return group;
}

/** eventIds of sampled rows, each followed by its other-account copies. */
function sampledIds(store: UsageStore, rows: number[]): string[] {
  return rows.flatMap((row) => {
    const { eventId, alsoEventIds } = store.row(row);
    return [eventId, ...alsoEventIds];
  });
}

function finish(store: UsageStore, group: Accumulator): UsageGroup {
  const { rows, omitted } = group.sample.rows();
  return {
    principal: group.principal,
    key: group.key,
    operation: group.operation,
    count: group.count,
    denied: group.denied,
    first: iso(group.first),
    last: iso(group.last),
    eventIds: sampledIds(store, rows),
    eventIdsOmitted: omitted,
    keyRole: group.keyRole,
    errors: Object.fromEntries([...group.errors].sort(([a], [b]) => a.localeCompare(b))),
    sessions: [...group.sessions].sort(),
    services: [...group.services].sort(),
    sourceIps: [...group.sourceIps].sort(),
    attribution: summarize(group.attributions),
  };
}

/**
 * `usage`: the calls actually made (DESIGN §8), successful and denied, grouped by principal, key and operation,
 * each successful call attributed to the grants and statements that could have authorized it. Rows are read
 * in place from the columnar store over a binary-searched window; only sampled rows become objects.
 */
export function usage(model: CaseModel, options: UsageOptions = {}): UsageReport {
  const store = model.data.usage;
  const keys = options.key ? resolveKeys(model, options.key, options.from, options.to, "usage") : null;
  const keySet = keys ? new Set(keys.map((key) => key.arn)) : null;
  const matchesPrincipal = options.principal ? principalFilter(model, options.principal) : null;
  const wantedOperation = options.operation?.toLowerCase() ?? null;
  const attributor = new Attributor(model);
  const groups: Groups = new Map();
  const detail: UsageCall[] | null = options.calls ? [] : null;
  const totals = { calls: 0, successful: 0, denied: 0, groups: 0 };
  const { start, end } = store.rowRange(options.from, options.to);
  for (const row of candidateRows(store, keys, start, end)) {
    const key = store.field(row, "key");
    const destination = store.field(row, "destinationKey");
    const keyHit = !keySet || (key !== null && keySet.has(key));
    const destinationHit = destination !== null && (!keySet || keySet.has(destination));
    if (!keyHit && !destinationHit) continue;
    const operation = store.field(row, "operation") ?? "";
    if (wantedOperation !== null && operation.toLowerCase() !== wantedOperation) continue;
    const principal = store.field(row, "principal") ?? "";
    const invokedBy = store.field(row, "invokedBy");
    if (matchesPrincipal && !matchesPrincipal(principal, invokedBy)) continue;
    const t = store.timeAt(row);
    const errorCode = store.field(row, "errorCode");
    totals.calls++;
    if (errorCode === null) totals.successful++;
    else totals.denied++;
    const roles: [string | null, Accumulator["keyRole"]][] = keyHit ? [[key, "key"]] : [];
    if (destinationHit) roles.push([destination, "destination"]);
    for (const [target, keyRole] of roles) {
      const group = groupFor(groups, target, keyRole, principal, operation, t);
      group.last = t;
      group.sample.add(row);
      const session = store.field(row, "sessionName");
      if (session !== null) group.sessions.add(session);
      if (invokedBy !== null) group.services.add(invokedBy);
      const sourceIp = store.field(row, "sourceIp");
      if (sourceIp !== null) group.sourceIps.add(sourceIp);
      let attribution: CallAttribution | null = null;
      if (errorCode !== null) {
        group.denied++;
        bump(group.errors, errorCode);
      } else {
        group.count++;
        if (target !== null) {
          attribution = attributor.attribute({
            time: t,
            key: target,
            operation,
            side: (keyRole === "destination" ? "destination" : "source") satisfies ReEncryptSide,
            principal,
            invokedBy,
            sourceIp,
            region: store.field(row, "region") ?? "",
            encryptionContext: store.field(row, "encryptionContext"),
          });
          group.attributions.set(attribution, (group.attributions.get(attribution) ?? 0) + 1);
        }
      }
      detail?.push({
        time: iso(t),
        eventId: store.field(row, "eventId") ?? "",
        alsoEventIds: store.row(row).alsoEventIds,
        principal,
        sessionName: session,
        invokedBy,
        key: target,
        keyRole,
        operation,
        errorCode,
        attribution,
      });
    }
  }
  const calls = [...groups.values()]
    .flatMap((byPrincipal) => [...byPrincipal.values()].flatMap((byOperation) => [...byOperation.values()]))
    .map((group) => finish(store, group))
    .sort(
      (a, b) =>
        (a.key ?? "").localeCompare(b.key ?? "") ||
        a.principal.localeCompare(b.principal) ||
        a.operation.localeCompare(b.operation) ||
        a.keyRole.localeCompare(b.keyRole),
    );
  totals.groups = calls.length;
  return {
    query: {
      keys: keys ? keys.map((key) => key.arn) : null,
      principal: options.principal ?? null,
      from: options.from === undefined ? null : iso(options.from),
      to: options.to === undefined ? null : iso(options.to),
      operation: options.operation ?? null,
    },
    calls,
    totals,
    detail,
    caveats: [
      ...usageCaveats(calls),
      ...gapCaveatsInWindow(
        model,
        options.from ?? Number.NEGATIVE_INFINITY,
        options.to ?? Number.POSITIVE_INFINITY,
        keys?.map((key) => ({ account: key.account, region: key.region })) ?? null,
      ),
    ],
  };
}

/** The rows to look at: with keys named, only theirs (from the store's key index), in row order. */
function candidateRows(
  store: UsageStore,
  keys: readonly { arn: string }[] | null,
  start: number,
  end: number,
): Iterable<number> {
  if (keys === null) return rangeOf(start, end);
  const [only] = keys;
  if (only && keys.length === 1) return store.rowsOfKey(only.arn, start, end);
  const rows = new Set(keys.flatMap((key) => store.rowsOfKey(key.arn, start, end)));
  return [...rows].sort((a, b) => a - b);
}

function* rangeOf(start: number, end: number): Generator<number> {
  for (let row = start; row < end; row++) yield row;
}

function usageCaveats(calls: UsageGroup[]): string[] {
  const caveats = [
    `eventIds list the first and last ${SAMPLE_EACH_END} calls of each group; --calls lists every call`,
  ];
  const unexplained = calls.reduce((sum, group) => sum + group.attribution.none, 0);
  if (unexplained > 0) {
    caveats.push(
      `${unexplained} successful call(s) have no grant or key-policy statement in the replayed state that explains them: see docs/attribution.md`,
    );
  }
  if (calls.some((group) => group.attribution.iamDelegation > 0)) {
    caveats.push(
      "iamDelegation means the key policy lets IAM in that account decide; identity policies are not in CloudTrail",
    );
  }
  return caveats;
}
