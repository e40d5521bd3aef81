/**
 * `GET /_/topology`, as PocketIC (which dfx's local network runs on) serves it: the subnets of
 * the network with their canister ranges, and the effective canister id to use for calls that
 * create canisters. Localnet is one subnet that hosts every id: it reports the NNS range
 * (system canisters created with their well-known ids) and the application range that ids
 * without a specified id come from.
 */
import { sha256 } from '@noble/hashes/sha2';
import type { Principal } from '@dfinity/principal';
import { APPLICATION_SUBNET_RANGE, canisterIdFromIndex } from '../core/ids';

/** The NNS subnet's canister range on the IC (registry, governance, ledger, CMC, II, ...). */
const NNS_RANGE = { start: 0n, end: 0xf_ffffn } as const;

interface RawCanisterId {
  /** Raw principal bytes, base64, as PocketIC's JSON has them. */
  canister_id: string;
}

export interface Topology {
  subnet_configs: Record<
    string,
    {
      subnet_kind: 'Application';
      subnet_seed: number[];
      instruction_config: 'Production';
      canister_ranges: { start: RawCanisterId; end: RawCanisterId }[];
    }
  >;
  default_effective_canister_id: RawCanisterId;
}

function raw(index: bigint): RawCanisterId {
  return { canister_id: Buffer.from(canisterIdFromIndex(index).toUint8Array()).toString('base64') };
}

export function topology(subnetId: Principal): Topology {
  return {
    subnet_configs: {
      [subnetId.toText()]: {
        subnet_kind: 'Application',
        subnet_seed: [...sha256(subnetId.toUint8Array())],
        instruction_config: 'Production',
        canister_ranges: [NNS_RANGE, APPLICATION_SUBNET_RANGE].map(({ start, end }) => ({
          start: raw(start),
          end: raw(end),
        })),
      },
    },
    default_effective_canister_id: raw(APPLICATION_SUBNET_RANGE.start),
  };
}
