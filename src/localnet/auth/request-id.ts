/**
 * Representation-independent hashing (interface spec, "Request ids"): the request id of a
 * request is `hash_of_map(content)`; delegations and query responses are hashed the same way.
 *
 * Values come straight from CBOR decoding, so every CBOR shape must map to one hash:
 * byte and text strings hash their bytes, natural numbers their LEB128 encoding, arrays the
 * concatenation of their items' hashes, and nested maps (newer agents send `sender_info`)
 * recurse into `hash_of_map`.
 */
import { sha256 } from '@noble/hashes/sha2';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils';
import { Principal } from '@dfinity/principal';
import { compareBytes, leb128 } from '../certification/hash-tree';

export function hashValue(value: unknown): Uint8Array {
  if (typeof value === 'string') return sha256(utf8ToBytes(value));
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      throw new TypeError(`cannot hash non-integer number ${value}`);
    }
    return sha256(leb128(value));
  }
  if (value instanceof Uint8Array) return sha256(value);
  if (value instanceof ArrayBuffer) return sha256(new Uint8Array(value));
  if (Array.isArray(value)) return sha256(concatBytes(...value.map(hashValue)));
  if (value instanceof Principal) return sha256(value.toUint8Array());
  if (value !== null && typeof value === 'object') {
    return hashOfMap(value as Record<string, unknown>);
  }
  throw new TypeError(`cannot hash value of type ${value === null ? 'null' : typeof value}`);
}

export function hashOfMap(map: Record<string, unknown>): Uint8Array {
  const pairs = Object.entries(map)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => concatBytes(sha256(utf8ToBytes(k)), hashValue(v)));
  pairs.sort(compareBytes);
  return sha256(concatBytes(...pairs));
}

export function requestIdOf(content: Record<string, unknown>): Uint8Array {
  return hashOfMap(content);
}
