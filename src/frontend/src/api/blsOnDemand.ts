/**
 * Stands in for `@dfinity/agent`'s `utils/bls.js` in the browser build (see vite.config.ts).
 *
 * The agent's own module imports `@noble/curves/bls12-381` statically, and that module
 * precomputes its field constants when it is evaluated: about a quarter of a second of main-
 * thread time on every page load, before the first query can be sent, although most page views
 * never check a BLS signature. Here the same noble function checks the same signatures, but
 * its module is loaded when the first certificate is verified (an update call, or the node
 * keys behind query signatures on mainnet). The agent awaits `blsVerify`
 * (`Certificate.verify`), so an asynchronous answer is what it expects.
 */

type BlsModule = typeof import('@noble/curves/bls12-381');

let loading: Promise<BlsModule> | undefined;

function load(): Promise<BlsModule> {
  loading ??= import('@noble/curves/bls12-381').catch((error: unknown) => {
    // A failed chunk download must not be remembered: the next verification tries again.
    loading = undefined;
    throw error;
  });
  return loading;
}

function hex(value: Uint8Array | string): string {
  if (typeof value === 'string') return value;
  let out = '';
  for (const byte of value) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** The agent's module exports this binding too (never assigned there); kept for its readers. */
export const verify = undefined;

/** IC certificates are BLS12-381 "min-sig": the signature in G1, the public key in G2. */
export async function blsVerify(
  publicKey: Uint8Array | string,
  signature: Uint8Array | string,
  message: Uint8Array | string,
): Promise<boolean> {
  const { bls12_381 } = await load();
  return bls12_381.verifyShortSignature(hex(signature), hex(message), hex(publicKey));
}

/**
 * Loads the verifier ahead of need once the page is idle, so that the first update call
 * after it does not wait for the download.
 */
export function preloadBlsVerifier(): void {
  void load().catch(() => undefined);
}
