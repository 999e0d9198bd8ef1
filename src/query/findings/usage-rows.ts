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

// Reads (DescribeKey, List*, Get*) reveal metadata; these are the calls that use the key material.
const CRYPTO: ReadonlySet<string> = new Set(
  CRYPTO_OPERATIONS.filter((operation) => operation !== "GetPublicKey"),
);

export function isCryptoOperation(operation: string): boolean {
  return CRYPTO.has(operation);
}
