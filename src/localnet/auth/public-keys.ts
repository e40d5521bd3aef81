/**
 * The public key schemes a request or delegation may be signed with (interface spec,
 * "Signatures"): Ed25519, ECDSA on P-256 and ECDSA on secp256k1. Canister signatures (used
 * by the real Internet Identity) and WebAuthn keys are recognised only to be refused with a
 * message that says so, instead of a generic "bad key".
 */
import { p256 } from '@noble/curves/nist';
import { secp256k1 } from '@noble/curves/secp256k1';
import { sha256 } from '@noble/hashes/sha2';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils';

export type KeyScheme = 'ed25519' | 'ecdsa-p256' | 'ecdsa-secp256k1';

export interface ParsedPublicKey {
  scheme: KeyScheme;
  raw: Uint8Array;
  der: Uint8Array;
}

/** Lower-case hex of `bytes`, the key of the caches below. */
export function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

const PREFIXES: { scheme: KeyScheme; prefix: Uint8Array; rawLength: number }[] = [
  { scheme: 'ed25519', prefix: hexToBytes('302a300506032b6570032100'), rawLength: 32 },
  {
    scheme: 'ecdsa-p256',
    prefix: hexToBytes('3059301306072a8648ce3d020106082a8648ce3d030107034200'),
    rawLength: 65,
  },
  {
    scheme: 'ecdsa-secp256k1',
    prefix: hexToBytes('3056301006072a8648ce3d020106052b8104000a034200'),
    rawLength: 65,
  },
];

/** OID 1.3.6.1.4.1.56387.1.2 (canister signatures) as DER content bytes. */
const CANISTER_SIG_OID = '2b0601040183b8430102';
/** OID 1.3.6.1.4.1.56387.1.1 (COSE-wrapped WebAuthn keys). */
const COSE_OID = '2b0601040183b8430101';

export class UnsupportedKeyError extends Error {}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

export function parsePublicKey(der: Uint8Array): ParsedPublicKey {
  for (const { scheme, prefix, rawLength } of PREFIXES) {
    if (startsWith(der, prefix) && der.length === prefix.length + rawLength) {
      return { scheme, raw: der.slice(prefix.length), der };
    }
  }
  const hex = bytesToHex(der);
  if (hex.includes(CANISTER_SIG_OID)) {
    throw new UnsupportedKeyError(
      'canister signatures (as used by the production Internet Identity) are not supported by localnet; sign in through the localnet Internet Identity stand-in instead',
    );
  }
  // A bare COSE key is a CBOR map (major type 5).
  if (hex.includes(COSE_OID) || (der.length > 0 && ((der[0] as number) & 0xe0) === 0xa0)) {
    throw new UnsupportedKeyError(
      'WebAuthn (COSE) keys are not supported by localnet; use an Ed25519, ECDSA P-256 or secp256k1 key',
    );
  }
  throw new UnsupportedKeyError(
    'unsupported public key: expected a DER-encoded Ed25519, ECDSA P-256 or secp256k1 key',
  );
}

/**
 * Ed25519 keys as OpenSSL key objects, by DER: OpenSSL verifies in about a tenth of the time
 * of the JavaScript implementation, and agents sign many requests with one key.
 */
const ed25519Keys = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 4096;

function ed25519Key(der: Uint8Array): KeyObject {
  const id = hexOf(der);
  let key = ed25519Keys.get(id);
  if (!key) {
    if (ed25519Keys.size >= MAX_CACHED_KEYS) ed25519Keys.clear();
    key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
    ed25519Keys.set(id, key);
  }
  return key;
}

/**
 * ECDSA signatures are r‖s over SHA-256 of the message. High-S values are accepted because
 * WebCrypto (the browser's P-256 session keys) produces them and the IC accepts them.
 */
export function verifySignature(
  key: ParsedPublicKey,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    switch (key.scheme) {
      case 'ed25519':
        return signature.length === 64 && verify(null, message, ed25519Key(key.der), signature);
      case 'ecdsa-p256':
        return (
          signature.length === 64 &&
          p256.verify(signature, sha256(message), key.raw, {
            prehash: false,
            lowS: false,
            format: 'compact',
          })
        );
      case 'ecdsa-secp256k1':
        return (
          signature.length === 64 &&
          secp256k1.verify(signature, sha256(message), key.raw, {
            prehash: false,
            lowS: false,
            format: 'compact',
          })
        );
    }
  } catch {
    // Malformed points or signatures are simply invalid signatures.
    return false;
  }
}
