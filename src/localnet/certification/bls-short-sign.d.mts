/** Types of `bls-short-sign.mjs` (plain JavaScript, run by the signing worker). */
export function createShortSigner(secretKey: Uint8Array): (message: Uint8Array) => Uint8Array;
