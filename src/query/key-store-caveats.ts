import {
  type CaseModel,
  type CustomKeyStoreRecord,
  customKeyStoreLabel,
  type Interval,
  intervalAt,
  type KeyRecord,
  type StoreConnection,
} from "../model/index.js";
import { iso } from "./resolve-key.js";

const evidence = (ids: readonly string[]) => (ids.length > 0 ? ` (${ids.join(", ")})` : "");

/** The key's own state at t when KMS reports another (the store's connection decides what is reported). */
function ownStateNote(model: CaseModel, key: KeyRecord, t: number): string {
  const own = key.ownStates ? intervalAt(key.ownStates, t) : null;
  if (!own || own.value === model.stateAt(key, t).state) return "";
  return `; the key's own state is ${own.value}${evidence(own.openedBy)}, which KMS reports once the store is connected`;
}

/** After a disconnection: a later success that needs the store connected, with no Connect in the trail. */
function unloggedReconnection(store: CustomKeyStoreRecord, link: Interval<StoreConnection>): string {
  const next = store.connection[store.connection.indexOf(link) + 1];
  if (next?.value !== "Connected" || next.confidence !== "inferred") return "";
  return `; a successful call at ${iso(next.from)}${evidence(next.openedBy)} needs the store connected, and no ConnectCustomKeyStore before it is in the trail: the key may have been usable again before then`;
}

/**
 * What `key --at` and who-can owe the reader about a key in a custom key store at t: KMS reports the keys of a
 * disconnected store Unavailable and refuses their cryptographic operations, and a ConnectCustomKeyStore only
 * starts a connection that completes later or fails (docs/replay.md). Empty for a key in no store (or not
 * created yet), and while the trail shows the store connected.
 */
export function customKeyStoreCaveats(model: CaseModel, key: KeyRecord, t: number): string[] {
  const store = model.storeOf(key);
  if (!store || (key.createdAt !== null && t < key.createdAt)) return [];
  const link = intervalAt(store.connection, t);
  const name = customKeyStoreLabel(store);
  const own = ownStateNote(model, key, t);
  switch (link?.value ?? "Unknown") {
    case "Connected":
      return [];
    case "Disconnected":
      return [
        `the key is in ${name}, disconnected since ${iso(link?.from ?? t)}${evidence(link?.openedBy ?? [])}: KMS refuses cryptographic operations with the keys of a disconnected store (it reports them Unavailable, a key pending deletion PendingDeletion) until the store is connected again${own}${link ? unloggedReconnection(store, link) : ""}`,
      ];
    case "Deleted":
      return [
        `the key is in ${name}, deleted at ${iso(link?.from ?? t)}${evidence(link?.openedBy ?? [])}: KMS deletes only a disconnected store that holds no keys, so the key cannot be used (if the trail shows it not deleted, its deletion is missing from the trail)`,
      ];
    case "Connecting":
      return [
        `ConnectCustomKeyStore at ${iso(link?.from ?? t)}${evidence(link?.openedBy ?? [])} started connecting the key's ${name}: KMS connects asynchronously (up to 20 minutes) or fails, and no successful call on its keys by ${iso(t)} shows it connected; until it is, KMS reports the key Unavailable${own}`,
      ];
    default:
      return [
        `the connection of the key's ${name} at ${iso(t)} is not known from the trail: were it disconnected, KMS would report the key Unavailable${own}`,
      ];
  }
}
