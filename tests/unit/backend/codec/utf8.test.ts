import { IDL } from '@dfinity/candid';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

import { CandidError, decodeArgs, takeArgumentsVerdict } from '../../../../src/backend/codec';
import {
  decodeUtf8,
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

describe('takeArgumentsVerdict', () => {
  const Input = IDL.Record({ title: IDL.Text, body: IDL.Text, tags: IDL.Vec(IDL.Text) });
  const plain = fc.stringMatching(/^[\t\n\x20-\x7e]{0,300}$/);
  const anyText = fc.oneof(plain, plain, textArb);
  const isPlain = (text: string) => /^[\t\n\x20-\x7e]*$/.test(text);

  it('tells whether every text of the arguments is printable ASCII, once', () => {
    fc.assert(
      fc.property(anyText, anyText, fc.array(anyText, { maxLength: 3 }), (title, body, tags) => {
        const bytes = new Uint8Array(IDL.encode([Input], [{ title, body, tags }]));
        decodeArgs([Input], bytes);
        const expected = [title, body, ...tags].every(isPlain);
        expect(takeArgumentsVerdict()).toBe(expected);
        // Taken: it cannot speak for whatever a later message decodes, or does not.
        expect(takeArgumentsVerdict()).toBe(false);
      }),
    );
  });

  it('claims nothing for arguments it did not read itself, or could not read', () => {
    const args = { title: 'A plain title', body: 'A plain body', tags: ['tooling'] };
    // An extra field makes the header non-canonical: IDL.decode reads it (the fallback).
    const Wider = IDL.Record({
      title: IDL.Text,
      body: IDL.Text,
      tags: IDL.Vec(IDL.Text),
      extra: IDL.Nat,
    });
    decodeArgs([Input], new Uint8Array(IDL.encode([Wider], [{ ...args, extra: 1n }])));
    expect(takeArgumentsVerdict()).toBe(false);
    const canonical = new Uint8Array(IDL.encode([Input], [args]));
    expect(() => decodeArgs([Input], canonical.subarray(0, canonical.length - 3))).toThrow(
      CandidError,
    );
    expect(takeArgumentsVerdict()).toBe(false);
    decodeArgs([Input], canonical);
    expect(takeArgumentsVerdict()).toBe(true);
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
