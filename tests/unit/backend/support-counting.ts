import { Commons } from '../../../src/backend/domain/commons';
import type { CallContext } from '../../../src/backend/domain/context';
import { ANONYMOUS, type PrincipalId } from '../../../src/backend/domain/model';
import {
  memoryRecordStores,
  type RecordKind,
  type RecordStore,
  type RecordStoreFactory,
} from '../../../src/backend/domain/storage/record-store';
import { ADMIN, START, setNewMemberHours } from './support';

/**
 * In-memory record stores that count what a call reads, per kind of record. A cost test
 * asserts these counts stay bounded by the page size, whatever the data.
 */
export function countingSetup() {
  const inner = memoryRecordStores();
  setNewMemberHours(inner, 0);
  const gets = new Map<string, number>();
  const factory = (<V>(kind: RecordKind): RecordStore<V> => {
    const store = inner<V>(kind);
    return {
      get(key) {
        gets.set(kind, (gets.get(kind) ?? 0) + 1);
        return store.get(key);
      },
      getVerbatim(key) {
        gets.set(kind, (gets.get(kind) ?? 0) + 1);
        return store.getVerbatim(key);
      },
      set: (key, value) => store.set(key, value),
      delete: (key) => store.delete(key),
      forEach: (visit) => store.forEach(visit),
    };
  }) as RecordStoreFactory;
  const commons = new Commons(factory);
  commons.addAdmins([ADMIN]);
  let now = START;
  return {
    commons,
    as: (caller: PrincipalId): CallContext => ({ caller, callerIsController: false, now }),
    anonymous: (): CallContext => ({ caller: ANONYMOUS, callerIsController: false, now }),
    advance(ns: bigint) {
      now += ns;
    },
    gets: (kind: RecordKind) => gets.get(kind) ?? 0,
    reset() {
      gets.clear();
    },
  };
}
