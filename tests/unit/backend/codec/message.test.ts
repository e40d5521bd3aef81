import { IDL } from '@dfinity/candid';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

import {
  CandidError,
  canonicalHeader,
  decodeArgs,
  decodeValue,
  encodeReply,
  encodeValue,
  isCanonical,
  setNativeCandidEncoder,
  toIdlValue,
} from '../../../../src/backend/codec';
import { CONTRACT, argsArbitrary, declaredService, fakeCandidEncode, wellFormed } from './support';

const RUNS = 40;

afterEach(() => setNativeCandidEncoder(undefined));

const idlArgs = (types: IDL.Type[], values: unknown[]) =>
  types.map((t, i) => toIdlValue(t, values[i]));

/** @dfinity/candid's own bytes for the same values. */
const reference = (types: IDL.Type[], values: unknown[]) =>
  new Uint8Array(IDL.encode(types, idlArgs(types, values)));

/** A short, stack-free message, as callers may see it. */
function expectCleanError(run: () => unknown): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CandidError);
  const message = (error as Error).message;
  expect(message).toMatch(/^malformed candid: /);
  expect(message.length).toBeLessThan(120);
  expect(message).not.toMatch(/\n|\s+at\s|\/|\.ts|\.js/);
}

/** Every distinct argument list and result list of the contract, named for test output. */
const TYPE_LISTS: Array<[string, IDL.Type[]]> = [
  ['init', [IDL.Opt(IDL.Record({ admins: IDL.Vec(IDL.Principal) }))]],
  ...Object.entries(CONTRACT).flatMap(([name, { args, rets }]): Array<[string, IDL.Type[]]> => [
    [`${name} args`, args],
    [`${name} reply`, rets],
  ]),
];

describe('the contract list', () => {
  it('covers every method of the declared service, with the same arity', () => {
    const service = declaredService();
    expect([...service.keys()].sort()).toEqual(Object.keys(CONTRACT).sort());
    for (const [name, func] of service) {
      expect(func.argTypes.length, name).toBe(CONTRACT[name]!.args.length);
      expect(func.retTypes.length, name).toBe(CONTRACT[name]!.rets.length);
    }
  });
});

