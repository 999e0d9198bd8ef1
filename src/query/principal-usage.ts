import { keyColumnOf, type UsageStore } from "../model/index.js";
import { kmsActionFor, type ReEncryptSide } from "../policy/index.js";
import { type CallFacts, callFactsOf } from "./attribution.js";
import type { PrincipalFilter } from "./principal-filter.js";

/** A principal's calls on one key for one operation (the IAM action: ReEncrypt counts as ReEncryptFrom/To). */
export interface UsageTally {
  key: string;
  operation: string;
  /** Successful calls */
  count: number;
  /** Calls that failed (AccessDenied, DisabledException, …) */
  denied: number;
  /** Calls whose record named an alias and no key: the key is the one the alias history gives (keyFromAlias) */
  keyFromAlias: number;
  first: number;
  last: number;
  /** Successful calls, with what attribution judges them by, and whether their key came from the alias history */
  successes: { time: number; eventId: string; facts: CallFacts; keyFromAlias: boolean }[];
}

function tally(tallies: Map<string, UsageTally>, key: string, operation: string, time: number): UsageTally {
  const id = `${key} ${operation}`;
  const existing = tallies.get(id);
  if (existing) {
    existing.first = Math.min(existing.first, time);
    existing.last = Math.max(existing.last, time);
    return existing;
  }
  const created = {
    key,
    operation,
    count: 0,
    denied: 0,
    keyFromAlias: 0,
    first: time,
    last: time,
    successes: [],
  };
  tallies.set(id, created);
  return created;
}

/** Every call `matches` keeps on a key within [from, to] (null: unbounded), grouped per key and operation. */
export function principalUsage(
  usage: UsageStore,
  matches: PrincipalFilter,
  from: number | null,
  to: number | null,
): UsageTally[] {
  const tallies = new Map<string, UsageTally>();
  const end = to === null ? usage.size : usage.firstRowAt(to + 1);
  for (let row = from === null ? 0 : usage.firstRowAt(from); row < end; row++) {
    const principal = usage.field(row, "principal") ?? "";
    if (!matches(principal, usage.field(row, "invokedBy"), usage.field(row, "sessionName"))) continue;
    const time = usage.timeAt(row);
    const operation = usage.field(row, "operation") ?? "";
    const failed = usage.field(row, "errorCode") !== null;
    const eventId = usage.field(row, "eventId") ?? "";
    const sides: [string | null, string, ReEncryptSide][] = [
      [usage.field(row, "key"), kmsActionFor(operation, "source") ?? operation, "source"],
      [usage.field(row, "destinationKey"), "ReEncryptTo", "destination"],
    ];
    for (const [key, action, side] of sides) {
      if (key === null) continue;
      const entry = tally(tallies, key, action, time);
      const keyFromAlias = usage.keyFromAlias(row, keyColumnOf(side));
      if (keyFromAlias) entry.keyFromAlias++;
      if (failed) entry.denied++;
      else {
        entry.count++;
        entry.successes.push({ time, eventId, facts: callFactsOf(usage, row, key, side), keyFromAlias });
      }
    }
  }
  return [...tallies.values()];
}
