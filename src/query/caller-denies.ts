import type { Principal } from "../events/index.js";
import {
  type Coverage,
  type DenyNote,
  type OperationAnswer,
  type ParsedPolicy,
  type PrincipalAuthorization,
  principalSpecCovers,
} from "../policy/index.js";

/** How the key policy's Denies bear on one caller: an explicit Deny overrides every Allow and every grant. */
export interface CallerDenies {
  /** An unconditional Deny reaches the whole caller: nothing can let the call through. */
  outright: DenyNote[];
  /** Denies that may apply to the caller (undecided condition, or reaching only part of it). */
  possible: DenyNote[];
}

const NONE: Coverage = { extent: "none" };

/** How far the statement at `index` of the policy reaches the caller (a Deny names whom it denies). */
export function statementReach(policy: ParsedPolicy | null, index: number, caller: Principal): Coverage {
  const statement = policy?.statements[index];
  return statement ? principalSpecCovers(statement.principals, caller) : NONE;
}

/** Why a Deny that reaches the caller is kept beside its route rather than applied. */
function possibleReason(coverage: Coverage): string {
  return coverage.extent === "partial"
    ? `the Deny may reach the caller: ${coverage.reason}`
    : "the Deny reaches the caller when its conditions hold";
}

/**
 * The Denies that reach `caller`, from the notes beside the authorization entries that gave it a route and
 * from the principals an unconditional Deny removed. who-can keeps a Deny beside a whole entry (an account, `*`)
 * when it reaches only part of it; judged against the caller itself, it may reach all of it, or none.
 */
export function callerDenies(
  policy: ParsedPolicy | null,
  entries: readonly PrincipalAuthorization[],
  removed: OperationAnswer["removed"],
  caller: Principal,
): CallerDenies {
  const result: CallerDenies = { outright: [], possible: [] };
  const seen = new Set<number>();
  const notes: DenyNote[] = [
    ...removed.map(({ sid, statement }) => ({
      ...(sid ? { sid } : {}),
      statement,
      conditionResult: true as const,
      reason: "an unconditional Deny reaches the caller",
    })),
    ...entries.flatMap((entry) => entry.denies),
  ];
  for (const note of notes) {
    if (seen.has(note.statement)) continue;
    seen.add(note.statement);
    const coverage = statementReach(policy, note.statement, caller);
    if (coverage.extent === "none") continue;
    if (coverage.extent === "all" && note.conditionResult === true)
      result.outright.push({ ...note, reason: "an unconditional Deny reaches the caller" });
    else result.possible.push({ ...note, reason: possibleReason(coverage) });
  }
  return result;
}
