/**
 * The network's long-lived keys: the BLS12-381 subnet key that signs certificates (its
 * public half is the "root key" the agent fetches from /api/v2/status) and the Ed25519 key of
 * the single node that signs query responses.
 *
 * They persist in the state folder because browser pages and scripts keep trusting the root
 * key they fetched; a new key on every restart would break every open tab.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bls12_381 } from '@noble/curves/bls12-381';
import { ed25519 } from '@noble/curves/ed25519';
import { sha224 } from '@noble/hashes/sha2';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils';
import { Principal } from '@dfinity/principal';

/** DER prefix of a BLS12-381 G2 public key as the IC encodes its root key. */
export const BLS_DER_PREFIX = hexToBytes(
  '308182301d060d2b0601040182dc7c0503010201060c2b0601040182dc7c05030201036100',
);
/** DER prefix of an Ed25519 public key (RFC 8410). */
export const ED25519_DER_PREFIX = hexToBytes('302a300506032b6570032100');

export interface NetworkKeys {
  blsSecretKey: Uint8Array;
  /** 133 bytes: DER prefix + 96-byte G2 public key. */
  rootKeyDer: Uint8Array;
  subnetId: Principal;
  nodeSecretKey: Uint8Array;
  /** 44 bytes, exactly what `subnet/<sid>/node/<nid>/public_key` holds. */
  nodePublicKeyDer: Uint8Array;
  nodeId: Principal;
}

/** The IC's self-authenticating principal: SHA-224 of the DER key followed by 0x02. */
export function selfAuthenticatingPrincipal(der: Uint8Array): Principal {
  return Principal.fromUint8Array(concatBytes(sha224(der), Uint8Array.of(0x02)));
}

export function networkKeysFromSecrets(
  blsSecretKey: Uint8Array,
  nodeSecretKey: Uint8Array,
): NetworkKeys {
  // Min-sig: signatures in G1 (48 bytes), public key in G2 (96 bytes), as the IC uses.
  const rootKeyDer = concatBytes(
    BLS_DER_PREFIX,
    bls12_381.getPublicKeyForShortSignatures(blsSecretKey),
  );
  const nodePublicKeyDer = concatBytes(ED25519_DER_PREFIX, ed25519.getPublicKey(nodeSecretKey));
  return {
    blsSecretKey,
    rootKeyDer,
    subnetId: selfAuthenticatingPrincipal(rootKeyDer),
    nodeSecretKey,
    nodePublicKeyDer,
    nodeId: selfAuthenticatingPrincipal(nodePublicKeyDer),
  };
}

export function generateNetworkKeys(): NetworkKeys {
  return networkKeysFromSecrets(bls12_381.utils.randomSecretKey(), ed25519.utils.randomSecretKey());
}

interface KeyFile {
  version: 1;
  blsSecretKey: string;
  nodeSecretKey: string;
}

/**
 * Loads `<stateDir>/keys.json`, creating it on first use. The file is written atomically
 * (temp file + rename) so a crash never leaves a truncated key behind.
 */
export function loadOrCreateNetworkKeys(stateDir: string): NetworkKeys {
  const file = join(stateDir, 'keys.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<KeyFile>;
    if (
      parsed.version !== 1 ||
      typeof parsed.blsSecretKey !== 'string' ||
      typeof parsed.nodeSecretKey !== 'string'
    ) {
      throw new Error(`${file} is not a localnet key file; delete it to create new keys`);
    }
    return networkKeysFromSecrets(
      hexToBytes(parsed.blsSecretKey),
      hexToBytes(parsed.nodeSecretKey),
    );
  }
  const keys = generateNetworkKeys();
  mkdirSync(stateDir, { recursive: true });
  const content: KeyFile = {
    version: 1,
    blsSecretKey: bytesToHex(keys.blsSecretKey),
    nodeSecretKey: bytesToHex(keys.nodeSecretKey),
  };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
  return keys;
}