describe.each(TYPE_LISTS)('%s', (_name, types) => {
  const arb = argsArbitrary(types);

  it('encodeReply gives IDL.encode’s bytes; decodeArgs reads them back on the fast path', () => {
    fc.assert(
      fc.property(arb, (values) => {
        const bytes = encodeReply(types, values);
        expect(bytes).toEqual(reference(types, values));
        expect(isCanonical(types, bytes)).toBe(true);
        expect(decodeArgs(types, bytes)).toEqual(wellFormed(values));
      }),
      { numRuns: RUNS },
    );
  });

  it('with a native text encoder: same bytes, one native call per message', () => {
    let calls = 0;
    setNativeCandidEncoder((text) => {
      calls++;
      return fakeCandidEncode(text);
    });
    fc.assert(
      fc.property(arb, (values) => {
        calls = 0;
        expect(encodeReply(types, values)).toEqual(reference(types, values));
        expect(calls).toBeLessThanOrEqual(1);
      }),
      { numRuns: RUNS },
    );
  });

  it('encodeValue / decodeValue round-trip each value without a header', () => {
    fc.assert(
      fc.property(arb, (values) => {
        types.forEach((t, i) => {
          const bytes = encodeValue(t, values[i]);
          expect(decodeValue(t, bytes)).toEqual(wellFormed(values[i]));
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('decodes a bare text value to the text encoded, short ASCII ones included', () => {
    /** The value's bytes as IDL.encode writes them, without the message header. */
    const bare = (text: string) => reference([IDL.Text], [text]).subarray(7);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary-ascii', maxLength: 140 }),
          fc.string({ unit: 'binary', maxLength: 140 }),
        ),
        (text) => {
          // Not IDL.decode's answer: its TextDecoder drops a leading U+FEFF, which is text like
          // any other to candid (the Rust implementation keeps it, as this decoder does).
          expect(decodeValue(IDL.Text, bare(text))).toBe(wellFormed(text));
        },
      ),
      { numRuns: RUNS * 10 },
    );
    // A length that disagrees with the bytes is refused, however short the value.
    expect(() => decodeValue(IDL.Text, new Uint8Array([2, 0x61]))).toThrow(CandidError);
    expect(() => decodeValue(IDL.Text, new Uint8Array([1, 0x61, 0x62]))).toThrow(CandidError);
    expect(() => decodeValue(IDL.Text, new Uint8Array([1, 0xff]))).toThrow(CandidError);
  });

  it('falls back to IDL.decode for a compatible but non-canonical message (extra argument)', () => {
    const wider = [...types, IDL.Text];
    fc.assert(
      fc.property(arb, (values) => {
        // @dfinity/candid's TextDecoder drops a leading U+FEFF; the fast path keeps it.
        fc.pre(
          !JSON.stringify(values, (_k, v: unknown) => (typeof v === 'bigint' ? 0 : v)).includes(
            '"\ufeff',
          ),
        );
        const bytes = reference(wider, [...values, 'extra']);
        expect(isCanonical(types, bytes)).toBe(false);
        expect(decodeArgs(types, bytes)).toEqual(wellFormed(values));
      }),
      { numRuns: RUNS / 2 },
    );
  });

  it('rejects truncated, trailing and garbage bytes with a short CandidError', () => {
    fc.assert(
      fc.property(
        arb,
        fc.nat(),
        fc.uint8Array({ minLength: 1, maxLength: 30 }),
        (values, cut, junk) => {
          const bytes = reference(types, values);
          const truncated = bytes.subarray(0, cut % bytes.length);
          // An empty message is valid for all-opt argument lists.
          if (!(truncated.length === 0 && types.every((t) => t instanceof IDL.OptClass))) {
            expectCleanError(() => decodeArgs(types, truncated));
          }
          const trailing = new Uint8Array([...bytes, ...junk]);
          expectCleanError(() => decodeArgs(types, trailing));
          const header = canonicalHeader(types);
          const garbage = new Uint8Array([...header, ...junk]);
          try {
            decodeArgs(types, garbage);
          } catch (e) {
            expectCleanError(() => {
              throw e;
            });
          }
          try {
            decodeArgs(types, junk);
          } catch (e) {
            expectCleanError(() => {
              throw e;
            });
          }
        },
      ),
      { numRuns: RUNS / 2 },
    );
  });
});

describe('canonical headers', () => {
  it('what the agent encodes from the generated declarations takes the fast path for every method', () => {
    const service = declaredService();
    for (const [name, func] of service) {
      const { args, rets } = CONTRACT[name]!;
      for (const [declared, ours] of [
        [func.argTypes, args],
        [func.retTypes, rets],
      ] as const) {
        const [values] = fc.sample(argsArbitrary(ours), { numRuns: 1, seed: 7 });
        const bytes = new Uint8Array(IDL.encode(declared, idlArgs(ours, values!)));
        expect(isCanonical(ours, bytes), name).toBe(true);
        expect(decodeArgs(ours, bytes), name).toEqual(wellFormed(values));
      }
    }
  });

  it('a reordered type table decodes through the fallback', () => {
    const types = [IDL.Opt(IDL.Text), IDL.Vec(IDL.Nat64)];
    const canonical = new Uint8Array(IDL.encode(types, [['hi'], [1n, 2n]]));
    // table: [opt text, vec nat64], args 0 1  →  table: [vec nat64, opt text], args 1 0
    const head = [0x44, 0x49, 0x44, 0x4c, 2, 0x6d, 0x78, 0x6e, 0x71, 2, 1, 0];
    const values = canonical.subarray(canonicalHeader(types).length);
    const reordered = new Uint8Array([...head, ...values]);
    expect(isCanonical(types, reordered)).toBe(false);
    expect(decodeArgs(types, reordered)).toEqual([['hi'], new BigUint64Array([1n, 2n])]);
  });

  it('a record with an extra field decodes through the fallback, dropping the field', () => {
    const Input = CONTRACT.submitProposal!.args;
    const Wider = IDL.Record({
      title: IDL.Text,
      body: IDL.Text,
      themeId: IDL.Opt(IDL.Nat64),
      tags: IDL.Vec(IDL.Text),
      draft: IDL.Bool,
    });
    const value = { title: 't', body: 'b', themeId: [3n], tags: ['x'] };
    const bytes = new Uint8Array(IDL.encode([Wider], [{ ...value, draft: true }]));
    expect(isCanonical(Input, bytes)).toBe(false);
    expect(decodeArgs(Input, bytes)).toEqual([value]);
  });

  it('all-opt argument lists accept an empty message and DIDL\\0\\0', () => {
    const types = [IDL.Opt(IDL.Text), IDL.Opt(IDL.Nat32)];
    expect(decodeArgs(types, new Uint8Array())).toEqual([[], []]);
    expect(decodeArgs(types, new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]))).toEqual([[], []]);
    expectCleanError(() => decodeArgs([IDL.Text], new Uint8Array()));
    expect(decodeArgs([], new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]))).toEqual([]);
  });
});

