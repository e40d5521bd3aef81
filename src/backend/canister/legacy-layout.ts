/**
 * Reads the records of stable layout 1 (memory 0: `${store}/${key}` → Azle's JSON, principals
 * as text) for the migration to layout 2. Raw bytes in, then JSON parsed with Azle's own
 * reviver (bigints), so values come back exactly as layout 1 wrote them.
 */
import { jsonReviver, Principal, StableBTreeMap } from 'azle';

import { decodeUtf8 } from '../codec';
import type { LegacySource } from '../domain/commons';
import { principalIdFromBytes } from '../domain/model';

const LAYOUT_1_VALUES = 0;
const CHUNK = 1000;
const RAW = { toBytes: (bytes: Uint8Array) => bytes, fromBytes: (bytes: Uint8Array) => bytes };

export function layout1Records(): LegacySource {
  const values = new StableBTreeMap<Uint8Array, Uint8Array>(LAYOUT_1_VALUES, RAW, RAW);
  return {
    *records() {
      for (let start = 0; ; start += CHUNK) {
        const batch = values.items(start, CHUNK);
        for (const [keyBytes, valueBytes] of batch) {
          const key = JSON.parse(decodeUtf8(keyBytes, { fatal: true })) as string;
          const slash = key.indexOf('/');
          yield {
            store: key.slice(0, slash),
            key: key.slice(slash + 1),
            value: JSON.parse(decodeUtf8(valueBytes, { fatal: true }), jsonReviver) as unknown,
          };
        }
        if (batch.length < CHUNK) return;
      }
    },
    principal: (text) => principalIdFromBytes(Principal.fromText(text).toUint8Array()),
  };
}
