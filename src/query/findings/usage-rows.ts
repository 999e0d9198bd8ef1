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

/** The successful cryptographic calls on one key in a window: what "in use" means for a key being cut off. */
export interface CryptoUse {
  calls: number;
  /** Who made them, sorted */
  principals: string[];
  /** Of the calls, those whose key came from the alias history rather than their record (usage's keyFromAlias) */
  keyFromAlias: number;
}

/**
 * Successful cryptographic calls (isCryptoOperation) on `key` in [from, to), as source or ReEncrypt destination,
 * from the key's rows: a read of its metadata or a refused call does not use the key material.
 */
export function cryptoUse(model: CaseModel, key: string, from: number, to: number): CryptoUse {
  const { usage } = model.data;
  const succeeded = byColumn(model, "errorCode", (code) => code === null);
  const crypto = byColumn(model, "operation", (operation) => isCryptoOperation(operation ?? ""));
  const { start, end } = usage.rowRange(from, to);
  const rows = usage.rowsOfKey(key, start, end).filter((row) => succeeded(row) && crypto(row));
  const fromAlias = (row: number) =>
    usage.keyFromAlias(row, usage.field(row, "key") === key ? "key" : "destinationKey");
  return {
    calls: rows.length,
    principals: [...new Set(rows.map((row) => usage.field(row, "principal") ?? ""))].sort(),
    keyFromAlias: usage.hasKeysFromAlias() ? rows.filter(fromAlias).length : 0,
  };
}

// Reads (DescribeKey, List*, Get*) reveal metadata; these are the calls that use the key material.
const CRYPTO: ReadonlySet<string> = new Set(
  CRYPTO_OPERATIONS.filter((operation) => operation !== "GetPublicKey"),
);

export function isCryptoOperation(operation: string): boolean {
  return CRYPTO.has(operation);
}
