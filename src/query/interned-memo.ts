import type { UsageStore } from "../model/index.js";

/**
 * A value derived from an interned string of the usage store, worked out once per id: a million rows repeat a
 * few thousand principals, keys and error codes. Id -1 (null) is derived from null once too.
 */
export function byInternedId<T>(store: UsageStore, derive: (value: string | null) => T): (id: number) => T {
  const memo = new Map<number, T>();
  return (id) => {
    if (memo.has(id)) return memo.get(id) as T;
    const value = derive(store.stringOf(id));
    memo.set(id, value);
    return value;
  };
}
