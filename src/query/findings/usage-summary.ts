import { type CaseModel, countAtOrBefore } from "../../model/index.js";
import { isDenied } from "../access-denied.js";
import { byColumn } from "./usage-rows.js";

export interface UsageSummary {
  from: number;
  to: number | null;
  /** Calls on the keys in the window (as source or ReEncrypt destination) */
  calls: number;
  failed: number;
  denied: number;
  principals: string[];
}

/**
 * One key's calls, indexed so that any window's counts and callers cost a few binary searches: findings
 * size hundreds of blast radii, many of them from a detection to the end of the case.
 */
interface KeyCalls {
  /** Usage rows naming the key as source or ReEncrypt destination, ascending. */
  rows: number[];
  /** failed[i], denied[i]: how many of rows[0..i) failed, were denied. */
  failed: Int32Array;
  denied: Int32Array;
  /** Principal id -> positions (in `rows`) of its calls. */
  callers: Map<number, number[]>;
  /** Other key id -> positions of the calls that name both keys (a ReEncrypt between them). */
  shared: Map<number, number[]>;
}

const indexes = new WeakMap<CaseModel, Map<number, KeyCalls>>();

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function buildKeyCalls(model: CaseModel, keyId: number, arn: string): KeyCalls {
  const { usage } = model.data;
  const rows = usage.rowsOfKey(arn);
  const denied = byColumn(model, "errorCode", isDenied);
  const errorCodes = usage.ids("errorCode");
  const principals = usage.ids("principal");
  const sources = usage.ids("key");
  const destinations = usage.ids("destinationKey");
  const calls: KeyCalls = {
    rows,
    failed: new Int32Array(rows.length + 1),
    denied: new Int32Array(rows.length + 1),
    callers: new Map(),
    shared: new Map(),
  };
  rows.forEach((row, at) => {
    calls.failed[at + 1] = (calls.failed[at] ?? 0) + ((errorCodes[row] ?? -1) >= 0 ? 1 : 0);
    calls.denied[at + 1] = (calls.denied[at] ?? 0) + (denied(row) ? 1 : 0);
    push(calls.callers, principals[row] ?? -1, at);
    const source = sources[row] ?? -1;
    const other = source === keyId ? (destinations[row] ?? -1) : source;
    if (other >= 0 && other !== keyId) push(calls.shared, other, at);
  });
  return calls;
}

function keyCallsOf(model: CaseModel, arn: string): { id: number; calls: KeyCalls } | null {
  const id = model.data.usage.idOf(arn);
  if (id === undefined) return null;
  let byKey = indexes.get(model);
  if (!byKey) {
    byKey = new Map();
    indexes.set(model, byKey);
  }
  let calls = byKey.get(id);
  if (!calls) {
    calls = buildKeyCalls(model, id, arn);
    byKey.set(id, calls);
  }
  return { id, calls };
}

/** Positions [lo, hi) of an ascending list of row numbers that fall in rows [start, end). */
function span(sorted: readonly number[], start: number, end: number): [number, number] {
  // Row numbers are integers: the first one >= n is the count of those <= n - 1.
  return [countAtOrBefore(sorted, start - 1), countAtOrBefore(sorted, end - 1)];
}

function anyWithin(positions: readonly number[], lo: number, hi: number): boolean {
  const first = positions[countAtOrBefore(positions, lo - 1)];
  return first !== undefined && first < hi;
}

/** The blast radius's usage: every call on `keys` in the window, from each key's index. */
export function usageSummary(
  model: CaseModel,
  keys: readonly string[],
  window: { from: number; to: number | null },
): UsageSummary {
  const { usage } = model.data;
  const { start, end } = usage.rowRange(window.from, window.to ?? undefined);
  const errorCodes = usage.ids("errorCode");
  const denied = byColumn(model, "errorCode", isDenied);
  const summary: UsageSummary = { ...window, calls: 0, failed: 0, denied: 0, principals: [] };
  const principals = new Set<number>();
  const counted: number[] = [];
  for (const key of new Set(keys)) {
    const found = keyCallsOf(model, key);
    if (!found) continue;
    const { calls } = found;
    const [lo, hi] = span(calls.rows, start, end);
    summary.calls += hi - lo;
    summary.failed += (calls.failed[hi] ?? 0) - (calls.failed[lo] ?? 0);
    summary.denied += (calls.denied[hi] ?? 0) - (calls.denied[lo] ?? 0);
    for (const [principal, positions] of calls.callers) {
      if (anyWithin(positions, lo, hi)) principals.add(principal);
    }
    // A call naming two of the keys (a ReEncrypt between them) was counted under the first already.
    for (const other of counted) {
      const positions = calls.shared.get(other) ?? [];
      for (let at = countAtOrBefore(positions, lo - 1); (positions[at] ?? hi) < hi; at++) {
        const row = calls.rows[positions[at] ?? 0] ?? 0;
        summary.calls--;
        if ((errorCodes[row] ?? -1) >= 0) summary.failed--;
        if (denied(row)) summary.denied--;
      }
    }
    counted.push(found.id);
  }
  summary.principals = [...principals].map((id) => usage.stringOf(id) ?? "").sort();
  return summary;
}
