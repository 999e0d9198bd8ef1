import type { CustomKeyStoreEvent, KmsEvent } from "../events/index.js";
import type { CustomKeyStoreRecord, KeyRecord, StoreConnection } from "../model/index.js";
import { customKeyStoreLabel, transition } from "../model/index.js";
import type { Effect, Handler } from "./effect.js";
import type { ReplayState } from "./state.js";
import { markConnected } from "./store-connection.js";

/**
 * The custom key store events (AWS KMS developer guide, "Connecting and disconnecting", API reference): a new
 * store is disconnected; ConnectCustomKeyStore only starts a connection that completes asynchronously (up to
 * 20 minutes) or fails, so it leaves the store Connecting; DisconnectCustomKeyStore disconnects at once (its
 * keys are Unavailable); UpdateCustomKeyStore changes no connection; DeleteCustomKeyStore ends the store (KMS
 * deletes only a disconnected store holding no keys). What they do to the keys' states is applied after the
 * whole trail is read (store-connection.ts), when the calls that show a store connected are known too.
 */

type StoreEventName = Extract<KmsEvent["name"], `${string}CustomKeyStore`>;

/** The keys of the store the trail shows not deleted at t. */
function liveKeys(state: ReplayState, store: CustomKeyStoreRecord, t: number): string[] {
  return store.keys.filter((arn) => {
    const key = state.keys.get(arn);
    return key !== undefined && state.stateOf(key, t) !== "Deleted";
  });
}

function connectionNow(store: CustomKeyStoreRecord): StoreConnection {
  return store.connection.at(-1)?.value ?? "Unknown";
}

function setConnection(
  store: CustomKeyStoreRecord,
  t: number,
  value: StoreConnection,
  ids: string[],
  confidence: "recorded" | "inferred",
): void {
  const last = store.connection.at(-1);
  if (last && last.to === null && last.value === value) return;
  transition(store.connection, t, value, ids, confidence);
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

function withStore(
  apply: (
    state: ReplayState,
    store: CustomKeyStoreRecord,
    event: CustomKeyStoreEvent,
    ids: string[],
  ) => Effect,
): Handler<CustomKeyStoreEvent> {
  return (state, event, ids) => {
    if (!event.customKeyStoreId)
      return { summary: "the record names no custom key store; no state changed", keys: [] };
    const store = state.store(event.account, event.region, event.customKeyStoreId, event.time);
    store.name = event.customKeyStoreName ?? store.name;
    store.type = event.customKeyStoreType ?? store.type;
    const effect = apply(state, store, event, ids);
    return { ...effect, details: { customKeyStoreId: store.id, ...effect.details } };
  };
}

const createStore = withStore((_state, store, event, ids) => {
  store.createdAt = event.time;
  store.createdByEventId = ids[0] ?? null;
  // What the trail knew of the store before it was created (nothing: Unknown) does not hold before it.
  store.connection = store.connection.filter((interval) => interval.confidence !== "unknown");
  transition(store.connection, event.time, "Disconnected", ids, "inferred");
  return {
    summary: `${customKeyStoreLabel(store)} created: disconnected (KMS creates a custom key store disconnected)`,
    keys: [],
  };
});

const connectStore = withStore((state, store, event, ids) => {
  const keys = liveKeys(state, store, event.time);
  const before = connectionNow(store);
  if (before === "Connected" || before === "Deleted")
    return {
      summary: `${customKeyStoreLabel(store)}: connect requested; the trail shows it ${before}, unchanged`,
      keys,
    };
  setConnection(store, event.time, "Connecting", ids, "recorded");
  const pending =
    keys.length === 0
      ? ""
      : `; the state of its ${plural(keys.length, "key")} is unknown until a successful call on one shows it connected`;
  return {
    summary: `${customKeyStoreLabel(store)} connecting: KMS connects asynchronously (up to 20 minutes) or fails${pending}`,
    keys,
  };
});

const disconnectStore = withStore((state, store, event, ids) => {
  const keys = liveKeys(state, store, event.time);
  setConnection(store, event.time, "Disconnected", ids, "recorded");
  return {
    summary: `${customKeyStoreLabel(store)} disconnected: KMS reports its keys (${keys.length} in the trail) Unavailable and refuses their cryptographic operations until it is connected again (a key pending deletion stays PendingDeletion)`,
    keys,
  };
});

const updateStore = withStore((_state, store) => ({
  summary: `${customKeyStoreLabel(store)} updated; connection unchanged (${connectionNow(store)})`,
  keys: [],
}));

const deleteStore = withStore((state, store, event, ids) => {
  const keys = liveKeys(state, store, event.time);
  setConnection(store, event.time, "Deleted", ids, "recorded");
  const left =
    keys.length === 0
      ? ""
      : `; KMS deletes only a store holding no keys, yet the trail shows ${plural(keys.length, "key")} of it not deleted (its DeleteKey is not in the trail)`;
  return { summary: `${customKeyStoreLabel(store)} deleted${left}`, keys };
});

export const customKeyStoreHandlers: Record<StoreEventName, Handler<CustomKeyStoreEvent>> = {
  CreateCustomKeyStore: createStore,
  ConnectCustomKeyStore: connectStore,
  DisconnectCustomKeyStore: disconnectStore,
  UpdateCustomKeyStore: updateStore,
  DeleteCustomKeyStore: deleteStore,
};

/**
 * A key created in a custom key store belongs to it. KMS creates a key in a custom key store only while the
 * store is connected (CustomKeyStoreInvalidStateException otherwise): the CreateKey shows it connected then.
 * Returns what the timeline line adds.
 */
export function joinStore(
  state: ReplayState,
  key: KeyRecord,
  storeId: string,
  t: number,
  ids: string[],
): string {
  key.customKeyStoreId = storeId;
  const store = state.store(key.account, key.region, storeId, t);
  if (!store.keys.includes(key.arn)) store.keys.push(key.arn);
  // A key's origin names its store's type (CreateCustomKeyStore logs none for a CloudHSM key store, the default).
  if (key.origin === "AWS_CLOUDHSM" || key.origin === "EXTERNAL_KEY_STORE") store.type ??= key.origin;
  markConnected(store, t, ids);
  return `; in ${customKeyStoreLabel(store)}`;
}
