import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  BTreeIndex,
  type BTreeMeta,
  type BTreeNode,
  type PageStore,
} from '../../../../../src/backend/domain/storage/btree';
import { MemoryStore } from '../../../../../src/backend/domain/storage/memory-store';

class MapPages implements PageStore {
  readonly pages = new Map<number, BTreeNode>();
  meta: BTreeMeta | undefined;
  reads = 0;
  readMeta() {
    return this.meta === undefined ? undefined : { ...this.meta };
  }
  writeMeta(meta: BTreeMeta) {
    this.meta = { ...meta };
  }
  read(page: number) {
    this.reads++;
    const node = this.pages.get(page);
    return node === undefined ? undefined : (JSON.parse(JSON.stringify(node)) as BTreeNode);
  }
  write(page: number, node: BTreeNode) {
    this.pages.set(page, JSON.parse(JSON.stringify(node)) as BTreeNode);
  }
  remove(page: number) {
    this.pages.delete(page);
  }
}

const keyArb = fc.stringMatching(/^[a-c]{0,2}[0-9a-f]{1,3}$/);
const opArb = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), key: keyArb }),
  fc.record({ op: fc.constant('delete' as const), key: keyArb }),
);

describe('BTreeIndex', () => {
  it('scans like a sorted list after any sequence of inserts and deletes', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 1500 }),
        fc.array(
          fc.tuple(
            fc.stringMatching(/^[a-c]{0,1}$/),
            fc.option(keyArb),
            fc.integer({ min: 1, max: 80 }),
          ),
          {
            maxLength: 10,
          },
        ),
        (ops, scans) => {
          const tree = new BTreeIndex(new MapPages());
          const model = new MemoryStore<null>();
          for (const { op, key } of ops) {
            if (op === 'insert') {
              tree.insert(key);
              model.set(key, null);
            } else {
              tree.delete(key);
              model.delete(key);
            }
          }
          expect(tree.scan('', undefined, 100_000)).toEqual(
            model.scan('', undefined, 100_000).map(([key]) => key),
          );
          for (const [prefix, after, limit] of scans) {
            expect(tree.scan(prefix, after ?? undefined, limit)).toEqual(
              model.scan(prefix, after ?? undefined, limit).map(([key]) => key),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads a number of pages that depends on the page size, not on the number of keys', () => {
    const pages = new MapPages();
    const tree = new BTreeIndex(pages);
    for (let i = 0; i < 20_000; i++) tree.insert(`k${i.toString(16).padStart(8, '0')}`);
    pages.reads = 0;
    const page = tree.scan('k', 'k00002000', 20);
    expect(page).toHaveLength(20);
    expect(page[0]).toBe('k00002001');
    // a seek from the root (depth 4 at 20k keys) plus the next leaf or two
    expect(pages.reads).toBeLessThanOrEqual(8);
  });

  it('frees the pages of emptied leaves so the tree shrinks back', () => {
    const pages = new MapPages();
    const tree = new BTreeIndex(pages);
    for (let i = 0; i < 5000; i++) tree.insert(`k${i.toString().padStart(5, '0')}`);
    for (let i = 0; i < 5000; i++) tree.delete(`k${i.toString().padStart(5, '0')}`);
    expect(tree.scan('', undefined, 10)).toEqual([]);
    expect(pages.pages.size).toBe(1);
  });
});
