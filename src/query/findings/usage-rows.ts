import { CRYPTO_OPERATIONS } from "../../events/index.js";
import type { CaseModel, UsageRow } from "../../model/index.js";
import { isDenied } from "../access-denied.js";

/** Usage rows in [from, to) (to null: to the end), in time order. */
export function* usageRows(
  model: CaseModel,
  from = -Infinity,
  to: number | null = null,
): Generator<UsageRow> {
  const { usage } = model.data;
  for (let row = from === -Infinity ? 0 : usage.firstRowAt(from); row < usage.size; row++) {
    if (to !== null && usage.timeAt(row) >= to) return;
    yield usage.row(row);
  }
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

/** The blast radius's usage: every call on `keys` in the window. */
export function usageSummary(
  model: CaseModel,
  keys: readonly string[],
  window: { from: number; to: number | null },
): UsageSummary {
  const wanted = new Set(keys);
  const principals = new Set<string>();
  const summary: UsageSummary = { ...window, calls: 0, failed: 0, denied: 0, principals: [] };
  for (const row of usageRows(model, window.from, window.to)) {
    if (!wanted.has(row.key ?? "") && !wanted.has(row.destinationKey ?? "")) continue;
    summary.calls++;
    if (row.errorCode !== null) summary.failed++;
    if (isDenied(row.errorCode)) summary.denied++;
    principals.add(row.principal);
  }
  summary.principals = [...principals].sort();
  return summary;
}
