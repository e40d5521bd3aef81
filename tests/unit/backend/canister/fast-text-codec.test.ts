import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  FastTextDecoder as TextDecoder,
  FastTextEncoder as TextEncoder,
} from '../../../../src/backend/canister/fast-text-codec';

const NativeEncoder = globalThis.TextEncoder;
const NativeDecoder = globalThis.TextDecoder;

describe('the fast global text codec', () => {
  it(
    'encodes every string as TextEncoder does, lone surrogates included',
    { timeout: 60_000 },
    () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (text) => {
          expect(Array.from(new TextEncoder().encode(text))).toEqual(
            Array.from(new NativeEncoder().encode(text)),
          );
        }),
      );
    },
  );

  it('decodes any bytes as TextDecoder does, with and without fatal, with the BOM rule', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 40 }),
          fc.string({ unit: 'binary' }).map((s) => new NativeEncoder().encode(`\ufeff${s}`)),
        ),
        fc.boolean(),
        fc.boolean(),
        (bytes, fatal, ignoreBOM) => {
          let expected: string | Error;
          try {
            expected = new NativeDecoder('utf-8', { fatal, ignoreBOM }).decode(bytes);
          } catch (error) {
            expected = error as Error;
          }
          const ours = new TextDecoder('utf-8', { fatal, ignoreBOM });
          if (expected instanceof Error) expect(() => ours.decode(bytes)).toThrow();
          else expect(ours.decode(bytes)).toBe(expected);
        },
      ),
    );
  });

  it('reads ArrayBuffers and views at an offset', () => {
    const bytes = new NativeEncoder().encode('xxhello');
    expect(new TextDecoder().decode(bytes.subarray(2))).toBe('hello');
    expect(new TextDecoder().decode(bytes.buffer.slice(2))).toBe('hello');
    expect(new TextDecoder().decode()).toBe('');
  });
});
