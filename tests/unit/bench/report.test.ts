import { describe, expect, it } from 'vitest';
import { growsWithData, growthOf, type LevelResult, type RunResult } from '../../../bench/report';

function level(proposals: number, median: number, items?: number): LevelResult {
  return {
    proposals,
    counts: {} as LevelResult['counts'],
    instructions: new Map([['listProposals rare', { median, max: median }]]),
    argumentBytes: new Map(),
    items: items === undefined ? undefined : new Map([['listProposals rare', items]]),
    latencyMs: new Map(),
    upgradeInstructions: 0,
    stableBytes: 0,
    heapBytes: 0,
  };
}

const run = (...levels: LevelResult[]) => ({ levels }) as unknown as RunResult;

describe('growth in the bench report', () => {
  it('flags a call whose cost grows with the data at the same page size', () => {
    const [g] = growthOf(run(level(1000, 4e6, 20), level(100000, 8e6, 20)));
    expect(g!.ratio).toBe(2);
    expect(growsWithData(g!)).toBe(true);
  });

  it('judges a page that was short at the small size per item returned', () => {
    const [fuller] = growthOf(run(level(1000, 4e6, 5), level(100000, 10e6, 20)));
    expect(fuller!.items).toEqual([5, 20]);
    expect(fuller!.perItemRatio).toBeCloseTo(0.625);
    expect(growsWithData(fuller!)).toBe(false);
    // …but not when each item got dearer too.
    const [dearer] = growthOf(run(level(1000, 1e6, 5), level(100000, 10e6, 20)));
    expect(growsWithData(dearer!)).toBe(true);
    // An empty page at the small size says nothing per item.
    const [empty] = growthOf(run(level(1000, 1e6, 0), level(100000, 10e6, 20)));
    expect(growsWithData(empty!)).toBe(true);
  });

  it('does not flag growth within 1.3×', () => {
    const [g] = growthOf(run(level(1000, 4e6), level(100000, 5.2e6)));
    expect(growsWithData(g!)).toBe(false);
  });
});
