/**
 * The canister takes its codecs and message headers from codecs.generated.ts, written at build
 * time, instead of generating them: these check that the committed module is current and that
 * what it holds encodes and decodes every method's messages and every record kind exactly as
 * @dfinity/candid does.
 */
import { readFileSync } from 'node:fs';

import { IDL } from '@dfinity/candid';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

import { codecsModule, CODECS_PATH } from '../../../../scripts/generate-codecs';
import { CODECS, HEADERS } from '../../../../src/backend/canister/codecs.generated';
import { RECORD_TYPES } from '../../../../src/backend/canister/records';
import {
  codecRoots,
  headerLists,
  INIT_PARAMS,
  M,
} from '../../../../src/backend/canister/signatures';
import {
  codecFor,
  decodeArgs,
  decodeValue,
  encodeReply,
  encodeValue,
  installHeaders,
  installPrecompiled,
  isCanonical,
  Reader,
  toIdlValue,
} from '../../../../src/backend/codec';
import { argsArbitrary, arbitraryOf, wellFormed } from './support';

const RUNS = 25;

const reference = (types: IDL.Type[], values: unknown[]) =>
  new Uint8Array(
    IDL.encode(
      types,
      types.map((t, i) => toIdlValue(t, values[i])),
    ),
  );

beforeAll(() => {
  installPrecompiled(codecRoots(), CODECS);
  installHeaders(headerLists(), HEADERS);
});

describe('the generated codecs module', () => {
  it('is what the generator writes from the current contract (run npm run build:backend)', () => {
    expect(readFileSync(CODECS_PATH, 'utf8')).toBe(codecsModule());
  });

  it('refuses a list of roots it was not generated for', () => {
    expect(() => installPrecompiled(codecRoots().slice(1), CODECS)).toThrow(/rebuild/);
  });
});

const ARGUMENTS: Array<[string, IDL.Type[]]> = [
  ['init', INIT_PARAMS],
  ...Object.entries(M).map(([name, m]): [string, IDL.Type[]] => [name, m.params]),
];
const REPLIES = Object.entries(M).map(([name, m]): [string, IDL.Type[]] => [name, m.returns]);

describe.each(ARGUMENTS)('precompiled arguments of %s', (_name, types) => {
  it('read what @dfinity/candid (so the agent) writes, on the fast path', () => {
    fc.assert(
      fc.property(argsArbitrary(types), (values) => {
        const bytes = reference(types, values);
        expect(isCanonical(types, bytes)).toBe(true);
        expect(decodeArgs(types, bytes)).toEqual(wellFormed(values));
      }),
      { numRuns: RUNS },
    );
  });
});

describe.each(REPLIES)('the precompiled reply of %s', (_name, types) => {
  it('is byte for byte what IDL.encode writes', () => {
    fc.assert(
      fc.property(argsArbitrary(types), (values) => {
        expect(encodeReply(types, values)).toEqual(reference(types, values));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('a precompiled codec', () => {
  it('says so when asked for what it was not generated for (a reply is never decoded)', () => {
    const codec = codecFor(M.whoami.returns[0]);
    expect(() => codec.decode(new Reader(new Uint8Array(8)))).toThrow(/not generated/);
  });
});

describe.each(Object.entries(RECORD_TYPES))('precompiled record kind %s', (_kind, type) => {
  it('round-trips values as @dfinity/candid encodes them', () => {
    fc.assert(
      fc.property(arbitraryOf(type), (value) => {
        const bytes = encodeValue(type, value);
        const full = reference([type], [value]);
        expect(full.subarray(full.length - bytes.length)).toEqual(bytes);
        // Decoded values take @dfinity/candid's shapes (typed arrays for numeric vecs), so the
        // round trip is checked on the bytes.
        expect(encodeValue(type, decodeValue(type, bytes))).toEqual(bytes);
      }),
      { numRuns: RUNS },
    );
  });
});
