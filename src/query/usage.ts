import { type CaseModel, keyColumnOf, NONE, type UsageStore } from "../model/index.js";
import { bareOperation, type ReEncryptSide } from "../policy/index.js";
import { isDenied } from "./access-denied.js";
import {
  type AttributionBasis,
  type AttributionCandidate,
  type Attributor,
  attributorOf,
  type CallAttribution,
  candidateLabel,
  keylessAttribution,
  type NoneReason,
  UNEXPLAINED,
  UNJUDGED,
} from "./attribution.js";
import { childMap } from "./child-map.js";
import { EventIdSample, SAMPLE_EACH_END } from "./event-id-sample.js";
import { gapCaveatsInWindow } from "./gaps.js";
import { byInternedId } from "./interned-memo.js";
import { keyFromAliasCaveat } from "./key-from-alias.js";
import { principalFilter } from "./principal-filter.js";
import { iso } from "./resolve-key.js";
import { resolveKeys } from "./resolve-keys.js";
import { operationsUnknownCaveats } from "./route-caveats.js";
import { type WindowQuery, windowQuery } from "./window-query.js";

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
  /** Calls explained although the key state refused them, because it changed less than the delay before */
  stateChangePropagating: number;
  /** Calls the key policy in force refused, explained by the version it replaced less than the delay before */
  policyChangePropagating: number;
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
  /** Failed calls, whatever the errorCode (kept under this name for compatibility: the same as `failed`) */
  denied: number;
  /** Failed calls, whatever the errorCode */
  failed: number;
  /** Failed calls refused as not authorized (AccessDenied-like errorCodes, as findings count `denied`) */
  accessDenied: number;
  first: string;
  last: string;
  /** The first and last calls' eventIds (each followed by its cross-account copy's, if any) */
  eventIds: string[];
  /** Calls between the sampled ends whose eventIds are not listed */
  eventIdsOmitted: number;
  /** "destination" for the destination key of ReEncrypt; "key" otherwise */
  keyRole: "key" | "destination";
  /**
   * Calls whose record named an alias and no key: `key` is the one the trail's alias history had the alias
   * pointing to at the call's time (inferred, not logged)
   */
  keyFromAlias: number;
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
  /** The record named an alias and no key: `key` is inferred from the alias history (see UsageGroup) */
  keyFromAlias: boolean;
  operation: string;
  errorCode: string | null;
  /** null for failed calls (nothing to attribute) */
  attribution: CallAttribution | null;
}

export interface UsageReport {
  query: WindowQuery & { operation: string | null };
  calls: UsageGroup[];
  /** `denied` = `failed` = every failed call; `accessDenied` = the not-authorized ones (see UsageGroup) */
  totals: {
    calls: number;
    successful: number;
    denied: number;
    failed: number;
    accessDenied: number;
    groups: number;
  };
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
  failed: number;
  accessDenied: number;
  keyFromAlias: number;
  first: number;
  last: number;
  sample: EventIdSample;
  /** Failed calls by interned errorCode id: rows are read as ids, and only the reported ones become strings */
  errors: Map<number, number>;
  sessions: Set<number>;
  services: Set<number>;
  sourceIps: Set<number>;
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
    stateChangePropagating: 0,
    policyChangePropagating: 0,
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
    if (call.keyState?.withinPropagationDelay) target.stateChangePropagating += calls;
    if (call.policyChangePropagating) target.policyChangePropagating += calls;
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

/**
 * Nested maps of interned ids (key slot -> principal -> operation -> group), so a row costs integer lookups and
 * no string building. A destination key's slot is -2 - its id, apart from every key slot (ids, or -1 for none).
 */
type Groups = Map<number, Map<number, Map<number, Accumulator>>>;

/** The store's id columns a question reads, fetched once rather than by name for every row. */
function idColumns(store: UsageStore) {
  return {
    key: store.ids("key"),
    destinationKey: store.ids("destinationKey"),
    operation: store.ids("operation"),
    principal: store.ids("principal"),
    invokedBy: store.ids("invokedBy"),
    errorCode: store.ids("errorCode"),
    sessionName: store.ids("sessionName"),
    sourceIp: store.ids("sourceIp"),
    region: store.ids("region"),
    encryptionContext: store.ids("encryptionContext"),
    eventId: store.ids("eventId"),
  };
}
type IdColumns = ReturnType<typeof idColumns>;

/** eventIds of sampled rows, each followed by its other-account copies. */
function sampledIds(store: UsageStore, rows: number[]): string[] {
  return rows.flatMap((row) => [store.field(row, "eventId") ?? "", ...store.alsoEventIds(row)]);
}

function sortedStrings(store: UsageStore, ids: Set<number>): string[] {
  return [...ids].map((id) => store.stringOf(id) ?? "").sort();
}

function finish(store: UsageStore, group: Accumulator): UsageGroup {
  const { rows, omitted } = group.sample.rows();
  const errors = [...group.errors].map(([id, calls]) => [store.stringOf(id) ?? "", calls] as const);
  return {
    principal: group.principal,
    key: group.key,
    operation: group.operation,
    count: group.count,
    denied: group.failed,
    failed: group.failed,
    accessDenied: group.accessDenied,
    first: iso(group.first),
    last: iso(group.last),
    eventIds: sampledIds(store, rows),
    eventIdsOmitted: omitted,
    keyRole: group.keyRole,
    keyFromAlias: group.keyFromAlias,
    errors: Object.fromEntries(errors.sort(([a], [b]) => a.localeCompare(b))),
    sessions: sortedStrings(store, group.sessions),
    services: sortedStrings(store, group.services),
    sourceIps: sortedStrings(store, group.sourceIps),
    attribution: summarize(group.attributions),
  };
}

/** The groups (and with `--calls` the detail) of one question, filled one matching call at a time. */
class Tally {
  readonly groups: Groups = new Map();
  readonly detail: UsageCall[] | null;
  readonly columns: IdColumns;
  private readonly attributor: Attributor;
  /** Whether an interned errorCode is an access denial (few distinct codes, millions of rows) */
  readonly isDenied: (errorCode: number) => boolean;

