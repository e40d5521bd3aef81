import { describe, expect, it } from 'vitest';
import {
  maxAffordableVotes,
  previewCredits,
  voteCost,
} from '../../../src/frontend/src/api/priority';

describe('quadratic vote cost', () => {
  it('n votes cost n² credits', () => {
    expect([0, 1, 2, 3, 10].map(voteCost)).toEqual([0, 1, 4, 9, 100]);
  });

  it('previews cost and credits left, counting what the item already holds', () => {
    // 100 budget, 9 already spent on this item (3 votes), 91 left.
    expect(previewCredits(91, 3, 5)).toEqual({
      cost: 25,
      delta: 16,
      creditsLeftAfter: 75,
      affordable: true,
    });
    // Lowering votes returns credits.
    expect(previewCredits(91, 3, 1)).toMatchObject({ cost: 1, delta: -8, creditsLeftAfter: 99 });
  });

  it('refuses a change that would overspend', () => {
    expect(previewCredits(10, 0, 4)).toMatchObject({ affordable: false, creditsLeftAfter: -6 });
    expect(previewCredits(10, 0, 3).affordable).toBe(true);
  });

  it('the most affordable votes use credits left plus the current allocation', () => {
    expect(maxAffordableVotes(100, 0)).toBe(10);
    expect(maxAffordableVotes(91, 3)).toBe(10);
    expect(maxAffordableVotes(15, 0)).toBe(3);
    expect(maxAffordableVotes(0, 0)).toBe(0);
    for (let left = 0; left <= 120; left++) {
      for (let current = 0; current <= 5; current++) {
        const max = maxAffordableVotes(left, current);
        expect(previewCredits(left, current, max).affordable).toBe(true);
        expect(previewCredits(left, current, max + 1).affordable).toBe(false);
      }
    }
  });
});
