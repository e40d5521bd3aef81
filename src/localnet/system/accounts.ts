/**
 * Ledger accounts: ICRC-1 accounts (owner + 32-byte subaccount) and the ICP ledger's legacy
 * account identifiers, crc32 ‖ sha224("\x0Aaccount-id" ‖ owner ‖ subaccount). Both ledgers
 * key balances by the account identifier, which the legacy `transfer` addresses directly.
 */
import { sha224 } from '@noble/hashes/sha2';
import { Principal } from '@dfinity/principal';

export interface Account {
  owner: Principal;
  subaccount: [] | [Uint8Array];
}

const DEFAULT_SUBACCOUNT = new Uint8Array(32);
const DOMAIN = new TextEncoder().encode('\x0Aaccount-id');

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = (CRC_TABLE[(crc ^ b) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export class InvalidSubaccount extends Error {}

export function subaccountBytes(subaccount: [] | [Uint8Array]): Uint8Array {
  const sub = subaccount[0];
  if (sub === undefined) return DEFAULT_SUBACCOUNT;
  if (sub.length !== 32) throw new InvalidSubaccount('a subaccount is 32 bytes');
  return sub;
}

/** The 32-byte legacy account identifier of an ICRC-1 account. */
export function accountIdentifier(
  owner: Principal,
  subaccount: [] | [Uint8Array] = [],
): Uint8Array {
  const hash = sha224
    .create()
    .update(DOMAIN)
    .update(owner.toUint8Array())
    .update(subaccountBytes(subaccount))
    .digest();
  const out = new Uint8Array(32);
  new DataView(out.buffer).setUint32(0, crc32(hash));
  out.set(hash, 4);
  return out;
}

/** Whether 32 bytes are a well-formed account identifier (its checksum matches). */
export function isAccountIdentifier(bytes: Uint8Array): boolean {
  if (bytes.length !== 32) return false;
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(0) === crc32(bytes.subarray(4));
}

/** The key under which a ledger keeps an account's balance. */
export function accountKey(account: Account): string {
  return Buffer.from(accountIdentifier(account.owner, account.subaccount)).toString('hex');
}

/**
 * The subaccount the cycles minting canister derives from a principal (its length, then its
 * bytes, zero-padded): ICP sent to the CMC under it is credited to that principal.
 */
export function principalSubaccount(p: Principal): Uint8Array {
  const bytes = p.toUint8Array();
  const out = new Uint8Array(32);
  out[0] = bytes.length;
  out.set(bytes, 1);
  return out;
}