  constructor(
    private readonly store: UsageStore,
    model: CaseModel,
    calls: boolean,
  ) {
    this.detail = calls ? [] : null;
    this.columns = idColumns(store);
    this.attributor = attributorOf(model);
    this.isDenied = byInternedId(store, isDenied);
  }

  /** Adds the call of `row` on `target` (a key id) to its group, attributing it when it succeeded. */
  record(row: number, target: number, keyRole: Accumulator["keyRole"]): void {
    const { store, columns } = this;
    const time = store.timeAt(row);
    const group = this.groupFor(row, target, keyRole, time);
    group.last = time;
    group.sample.add(row);
    const session = columns.sessionName[row] ?? NONE;
    if (session !== NONE) group.sessions.add(session);
    const invokedBy = columns.invokedBy[row] ?? NONE;
    if (invokedBy !== NONE) group.services.add(invokedBy);
    const sourceIp = columns.sourceIp[row] ?? NONE;
    if (sourceIp !== NONE) group.sourceIps.add(sourceIp);
    const errorCode = columns.errorCode[row] ?? NONE;
    const key = group.key;
    const keyFromAlias = store.keyFromAlias(row, keyColumnOf(keyRole));
    if (keyFromAlias) group.keyFromAlias++;
    let attribution: CallAttribution | null = null;
    if (errorCode !== NONE) {
      group.failed++;
      if (this.isDenied(errorCode)) group.accessDenied++;
      bump(group.errors, errorCode);
    } else {
      group.count++;
      if (key === null) attribution = keylessAttribution(group.operation);
      else {
        attribution = this.attributor.attribute({
          time,
          key,
          operation: group.operation,
          side: (keyRole === "destination" ? "destination" : "source") satisfies ReEncryptSide,
          principal: group.principal,
          sessionName: store.stringOf(session),
          invokedBy: store.stringOf(invokedBy),
          sourceIp: store.stringOf(sourceIp),
          region: store.stringOf(columns.region[row] ?? NONE) ?? "",
          encryptionContext: store.stringOf(columns.encryptionContext[row] ?? NONE),
        });
      }
      // Every successful call gets a basis, so that the basis counts sum to `count`.
      bump(group.attributions, attribution);
    }
    this.detail?.push({
      time: iso(time),
      eventId: store.stringOf(columns.eventId[row] ?? NONE) ?? "",
      alsoEventIds: store.alsoEventIds(row),
      principal: group.principal,
      sessionName: store.stringOf(session),
      invokedBy: store.stringOf(invokedBy),
      key,
      keyRole,
      keyFromAlias,
      operation: group.operation,
      errorCode: store.stringOf(errorCode),
      attribution,
    });
  }

