import { CRYPTO_OPERATIONS } from "../../events/index.js";
import type { CaseModel, UsageColumn, UsageRow } from "../../model/index.js";
import { isDenied } from "../access-denied.js";

/**
 * The usage rows in [from, to) (to null: to the end) that pass `keep`, in time order. `keep` is asked by row
 * number, before a row object is built: a detector looking for a few rows among millions builds only those.
 */
export function usageRowsWhere(
  model: CaseModel,
  keep: (row: number) => boolean,
  from = -Infinity,
  to: number | null = null,
): UsageRow[] {
  const { usage } = model.data;
  const { start, end } = usage.rowRange(from, to ?? undefined);
  const rows: UsageRow[] = [];
  for (let row = start; row < end; row++) if (keep(row)) rows.push(usage.row(row));
  return rows;
}

/**
 * A row's value of `column` passed through `derive`, worked out once per distinct string: rows repeat a few
 * thousand principals, keys and error codes a million times over.
 */
export function byColumn<T>(
  model: CaseModel,
  column: UsageColumn,
  derive: (value: string | null) => T,
): (row: number) => T {
  const { usage } = model.data;
  const ids = usage.ids(column);
  const memo = new Map<number, T>();
  return (row) => {
    const id = ids[row] ?? -1;
    let value = memo.get(id);
    if (value === undefined && !memo.has(id)) {
      value = derive(usage.stringOf(id));
      memo.set(id, value);
    }
    return value as T;
  };
}

// Reads (DescribeKey, List*, Get*) reveal metadata; these are the calls that use the key material.
const CRYPTO: ReadonlySet<string> = new Set(
  CRYPTO_OPERATIONS.filter((operation) => operation !== "GetPublicKey"),
);

export function isCryptoOperation(operation: string): boolean {
  return CRYPTO.has(operation);
}

export interface UsageSummary {
  from: number;
  to: number | null;
  /** Calls on the keys in the window (as source or ReEncrypt destination) */
  calls: number;
  failed: number;
  denied: number;
  principals: string[];
}

/** The blast radius's usage: every call on `keys` in the window, read from those keys' rows only. */
export function usageSummary(
  model: CaseModel,
  keys: readonly string[],
  window: { from: number; to: number | null },
): UsageSummary {
  const { usage } = model.data;
  const { start, end } = usage.rowRange(window.from, window.to ?? undefined);
  const perKey = keys.map((key) => usage.rowsOfKey(key, start, end));
  // A ReEncrypt between two of the keys is one call, listed under both.
  const rows = perKey.length === 1 ? (perKey[0] ?? []) : [...new Set(perKey.flat())];
  const denied = byColumn(model, "errorCode", isDenied);
  const errorCodes = usage.ids("errorCode");
  const principalIds = usage.ids("principal");
  const principals = new Set<number>();
  const summary: UsageSummary = { ...window, calls: rows.length, failed: 0, denied: 0, principals: [] };
  for (const row of rows) {
    if ((errorCodes[row] ?? -1) >= 0) summary.failed++;
    if (denied(row)) summary.denied++;
    principals.add(principalIds[row] ?? -1);
  }
  summary.principals = [...principals].map((id) => usage.stringOf(id) ?? "").sort();
  return summary;
}
