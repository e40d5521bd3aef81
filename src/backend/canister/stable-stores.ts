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
import type { OrderedStore, StoreFactory, StoreName } from '../domain/storage/ordered-store';

/** Memory ids are part of the stable layout: never reuse or renumber them. */
const VALUES_MEMORY = 0;
const PAGES_MEMORY = 1;

/** Page 0 of every tree holds its metadata. */
const META_PAGE = 0;

type Values = StableBTreeMap<string, unknown>;
type Pages = StableBTreeMap<string, BTreeNode | BTreeMeta>;

class StablePageStore implements PageStore {
  constructor(
    private readonly pages: Pages,
    private readonly store: StoreName,
  ) {}

  private key(page: number): string {
    return `${this.store}/${page}`;
  }

  readMeta(): BTreeMeta | undefined {
    return this.pages.get(this.key(META_PAGE)) as BTreeMeta | undefined;
  }

  writeMeta(meta: BTreeMeta): void {
    this.pages.insert(this.key(META_PAGE), meta);
  }

  read(page: number): BTreeNode | undefined {
    return this.pages.get(this.key(page)) as BTreeNode | undefined;
  }

  write(page: number, node: BTreeNode): void {
    this.pages.insert(this.key(page), node);
  }

  remove(page: number): void {
    this.pages.remove(this.key(page));
  }
}

class StableOrderedStore<V> implements OrderedStore<V> {
  private readonly index: BTreeIndex;
  private readonly prefix: string;

  constructor(
    private readonly values: Values,
    pages: Pages,
    store: StoreName,
  ) {
    this.index = new BTreeIndex(new StablePageStore(pages, store));
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

export function stableStores(): StoreFactory {
  const values: Values = new StableBTreeMap(VALUES_MEMORY);
  const pages: Pages = new StableBTreeMap(PAGES_MEMORY);
  const stores = new Map<StoreName, StableOrderedStore<unknown>>();
  return <V>(name: StoreName): OrderedStore<V> => {
    let store = stores.get(name);
    if (store === undefined) {
      store = new StableOrderedStore<unknown>(values, pages, name);
      stores.set(name, store);
    }
    return store as OrderedStore<V>;
  };
}
