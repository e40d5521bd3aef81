import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { decodeCursor, encodeCursor } from '../../../../src/backend/domain/cursor';
import { hotRank } from '../../../../src/backend/domain/proposal-index';

describe('cursors', () => {
  it('cursors round-trip and reject foreign or malformed text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '/', '0', 'f', ':') }), (suffix) => {
        const key = `N/all/${suffix}`;
        expect(decodeCursor(encodeCursor(key), 'N/all/')).toBe(key);
      }),
    );
    expect(decodeCursor(encodeCursor('T/all/00'), 'N/all/')).toBeUndefined();
    expect(decodeCursor('not hex!', '')).toBeUndefined();
    expect(decodeCursor('abc', '')).toBeUndefined();
  });
});

describe('hotRank', () => {
  const day = 86_400_000_000_000n;
  it('ranks a newer proposal above an older one with the same score', () => {
    expect(hotRank(5, 1, 10n * day)).toBeGreaterThan(hotRank(5, 1, 9n * day));
  });

  it('ranks more net support higher at the same age and never depends on the clock', () => {
    expect(hotRank(100, 0, day)).toBeGreaterThan(hotRank(10, 0, day));
    expect(hotRank(0, 10, day)).toBeLessThan(hotRank(0, 0, day));
    expect(hotRank(3, 0, day)).toBe(hotRank(3, 0, day));
  });

  it('lets ten times the score make up for 12.5 hours', () => {
    const halfDay = 45_000_000_000_000n;
    expect(hotRank(100, 0, day)).toBe(hotRank(10, 0, day + halfDay));
  });
});
