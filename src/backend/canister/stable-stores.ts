/**
 * The domain's ordered stores on stable memory. Each store is a StableBTreeMap of key → value
 * for point reads and writes, plus a B+tree of its keys (pages in a second StableBTreeMap) for
 * ordered range scans, because StableBTreeMap can only iterate from a position, which costs
 * O(position). Nothing here lives in class fields beyond handles: all data is in stable memory.
 */
import { StableBTreeMap } from 'azle';

import {
  BTreeIndex,
  type BTreeMeta,
  type BTreeNode,
  type PageStore,
} from '../domain/storage/btree';
import {
  STORE_NAMES,
  type OrderedStore,
  type StoreFactory,
  type StoreName,
} from '../domain/storage/ordered-store';

/** Page 0 of every page map holds the tree's metadata. */
const META_PAGE = 0;

class StablePageStore implements PageStore {
  constructor(private readonly pages: StableBTreeMap<number, BTreeNode | BTreeMeta>) {}

  readMeta(): BTreeMeta | undefined {
    return this.pages.get(META_PAGE) as BTreeMeta | undefined;
  }

  writeMeta(meta: BTreeMeta): void {
    this.pages.insert(META_PAGE, meta);
  }

  read(page: number): BTreeNode | undefined {
    return this.pages.get(page) as BTreeNode | undefined;
  }

  write(page: number, node: BTreeNode): void {
    this.pages.insert(page, node);
  }

  remove(page: number): void {
    this.pages.remove(page);
  }
}

class StableOrderedStore<V> implements OrderedStore<V> {
  private readonly index: BTreeIndex;

  constructor(
    private readonly values: StableBTreeMap<string, V>,
    pages: StableBTreeMap<number, BTreeNode | BTreeMeta>,
  ) {
    this.index = new BTreeIndex(new StablePageStore(pages));
  }

  get(key: string): V | undefined {
    return this.values.get(key);
  }

  set(key: string, value: V): void {
    const previous = this.values.insert(key, value);
    if (previous === undefined) this.index.insert(key);
  }

  delete(key: string): void {
    if (this.values.remove(key) !== undefined) this.index.delete(key);
  }

  scan(prefix: string, after: string | undefined, limit: number): Array<[string, V]> {
    return this.index.scan(prefix, after, limit).map((key) => {
      const value = this.values.get(key);
      if (value === undefined) throw new Error(`store index names a missing key ${key}`);
      return [key, value];
    });
  }
}

/**
 * Memory ids are fixed by each store's position in STORE_NAMES: append new stores at the end,
 * never reorder, or an upgrade would read one store's bytes as another's.
 */
export function stableStores(): StoreFactory {
  const stores = new Map<StoreName, StableOrderedStore<unknown>>();
  return <V>(name: StoreName): OrderedStore<V> => {
    let store = stores.get(name);
    if (store === undefined) {
      const position = STORE_NAMES.indexOf(name);
      store = new StableOrderedStore<unknown>(
        new StableBTreeMap(position * 2),
        new StableBTreeMap(position * 2 + 1),
      );
      stores.set(name, store);
    }
    return store as OrderedStore<V>;
  };
}
