// Helpers for DataLoader batch functions: results must come back in key order, one per key.
import DataLoader from "dataloader";

/** All rows per key, in the order the query returned them. */
export function manyByKey<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

/**
 * A loader of one row per key from a query over all keys at once. Composite keys (objects) need
 * keyId, which must agree with rowId on the row that answers the key.
 */
export function loaderOfOne<T, K = string>(load: (keys: K[]) => Promise<T[]>, rowId: (row: T) => unknown, keyId: (k: K) => unknown = (k) => k) {
  return new DataLoader<K, T | null, unknown>(
    async (keys) => {
      const byId = new Map((await load([...keys])).map((row) => [rowId(row), row]));
      return keys.map((k) => byId.get(keyId(k)) ?? null);
    },
    { cacheKeyFn: keyId },
  );
}

/** A loader of a child list per parent key from one query over all parents. */
export function loaderOfMany<T, K = string>(load: (keys: K[]) => Promise<T[]>, keyOf: (row: T) => K) {
  return new DataLoader<K, T[]>(async (keys) => manyByKey(keys, await load([...keys]), keyOf));
}
