import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { keyBytes, Reader } from '../../../../src/backend/codec';
import {
  PRINCIPAL_BYTES_REMEMBERED,
  principalIdToBytes,
} from '../../../../src/backend/codec/principal';

/** What a key's bytes are by definition: one byte per char. */
const bytesOf = (key: string): Uint8Array => Uint8Array.from(key, (c) => c.charCodeAt(0));

/** A binary string (chars 0–255), slashes included: a principal's bytes may hold 0x2f. */
const binary = (minLength: number, maxLength: number) =>
  fc
    .array(fc.integer({ min: 0, max: 255 }), { minLength, maxLength })
    .map((codes) => String.fromCharCode(...codes));

const segment = fc.oneof(
  binary(29, 29), // a member's principal
  binary(10, 10), // a canister's
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String), // an id
  fc.constantFrom('up', 'proposal', 'p12', 'i3', ''),
);

describe('keyBytes', () => {
  it('gives one byte per char, for every shape of key, read once or again', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (segments) => {
        const key = segments.join('/');
        expect(keyBytes(key)).toEqual(bytesOf(key));
        // The second time, principal-sized segments come from what was remembered.
        expect(keyBytes(key)).toEqual(bytesOf(key));
      }),
      { numRuns: 2000 },
    );
  });

  it('stays right when more principals pass than it remembers', () => {
    const members = Array.from({ length: PRINCIPAL_BYTES_REMEMBERED + 100 }, (_, i) =>
      String.fromCharCode(
        ...Array.from({ length: 29 }, (_, j) =>
          j < 4 ? (i >> (8 * j)) & 0xff : (i + j * 7) % 256,
        ),
      ),
    );
    const wrong = [...members, ...members.slice(0, 100)].filter((member) => {
      const key = `${member}/17`;
      return !Buffer.from(keyBytes(key)).equals(Buffer.from(bytesOf(key)));
    });
    expect(wrong).toEqual([]);
  });

  it('returns bytes a caller may change without changing later keys', () => {
    const member = 'm'.repeat(29);
    const first = keyBytes(`${member}/1`);
    first.fill(0);
    expect(keyBytes(`${member}/2`)).toEqual(bytesOf(`${member}/2`));
  });

  it('refuses a char above 255, which no domain key holds', () => {
    expect(() => keyBytes('x'.repeat(30) + '/\u0100')).toThrow(TypeError);
    expect(() => keyBytes('\u0100')).toThrow(TypeError);
  });

  it('takes a principal read from a message as it was, whatever the message becomes', () => {
    const member = String.fromCharCode(...Array.from({ length: 29 }, (_, j) => 255 - j));
    // A candid principal value: 1 (not opaque), its length, its bytes.
    const message = Uint8Array.of(1, 29, ...bytesOf(member));
    const read = new Reader(message).principal();
    message.fill(0); // the buffer a stable read or a message came in may be reused
    expect(read).toBe(member);
    expect(principalIdToBytes(read)).toEqual(bytesOf(member));
    expect(keyBytes(`${read}/3`)).toEqual(bytesOf(`${member}/3`));
  });
});
