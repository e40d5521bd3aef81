/**
 * Certificates for synchronous calls (v3/v4 `call`), batched: the calls that finish while a
 * signature is being made (on a worker thread) share the next state tree and BLS signature
 * (about 10 ms), and each gets a witness of its own `request_status` path. Under load this
 * turns one signature per update into one per batch, as the IC certifies all responses of a
 * block together.
 */
import { utf8ToBytes } from '@noble/hashes/utils';
import type { RequestStatus } from '../core/replica-api';
import type { Certifier } from './certifier';
import { buildStateTree } from './state-tree';

interface Pending {
  requestId: Uint8Array;
  status: RequestStatus;
  resolve: (certificate: Uint8Array) => void;
  reject: (err: unknown) => void;
}

const REQUEST_STATUS = utf8ToBytes('request_status');

export class RequestStatusCertifier {
  #pending: Pending[] = [];
  #scheduled = false;
  #signing = false;

  constructor(
    private readonly certifier: Certifier,
    private readonly now: () => bigint,
  ) {}

  /** A certificate revealing `request_status/<requestId>` (and `/time`) with `status`. */
  certify(requestId: Uint8Array, status: RequestStatus): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ requestId, status, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#signing || this.#pending.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    this.#signing = true;
    try {
      const state = buildStateTree({
        keys: this.certifier.keys,
        timeNanos: this.now(),
        canisters: [],
        requestStatuses: batch.map((p): [Uint8Array, RequestStatus] => [p.requestId, p.status]),
      });
      const certificates = await this.certifier.certifyEach(
        state,
        batch.map((p) => [[REQUEST_STATUS, p.requestId]]),
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
