import { CRYPTO_OPERATIONS } from "../events/index.js";
import type {
  Confidence,
  CustomKeyStoreRecord,
  Interval,
  KeyRecord,
  KeyState,
  ManagementEvent,
  StoreConnection,
  UsageStore,
} from "../model/index.js";
import { intervalAt, NONE } from "../model/index.js";
import type { ReplayState } from "./state.js";

/**
 * How long a disconnection may take to reach every KMS host: KMS is eventually consistent (AWS KMS developer
 * guide, "Eventual consistency"; the 5 minutes attribution allows for a state change). A success this soon
 * after a DisconnectCustomKeyStore is no evidence that the store was connected again.
 */
const DISCONNECT_PROPAGATION_MS = 5 * 60 * 1000;

/** States KMS keeps while the store is disconnected ("unless they are PendingDeletion"), and states of no key. */
const KEPT_WHEN_DISCONNECTED: ReadonlySet<KeyState> = new Set<KeyState>([
  "PendingDeletion",
  "PendingReplicaDeletion",
  "Deleted",
  "NotCreated",
]);

const WEAKNESS: Record<Confidence, number> = { recorded: 0, inferred: 1, unknown: 2 };
const weaker = (a: Confidence, b: Confidence): Confidence => (WEAKNESS[a] >= WEAKNESS[b] ? a : b);

/**
 * A logged success that needs the store connected (a CreateKey in it, a cryptographic call on one of its keys)
 * shows it connected at t: from t on it is Connected (inferred, the record as provenance) until the trail's
 * next change. The log is not contradicted: after a Disconnect, such a success (past the propagation delay)
 * means the store was connected again by a call the trail does not hold. A deleted store cannot be connected:
 * a success then is left for attribution to flag.
 */
export function markConnected(store: CustomKeyStoreRecord, t: number, ids: string[]): void {
  const current = intervalAt(store.connection, t);
  if (!current || current.value === "Connected" || current.value === "Deleted") return;
  if (current.value === "Disconnected" && t - current.from < DISCONNECT_PROPAGATION_MS) return;
  const index = store.connection.indexOf(current);
  const connected: Interval<StoreConnection> = {
    from: t,
    to: current.to,
    value: "Connected",
    openedBy: ids,
    closedBy: current.closedBy,
    confidence: "inferred",
  };
  if (current.from === t) {
    store.connection[index] = { ...connected, openedBy: [...new Set([...current.openedBy, ...ids])] };
    return;
  }
  current.to = t;
  current.closedBy = ids;
  store.connection.splice(index + 1, 0, connected);
}

/**
 * After the whole trail is applied: each store's connection completed by the successful cryptographic calls on
 * its keys, then each of its keys' states as KMS reports them (the store's connection applied to the key's own
 * state), and the key state changes made while the store was disconnected said so in the timeline.
 */
export function settleCustomKeyStores(state: ReplayState, usage: UsageStore): void {
  const isSuccessfulCrypto = successfulCryptoRows(usage);
  for (const store of state.stores.values()) {
    if (store.keys.length === 0) continue;
    for (const row of successfulUses(store, usage, isSuccessfulCrypto)) {
      markConnected(store, usage.timeAt(row), [usage.field(row, "eventId") ?? ""]);
    }
    for (const arn of store.keys) {
      const key = state.keys.get(arn);
      if (!key) continue;
      key.ownStates = key.states;
      key.states = withConnection(key.states, store.connection);
    }
  }
  if (state.stores.size > 0) noteDisconnectedChanges(state);
}

/** Whether a usage row is a successful cryptographic call. */
function successfulCryptoRows(usage: UsageStore): (row: number) => boolean {
  const crypto = new Set(CRYPTO_OPERATIONS.flatMap((operation) => usage.idOf(operation) ?? []));
  const operations = usage.ids("operation");
  const errors = usage.ids("errorCode");
  return (row) => errors[row] === NONE && crypto.has(operations[row] ?? NONE);
}

/**
 * The rows of successful cryptographic calls naming a key of the store (ReEncrypt's destination too), in time
 * order: the store is sorted, so row order is (time, eventId) order.
 */
