import { Commons } from '../../../src/backend/domain/commons';
import type { CallContext } from '../../../src/backend/domain/context';
import type { PrincipalText } from '../../../src/backend/domain/model';
import { memoryStores } from '../../../src/backend/domain/storage/memory-store';
import type {
  OrderedStore,
  StoreFactory,
  StoreName,
} from '../../../src/backend/domain/storage/ordered-store';
import { ADMIN, START } from './support';

/**
 * In-memory stores that count what a call reads, per store: `get` calls and entries returned
 * by scans. A cost test asserts these counts stay bounded by the page size, whatever the data.
 */
export function countingSetup() {
  const inner = memoryStores();
  const gets = new Map<string, number>();
  const scanned = new Map<string, number>();
  const bump = (map: Map<string, number>, name: string, n: number) =>
    map.set(name, (map.get(name) ?? 0) + n);
  const factory = (<V>(name: StoreName): OrderedStore<V> => {
    const store = inner<V>(name);
    return {
      get(key) {
        bump(gets, name, 1);
        return store.get(key);
      },
      set: (key, value) => store.set(key, value),
      delete: (key) => store.delete(key),
      scan(prefix, after, limit) {
        const entries = store.scan(prefix, after, limit);
        bump(scanned, name, entries.length);
        return entries;
      },
    };
  }) as StoreFactory;
  const commons = new Commons(factory);
  commons.addAdmins([ADMIN]);
  let now = START;
  return {
    commons,
    as: (caller: PrincipalText): CallContext => ({ caller, callerIsController: false, now }),
    advance(ns: bigint) {
      now += ns;
    },
    gets: (name: StoreName) => gets.get(name) ?? 0,
    scanned: (name: StoreName) => scanned.get(name) ?? 0,
    reset() {
      gets.clear();
      scanned.clear();
    },
  };
}
