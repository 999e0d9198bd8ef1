import type { AliasRef, NormalizedEvent } from "../events/index.js";
import type { KeyState } from "../model/index.js";
import {
  aliasSlot,
  createdState,
  importedState,
  PENDING_DELETION,
  readyState,
  scheduledState,
  stateAfterMaterialLoss,
} from "./state.js";

/**
 * What KMS's rules say about calls on one key that CloudTrail logs in the same second (its eventTime has
 * one-second resolution and eventIDs are random, so the log does not order them). Shared by the order
 * (same-second-order.ts) and the check for outcomes the log cannot decide (same-second-ambiguity.ts).
 * Only rules KMS documents are encoded; where unsure, a call is taken as valid in any state, which can only
 * make more outcomes possible and so more answers "unknown", never a wrong "recorded".
 */

/**
 * Which key states a state-changing call needs: `active` = a key not pending deletion (EnableKey, DisableKey,
 * ScheduleKeyDeletion, ImportKeyMaterial); `pending` = a key pending deletion (CancelKeyDeletion, DeleteKey);
 * `any` = no rule encoded.
 */
export type Gate = "active" | "pending" | "any";

/** A successful call that sets a key's state, given the state it finds (material loss keeps a pending deletion). */
export interface StateWrite {
  key: string;
  gate: Gate;
  /** Tells calls that write alike from others: the state set, or the call's name when that depends */
  kind: string;
  next: (current: KeyState) => KeyState;
}

/** Whether a call with this gate can succeed on a key in `state`; Unknown allows everything (DESIGN §4). */
export function gateAllows(gate: Gate, state: KeyState): boolean {
  if (state === "Unknown" || gate === "any") return true;
  if (gate === "pending") return PENDING_DELETION.has(state);
  return !PENDING_DELETION.has(state) && state !== "Deleted";
}

function keyArnOf(event: NormalizedEvent): string | null {
  return event.source === "kms" && "key" in event ? (event.key?.arn ?? null) : null;
}

/** A successful CreateKey, or a ReplicateKey that creates its replica: the key and the state it starts in. */
export function creationOf(event: NormalizedEvent): { key: string; initial: KeyState } | null {
  if (event.source !== "kms" || event.error) return null;
  if (event.name === "CreateKey" && event.key.arn) {
    return { key: event.key.arn, initial: createdState(event) };
  }
  if (event.name === "ReplicateKey" && event.replica.arn)
    return { key: event.replica.arn, initial: readyState(event.origin) };
  return null;
}

export function stateWriteOf(event: NormalizedEvent): StateWrite | null {
  const key = keyArnOf(event);
  if (event.source !== "kms" || event.error || !key) return null;
  const write = (gate: Gate, target: KeyState | ((current: KeyState) => KeyState)): StateWrite => ({
    key,
    gate,
    kind: typeof target === "function" ? event.name : target,
    next: typeof target === "function" ? target : () => target,
  });
  switch (event.name) {
    case "EnableKey":
      return write("active", "Enabled");
    case "DisableKey":
      return write("active", "Disabled");
    case "ScheduleKeyDeletion":
      return write("active", scheduledState(event));
    case "ImportKeyMaterial":
      return write("active", importedState);
    case "CancelKeyDeletion":
      return write("pending", "Disabled");
    case "DeleteKey":
      return write("pending", "Deleted");
    case "DeleteImportedKeyMaterial":
    case "DeleteExpiredKeyMaterial":
      return write("any", stateAfterMaterialLoss);
    default:
      return null;
  }
}

const aliasSlotOf = (alias: AliasRef) => `alias:${aliasSlot(alias)}`;

/**
 * What must exist before a call, and what a call makes exist, as tokens: `key:<arn>` (made by its creation),
 * `grant:<id>` (by CreateGrant; needed by RetireGrant/RevokeGrant), `alias:<slot>` (by CreateAlias; needed by
 * UpdateAlias/DeleteAlias) and `free:<slot>` (by DeleteAlias; needed by a CreateAlias of an alias that exists).
 * A token only orders calls when some call of the same second provides it.
 */
export function tokensOf(
  event: NormalizedEvent,
  aliasExists: (alias: AliasRef) => boolean,
): { provides: string[]; requires: string[] } {
  const provides: string[] = [];
  const requires: string[] = [];
  if (event.source !== "kms" || event.error) return { provides, requires };
  const creation = creationOf(event);
  if (creation) provides.push(`key:${creation.key}`);
  const key = keyArnOf(event);
  // ReplicateKey needs its primary; every other call needs the key it names.
  if (key && (!creation || event.name === "ReplicateKey")) requires.push(`key:${key}`);
  switch (event.name) {
    case "CreateGrant":
      if (event.grantId) provides.push(`grant:${event.grantId}`);
      break;
    case "RetireGrant":
    case "RevokeGrant":
      if (event.grantId) requires.push(`grant:${event.grantId}`);
      break;
    case "CreateAlias": {
      const slot = aliasSlotOf(event.alias);
      provides.push(slot);
      if (aliasExists(event.alias)) requires.push(`free:${slot}`);
      break;
    }
    case "UpdateAlias":
    case "DeleteAlias": {
      const slot = aliasSlotOf(event.alias);
      if (!aliasExists(event.alias)) requires.push(slot);
      if (event.name === "DeleteAlias") provides.push(`free:${slot}`);
      break;
    }
  }
  return { provides, requires };
}
