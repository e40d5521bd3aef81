import { IDL } from '@dfinity/candid';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

import { CandidError } from '../../../../src/backend/codec';
import {
  decodeUtf8,
  isDecodedPrintableAscii,
  decodeUtf8Js,
  encodeUtf8,
  encodeUtf8Js,
  setNativeCandidEncoder,
  splitNativeTexts,
} from '../../../../src/backend/codec/utf8';
import { fakeCandidEncode, textArb } from './support';

// ignoreBOM: a leading U+FEFF is text like any other (TextDecoder would drop it by default).
const encoder = new TextEncoder();

afterEach(() => setNativeCandidEncoder(undefined));

describe('encodeUtf8', () => {
  it('matches TextEncoder, lone surrogates included (pure JS)', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        expect(encodeUtf8(text)).toEqual(encoder.encode(text));
        expect(encodeUtf8Js(text)).toEqual(encoder.encode(text));
      }),
      { numRuns: 500 },
    );
  });

  it('matches TextEncoder through the native encoder, falling back where it cannot go', () => {
    setNativeCandidEncoder(fakeCandidEncode);
    fc.assert(
      fc.property(textArb, (text) => {
        expect(encodeUtf8(text)).toEqual(encoder.encode(text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('decodeUtf8', () => {
  // Valid UTF-8, ASCII-heavy, and random bytes (mostly invalid).
  const bytesArb = fc.oneof(
    textArb.map((t) => encoder.encode(t)),
    fc.uint8Array({ maxLength: 40 }),
    fc
      .array(
        fc.constantFrom(0x41, 0x80, 0xbf, 0xc0, 0xc2, 0xe0, 0xed, 0xa0, 0xf0, 0xf4, 0x90, 0xff),
      )
      .map((a) => Uint8Array.from(a)),
  );

  it('non-fatal: matches TextDecoder (U+FFFD for each maximal invalid subpart)', () => {
    const reference = new TextDecoder('utf-8', { ignoreBOM: true });
    fc.assert(
      fc.property(bytesArb, (bytes) => {
        expect(decodeUtf8(bytes, { fatal: false })).toBe(reference.decode(bytes));
        expect(decodeUtf8Js(bytes)).toBe(reference.decode(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('fatal: throws a CandidError exactly when TextDecoder fatal throws', () => {
    const reference = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    fc.assert(
      fc.property(bytesArb, (bytes) => {
        let expected: string | undefined;
        try {
          expected = reference.decode(bytes);
        } catch (_e) {
          expected = undefined;
        }
        if (expected === undefined) {
          expect(() => decodeUtf8(bytes, { fatal: true })).toThrow(CandidError);
        } else {
          expect(decodeUtf8(bytes, { fatal: true })).toBe(expected);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects overlong forms, surrogates and code points past U+10FFFF', () => {
    for (const bad of [
      [0xc0, 0x80],
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe2, 0x82],
    ]) {
      expect(() => decodeUtf8(Uint8Array.from(bad), { fatal: true })).toThrow(
        'malformed candid: invalid utf-8 in text',
      );
    }
  });

  it('handles texts longer than one fromCharCode chunk', () => {
    const text = 'a'.repeat(20_000) + 'é'.repeat(9000) + '😀';
    expect(decodeUtf8(encoder.encode(text), { fatal: true })).toBe(text);
    expect(encodeUtf8(text)).toEqual(encoder.encode(text));
  });
});

describe('isDecodedPrintableAscii', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('remembers long printable ASCII texts decodeUtf8 decoded, and nothing else', () => {
    const long = 'Rotate nodes between subnets so that no group can collude.\n'.repeat(10);
    const withControl = `${long}\u0001`;
    const nonAscii = `${long}é`;
    for (const text of [long, withControl, nonAscii, 'short']) {
      expect(decodeUtf8(bytes(text), { fatal: true })).toBe(text);
    }
    expect(isDecodedPrintableAscii(long)).toBe(true);
    expect(isDecodedPrintableAscii(withControl)).toBe(false);
    expect(isDecodedPrintableAscii(nonAscii)).toBe(false);
    expect(isDecodedPrintableAscii('short')).toBe(false);
    expect(isDecodedPrintableAscii(`${long} `)).toBe(false);
  });
});

describe('splitNativeTexts (parsing candidEncode output)', () => {
  it('finds each text value in the bytes candid defines for (text, text, ...)', () => {
    fc.assert(
      fc.property(fc.array(textArb, { minLength: 1, maxLength: 6 }), (texts) => {
        const bytes = new Uint8Array(
          IDL.encode(
            texts.map(() => IDL.Text),
            texts,
          ),
        );
        const { starts, ends } = splitNativeTexts(bytes, texts.length);
        texts.forEach((text, i) => {
          const value = bytes.subarray(starts[i], ends[i]);
          const utf8 = encoder.encode(text);
          // the value is LEB128 length + UTF-8; its tail is the UTF-8
          expect(value.subarray(value.length - utf8.length)).toEqual(utf8);
        });
        expect(ends[texts.length - 1]).toBe(bytes.length);
      }),
    );
  });

  it('rejects output that is not what it expects', () => {
    const two = new Uint8Array(IDL.encode([IDL.Text, IDL.Text], ['a', 'b']));
    expect(() => splitNativeTexts(two, 3)).toThrow();
    expect(() => splitNativeTexts(two.subarray(0, two.length - 1), 2)).toThrow();
    expect(() => splitNativeTexts(new Uint8Array(IDL.encode([IDL.Nat8], [1])), 1)).toThrow();
  });
});
