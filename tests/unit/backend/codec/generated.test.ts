import { IDL } from '@dfinity/candid';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

import {
  CandidError,
  Encoded,
  decodeArgs,
  decodeValue,
  encodeReply,
  encodeValue,
  encoded,
  encodedText,
  generatedSource,
  setNativeCandidEncoder,
  toIdlValue,
} from '../../../../src/backend/codec';
import { CONTRACT, arbitraryOf, fakeCandidEncode, textArb, wellFormed } from './support';

const RUNS = 30;

afterEach(() => setNativeCandidEncoder(undefined));

/** @dfinity/candid's value bytes: its message minus the header of the same type. */
function referenceValue(type: IDL.Type, value: unknown): Uint8Array {
  const message = new Uint8Array(IDL.encode([type], [toIdlValue(type, value)]));
  const empty = encodeReply([type], [value]);
  const ours = encodeValue(type, value);
  // Same header length either way; the value part is the tail.
  return message.subarray(empty.length - ours.length);
}

/** Every distinct type of the contract, arguments and replies, by a readable name. */
const TYPES: Array<[string, IDL.Type]> = [];
for (const [method, { args, rets }] of Object.entries(CONTRACT)) {
  args.forEach((t, i) => TYPES.push([`${method} arg ${i}`, t]));
  rets.forEach((t, i) => TYPES.push([`${method} reply ${i}`, t]));
}

/**
 * Replaces parts of a value by `Encoded` bytes of the same type, as a caller would: texts by
 * `encodedText`, records / variants / tuples by `encoded`. `pick` decides, part by part.
 */
class Splicer extends IDL.Visitor<unknown, unknown> {
  constructor(private readonly pick: () => boolean) {
    super();
  }
  splice(t: IDL.Type, v: unknown): unknown {
    return t.accept(this, v);
  }
  override visitType<T>(_t: IDL.Type<T>, v: unknown): unknown {
    return v;
  }
  override visitText(_t: IDL.TextClass, v: unknown): unknown {
    return this.pick() ? encodedText(v as string) : v;
  }
  override visitVec<T>(t: IDL.VecClass<T>, element: IDL.Type<T>, v: unknown): unknown {
    return Array.isArray(v) ? v.map((e) => this.splice(element, e)) : v;
  }
  override visitOpt<T>(_t: IDL.OptClass<T>, inner: IDL.Type<T>, v: unknown): unknown {
    const o = v as unknown[];
    return o.length === 0 ? o : [this.splice(inner, o[0])];
  }
  override visitRecord(t: IDL.RecordClass, fields: Array<[string, IDL.Type]>, v: unknown) {
    if (this.pick()) return encoded(t, v);
    const r = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [name, type] of fields) out[name] = this.splice(type, r[name]);
    return out;
  }
  override visitTuple<T extends unknown[]>(t: IDL.TupleClass<T>, parts: IDL.Type[], v: unknown) {
    if (this.pick()) return encoded(t, v);
    return parts.map((p, i) => this.splice(p, (v as unknown[])[i]));
  }
  override visitVariant(t: IDL.VariantClass, fields: Array<[string, IDL.Type]>, v: unknown) {
    if (this.pick()) return encoded(t, v);
    const [tag] = Object.keys(v as object);
    const type = fields.find(([name]) => name === tag)![1];
    return { [tag!]: this.splice(type, (v as Record<string, unknown>)[tag!]) };
  }
  override visitRec<T>(_t: IDL.RecClass<T>, inner: IDL.ConstructType<T>, v: unknown) {
    return this.splice(inner, v);
  }
}

/** Every text of a raw-decoded value, as found: Encoded or not. */
function texts(t: IDL.Type, v: unknown, found: unknown[] = []): unknown[] {
  class Collect extends IDL.Visitor<unknown, void> {
    override visitType(): void {}
    override visitText(_t: IDL.TextClass, x: unknown): void {
      found.push(x);
    }
    override visitVec<T>(_t: IDL.VecClass<T>, e: IDL.Type<T>, x: unknown): void {
      if (Array.isArray(x)) for (const y of x) e.accept(this, y);
    }
    override visitOpt<T>(_t: IDL.OptClass<T>, inner: IDL.Type<T>, x: unknown): void {
      for (const y of x as unknown[]) inner.accept(this, y);
    }
    override visitRecord(_t: IDL.RecordClass, fields: Array<[string, IDL.Type]>, x: unknown) {
      for (const [name, type] of fields) type.accept(this, (x as Record<string, unknown>)[name]);
    }
    override visitTuple<T extends unknown[]>(_t: IDL.TupleClass<T>, p: IDL.Type[], x: unknown) {
      p.forEach((c, i) => c.accept(this, (x as unknown[])[i]));
    }
    override visitVariant(_t: IDL.VariantClass, fields: Array<[string, IDL.Type]>, x: unknown) {
      for (const [name, type] of fields) {
        if (Object.prototype.hasOwnProperty.call(x, name)) {
          type.accept(this, (x as Record<string, unknown>)[name]);
        }
      }
    }
    override visitRec<T>(_t: IDL.RecClass<T>, inner: IDL.ConstructType<T>, x: unknown) {
      inner.accept(this, x);
    }
  }
  t.accept(new Collect(), v);
  return found;
}

