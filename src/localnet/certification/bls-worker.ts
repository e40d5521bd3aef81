/**
 * BLS signing on a worker thread. A signature costs several milliseconds of CPU (about 4–5 ms
 * with `bls-short-sign.mjs`, more on a loaded machine); on the main thread that stalls every
 * message and HTTP request meanwhile. On a worker, calls keep executing while a signature is
 * made, and the calls that finish meanwhile share the next one (`certificate-batcher.ts`).
 */
import { Worker } from 'node:worker_threads';

/**
 * Plain CommonJS, so the worker needs no TypeScript loader; it signs with `bls-short-sign.mjs`
 * (plain JavaScript too), loaded once, and answers messages that arrive meanwhile after that.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const signing = import(workerData.signerUrl).then(({ createShortSigner }) =>
  createShortSigner(new Uint8Array(workerData.secretKey)),
);
parentPort.on('message', ({ id, message }) => {
  signing
    .then((sign) => {
      const started = performance.now();
      const signature = sign(new Uint8Array(message));
      parentPort.postMessage({ id, signature, millis: performance.now() - started });
    })
    .catch((err) => {
      parentPort.postMessage({ id, error: String((err && err.message) || err) });
    });
});
`;

export class BlsSigner {
  #worker: Worker | undefined;
  /**
   * How long a signature takes on the worker (a moving average, measured there so that a busy
   * main thread does not inflate it); 0 until the first one.
   */
  signingMillis = 0;
  #nextId = 0;
  readonly #waiting = new Map<
    number,
    { resolve: (s: Uint8Array) => void; reject: (e: Error) => void }
  >();

  constructor(private readonly secretKey: Uint8Array) {}

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const signerUrl = new URL('./bls-short-sign.mjs', import.meta.url).href;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { signerUrl, secretKey: this.secretKey },
    });
    worker.on(
      'message',
      (m: { id: number; signature?: Uint8Array; millis?: number; error?: string }) => {
        if (m.millis !== undefined) {
          this.signingMillis =
            this.signingMillis === 0 ? m.millis : 0.8 * this.signingMillis + 0.2 * m.millis;
        }
        const waiter = this.#waiting.get(m.id);
        if (!waiter) return;
        this.#waiting.delete(m.id);
        if (m.signature) waiter.resolve(new Uint8Array(m.signature));
        else waiter.reject(new Error(`BLS signing failed: ${m.error ?? 'unknown error'}`));
      },
    );
    const failAll = (err: Error): void => {
      this.#worker = undefined;
      for (const w of this.#waiting.values()) w.reject(err);
      this.#waiting.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', () => failAll(new Error('the BLS signing worker exited')));
    // An idle worker must not keep the process (or a test run) alive.
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  sign(message: Uint8Array): Promise<Uint8Array> {
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.postMessage({ id, message });
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
  }
}
