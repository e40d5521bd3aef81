/**
 * Storage as the domain sees it: ordered key-value maps with prefix range scans. Keys are
 * strings compared by code unit, which for the ASCII keys the domain builds equals byte order;
 * numbers inside keys use fixed-width big-endian hex so that key order is numeric order.
 */
export interface OrderedStore<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  /**
   * Up to `limit` entries whose keys start with `prefix`, ascending, strictly after `after`
   * when given. Costs O(log n + limit), never O(n).
   */
  scan(prefix: string, after: string | undefined, limit: number): Array<[string, V]>;
}

/** Every map the domain keeps; names are part of the stable layout, so never rename one. */
export const STORE_NAMES = [
  'meta',
  'themes',
  'milestones',
  'items',
  'slugs',
  'proposals',
  'proposalRevisions',
  'proposalIndex',
  'proposalVotes',
  'priorityVotes',
  'priorityByMember',
  'comments',
  'commentRevisions',
  'threadIndex',
  'profiles',
  'displayNames',
  'roles',
  'rateLimits',
  'activity',
  // Appended after the first layout; new stores only ever go at the end.
  'proposalCards',
] as const;

export type StoreName = (typeof STORE_NAMES)[number];

/**
 * Stores whose values are always null: they are sets of index keys, so stable storage keeps
 * only the ordered keys and no separate value per key.
 */
export const KEY_ONLY_STORES: ReadonlySet<StoreName> = new Set<StoreName>([
  'proposalIndex',
  'threadIndex',
]);

export type StoreFactory = <V>(name: StoreName) => OrderedStore<V>;