describe('values outside the contract', () => {
  const Tree = IDL.Rec();
  Tree.fill(IDL.Variant({ leaf: IDL.Int, node: IDL.Vec(Tree) }));
  const Everything = IDL.Record({
    tree: Tree,
    tuple: IDL.Tuple(IDL.Int8, IDL.Int16, IDL.Int32, IDL.Int64, IDL.Nat16, IDL.Float64),
    floats: IDL.Vec(IDL.Float32),
    blob: IDL.Vec(IDL.Nat8),
    nats: IDL.Vec(IDL.Nat),
    nat32s: IDL.Vec(IDL.Nat32),
    flag: IDL.Bool,
    nothing: IDL.Null,
    reserved: IDL.Reserved,
    nested: IDL.Opt(IDL.Opt(IDL.Vec(IDL.Principal))),
  });
  const types = [Everything, Tree];

  it('encode like IDL.encode and round-trip (recursive types, tuples, numbers, blobs)', () => {
    fc.assert(
      fc.property(argsArbitrary(types), (values) => {
        const bytes = encodeReply(types, values);
        expect(bytes).toEqual(reference(types, values));
        const decoded = decodeArgs(types, bytes);
        const expected = IDL.decode(types, bytes);
        // Same JS shapes as @dfinity/candid (typed arrays for vec nat32, etc.), principals aside.
        expect(encodeReply(types, decoded)).toEqual(bytes);
        expect((decoded[0] as { nat32s: unknown }).nat32s).toEqual(
          (expected[0] as { nat32s: unknown }).nat32s,
        );
      }),
      { numRuns: 100 },
    );
  });

  it('refuses values that do not match the type, with a CandidError', () => {
    const Rec = IDL.Record({ n: IDL.Nat32, t: IDL.Text, v: IDL.Variant({ A: IDL.Null }) });
    for (const bad of [
      { n: -1, t: '', v: { A: null } },
      { n: 2 ** 32, t: '', v: { A: null } },
      { n: 1, t: 5, v: { A: null } },
      { n: 1, t: '', v: { B: null } },
      { n: 1, t: '' },
    ]) {
      expect(() => encodeReply([Rec], [bad])).toThrow(CandidError);
    }
    expect(() => encodeValue(IDL.Nat64, 2n ** 64n)).toThrow(CandidError);
    expect(() => encodeValue(IDL.Nat64, -1n)).toThrow(CandidError);
  });

  it('leave nothing behind: the next value is encoded as if it came first', () => {
    const Rec = IDL.Record({ a: IDL.Text, b: IDL.Nat64, c: IDL.Text });
    const good = { a: 'short', b: 7n, c: 'a text long enough to go to the native encoder' };
    const expected = encodeValue(Rec, good);
    expect(Array.from(expected)).toEqual(
      Array.from(new Uint8Array(IDL.encode([Rec], [good])).subarray(-expected.length)),
    );
    // Fails after its first text is written: the writer it used is reused next.
    expect(() => encodeValue(Rec, { ...good, b: -1n })).toThrow(CandidError);
    expect(encodeValue(Rec, good)).toEqual(expected);
  });
});

