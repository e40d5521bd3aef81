/**
 * Durable state as the domain sees it: maps of records addressed by key, one per kind. They are
 * only ever read by key or walked whole (to rebuild the heap state after an upgrade): every
 * ordering — listings, threads, a member's comments — lives on the heap (see heap-state.ts),
 * so the durable side needs no ordered scans and each read or write costs one record.
 */
export interface RecordStore<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  /**
   * The record as stored, for echoing to a client unchanged: its texts may come back as
   * opaque already-encoded values rather than strings, so the caller must pass them on and
   * never inspect them. Spares decoding and re-encoding texts that a reply only repeats.
   */
  getVerbatim(key: string): V | undefined;
  /**
   * Every record, in ascending order of key (stable memory's byte order, which is the order of
   * the keys' chars, all below 256); used only to rebuild heap state. A visitor declared with
   * one parameter is not given the key (a store may skip working it out).
   */
  forEach(visit: (value: V, key: string) => void): void;
}

/**
 * Every kind of record; the names and their order are part of the stable layout (each kind
 * has its own stable memory, numbered by position), so kinds are only ever appended.
 */
export const RECORD_KINDS = [
  'meta',
  'themes',
  'milestones',
  'items',
  'proposals',
  'proposalTexts',
  'proposalBodies',
  'proposalTallies',
  'proposalRevisions',
  'proposalVotes',
  'comments',
  'commentBodies',
  'commentRevisions',
  'profiles',
  'roles',
  'rateLimits',
  'activity',
  'priorities',
  'reports',
  'hidings',
  'suspensions',
  'moderationSettings',
  'moderationLog',
  'neuronLinks',
  'neuronLapses',
  'lensTallies',
  'lensCounted',
  'lensTargets',
  'lensTargetCounts',
  'powerJobs',
  'nnsLinks',
  'nnsProposals',
  'nnsLog',
  'follows',
  'followers',
  'followerCounts',
  'notifications',
  'inboxHeads',
  'fanouts',
  'merges',
  'mergeMoves',
  'mergeLog',
  'responses',
  'responseRevisions',
  'site',
] as const;

export type RecordKind = (typeof RECORD_KINDS)[number];

export type RecordStoreFactory = <V>(kind: RecordKind) => RecordStore<V>;

/** Records in a Map, for tests; values are copied in and out as stable memory would. */
export class MemoryRecordStore<V> implements RecordStore<V> {
  private readonly records = new Map<string, V>();

  get(key: string): V | undefined {
    const value = this.records.get(key);
    return value === undefined ? undefined : deepClone(value);
  }

  getVerbatim(key: string): V | undefined {
    return this.get(key);
  }

  set(key: string, value: V): void {
    this.records.set(key, deepClone(value));
  }

  delete(key: string): void {
    this.records.delete(key);
  }

  forEach(visit: (value: V, key: string) => void): void {
    for (const [key, value] of this.entries()) visit(deepClone(value), key);
  }

  entries(): Array<[string, V]> {
    return [...this.records.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** A fresh set of in-memory record stores, one per kind. */
export function memoryRecordStores(): RecordStoreFactory & { snapshot(): string } {
  const stores = new Map<RecordKind, MemoryRecordStore<unknown>>();
  const factory = (<V>(kind: RecordKind): RecordStore<V> => {
    let store = stores.get(kind);
    if (store === undefined) {
      store = new MemoryRecordStore<unknown>();
      stores.set(kind, store);
    }
    return store as RecordStore<V>;
  }) as RecordStoreFactory & { snapshot(): string };
  // A canonical dump of every store, so tests can assert that a rejected call changed nothing.
  factory.snapshot = () =>
    JSON.stringify(
      [...stores.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([kind, store]) => [kind, store.entries()]),
      (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value),
    );
  return factory;
}

function deepClone<T>(value: T): T {
  if (value instanceof Uint8Array) return value.slice() as T;
  if (Array.isArray(value)) return value.map(deepClone) as T;
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) copy[key] = deepClone(field);
    return copy as T;
  }
  return value;
}