describe.each(TYPES)('%s', (_name, type) => {
  const arb = arbitraryOf(type);

  it('generated code writes IDL.encode’s value bytes and reads them back', () => {
    fc.assert(
      fc.property(arb, (value) => {
        const bytes = encodeValue(type, value);
        expect(bytes).toEqual(referenceValue(type, value));
        expect(decodeValue(type, bytes)).toEqual(wellFormed(value));
      }),
      { numRuns: RUNS },
    );
  });

  it('Encoded parts spliced in give the same bytes as the plain values', () => {
    fc.assert(
      fc.property(arb, fc.array(fc.boolean(), { minLength: 1 }), fc.boolean(), (v, picks, nat) => {
        if (nat) setNativeCandidEncoder(fakeCandidEncode);
        else setNativeCandidEncoder(undefined);
        let k = 0;
        const spliced = new Splicer(() => picks[k++ % picks.length]!).splice(type, v);
        expect(encodeReply([type], [spliced])).toEqual(encodeReply([type], [v]));
        expect(encodeValue(type, spliced)).toEqual(encodeValue(type, v));
      }),
      { numRuns: RUNS },
    );
  });

  it('rawText decoding leaves texts Encoded, and re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(arb, (value) => {
        const bytes = encodeValue(type, value);
        const raw = decodeValue(type, bytes, { rawText: true });
        expect(encodeValue(type, raw)).toEqual(bytes);
        const plain = texts(type, wellFormed(value));
        const left = texts(type, raw);
        expect(left.length).toBe(plain.length);
        left.forEach((e, i) => {
          expect(e).toBeInstanceOf(Encoded);
          expect(decodeValue(IDL.Text, (e as Encoded).bytes)).toBe(plain[i]);
        });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('Encoded', () => {
  it('encodedText is LEB128 length + UTF-8, with or without the native encoder', () => {
    fc.assert(
      fc.property(textArb, fc.boolean(), (text, nat) => {
        setNativeCandidEncoder(nat ? fakeCandidEncode : undefined);
        expect(encodedText(text).bytes).toEqual(
          new Uint8Array(IDL.encode([IDL.Text], [text])).subarray(7),
        );
      }),
    );
  });

  it('a whole page of cached items is the same message as the items themselves', () => {
    const page = CONTRACT.listProposals!.rets;
    const fields = (page[0] as IDL.RecordClass)._fields;
    const Summary = fields.find(([name]) => name === 'proposals')![1] as IDL.VecClass<unknown>;
    fc.assert(
      fc.property(arbitraryOf(page[0]!), (value) => {
        const v = value as { proposals: unknown[]; nextCursor: unknown };
        const cached = { ...v, proposals: v.proposals.map((s) => encoded(Summary._type, s)) };
        expect(encodeReply(page, [cached])).toEqual(encodeReply(page, [v]));
      }),
      { numRuns: RUNS },
    );
  });

  it('is refused where its type has no Encoded form, and plain values are still checked', () => {
    expect(() => encodeValue(IDL.Nat32, encodedText('x'))).toThrow(CandidError);
    expect(() => encodeValue(IDL.Text, 5)).toThrow(CandidError);
    expect(() => encodeValue(IDL.Variant({ A: IDL.Null }), { B: null })).toThrow(CandidError);
  });
});

describe('generated source', () => {
  it('field names that are not identifiers are quoted, and still match IDL.encode', () => {
    const Odd = IDL.Record({
      'a"b': IDL.Nat32,
      'c\\d': IDL.Text,
      'x\u2028y': IDL.Bool,
      '1st': IDL.Nat8,
      __proto__: IDL.Opt(IDL.Text),
      'end}; throw 1; {': IDL.Variant({ 'a b': IDL.Null, bytes: IDL.Nat16, "'": IDL.Text }),
    });
    const source = generatedSource(Odd);
    // The name only ever appears inside a string literal (were it pasted raw, encoding below
    // would throw 1 instead of producing bytes).
    expect(source).toContain(JSON.stringify('end}; throw 1; {'));
    fc.assert(
      fc.property(arbitraryOf(Odd), (value) => {
        const bytes = encodeValue(Odd, value);
        expect(bytes).toEqual(referenceValue(Odd, value));
        const back = decodeValue(Odd, bytes) as Record<string, unknown>;
        expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
        expect(back).toEqual(wellFormed(value));
      }),
      { numRuns: 50 },
    );
  });

  it('big types call into functions of their own; small records are inline', () => {
    const roadmap = CONTRACT.getRoadmap!.rets[0]!;
    expect(generatedSource(roadmap)).toMatch(/d0\.encode\(w, /);
    const page = CONTRACT.listProposals!.rets[0]!;
    expect(generatedSource(page)).not.toMatch(/\bd\d+\./);
  });
});

describe('short argument lists (fallback)', () => {
  const types = [IDL.Nat32, IDL.Opt(IDL.Text), IDL.Opt(IDL.Nat32)];

  it('missing trailing opt arguments read as []', () => {
    const one = new Uint8Array(IDL.encode([IDL.Nat32], [5]));
    expect(decodeArgs(types, one)).toEqual([5, [], []]);
    const two = new Uint8Array(IDL.encode([IDL.Nat32, IDL.Opt(IDL.Text)], [5, ['hi']]));
    expect(decodeArgs(types, two)).toEqual([5, ['hi'], []]);
  });

  it('a missing non-opt argument is still an error', () => {
    const none = new Uint8Array(IDL.encode([], []));
    expect(() => decodeArgs(types, none)).toThrow(CandidError);
    expect(() =>
      decodeArgs([IDL.Text, IDL.Nat32], new Uint8Array(IDL.encode([IDL.Text], ['a']))),
    ).toThrow(/^malformed candid: /);
  });
});