  private groupFor(row: number, target: number, keyRole: Accumulator["keyRole"], t: number): Accumulator {
    const { store, columns } = this;
    const principal = columns.principal[row] ?? NONE;
    const operation = columns.operation[row] ?? NONE;
    const slot = keyRole === "destination" ? -2 - target : target;
    const byOperation = childMap(childMap(this.groups, slot), principal);
    let group = byOperation.get(operation);
    if (!group) {
      group = {
        principal: store.stringOf(principal) ?? "",
        key: store.stringOf(target),
        keyRole,
        operation: store.stringOf(operation) ?? "",
        count: 0,
        failed: 0,
        accessDenied: 0,
        keyFromAlias: 0,
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
}

/**
 * `--op` over interned operation ids: each distinct operation is lower-cased once. Asked as the API operation
 * the records log, with or without the `kms:` of its IAM action (as who-can takes it).
 */
function operationFilter(store: UsageStore, operation: string | undefined): ((id: number) => boolean) | null {
  if (operation === undefined) return null;
  const wanted = bareOperation(operation).toLowerCase();
  const memo = new Map<number, boolean>();
  return (id) => {
    let answer = memo.get(id);
    if (answer === undefined) {
      answer = (store.stringOf(id) ?? "").toLowerCase() === wanted;
      memo.set(id, answer);
    }
    return answer;
  };
}

/**
 * `usage`: the calls actually made (DESIGN §8), successful and denied, grouped by principal, key and operation,
 * each successful call attributed to the grants and statements that could have authorized it. Rows are read
 * in place from the columnar store, as interned ids, over a binary-searched window (with a key, over that
 * key's rows only); only reported values become strings, and only sampled rows become objects.
 */
export function usage(model: CaseModel, options: UsageOptions = {}): UsageReport {
  const store = model.data.usage;
  const keys = options.key ? resolveKeys(model, options.key, options.from, options.to, "usage") : null;
  const keyIds = keys ? new Set(keys.flatMap((key) => store.idOf(key.arn) ?? [])) : null;
  const matchesPrincipal = options.principal ? principalFilter(model, options.principal) : null;
  const matchesOperation = operationFilter(store, options.operation);
  const tally = new Tally(store, model, options.calls === true);
  const { columns } = tally;
  const totals = { calls: 0, successful: 0, denied: 0, failed: 0, accessDenied: 0, groups: 0 };
  const { start, end } = store.rowRange(options.from, options.to);
  const rows = keys === null ? null : keyRows(store, keys, start, end);
  const count = rows === null ? end - start : rows.length;
  for (let i = 0; i < count; i++) {
    const row = rows === null ? start + i : (rows[i] ?? 0);
    const key = columns.key[row] ?? NONE;
    const destination = columns.destinationKey[row] ?? NONE;
    const keyHit = keyIds === null || (key !== NONE && keyIds.has(key));
    const destinationHit = destination !== NONE && (keyIds === null || keyIds.has(destination));
    if (!keyHit && !destinationHit) continue;
    if (matchesOperation && !matchesOperation(columns.operation[row] ?? NONE)) continue;
    if (
      matchesPrincipal &&
      !matchesPrincipal(
        store.stringOf(columns.principal[row] ?? NONE) ?? "",
        store.stringOf(columns.invokedBy[row] ?? NONE),
        store.stringOf(columns.sessionName[row] ?? NONE),
      )
    )
      continue;
    totals.calls++;
    const errorCode = columns.errorCode[row] ?? NONE;
    if (errorCode === NONE) totals.successful++;
    else {
      totals.failed++;
      if (tally.isDenied(errorCode)) totals.accessDenied++;
    }
    if (keyHit) tally.record(row, key, "key");
    if (destinationHit) tally.record(row, destination, "destination");
  }
  const groups = [...tally.groups.values()].flatMap((byPrincipal) =>
    [...byPrincipal.values()].flatMap((byOperation) => [...byOperation.values()]),
  );
  const calls = groups
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
    query: { ...windowQuery(keys, options), operation: options.operation ?? null },
    calls,
    // `denied` is the compatibility name of `failed` (see UsageReport).
    totals: { ...totals, denied: totals.failed },
    detail: tally.detail,
    caveats: [
      ...(totals.calls === 0
        ? unmatchedFilterCaveats(store, options, matchesPrincipal, matchesOperation)
        : []),
      ...usageCaveats(calls),
      ...operationsUnknownCaveats(candidatesOf(groups)),
      ...gapCaveatsInWindow(
        model,
        options.from ?? Number.NEGATIVE_INFINITY,
        options.to ?? Number.POSITIVE_INFINITY,
        keys?.map((key) => ({ account: key.account, region: key.region })) ?? null,
      ),
    ],
  };
}

/**
 * When nothing matched: whether a --principal or --op filter matches no call anywhere in the case (a typo,
 * or a name the trail never logged), rather than none in the window or on the key asked about. Only run for
 * an empty answer, so the scan of the whole store costs nothing on the answers people read.
 */
function unmatchedFilterCaveats(
  store: UsageStore,
  options: UsageOptions,
  matchesPrincipal: ReturnType<typeof principalFilter> | null,
  matchesOperation: ((id: number) => boolean) | null,
): string[] {
  const caveats: string[] = [];
  const operations = new Set(store.ids("operation"));
  if (matchesOperation && ![...operations].some(matchesOperation)) {
    const seen = [...operations].map((id) => store.stringOf(id) ?? "").sort();
    caveats.push(
      `no call in this case has operation "${options.operation}"; the operations logged are: ${seen.join(", ") || "none"}`,
    );
  }
  if (matchesPrincipal) {
    const principals = store.ids("principal");
    const services = store.ids("invokedBy");
    const sessions = store.ids("sessionName");
    let found = false;
    for (let row = 0; row < store.size && !found; row++)
      found = matchesPrincipal(
        store.stringOf(principals[row] ?? NONE) ?? "",
        store.stringOf(services[row] ?? NONE),
        store.stringOf(sessions[row] ?? NONE),
      );
    if (!found)
      caveats.push(
        `no call in this case was made by "${options.principal}" (nor by a service on its behalf): check the name, or see who-can and reach for what it could have done`,
      );
  }
  return caveats;
}

/** The candidates of every distinct answer (few: the attributor shares one answer per call shape). */
function candidatesOf(groups: readonly Accumulator[]): AttributionCandidate[] {
  return groups.flatMap((group) => [...group.attributions.keys()].flatMap((answer) => answer.candidates));
}

/** The rows of the keys named (each key's rows found once per loaded case, see rowsOfKey), in row order. */
function keyRows(store: UsageStore, keys: readonly { arn: string }[], start: number, end: number): number[] {
  const [only] = keys;
  if (only && keys.length === 1) return store.rowsOfKey(only.arn, start, end);
  const rows = new Set(keys.flatMap((key) => store.rowsOfKey(key.arn, start, end)));
  return [...rows].sort((a, b) => a - b);
}

/** Calls without a candidate for one of `reasons`, over every group. */
function callsFor(calls: UsageGroup[], reasons: ReadonlySet<NoneReason>): number {
  return calls.reduce(
    (sum, group) =>
      sum +
      Object.entries(group.attribution.noneReasons).reduce(
        (inGroup, [reason, count]) => inGroup + (reasons.has(reason as NoneReason) ? count : 0),
        0,
      ),
    0,
  );
}

function usageCaveats(calls: UsageGroup[]): string[] {
  const caveats = [
    `eventIds list the first and last ${SAMPLE_EACH_END} calls of each group; --calls lists every call`,
  ];
  const unexplained = callsFor(calls, UNEXPLAINED);
  if (unexplained > 0) {
    caveats.push(
      `${unexplained} successful call(s) have no grant or key-policy statement in the replayed state that explains them (denied by policy, refused by the key state, or no route): see docs/attribution.md`,
    );
  }
  const unjudged = callsFor(calls, UNJUDGED);
  if (unjudged > 0) {
    caveats.push(
      `${unjudged} successful call(s) could not be judged: the key, or the key policy in force, is unknown or unreadable`,
    );
  }
  const propagating = calls.reduce((sum, group) => sum + group.attribution.stateChangePropagating, 0);
  if (propagating > 0) {
    caveats.push(
      `${propagating} successful call(s) came less than 5 minutes after a key state change that refuses them (DisableKey, ScheduleKeyDeletion…): explained by KMS's propagation delay, but worth a look`,
    );
  }
  const replaced = calls.reduce((sum, group) => sum + group.attribution.policyChangePropagating, 0);
  if (replaced > 0) {
    caveats.push(
      `${replaced} successful call(s) came less than 5 minutes after a PutKeyPolicy whose new version refuses them: explained by the version it replaced, which KMS may still have been applying, but worth a look`,
    );
  }
  const fromAlias = keyFromAliasCaveat(calls.reduce((sum, group) => sum + group.keyFromAlias, 0));
  if (fromAlias !== null) caveats.push(fromAlias);
  if (calls.some((group) => group.attribution.iamDelegation > 0)) {
    caveats.push(
      "iamDelegation means the key policy lets IAM in that account decide; identity policies are not in CloudTrail",
    );
  }
  return caveats;
}
