import { describe, expect, it } from 'vitest';

import { SearchBacklog } from '../../../../src/backend/domain/search/search-backlog';

function drain(backlog: SearchBacklog): number[] {
  const taken: number[] = [];
  for (let id = backlog.take(); id !== undefined; id = backlog.take()) taken.push(id);
  return taken;
}

describe('SearchBacklog', () => {
  it('gives the ids writes added, then every id below the bound, newest first', () => {
    const backlog = new SearchBacklog();
    backlog.addEveryIdBelow(5);
    backlog.add(9);
    backlog.add(2);
    backlog.add(9);
    expect(backlog.size).toBe(2 + 4);
    expect(drain(backlog)).toEqual([9, 2, 4, 3, 2, 1]);
    expect(backlog.size).toBe(0);
    expect(backlog.take()).toBeUndefined();
  });

  it('keeps the higher bound, and an empty board has nothing due', () => {
    const backlog = new SearchBacklog();
    backlog.addEveryIdBelow(1);
    expect(backlog.size).toBe(0);
    backlog.addEveryIdBelow(4);
    backlog.addEveryIdBelow(2);
    expect(drain(backlog)).toEqual([3, 2, 1]);
  });
});
