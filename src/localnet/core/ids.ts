/** Canister ids as the IC allocates them: an 8-byte big-endian index followed by 0x01 0x01. */
import { Principal } from '@dfinity/principal';

export function canisterIdFromIndex(index: bigint): Principal {
  const bytes = new Uint8Array(10);
  new DataView(bytes.buffer).setBigUint64(0, index);
  bytes[8] = 1;
  bytes[9] = 1;
  return Principal.fromUint8Array(bytes);
}

/** The index of an id in the canister range, or undefined for other principals. */
export function indexOfCanisterId(id: Principal): bigint | undefined {
  const bytes = id.toUint8Array();
  if (bytes.length !== 10 || bytes[8] !== 1 || bytes[9] !== 1) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0);
}

/**
 * The canister range of the application subnet that local IC networks (dfx on PocketIC) create
 * canisters on: ids handed out without a specified id come from here, so the first one is
 * `bnz7o-iuaaa-aaaaa-qaaaa-cai`, and the NNS range below (registry `rwlgt-…`, governance
 * `rrkah-…`, ledger `ryjl3-…`, cycles minting `rkp4c-…`, Internet Identity `rdmx6-…`) stays
 * free for system canisters created with their well-known ids.
 */
export const APPLICATION_SUBNET_RANGE = {
  start: 0x8000_0000_0010_0000n,
  end: 0x8000_0000_001f_ffffn,
} as const;
