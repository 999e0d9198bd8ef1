import { CRYPTO_OPERATIONS } from "../../events/index.js";
import type { CaseModel, UsageColumn, UsageRow } from "../../model/index.js";
import { byInternedId } from "../interned-memo.js";

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
  const of = byInternedId(usage, derive);
  return (row) => of(ids[row] ?? -1);
}

/**
 * Successful calls on `key` in [from, to) whose key came from the alias history rather than their record
 * (usage's keyFromAlias), from the key's rows; 0 at once when no row's did.
 */
export function successesWithKeyFromAlias(model: CaseModel, key: string, from: number, to: number): number {
  const { usage } = model.data;
  if (!usage.hasKeysFromAlias()) return 0;
  const { start, end } = usage.rowRange(from, to);
  return usage
    .rowsOfKey(key, start, end)
    .filter(
      (row) =>
        usage.field(row, "errorCode") === null &&
        usage.keyFromAlias(row, usage.field(row, "key") === key ? "key" : "destinationKey"),
    ).length;
}

// Reads (DescribeKey, List*, Get*) reveal metadata; these are the calls that use the key material.
const CRYPTO: ReadonlySet<string> = new Set(
  CRYPTO_OPERATIONS.filter((operation) => operation !== "GetPublicKey"),
);

export function isCryptoOperation(operation: string): boolean {
  return CRYPTO.has(operation);
}
