import type { OrderedStore, StoreFactory } from './ordered-store';

/** A sorted-array store for tests and for checking other stores against. */
export class MemoryStore<V> implements OrderedStore<V> {
  private readonly keys: string[] = [];
  private readonly values = new Map<string, V>();

  get(key: string): V | undefined {
    return this.values.get(key);
  }

  set(key: string, value: V): void {
    if (!this.values.has(key)) this.keys.splice(lowerBound(this.keys, key), 0, key);
    // Values are copied so callers cannot change stored state without calling set, as with
    // stable memory.
    this.values.set(key, deepClone(value));
  }

  delete(key: string): void {
    if (!this.values.delete(key)) return;
    this.keys.splice(lowerBound(this.keys, key), 1);
  }

  scan(prefix: string, after: string | undefined, limit: number): Array<[string, V]> {
    const start =
      after === undefined || after < prefix
        ? lowerBound(this.keys, prefix)
        : upperBound(this.keys, after);
    const out: Array<[string, V]> = [];
    for (let i = start; i < this.keys.length && out.length < limit; i++) {
      const key = this.keys[i]!;
      if (!key.startsWith(prefix)) break;
      out.push([key, deepClone(this.values.get(key)!)]);
    }
    return out;
  }

  size(): number {
    return this.keys.length;
  }
}

export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function upperBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A fresh set of in-memory stores, one per name. */
export function memoryStores(): StoreFactory & { snapshot(): string } {
  const stores = new Map<string, MemoryStore<unknown>>();
  const factory = (<V>(name: string): OrderedStore<V> => {
    let store = stores.get(name);
    if (store === undefined) {
      store = new MemoryStore<unknown>();
      stores.set(name, store);
    }
    return store as OrderedStore<V>;
  }) as StoreFactory & { snapshot(): string };
  // A canonical dump of every store, so tests can assert that a rejected call changed nothing.
  factory.snapshot = () =>
    JSON.stringify(
      [...stores.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, store]) => [name, store.scan('', undefined, Number.MAX_SAFE_INTEGER)]),
      (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value),
    );
  return factory;
}

function deepClone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(deepClone) as T;
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) copy[key] = deepClone(field);
    return copy as T;
  }
  return value;
}
