/**
 * The domain's record stores on stable memory: one StableBTreeMap per record kind, with raw
 * byte keys and values so that Azle's JSON serializer (and its slow text codec) never runs.
 * Keys are the domain's string keys, one byte per char (they are made of ASCII and principal
 * bytes, see `keyBytes`); values are candid values of the kind's type (records.ts). Only stable memory survives an upgrade; the heap state is rebuilt from these.
 */
import { StableBTreeMap } from 'azle';

import {
  RECORD_KINDS,
  type RecordKind,
  type RecordStore,
  type RecordStoreFactory,
} from '../domain/storage/record-store';
import { bytesToBinary, decodeValue, encodeValue, keyBytes } from '../codec';
import type { IDL } from '@dfinity/candid';
import { RECORD_TYPES } from './records';

/**
 * Memory ids are part of the stable layout: 0 and 1 held layout 1 (JSON values and B+tree
 * pages) and are only read by the migration; record kinds follow from 2 in RECORD_KINDS order.
 */
export const FIRST_RECORD_MEMORY = 2;

const RAW = { toBytes: (bytes: Uint8Array) => bytes, fromBytes: (bytes: Uint8Array) => bytes };

/**
 * Records read per call when walking a whole map. Azle's `items(start, length)` reaches
 * `start` by iterating over every record before it, so each chunk after the first pays for
 * all the records of the chunks before it: with 10,000 a chunk, a walk over 100,000 records
 * iterated over 450,000 more. A chunk of 100,000 reads the stores of the largest boards
 * measured in one call, at the price of holding that many records at once (≈ 60 MB for
 * 100,000 comments) while post_upgrade rebuilds the heap.
 */
const WALK_CHUNK = 100_000;

/**
 * Record writes since this heap began (the last install or upgrade): what changed data is
 * told apart by, for HTTP validators (see open-data-http.ts). Kept on the heap, so a message
 * that traps takes its writes back with it.
 */
let writes = 0;

export function recordWrites(): number {
  return writes;
}

class StableRecordStore<V> implements RecordStore<V> {
  private readonly map: StableBTreeMap<Uint8Array, Uint8Array>;

  constructor(
    memoryId: number,
    private readonly type: IDL.Type,
  ) {
    this.map = new StableBTreeMap(memoryId, RAW, RAW);
  }

  get(key: string): V | undefined {
    const bytes = this.map.get(keyBytes(key));
    return bytes === undefined ? undefined : (decodeValue(this.type, bytes) as V);
  }

  getVerbatim(key: string): V | undefined {
    const bytes = this.map.get(keyBytes(key));
    if (bytes === undefined) return undefined;
    return decodeValue(this.type, bytes, { rawText: true }) as V;
  }

  set(key: string, value: V): void {
    writes++;
    this.map.insert(keyBytes(key), encodeValue(this.type, value));
  }

  delete(key: string): void {
    writes++;
    this.map.remove(keyBytes(key));
  }

  /**
   * Walks in chunks. Post_upgrade walks every record with heap state, so per record: an indexed
   * loop (destructuring `for…of` costs ≈ 15,000 instructions more), and the key turned back
   * into a string only for a visitor that takes it (≈ 15,000 more, and most do not).
   */
  forEach(visit: (value: V, key: string) => void): void {
    const wantsKey = visit.length >= 2;
    for (let start = 0; ; start += WALK_CHUNK) {
      const batch = this.map.items(start, WALK_CHUNK);
      for (let i = 0; i < batch.length; i++) {
        const entry = batch[i]!;
        visit(decodeValue(this.type, entry[1]) as V, wantsKey ? bytesToBinary(entry[0]) : '');
      }
      if (batch.length < WALK_CHUNK) return;
    }
  }
}

export function stableRecordStores(): RecordStoreFactory {
  const stores = new Map<RecordKind, RecordStore<unknown>>();
  return <V>(kind: RecordKind): RecordStore<V> => {
    let store = stores.get(kind);
    if (store === undefined) {
      const memoryId = FIRST_RECORD_MEMORY + RECORD_KINDS.indexOf(kind);
      store = new StableRecordStore<unknown>(memoryId, RECORD_TYPES[kind]);
      stores.set(kind, store);
    }
    return store as RecordStore<V>;
  };
}
