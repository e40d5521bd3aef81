import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { CandidError, Reader, Writer } from '../../../../src/backend/codec';

describe('Writer', () => {
  it('keeps every number when the buffer grows in the middle of a write', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 2 ** 32 - 1 }),
            fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
          ),
          { maxLength: 30 },
        ),
        fc.integer({ min: 1, max: 9 }),
        (pairs, capacity) => {
          const w = new Writer(capacity, undefined);
          for (const [a, b] of pairs) {
            w.byte(7);
            w.u32(a);
            w.u64(b);
            w.f64(a / 3);
          }
          const r = new Reader(w.finish());
          for (const [a, b] of pairs) {
            expect(r.byte()).toBe(7);
            expect(r.u32()).toBe(a);
            expect(r.u64()).toBe(b);
            expect(r.f64()).toBe(a / 3);
          }
          expect(r.remaining).toBe(0);
        },
      ),
    );
  });

  it('writes LEB128 and SLEB128 that read back, small and large', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 100n }),
        fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }),
        (n, i) => {
          const w = new Writer(1, undefined);
          w.lebBig(n);
          w.slebBig(i);
          if (n <= BigInt(Number.MAX_SAFE_INTEGER)) w.leb(Number(n));
          const r = new Reader(w.finish());
          expect(r.lebBig()).toBe(n);
          expect(r.slebBig()).toBe(i);
          if (n <= BigInt(Number.MAX_SAFE_INTEGER)) expect(r.leb()).toBe(Number(n));
        },
      ),
    );
  });
});

describe('Reader', () => {
  it('throws a short CandidError past the end', () => {
    const r = new Reader(new Uint8Array([0x80]));
    expect(() => r.leb()).toThrow(new CandidError('malformed candid: unexpected end of message'));
    expect(() => new Reader(new Uint8Array(3)).u32()).toThrow(CandidError);
    expect(() => new Reader(new Uint8Array([5, 0x61])).text()).toThrow(CandidError);
  });

  it('refuses lengths that cannot be safe integers', () => {
    const huge = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(() => new Reader(huge).leb()).toThrow('malformed candid: number too large');
  });
});
