/**
 * Signs what localnet vouches for: certificates over (witnesses of) the state tree with the
 * BLS subnet key, and query responses with the node's Ed25519 key.
 */
import { encodeWithSelfDescribedTag } from '@dfinity/cbor';
import type { Principal } from '@dfinity/principal';
import { bls12_381 } from '@noble/curves/bls12-381';
import { ed25519 } from '@noble/curves/ed25519';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils';
import type { DataCertificateProvider } from '../core/replica-api';
import { hashOfMap } from '../auth/request-id';
import {
  labeled,
  leb128,
  reconstruct,
  witness,
  type HashTree,
  type LabeledTree,
  type TreePath,
} from './hash-tree';
import { loadOrCreateNetworkKeys, type NetworkKeys } from './keys';

function domainSeparator(name: string): Uint8Array {
  const bytes = utf8ToBytes(name);
  return concatBytes(Uint8Array.of(bytes.length), bytes);
}

const STATE_ROOT_DS = domainSeparator('ic-state-root');
const RESPONSE_DS = domainSeparator('ic-response');

const TIME_PATH: TreePath = [utf8ToBytes('time')];

export interface QuerySignature {
  timestamp: bigint;
  signature: Uint8Array;
  identity: Uint8Array;
}

/** The fields a node signs for a query response (interface spec, "Query call signatures"). */
export type SignedQueryFields =
  | { status: 'replied'; reply: { arg: Uint8Array } }
  | { status: 'rejected'; reject_code: number; reject_message: string; error_code: string };

export class Certifier {
  /** Supplies the time for data certificates, which are requested from inside the runtime. */
  #clock: () => bigint;

  constructor(
    readonly keys: NetworkKeys,
    clock: () => bigint = () => BigInt(Date.now()) * 1_000_000n,
  ) {
    this.#clock = clock;
  }

  get rootKeyDer(): Uint8Array {
    return this.keys.rootKeyDer;
  }

  get subnetId(): Principal {
    return this.keys.subnetId;
  }

  get nodeId(): Principal {
    return this.keys.nodeId;
  }

  setClock(clock: () => bigint): void {
    this.#clock = clock;
  }

  now(): bigint {
    return this.#clock();
  }

  /** Signs a wire-form tree: CBOR `{tree, signature}` with the self-describe tag. */
  signTree(tree: HashTree): Uint8Array {
    const message = concatBytes(STATE_ROOT_DS, reconstruct(tree));
    const signature = bls12_381.signShortSignature(message, this.keys.blsSecretKey);
    return encodeWithSelfDescribedTag({ tree, signature });
  }

  /** A certificate revealing `paths` (and always `/time`) of `state`. */
  certify(state: LabeledTree, paths: TreePath[]): Uint8Array {
    return this.signTree(witness(state, [...paths, TIME_PATH]));
  }

  /** For `ic0.data_certificate_*`: `/canister/<id>/certified_data` and `/time`. */
  readonly dataCertificate: DataCertificateProvider = (
    canisterId: Principal,
    certifiedData: Uint8Array,
  ) => {
    const id = canisterId.toUint8Array();
    const state = labeled([
      ['time', leb128(this.now())],
      ['canister', labeled([[id, labeled([['certified_data', certifiedData]])]])],
    ]);
    return this.certify(state, [[utf8ToBytes('canister'), id, utf8ToBytes('certified_data')]]);
  };

  signQueryResponse(
    fields: SignedQueryFields,
    requestId: Uint8Array,
    timestamp: bigint = this.now(),
  ): QuerySignature {
    const hash = hashOfMap({ ...fields, timestamp, request_id: requestId });
    return {
      timestamp,
      signature: ed25519.sign(concatBytes(RESPONSE_DS, hash), this.keys.nodeSecretKey),
      identity: this.keys.nodeId.toUint8Array(),
    };
  }
}

/** Loads or creates `<stateDir>/keys.json` and returns a certifier using those keys. */
export function createCertifier(stateDir: string, clock?: () => bigint): Certifier {
  return new Certifier(loadOrCreateNetworkKeys(stateDir), clock);
}
