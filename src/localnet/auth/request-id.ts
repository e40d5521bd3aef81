/**
 * Representation-independent hashing (interface spec, "Request ids"): the request id of a
 * request is `hash_of_map(content)`; delegations and query responses are hashed the same way.
 *
 * Values come straight from CBOR decoding, so every CBOR shape must map to one hash:
 * byte and text strings hash their bytes, natural numbers their LEB128 encoding, arrays the
 * concatenation of their items' hashes, and nested maps (newer agents send `sender_info`)
 * recurse into `hash_of_map`.
 *
 * Every request and every query response is hashed this way, so the hot path avoids needless
 * work: field names (a handful, the same in every request) have their hashes remembered, and
 * each (key hash, value hash) pair is written into one buffer that is hashed once.
 */
import { sha256 } from '@noble/hashes/sha2';
import { utf8ToBytes } from '@noble/hashes/utils';
import { Principal } from '@dfinity/principal';
import { compareBytes, leb128 } from '../certification/hash-tree';

const HASH_BYTES = 32;

/** Hashes of field names; requests use about a dozen, so the bound only guards odd input. */
const keyHashes = new Map<string, Uint8Array>();
const MAX_KEY_HASHES = 256;

function keyHash(key: string): Uint8Array {
  let hash = keyHashes.get(key);
  if (!hash) {
    hash = sha256(utf8ToBytes(key));
    if (keyHashes.size < MAX_KEY_HASHES) keyHashes.set(key, hash);
  }
  return hash;
}

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
  if (Array.isArray(value)) {
    const hashes = new Uint8Array(value.length * HASH_BYTES);
    value.forEach((item, i) => hashes.set(hashValue(item), i * HASH_BYTES));
    return sha256(hashes);
  }
  if (value instanceof Principal) return sha256(value.toUint8Array());
  if (value !== null && typeof value === 'object') {
    return hashOfMap(value as Record<string, unknown>);
  }
  throw new TypeError(`cannot hash value of type ${value === null ? 'null' : typeof value}`);
}

export function hashOfMap(map: Record<string, unknown>): Uint8Array {
  const pairs: Uint8Array[] = [];
  for (const key in map) {
    if (!Object.prototype.hasOwnProperty.call(map, key)) continue;
    const value = map[key];
    if (value === undefined) continue;
    const pair = new Uint8Array(2 * HASH_BYTES);
    pair.set(keyHash(key), 0);
    pair.set(hashValue(value), HASH_BYTES);
    pairs.push(pair);
  }
  pairs.sort(compareBytes);
  const all = new Uint8Array(pairs.length * 2 * HASH_BYTES);
  pairs.forEach((pair, i) => all.set(pair, i * 2 * HASH_BYTES));
  return sha256(all);
}

export function requestIdOf(content: Record<string, unknown>): Uint8Array {
  return hashOfMap(content);
}
