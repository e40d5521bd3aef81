import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { BLOCK, SortedKeys } from '../../../../../src/backend/domain/storage/sorted-keys';

const key = fc.integer({ min: -100, max: 100 });
const op = fc.oneof(
  fc.tuple(fc.constantFrom('insert' as const, 'delete' as const), key),
  fc.tuple(fc.constant('replace' as const), key, key),
);

describe('SortedKeys', () => {
  it('behaves as a sorted set under any sequence of inserts, deletes and replacements', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(key, { maxLength: 40 }),
        fc.array(op, { maxLength: 200 }),
        (initial, ops) => {
          const keys = SortedKeys.from(initial);
          const model = new Set(initial);
          for (const [kind, value, to] of ops) {
            if (kind === 'insert') {
              keys.insert(value);
              model.add(value);
            } else if (kind === 'delete') {
              keys.delete(value);
              model.delete(value);
            } else {
              // A moved listing key: the same as deleting the old and inserting the new.
              keys.replace(value, to!);
              model.delete(value);
              model.add(to!);
            }
          }
          const sorted = [...model].sort((a, b) => a - b);
          expect(keys.size).toBe(sorted.length);
          expect(keys.range(undefined, Number.MAX_SAFE_INTEGER)).toEqual(sorted);
          for (const value of sorted.slice(0, 5)) expect(keys.has(value)).toBe(true);
        },
      ),
    );
  });

  it('pages strictly after a key, whether or not that key is still present', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(key, { maxLength: 60 }),
        key,
        fc.integer({ min: 1, max: 10 }),
        (values, after, limit) => {
          const keys = SortedKeys.from(values);
          const sorted = [...new Set(values)].sort((a, b) => a - b);
          expect(keys.range(after, limit)).toEqual(sorted.filter((v) => v > after).slice(0, limit));
        },
      ),
    );
  });

  it('stays a sorted set across many blocks: splits, emptied blocks, pages from anywhere', () => {
    const wide = fc.integer({ min: -5000, max: 5000 });
    fc.assert(
      fc.property(
        fc.uniqueArray(wide, { maxLength: 3 * BLOCK }),
        fc.array(
          fc.oneof(
            fc.tuple(fc.constantFrom('insert' as const, 'delete' as const), wide),
            fc.tuple(fc.constant('replace' as const), wide, wide),
            fc.tuple(fc.constant('insertRun' as const), wide, fc.integer({ min: 1, max: BLOCK })),
            fc.tuple(fc.constant('deleteRun' as const), wide, fc.integer({ min: 1, max: BLOCK })),
            // Newest first: each key below every other, as a new proposal's in listing New.
            fc.tuple(fc.constant('prependRun' as const), wide, fc.integer({ min: 1, max: BLOCK })),
          ),
          { maxLength: 30 },
        ),
        wide,
        fc.integer({ min: 1, max: BLOCK + 10 }),
        (initial, ops, probe, limit) => {
          const keys = SortedKeys.from(initial);
          const model = new Set(initial);
          for (const [kind, value, extra = 0] of ops) {
            if (kind === 'insert') {
              keys.insert(value);
              model.add(value);
            } else if (kind === 'delete') {
              keys.delete(value);
              model.delete(value);
            } else if (kind === 'replace') {
              keys.replace(value, extra);
              model.delete(value);
              model.add(extra);
            } else if (kind === 'prependRun') {
              const below = Math.min(value, ...model);
              for (let k = below - 1; k >= below - extra; k--) {
                keys.insert(k);
                model.add(k);
              }
            } else {
              // A run of neighbouring keys fills or empties whole blocks.
              for (let k = value; k < value + extra; k++) {
                if (kind === 'insertRun') {
                  keys.insert(k);
                  model.add(k);
                } else {
                  keys.delete(k);
                  model.delete(k);
                }
              }
            }
          }
          const sorted = [...model].sort((a, b) => a - b);
          expect(keys.size).toBe(sorted.length);
          expect(keys.range(undefined, Number.MAX_SAFE_INTEGER)).toEqual(sorted);
          expect(keys.range(probe, limit)).toEqual(sorted.filter((v) => v > probe).slice(0, limit));
          expect(keys.rangeBelow(probe, limit)).toEqual(
            sorted
              .filter((v) => v < probe)
              .reverse()
              .slice(0, limit),
          );
          expect(keys.rangeBelow(undefined, limit)).toEqual([...sorted].reverse().slice(0, limit));
          expect(keys.has(probe)).toBe(model.has(probe));
        },
      ),
      { numRuns: 200 },
    );
  });
});
