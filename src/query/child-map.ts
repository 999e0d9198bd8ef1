/** The map under `key` in a map of maps, created on first use (nested maps index rows without building keys). */
export function childMap<K, CK, V>(parent: Map<K, Map<CK, V>>, key: K): Map<CK, V> {
  let child = parent.get(key);
  if (!child) {
    child = new Map();
    parent.set(key, child);
  }
  return child;
}

/** The list under `key`, created on first use. */
export function childList<K, V>(lists: Map<K, V[]>, key: K): V[] {
  let list = lists.get(key);
  if (!list) {
    list = [];
    lists.set(key, list);
  }
  return list;
}
