import { IDL } from '@dfinity/candid';
import { describe, expect, it } from 'vitest';

import { codecFor, Writer } from '../../../../src/backend/codec';

describe('Writer', () => {
  it('writes fixed-width numbers correctly when a write has to grow the buffer', () => {
    const type = IDL.Vec(IDL.Record({ a: IDL.Nat64, b: IDL.Nat32, c: IDL.Float64 }));
    const value = Array.from({ length: 50 }, (_, i) => ({ a: BigInt(i) << 40n, b: i, c: i / 3 }));
    const writer = new Writer(1);
    codecFor(type).encode(writer, value);
    const expected = IDL.encode([type], [value]);
    // The value part of the message is the tail after its header.
    const bytes = writer.finish();
    expect(bytes).toEqual(new Uint8Array(expected.slice(expected.length - bytes.length)));
  });
});
