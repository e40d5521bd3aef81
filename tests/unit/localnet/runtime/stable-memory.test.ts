/**
 * Stable memory's undo log (4 KiB blocks saved once per message, pages created by a message
 * dropped on rollback): after random writes a rollback must leave exactly what the last commit
 * left, and a commit must keep exactly what was written. The model is a plain byte array.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, StableMemory } from '../../../../src/localnet/runtime/stable-memory';

function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

const PAGES = 6;

function contents(memory: StableMemory): Uint8Array {
  const out = new Uint8Array(PAGES * PAGE_SIZE);
  memory.read(0, out);
  return out;
}

describe('stable memory transactions', () => {
  it('rolls back exactly and commits exactly after random writes of every size', () => {
    const r = rng(424242);
    const memory = new StableMemory();
    memory.grow(PAGES);
    let model = new Uint8Array(PAGES * PAGE_SIZE);
    for (let message = 0; message < 400; message++) {
      memory.begin();
      const working = model.slice();
      for (let i = 0, n = 1 + r(10); i < n; i++) {
        // Small writes near block and page edges, and now and then one across pages.
        const size = r(4) === 0 ? 1 + r(3 * PAGE_SIZE) : 1 + r(64);
        const offset =
          r(3) === 0 ? Math.max(0, (1 + r(PAGES * 16 - 1)) * 4096 - r(8)) : r(PAGES * PAGE_SIZE);
        const length = Math.min(size, PAGES * PAGE_SIZE - offset);
        const source = new Uint8Array(length + 7).map(() => 1 + r(255));
        memory.writeFrom(offset, source, 7, length);
        working.set(source.subarray(7), offset);
        if (r(5) === 0) {
          const at = r(PAGES * PAGE_SIZE - 100);
          const target = new Uint8Array(120);
          memory.readInto(at, target, 10, 100);
          expect(Buffer.from(target.subarray(10, 110)).equals(working.subarray(at, at + 100))).toBe(
            true,
          );
        }
      }
      if (r(2) === 0) {
        memory.commit();
        model = working;
      } else {
        memory.rollback();
      }
      expect(
        Buffer.compare(Buffer.from(contents(memory)), Buffer.from(model)),
        `message ${message}`,
      ).toBe(0);
    }
  });

  it('drops pages a rolled-back message created and journals only committed writes', () => {
    const memory = new StableMemory();
    memory.grow(4);
    memory.begin();
    memory.write(PAGE_SIZE + 10, new Uint8Array([1, 2, 3]));
    memory.commit();
    memory.begin();
    memory.write(3 * PAGE_SIZE, new Uint8Array([9]));
    memory.write(PAGE_SIZE + 11, new Uint8Array([7]));
    memory.rollback();
    expect(memory.residentBytes).toBe(PAGE_SIZE);
    const changes = memory.takeChanges();
    expect(changes.ranges.map(([offset, data]) => [offset, [...data]])).toEqual([
      [PAGE_SIZE + 10, [1, 2, 3]],
    ]);
  });
});
