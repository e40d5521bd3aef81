/**
 * The domain's ordered stores on stable memory. All stores share two StableBTreeMaps: one maps
 * `store name + key` to the value, for point reads and writes; the other holds the pages of one
 * B+tree per store over that store's keys, for ordered range scans, because StableBTreeMap can
 * only iterate from a position, which costs O(position). Two maps rather than two per store
 * because each stable memory reserves its own 8 MiB bucket up front. Nothing here lives in
 * class fields beyond handles: all data is in stable memory.
 */
import { StableBTreeMap } from 'azle';

import {
  BTreeIndex,
  type BTreeMeta,
  type BTreeNode,
  type PageStore,
} from '../domain/storage/btree';
import {
  KEY_ONLY_STORES,
  type OrderedStore,
  type StoreFactory,
  type StoreName,
} from '../domain/storage/ordered-store';

/** Memory ids are part of the stable layout: never reuse or renumber them. */
const VALUES_MEMORY = 0;
const PAGES_MEMORY = 1;

/** Page 0 of every tree holds its metadata. */
const META_PAGE = 0;

/**
 * Decoded pages kept on the heap. One vote moves a few dozen index keys, and each move reads
 * the same root and branch pages; decoding them once saves most of the cost. The cache can
 * never disagree with stable memory: writes go through it, and a trap rolls back the heap
 * together with stable memory. Bounded so the heap does not grow with the data.
 */
const PAGE_CACHE_SIZE = 4096;

class PageCache {
  private readonly pages = new Map<string, BTreeNode | BTreeMeta>();

  get(key: string): BTreeNode | BTreeMeta | undefined {
    const page = this.pages.get(key);
    if (page !== undefined) {
      // Map keeps insertion order: re-inserting marks the page as recently used.
      this.pages.delete(key);
      this.pages.set(key, page);
    }
    return page;
  }

  set(key: string, page: BTreeNode | BTreeMeta): void {
    this.pages.delete(key);
    this.pages.set(key, page);
    if (this.pages.size > PAGE_CACHE_SIZE) {
      const oldest = this.pages.keys().next().value;
      if (oldest !== undefined) this.pages.delete(oldest);
    }
  }

  delete(key: string): void {
    this.pages.delete(key);
  }
}

type Values = StableBTreeMap<string, unknown>;
type Pages = StableBTreeMap<string, BTreeNode | BTreeMeta>;

class StablePageStore implements PageStore {
  constructor(
    private readonly pages: Pages,
    private readonly cache: PageCache,
    private readonly store: StoreName,
  ) {}

  private key(page: number): string {
    return `${this.store}/${page}`;
  }

  private load(page: number): BTreeNode | BTreeMeta | undefined {
    const key = this.key(page);
    const cached = this.cache.get(key);
    if (cached !== undefined) return copyPage(cached);
    const stored = this.pages.get(key);
    if (stored !== undefined) this.cache.set(key, stored);
    return stored === undefined ? undefined : copyPage(stored);
  }

  private save(page: number, value: BTreeNode | BTreeMeta): void {
    const key = this.key(page);
    this.pages.insert(key, value);
    this.cache.set(key, copyPage(value));
  }

  readMeta(): BTreeMeta | undefined {
    return this.load(META_PAGE) as BTreeMeta | undefined;
  }

  writeMeta(meta: BTreeMeta): void {
    this.save(META_PAGE, meta);
  }

  read(page: number): BTreeNode | undefined {
    return this.load(page) as BTreeNode | undefined;
  }

  write(page: number, node: BTreeNode): void {
    this.save(page, node);
  }

  remove(page: number): void {
    const key = this.key(page);
    this.pages.remove(key);
    this.cache.delete(key);
  }
}

/**
 * The tree edits the pages it reads before writing them back; copies keep those edits out of
 * the cache until they are written. Copying arrays of keys is far cheaper than decoding JSON.
 */
function copyPage<P extends BTreeNode | BTreeMeta>(page: P): P {
  if ('root' in page) return { ...page };
  if (page.kind === 'leaf') return { kind: 'leaf', keys: [...page.keys] } as P;
  return { kind: 'branch', keys: [...page.keys], children: [...page.children] } as P;
}

class StableOrderedStore<V> implements OrderedStore<V> {
  private readonly index: BTreeIndex;
  private readonly prefix: string;

  constructor(
    private readonly values: Values,
    pages: Pages,
    cache: PageCache,
    store: StoreName,
  ) {
    this.index = new BTreeIndex(new StablePageStore(pages, cache, store));
    // Store names never contain '/', so no store's keys can collide with another's.
    this.prefix = `${store}/`;
  }

  get(key: string): V | undefined {
    return this.values.get(this.prefix + key) as V | undefined;
  }

  set(key: string, value: V): void {
    const previous = this.values.insert(this.prefix + key, value);
    if (previous === undefined) this.index.insert(key);
  }

  delete(key: string): void {
    if (this.values.remove(this.prefix + key) !== undefined) this.index.delete(key);
  }

  scan(prefix: string, after: string | undefined, limit: number): Array<[string, V]> {
    return this.index.scan(prefix, after, limit).map((key) => {
      const value = this.get(key);
      if (value === undefined) throw new Error(`store index names a missing key ${key}`);
      return [key, value];
    });
  }
}

/** A set of keys: null values need no storage of their own. */
class StableKeySet implements OrderedStore<null> {
  private readonly index: BTreeIndex;

  constructor(pages: Pages, cache: PageCache, store: StoreName) {
    this.index = new BTreeIndex(new StablePageStore(pages, cache, store));
  }

  get(key: string): null | undefined {
    return this.index.has(key) ? null : undefined;
  }

  set(key: string): void {
    this.index.insert(key);
  }

  delete(key: string): void {
    this.index.delete(key);
  }

  scan(prefix: string, after: string | undefined, limit: number): Array<[string, null]> {
    return this.index.scan(prefix, after, limit).map((key) => [key, null]);
  }
}

export function stableStores(): StoreFactory {
  const values: Values = new StableBTreeMap(VALUES_MEMORY);
  const pages: Pages = new StableBTreeMap(PAGES_MEMORY);
  const cache = new PageCache();
  const stores = new Map<StoreName, OrderedStore<unknown>>();
  return <V>(name: StoreName): OrderedStore<V> => {
    let store = stores.get(name);
    if (store === undefined) {
      store = KEY_ONLY_STORES.has(name)
        ? (new StableKeySet(pages, cache, name) as OrderedStore<unknown>)
        : new StableOrderedStore<unknown>(values, pages, cache, name);
      stores.set(name, store);
    }
    return store as OrderedStore<V>;
  };
}
