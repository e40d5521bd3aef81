/**
 * The signing worker's BLS signer (`bls-short-sign.mjs`, a GLV split of the fixed key) must
 * produce exactly the signatures of `@noble/curves`, which the agent verifies.
 */
import { bls12_381 } from '@noble/curves/bls12-381';
import { bytesToHex } from '@noble/hashes/utils';
import { describe, expect, it } from 'vitest';
import { createShortSigner } from '../../../../src/localnet/certification/bls-short-sign.mjs';

describe('fast BLS short signatures', () => {
  it('equal noble signShortSignature for random keys and messages', () => {
    for (let k = 0; k < 4; k++) {
      const secretKey = bls12_381.utils.randomPrivateKey();
      const sign = createShortSigner(secretKey);
      for (const length of [0, 1, 46, 200]) {
        const message = crypto.getRandomValues(new Uint8Array(length));
        expect(bytesToHex(sign(message))).toBe(
          bytesToHex(bls12_381.signShortSignature(message, secretKey)),
        );
      }
    }
  });

  it('equal noble for keys whose halves are small or at the top of the range', () => {
    const r = bls12_381.params.r;
    for (const sk of [1n, 2n, 0xffffn, 1n << 128n, (1n << 128n) + 1n, r - 1n, r - 2n]) {
      const secretKey = Uint8Array.from(
        sk.toString(16).padStart(64, '0').match(/../g) as string[],
        (h) => parseInt(h, 16),
      );
      const message = new TextEncoder().encode(`state root ${sk}`);
      expect(bytesToHex(createShortSigner(secretKey)(message))).toBe(
        bytesToHex(bls12_381.signShortSignature(message, secretKey)),
      );
    }
  });

  it('makes signatures that verify against the short-signature public key', () => {
    const secretKey = bls12_381.utils.randomPrivateKey();
    const message = new TextEncoder().encode('ic-state-root');
    const signature = createShortSigner(secretKey)(message);
    const publicKey = bls12_381.getPublicKeyForShortSignatures(secretKey);
    expect(bls12_381.verifyShortSignature(signature, message, publicKey)).toBe(true);
  });
});