function successfulUses(
  store: CustomKeyStoreRecord,
  usage: UsageStore,
  isSuccessfulCrypto: (row: number) => boolean,
): number[] {
  const rows = new Set(store.keys.flatMap((arn) => usage.rowsOfKey(arn).filter(isSuccessfulCrypto)));
  return [...rows].sort((a, b) => a - b);
}

interface Effective {
  value: KeyState;
  confidence: Confidence;
  /** the value comes from the key's own state (the connection lets it through) */
  own: boolean;
}

/**
 * What KMS reports for a key whose own state is `own` while its store's connection is `connection`: a
 * disconnected (or deleted) store makes its keys Unavailable, except a key pending deletion (AWS KMS developer
 * guide, key states); while the connection is not known (Unknown, or Connecting after a ConnectCustomKeyStore)
 * an Enabled key may be Unavailable, so its state is Unknown; any other own state refuses cryptography anyway
 * and is shown as it is.
 */
function effective(own: Interval<KeyState>, connection: StoreConnection): Effective {
  if (connection === "Disconnected" || connection === "Deleted") {
    if (KEPT_WHEN_DISCONNECTED.has(own.value))
      return { value: own.value, confidence: own.confidence, own: true };
    return { value: "Unavailable", confidence: "inferred", own: false };
  }
  if ((connection === "Connecting" || connection === "Unknown") && own.value === "Enabled")
    return { value: "Unknown", confidence: "unknown", own: false };
  return { value: own.value, confidence: own.confidence, own: true };
}

/**
 * The key's states with its store's connection applied, over the key's own history. A new interval starts
 * where the reported state changes, opened by the record(s) that changed the own state or the connection then
 * (a Disconnect, a Connect, the call that showed the store connected); a state that comes back because the
 * connection changed holds with the weaker of the two confidences.
 */
export function withConnection(
  own: readonly Interval<KeyState>[],
  connection: readonly Interval<StoreConnection>[],
): Interval<KeyState>[] {
  const start = own[0]?.from;
  if (start === undefined) return [];
  const bounds = [...own, ...connection].flatMap((interval) =>
    interval.to === null ? [interval.from] : [interval.from, interval.to],
  );
  const times = [...new Set(bounds)].filter((t) => t >= start).sort((a, b) => a - b);
  const states: Interval<KeyState>[] = [];
  for (const t of times) {
    const last = states.at(-1);
    const mine = intervalAt(own, t);
    if (!mine) {
      if (last && last.to === null) last.to = t;
      continue;
    }
    const link = intervalAt(connection, t);
    const next = effective(mine, link?.value ?? "Unknown");
    if (last && last.to === null && last.value === next.value) continue;
    const ownChanged = mine.from === t;
    const linkChanged = link?.from === t;
    const opened = [...(ownChanged ? mine.openedBy : []), ...(linkChanged && link ? link.openedBy : [])];
    const confidence =
      !next.own || ownChanged ? next.confidence : weaker(next.confidence, link?.confidence ?? "unknown");
    const openedBy = opened.length > 0 ? [...new Set(opened)] : mine.openedBy;
    if (last && last.to === null) {
      last.to = t;
      last.closedBy = openedBy;
    }
    states.push({ from: t, to: null, value: next.value, openedBy, closedBy: [], confidence });
  }
  return states;
}

const APPLIED_ON_RECONNECT: ReadonlySet<string> = new Set(["EnableKey", "DisableKey", "CancelKeyDeletion"]);

/**
 * KMS accepts EnableKey, DisableKey and CancelKeyDeletion on a key of a disconnected store, but its state stays
 * Unavailable until the store is connected again (key states table, notes 12 and 13): the timeline says so.
 */
function noteDisconnectedChanges(state: ReplayState): void {
  for (const event of state.events) {
    if (!APPLIED_ON_RECONNECT.has(event.name) || event.error !== null) continue;
    const key = event.keys.length === 1 ? state.keys.get(event.keys[0] ?? "") : undefined;
    if (!key?.ownStates || intervalAt(key.states, event.time)?.value !== "Unavailable") continue;
    noteOn(event, key);
  }
}

function noteOn(event: ManagementEvent, key: KeyRecord): void {
  event.summary += `; the key stays Unavailable while its custom key store ${key.customKeyStoreId} is disconnected (KMS reports this state once the store is connected again)`;
  event.details.unavailableInStore = key.customKeyStoreId;
}
