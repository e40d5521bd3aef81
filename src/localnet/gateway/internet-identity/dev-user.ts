/**
 * Dev users of the Internet Identity stand-in. This module runs both in Node (the CLI makes
 * the dev user `admin` a backend admin) and bundled into the stand-in's page, so the two
 * derive the same key from the same inputs.
 *
 * Like the real Internet Identity, a person gets a different principal per dapp origin and
 * the same one when they come back: the Ed25519 seed is a hash of (user name, origin).
 */
import { Ed25519KeyIdentity } from '@dfinity/identity';
import type { Principal } from '@dfinity/principal';
import { sha256 } from '@noble/hashes/sha2';
import { utf8ToBytes } from '@noble/hashes/utils';

export const INTERNET_IDENTITY_CANISTER_ID = 'rdmx6-jaaaa-aaaaa-aaadq-cai';

/** `http://x.localhost:4943/` and `http://x.localhost:4943` name the same origin. */
export function normalizeOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}

export function normalizeUserName(name: string): string {
  return name.trim();
}

export function devUserSeed(name: string, origin: string): Uint8Array {
  return sha256(
    utf8ToBytes(
      `roadmap-commons localnet dev user\0${normalizeUserName(name)}\0${normalizeOrigin(origin)}`,
    ),
  );
}

export function devUserIdentity(name: string, origin: string): Ed25519KeyIdentity {
  return Ed25519KeyIdentity.generate(devUserSeed(name, origin));
}

/** The principal a dapp at `origin` sees after the dev user `name` signs in. */
export function devUserPrincipal(name: string, origin: string): Principal {
  return devUserIdentity(name, origin).getPrincipal();
}
