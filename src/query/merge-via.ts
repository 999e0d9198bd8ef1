import type { Via } from "../policy/index.js";

/** A `via` of who-can/reach JSON: the evaluator's route plus its evidence and the operations it opens. */
export interface WhoCanVia extends Via {
  /** The records that created the policy version or grant behind this route */
  eventIds: string[];
  /** The operations this route allows (for `escalation`, the action that opens the way) */
  operations: string[];
}

// Statement indexes repeat across policy versions, so the evidence is part of a route's identity. A statement's
// route limited to the key's account (onlyAccount: an action KMS refuses across accounts) is a route of its own,
// beside the same statement's route for the operations any account may be allowed.
const routeKey = (via: Via, eventIds: readonly string[]) =>
  [
    via.type,
    via.statement ?? "",
    via.grantId ?? "",
    via.account ?? "",
    via.action ?? "",
    via.onlyAccount ?? "",
    ...eventIds,
  ].join("|");

/**
 * Adds one operation's route to a principal's routes, so a statement or grant that allows many operations is
 * listed once. A route undecided for any of its operations stays undecided.
 */
export function mergeVia(
  routes: Map<string, WhoCanVia>,
  via: Via,
  operation: string,
  eventIds: readonly string[],
): void {
  const key = routeKey(via, eventIds);
  const existing = routes.get(key);
  if (!existing) {
    routes.set(key, { ...via, eventIds: [...eventIds], operations: [operation] });
    return;
  }
  if (!existing.operations.includes(operation)) existing.operations.push(operation);
  if (via.conditionResult === "unknown") existing.conditionResult = "unknown";
  if (via.undecided && !existing.undecided) existing.undecided = via.undecided;
}
