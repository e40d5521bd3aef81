import { createHash } from 'node:crypto';
import {
  Cbor,
  LookupSubtreeStatus,
  lookup_subtree,
  reconstruct,
  type HashTree,
} from '@dfinity/agent';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  SKIP_CERTIFICATION_DATA,
  SKIP_CERTIFICATION_EXPRESSION,
  SKIP_CERTIFICATION_EXPR_PATH,
  SKIP_CERTIFICATION_SUBTREE,
  SKIP_CERTIFICATION_TREE,
  appOrigin,
  certifiedDataWith,
  skipCertificationTree,
  toBase64,
} from '../../../../src/backend/canister/http';
import { encodeHashTree } from '../../../../src/backend/domain/certification/hash-tree';

const sha256 = (bytes: Uint8Array | string) =>
  new Uint8Array(createHash('sha256').update(bytes).digest());
const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const text = (bytes: unknown) => Buffer.from(bytes as Uint8Array).toString('utf8');

describe('skipping certification of the HTTP pages, as the gateway checks it', () => {
  it('the tree says: no certification at any path, for exactly the expression the pages send', async () => {
    const tree = Cbor.decode<HashTree>(fromBase64(SKIP_CERTIFICATION_TREE));
    // labeled "http_expr" (labeled "<*>" (labeled sha256(expression) (leaf "")))
    expect(tree[0]).toBe(2);
    expect(text(tree[1])).toBe('http_expr');
    const wildcard = tree[2] as HashTree;
    expect(text(wildcard[1])).toBe('<*>');
    const expression = wildcard[2] as HashTree;
    expect(new Uint8Array(expression[1] as Uint8Array)).toEqual(
      sha256(SKIP_CERTIFICATION_EXPRESSION),
    );
    expect(expression[2]).toEqual([3, new Uint8Array(0)]);
    // Its root hash is what the canister certifies.
    expect(new Uint8Array(await reconstruct(tree))).toEqual(SKIP_CERTIFICATION_DATA);
    const path = Cbor.decode<Uint8Array[]>(fromBase64(SKIP_CERTIFICATION_EXPR_PATH));
    expect(path.map((segment) => (typeof segment === 'string' ? segment : text(segment)))).toEqual([
      'http_expr',
      '<*>',
    ]);
  });

  it('is the same tree as a value, to build the certified tree around it', () => {
    expect(toBase64(encodeHashTree(SKIP_CERTIFICATION_SUBTREE))).toBe(SKIP_CERTIFICATION_TREE);
    expect(certifiedDataWith(undefined)).toEqual(SKIP_CERTIFICATION_DATA);
  });

  it('beside the certified tallies, the header tree still proves the skip and hashes to the certified data', async () => {
    const talliesRoot = sha256('any tallies');
    const tree = Cbor.decode<HashTree>(fromBase64(skipCertificationTree(talliesRoot)));
    expect(new Uint8Array(await reconstruct(tree))).toEqual(certifiedDataWith(talliesRoot));
    const path = Cbor.decode<Uint8Array[]>(fromBase64(SKIP_CERTIFICATION_EXPR_PATH));
    const found = lookup_subtree(path, tree);
    expect(found.status).toBe(LookupSubtreeStatus.Found);
    // The tallies are there, pruned: a gateway learns nothing of them and needs nothing.
    expect(lookup_subtree(['tallies'], tree)).toMatchObject({ value: [4, talliesRoot] });
  });

  it('base64 as everyone writes it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      }),
    );
  });
});

describe('where the app is, from the host a shared link came to', () => {
  const self = 'bkyz2-fmaaa-aaaaa-qaaaq-cai';
  const app = 'bd3sg-teaaa-aaaaa-qaaba-cai';
  it('swaps this canister for the app on the same domain', () => {
    expect(appOrigin(`${self}.icp0.io`, self, app)).toBe(`https://${app}.icp0.io`);
    expect(appOrigin(`${self}.raw.icp0.io`, self, app)).toBe(`https://${app}.icp0.io`);
    expect(appOrigin(`${self}.localhost:4943`, self, app)).toBe(`http://${app}.localhost:4943`);
    expect(appOrigin(`${self.toUpperCase()}.IC0.APP`, self, app)).toBe(`https://${app}.ic0.app`);
  });

  it('knows nothing on another host or without the app canister', () => {
    expect(appOrigin('roadmap.example.org', self, app)).toBeUndefined();
    expect(appOrigin(`${self}.icp0.io`, self, undefined)).toBeUndefined();
    expect(appOrigin(undefined, self, app)).toBeUndefined();
    expect(appOrigin(self, self, app)).toBeUndefined();
    expect(appOrigin(`${self}.icp0.io:x`, self, app)).toBeUndefined();
  });
});
