import type { CaseModel, KeyRecord, KeyState } from "../model/index.js";
import { blockingState } from "./key-operations.js";
import { PROPAGATION_MS } from "./propagation.js";

/** The key state refused a call's action at its instant. */
export interface StateRefusal {
  /** The state (or PendingImport for material not in force) that refuses the action */
  blockedBy: KeyState;
  /**
   * A state that allowed it ended less than PROPAGATION_MS before the call (or in the same second, whose order
   * CloudTrail does not keep): KMS may not have applied the change yet, so the call is still explained.
   */
  withinPropagationDelay: boolean;
}

/** Instants at which what the key state lets through may change: state, creation and key material. */
export function stateChanges(key: KeyRecord): number[] {
  const times = [
    ...key.states.map((state) => state.from),
    ...key.material.flatMap((material) => [
      material.from,
      ...(material.to === null ? [] : [material.to]),
      ...(material.value.validTo === null ? [] : [material.value.validTo]),
    ]),
    ...(key.createdAt === null ? [] : [key.createdAt]),
  ];
  return [...new Set(times)].sort((a, b) => a - b);
}

/**
 * Whether the key state let `action` through at `t` (null), the one judgement reach's routes and usage's
 * attribution share. A refusal is within the propagation delay when the run of refusing states began less
 * than PROPAGATION_MS before `t`: some change inside (t - delay, t] came after a state that allowed it.
 * `changes` is stateChanges(key), computed once per key by the caller.
 */
export function stateRefusal(
  model: CaseModel,
  key: KeyRecord,
  t: number,
  action: string,
  changes: readonly number[],
): StateRefusal | null {
  const blocked = (at: number) => blockingState(key, model.stateAt(key, at).state, at, action);
  const blockedBy = blocked(t);
  if (blockedBy === null) return null;
  const withinPropagationDelay = changes.some(
    (change) => change > t - PROPAGATION_MS && change <= t && blocked(change - 1) === null,
  );
  return { blockedBy, withinPropagationDelay };
}
