/**
 * Certificates for the HTTP interface (sync calls and read_state), batched: the requests that
 * want a certificate while a signature is being made (on a worker thread) share the next
 * state tree and BLS signature, and each gets a witness of its own paths (and `/time`), as the
 * IC certifies a whole block's state at once.
 *
 * A BLS signature costs several milliseconds of CPU. Signing whenever the signer is free made
 * it sign all the time under load (batches of one or two, a whole core spent signing on a
 * machine whose cores the callers need too). So when several certificates wait, which means
 * they arrive faster than one per signature, the next signature is held back until signing has
 * used at most `SIGNING_SHARE` of a core since the previous one started: batches then grow
 * with the load. A lone waiting certificate is signed at once, so a caller that makes one call
 * at a time never waits for a batch.
 */
import { utf8ToBytes } from '@noble/hashes/utils';
import type { CanisterInfo, RequestStatus } from '../core/replica-api';
import type { Certifier } from './certifier';
import type { TreePath } from './hash-tree';
import { buildStateTree } from './state-tree';

/** The most of one core that signing may take while certificates keep arriving. */
export const SIGNING_SHARE = 0.25;

/** What one certificate's state tree holds, gathered from every request in the batch. */
export interface BatchState {
  canisters: Map<string, CanisterInfo>;
  requestStatuses: Map<string, [Uint8Array, RequestStatus]>;
}

export interface CertificateRequest {
  /** The paths the witness reveals (besides `/time`). */
  paths: TreePath[];
  /**
   * Adds what the paths reveal to the batch's state. Called when the batch's tree is built,
   * so that what it reads from the replica is current as of the certificate's `/time`.
   */
  gather(into: BatchState): void;
}

interface Pending extends CertificateRequest {
  resolve: (certificate: Uint8Array) => void;
  reject: (err: unknown) => void;
}

const REQUEST_STATUS = utf8ToBytes('request_status');

function hexKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export class CertificateBatcher {
  #pending: Pending[] = [];
  #scheduled = false;
  #signing = false;
  /** `performance.now()` when the last signature was started. */
  #lastStart = -Infinity;

  constructor(
    private readonly certifier: Certifier,
    private readonly now: () => bigint,
    private readonly signingShare = SIGNING_SHARE,
  ) {}

  /** A certificate revealing `paths` (and `/time`) of the state that `gather` describes. */
  certify(request: CertificateRequest): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ ...request, resolve, reject });
      this.#schedule();
    });
  }

  /** A certificate revealing `request_status/<requestId>` (and `/time`) with `status`. */
  certifyStatus(requestId: Uint8Array, status: RequestStatus): Promise<Uint8Array> {
    return this.certify({
      paths: [[REQUEST_STATUS, requestId]],
      gather: (into) => into.requestStatuses.set(hexKey(requestId), [requestId, status]),
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#signing || this.#pending.length === 0) return;
    this.#scheduled = true;
    const flush = (): void => {
      this.#scheduled = false;
      void this.#flush();
    };
    const holdUntil =
      this.#pending.length > 1
        ? this.#lastStart + this.certifier.signingMillis / this.signingShare
        : -Infinity;
    const wait = holdUntil - performance.now();
    if (wait >= 1) setTimeout(flush, wait);
    else setImmediate(flush);
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    this.#signing = true;
    this.#lastStart = performance.now();
    try {
      const parts: BatchState = { canisters: new Map(), requestStatuses: new Map() };
      for (const p of batch) p.gather(parts);
      const state = buildStateTree({
        keys: this.certifier.keys,
        timeNanos: this.now(),
        canisters: [...parts.canisters.values()],
        requestStatuses: [...parts.requestStatuses.values()],
      });
      const certificates = await this.certifier.certifyEach(
        state,
        batch.map((p) => p.paths),
      );
      batch.forEach((p, i) => p.resolve(certificates[i] as Uint8Array));
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.#signing = false;
      this.#schedule();
    }
  }
}
