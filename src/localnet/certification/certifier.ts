/**
 * Signs what localnet vouches for: certificates over (witnesses of) the state tree with the
 * BLS subnet key, and query responses with the node's Ed25519 key.
 */
import { encodeWithSelfDescribedTag } from '@dfinity/cbor';
import type { Principal } from '@dfinity/principal';
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils';
import type { DataCertificateProvider } from '../core/replica-api';
import { hashOfMap } from '../auth/request-id';
import {
  labeled,
  labeledTreeHash,
  leb128,
  reconstruct,
  witness,
  type HashTree,
  type LabeledTree,
  type TreePath,
} from './hash-tree';
import { BlsSigner } from './bls-worker';
import { createShortSigner } from './bls-short-sign.mjs';
import { loadOrCreateNetworkKeys, type NetworkKeys } from './keys';

function domainSeparator(name: string): Uint8Array {
  const bytes = utf8ToBytes(name);
  return concatBytes(Uint8Array.of(bytes.length), bytes);
}

const STATE_ROOT_DS = domainSeparator('ic-state-root');
const RESPONSE_DS = domainSeparator('ic-response');

const TIME_PATH: TreePath = [utf8ToBytes('time')];
const DATA_CERTIFICATE_REUSE_NANOS = 1_000_000_000n;
/** PKCS#8 wrapping of a 32-byte Ed25519 seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

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

  #nodeKeyObject: KeyObject | undefined;

  /** The node key as an OpenSSL key: signing there is several times faster than in JS. */
  #nodeKey(): KeyObject {
    this.#nodeKeyObject ??= createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, this.keys.nodeSecretKey]),
      format: 'der',
      type: 'pkcs8',
    });
    return this.#nodeKeyObject;
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

  #signShort: ((message: Uint8Array) => Uint8Array) | undefined;

  /** The subnet's BLS signature over a state tree's root hash (a few ms each). */
  signRootHash(rootHash: Uint8Array): Uint8Array {
    this.#signShort ??= createShortSigner(this.keys.blsSecretKey);
    return this.#signShort(concatBytes(STATE_ROOT_DS, rootHash));
  }

  /** Signs a wire-form tree: CBOR `{tree, signature}` with the self-describe tag. */
  signTree(tree: HashTree): Uint8Array {
    return encodeWithSelfDescribedTag({ tree, signature: this.signRootHash(reconstruct(tree)) });
  }

  #signer: BlsSigner | undefined;

  /** `signRootHash` on a worker thread, so execution goes on while it signs. */
  signRootHashOffThread(rootHash: Uint8Array): Promise<Uint8Array> {
    this.#signer ??= new BlsSigner(this.keys.blsSecretKey);
    return this.#signer.sign(concatBytes(STATE_ROOT_DS, rootHash));
  }

  /**
   * One certificate per entry of `pathsList`, all under one signature: every witness of
   * `state` has the root hash of `state`, so each caller sees only its own paths (and `/time`)
   * while the state is signed once, as the IC certifies a whole block's responses at once.
   */
  async certifyEach(state: LabeledTree, pathsList: TreePath[][]): Promise<Uint8Array[]> {
    const signature = await this.signRootHashOffThread(labeledTreeHash(state));
    return pathsList.map((paths) =>
      encodeWithSelfDescribedTag({ tree: witness(state, [...paths, TIME_PATH]), signature }),
    );
  }

  /** How long a BLS signature takes on the signing worker (0 before the first one). */
  get signingMillis(): number {
    return this.#signer?.signingMillis ?? 0;
  }

  /** Stops the signing worker, if one was started. */
  close(): Promise<void> {
    const signer = this.#signer;
    this.#signer = undefined;
    return signer ? signer.close() : Promise.resolve();
  }

  /** A certificate revealing `paths` (and always `/time`) of `state`. */
  certify(state: LabeledTree, paths: TreePath[]): Uint8Array {
    return this.signTree(witness(state, [...paths, TIME_PATH]));
  }

  /** Recent data certificates by canister, reused while fresh (see `dataCertificate`). */
  readonly #dataCertificates = new Map<
    string,
    { certifiedData: Uint8Array; timeNanos: bigint; certificate: Uint8Array }
  >();

  /**
   * For `ic0.data_certificate_*`: `/canister/<id>/certified_data` and `/time`. A certificate
   * for the same certified data is reused for up to a second, as the IC's certificates come
   * once per block: a query storm then costs one BLS signature per second, not one per query.
   */
  readonly dataCertificate: DataCertificateProvider = (
    canisterId: Principal,
    certifiedData: Uint8Array,
  ) => {
    const key = canisterId.toText();
    const now = this.now();
    const cached = this.#dataCertificates.get(key);
    if (
      cached &&
      now - cached.timeNanos < DATA_CERTIFICATE_REUSE_NANOS &&
      now >= cached.timeNanos &&
      Buffer.from(cached.certifiedData).equals(certifiedData)
    ) {
      return cached.certificate;
    }
    const certificate = this.#makeDataCertificate(canisterId, certifiedData, now);
    if (this.#dataCertificates.size >= 1024) this.#dataCertificates.clear();
    this.#dataCertificates.set(key, { certifiedData, timeNanos: now, certificate });
    return certificate;
  };

  #makeDataCertificate(canisterId: Principal, certifiedData: Uint8Array, now: bigint): Uint8Array {
    const id = canisterId.toUint8Array();
    const state = labeled([
      ['time', leb128(now)],
      ['canister', labeled([[id, labeled([['certified_data', certifiedData]])]])],
    ]);
    return this.certify(state, [[utf8ToBytes('canister'), id, utf8ToBytes('certified_data')]]);
  }

  signQueryResponse(
    fields: SignedQueryFields,
    requestId: Uint8Array,
    timestamp: bigint = this.now(),
  ): QuerySignature {
    const hash = hashOfMap({ ...fields, timestamp, request_id: requestId });
    return {
      timestamp,
      signature: new Uint8Array(sign(null, concatBytes(RESPONSE_DS, hash), this.#nodeKey())),
      identity: this.keys.nodeId.toUint8Array(),
    };
  }
}

/** Loads or creates `<stateDir>/keys.json` and returns a certifier using those keys. */
export function createCertifier(stateDir: string, clock?: () => bigint): Certifier {
  return new Certifier(loadOrCreateNetworkKeys(stateDir), clock);
}
