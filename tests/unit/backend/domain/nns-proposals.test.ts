import { describe, expect, it } from 'vitest';

import {
  factsFrom,
  NnsProposalLinks,
  type NnsLinkRecord,
  type NnsProposalFacts,
} from '../../../../src/backend/domain/nns-proposals';
import { MemoryRecordStore } from '../../../../src/backend/domain/storage/record-store';

function fresh() {
  const links = new MemoryRecordStore<NnsLinkRecord>();
  const facts = new MemoryRecordStore<NnsProposalFacts>();
  return { links, facts, nns: new NnsProposalLinks(links, facts) };
}

const info = (status: number) => ({
  status,
  topic: 4,
  title: 'Shared security through node shuffling',
  tally: { yes: 3n, no: 1n, total: 10n },
});

describe('roadmap items that follow NNS proposals', () => {
  it("reads governance's status codes and tally", () => {
    expect(factsFrom(info(4), 9n)).toEqual({
      status: 'Executed',
      title: 'Shared security through node shuffling',
      topic: 4,
      yes: 3n,
      no: 1n,
      total: 10n,
      fetchedAt: 9n,
    });
    expect(factsFrom({ ...info(42), tally: undefined }, 1n)).toMatchObject({
      status: 'Unknown',
      yes: 0n,
    });
  });

  it('deploys an item marked "deploy on execution" once, when its proposal executes', () => {
    const { nns } = fresh();
    nns.setLink('i3', { nnsProposalId: 130_000n, deployOnExecution: true });
    nns.setLink('i4', { nnsProposalId: 130_000n, deployOnExecution: false });
    nns.setLink('p9', { nnsProposalId: 130_000n, deployOnExecution: false });
    expect(nns.learn(130_000n, factsFrom(info(1), 1n))).toEqual([]);
    expect(nns.learn(130_000n, factsFrom(info(3), 2n))).toEqual([]);
    expect(nns.learn(130_000n, factsFrom(info(4), 3n))).toEqual([3n]);
    expect(nns.learn(130_000n, factsFrom(info(4), 4n))).toEqual([]);
    expect(nns.factsOf(130_000n)?.status).toBe('Executed');
  });

  it('polls linked proposals round robin until each reaches a final status', () => {
    const { nns } = fresh();
    for (const [target, id] of [
      ['i1', 30n],
      ['i2', 10n],
      ['p1', 20n],
    ] as const) {
      nns.setLink(target, { nnsProposalId: id, deployOnExecution: false });
    }
    expect(nns.nextToPoll(2)).toEqual([10n, 20n]);
    nns.learn(10n, factsFrom(info(2), 1n)); // rejected: never asked again
    expect(nns.nextToPoll(2)).toEqual([30n, 20n]);
    nns.learn(20n, factsFrom(info(5), 1n));
    nns.learn(30n, factsFrom(info(4), 1n));
    expect(nns.nextToPoll(2)).toEqual([]);
  });

  it('forgets a proposal no target links any more, and rebuilds the rest from its records', () => {
    const { links, facts, nns } = fresh();
    nns.setLink('i1', { nnsProposalId: 5n, deployOnExecution: true });
    nns.setLink('i2', { nnsProposalId: 6n, deployOnExecution: true });
    nns.learn(6n, factsFrom(info(1), 1n));
    nns.setLink('i1', undefined);
    expect(nns.linkOf('i1')).toBeUndefined();
    expect(nns.nextToPoll(5)).toEqual([6n]);
    const again = new NnsProposalLinks(links, facts);
    again.rebuild();
    expect(again.nextToPoll(5)).toEqual([6n]);
    expect(again.learn(6n, factsFrom(info(4), 2n))).toEqual([2n]);
  });
});
