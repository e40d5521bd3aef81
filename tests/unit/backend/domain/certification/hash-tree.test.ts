import {
  Cbor,
  lookup_path,
  reconstruct as agentReconstruct,
  type HashTree as AgentTree,
} from '@dfinity/agent';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  encodeHashTree,
  reconstruct,
  type HashTree,
} from '../../../../../src/backend/domain/certification/hash-tree';
import { sha256 } from '../../../../../src/backend/domain/certification/sha256';

const bytes = (maxLength: number) => fc.uint8Array({ maxLength });

const tree: fc.Arbitrary<HashTree> = fc.letrec<{ tree: HashTree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<HashTree>([0]),
    fc.tuple(tie('tree'), tie('tree')).map(([l, r]): HashTree => [1, l, r]),
    fc.tuple(bytes(12), tie('tree')).map(([label, t]): HashTree => [2, label, t]),
    bytes(300).map((v): HashTree => [3, v]),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((h): HashTree => [4, h]),
  ),
})).tree;

describe('SHA-256 for the certification tree', () => {
  it('equals @noble/hashes on any input, across block boundaries', () => {
    fc.assert(
      fc.property(bytes(300), (data) => {
        expect(sha256(data)).toEqual(nobleSha256(data));
      }),
      { numRuns: 300 },
    );
    for (let n = 0; n < 200; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(sha256(data)).toEqual(nobleSha256(data));
    }
  });
});

describe('hash trees in the IC specification format', () => {
  it('reconstructs the root hash as @dfinity/agent does', async () => {
    await fc.assert(
      fc.asyncProperty(tree, async (t) => {
        expect(reconstruct(t)).toEqual(new Uint8Array(await agentReconstruct(t as AgentTree)));
      }),
      { numRuns: 100 },
    );
  });

  it('encodes as CBOR that @dfinity/agent decodes to the same tree', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const encoded = encodeHashTree(t);
        expect([...encoded.slice(0, 3)]).toEqual([0xd9, 0xd9, 0xf7]);
        expect(normalize(Cbor.decode<AgentTree>(encoded))).toEqual(normalize(t));
      }),
      { numRuns: 100 },
    );
  });

  it('an encoded witness is looked up by path', () => {
    const t: HashTree = [
      1,
      [2, bytes_('a'), [3, bytes_('one')]],
      [2, bytes_('b'), [4, new Uint8Array(32)]],
    ];
    const decoded = Cbor.decode<AgentTree>(encodeHashTree(t));
    const found = lookup_path(['a'], decoded);
    expect(found).toMatchObject({ value: bytes_('one') });
  });
});

function bytes_(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Byte strings as plain arrays, so trees compare whatever buffer type they came in. */
function normalize(t: unknown): unknown {
  if (t instanceof Uint8Array) return [...t];
  if (Array.isArray(t)) return t.map(normalize);
  return t;
}