describe('work, not time', () => {
  const page = CONTRACT.listProposals!.rets;

  it('a 20-item page is encoded with one native text call carrying its long or non-ASCII texts', () => {
    const texts: number[] = [];
    setNativeCandidEncoder((text) => {
      const bytes = fakeCandidEncode(text);
      texts.push(bytes[4 + 1]!); // arg count (single LEB byte below 128)
      return bytes;
    });
    const [values] = fc.sample(argsArbitrary(page), { numRuns: 1, seed: 1 });
    const summary = (i: number) => ({
      id: BigInt(i),
      author: '\x01\x02\x03',
      authorName: ['Alice'],
      title: `Proposal ${i} — über`,
      excerpt: 'An excerpt longer than the texts written char by char.',
      themeId: [],
      tags: ['ai', 'ux'],
      status: { Open: null },
      createdAt: 1n,
      updatedAt: 2n,
      up: 1,
      down: 0,
      upPower: 0n,
      downPower: 0n,
      commentCount: 3,
      myVote: [],
      hidden: [],
    });
    void values;
    const value = {
      proposals: Array.from({ length: 20 }, (_, i) => summary(i)),
      nextCursor: ['c'],
    };
    expect(encodeReply(page, [value])).toEqual(reference(page, [value]));
    // 20 × (title, excerpt) in one call; names, tags and the cursor are short ASCII, written
    // without the native encoder (its call costs more than they do).
    expect(texts).toEqual([40]);
  });

  it('a message without texts makes no native call', () => {
    let calls = 0;
    setNativeCandidEncoder((text) => {
      calls++;
      return fakeCandidEncode(text);
    });
    encodeReply(CONTRACT.getSettings!.rets, [
      {
        creditBudget: 1,
        proposalsPerDay: 2,
        commentsPerHour: 3,
        votesPerHour: 4,
        profileEditsPerHour: 5,
      },
    ]);
    expect(calls).toBe(0);
  });
});

describe('a long text the message was given', () => {
  const long = `${'Rotate nodes between subnets so that no group can collude. '.repeat(60)}é€😀`;

  it('goes back out as the bytes it came in, without encoding it again', () => {
    const bytes = new Uint8Array(IDL.encode([IDL.Text], [long]));
    const [text] = decodeArgs([IDL.Text], bytes) as [string];
    let calls = 0;
    setNativeCandidEncoder((candidText) => {
      calls++;
      return fakeCandidEncode(candidText);
    });
    expect(encodeReply([IDL.Text], [text])).toEqual(bytes);
    expect(calls).toBe(0);
  });

  it('is re-encoded canonically when its length prefix was not minimal', () => {
    const canonical = new Uint8Array(IDL.encode([IDL.Text], [long]));
    // DIDL, no types, one text arg; then the same length as a three-byte LEB128.
    const header = canonical.subarray(0, 7);
    const utf8 = new TextEncoder().encode(long);
    const n = utf8.length;
    const overlong = new Uint8Array([
      ...header,
      (n & 0x7f) | 0x80,
      ((n >> 7) & 0x7f) | 0x80,
      n >> 14,
      ...utf8,
    ]);
    const [text] = decodeArgs([IDL.Text], overlong) as [string];
    expect(text).toBe(long);
    expect(encodeReply([IDL.Text], [text])).toEqual(canonical);
  });

  const ascii = 'Shuffle nodes between subnets so that no group can collude. '.repeat(60);

  it('goes back out trimmed as a slice of the bytes it came in, when it was ASCII', () => {
    const given = `\n  ${ascii}\n\n`;
    const [text] = decodeArgs([IDL.Text], reference([IDL.Text], [given])) as [string];
    let calls = 0;
    setNativeCandidEncoder((candidText) => {
      calls++;
      return fakeCandidEncode(candidText);
    });
    for (const trimmed of [text.trim(), text.trimStart(), text.trimEnd()]) {
      expect(encodeReply([IDL.Text], [trimmed])).toEqual(reference([IDL.Text], [trimmed]));
    }
    expect(calls).toBe(0);
  });

  it('is encoded again when the shorter text is not the given one trimmed, or not ASCII', () => {
    const cases = [
      [`  ${ascii}  `, ascii.slice(1).trim()],
      [`  ${ascii}  `, `${ascii.trim()}!`],
      [`  ${ascii}é  `, `${ascii}é`],
      [`  ${ascii}é  `, `${ascii}é`.trim()],
    ];
    for (const [given, stored] of cases) {
      decodeArgs([IDL.Text], reference([IDL.Text], [given]));
      expect(encodeReply([IDL.Text], [stored])).toEqual(reference([IDL.Text], [stored]));
    }
  });
});
