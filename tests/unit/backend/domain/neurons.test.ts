import { describe, expect, it } from 'vitest';

import type { PrincipalId } from '../../../../src/backend/domain/model';
import {
  NeuronLinks,
  type LapseRecord,
  type NeuronFacts,
  type NeuronLinkRecord,
} from '../../../../src/backend/domain/neurons';
import { MemoryRecordStore } from '../../../../src/backend/domain/storage/record-store';

const alice = 'alice-principal' as PrincipalId;
const bob = 'bob-principal' as PrincipalId;
const ICP = 100_000_000n;

function facts(neuronId: bigint, over: Partial<NeuronFacts> = {}): NeuronFacts {
  return {
    neuronId,
    exists: true,
    full: { controller: 'some-controller' as PrincipalId, hotKeys: [alice] },
    votingPower: 10n * ICP,
    dissolveDelaySeconds: 31_557_600n,
    ...over,
  };
}

function fresh() {
  const store = new MemoryRecordStore<NeuronLinkRecord>();
  const lapses = new MemoryRecordStore<LapseRecord>();
  return { store, lapses, links: new NeuronLinks(store, lapses) };
}

describe('linking a neuron', () => {
  it('accepts a member who is a hot key of a public neuron and counts its voting power', () => {
    const { links } = fresh();
    const changed = links.claim(alice, facts(7n), 100n);
    expect(changed).toEqual({ Ok: [{ member: alice, before: 0n, after: 10n * ICP }] });
    expect(links.votingPower(alice)).toBe(10n * ICP);
    expect(links.linksOf(alice)).toMatchObject([{ neuronId: 7n, linkedAt: 100n, checkedAt: 100n }]);
  });

  it('accepts the controller as well as a hot key', () => {
    const { links } = fresh();
    const full = { controller: bob, hotKeys: [] };
    expect(links.claim(bob, facts(8n, { full }), 1n)).toHaveProperty('Ok');
  });

  it('refuses a private neuron, saying to make it public', () => {
    const { links } = fresh();
    const refused = links.claim(alice, facts(7n, { full: undefined }), 1n);
    expect(refused).toMatchObject({ Err: { Invalid: { field: 'neuronId' } } });
    expect(JSON.stringify(refused)).toContain('make it public');
    expect(links.votingPower(alice)).toBe(0n);
  });

  it('refuses a member who is not a hot key, saying what to add where', () => {
    const { links } = fresh();
    const refused = links.claim(bob, facts(7n), 1n);
    expect(refused).toHaveProperty('Err.Forbidden');
    expect(JSON.stringify(refused)).toContain(
      'neither the controller nor a hot key of neuron 7: in the NNS dapp add your Roadmap Commons principal',
    );
    expect(links.link(7n)).toBeUndefined();
  });

  it('refuses a neuron governance does not know', () => {
    const { links } = fresh();
    expect(links.claim(alice, facts(9n, { exists: false, full: undefined }), 1n)).toHaveProperty(
      'Err.NotFound',
    );
  });

  it('keeps a neuron with its member while both members control it', () => {
    const { links } = fresh();
    const both = { controller: bob, hotKeys: [alice] };
    links.claim(alice, facts(7n, { full: both }), 1n);
    expect(links.claim(bob, facts(7n, { full: both }), 2n)).toHaveProperty('Err.Conflict');
    expect(links.link(7n)?.member).toBe(alice);
  });

  it("moves a neuron whose member's hot key was removed to the member who now controls it", () => {
    const { links } = fresh();
    links.claim(alice, facts(7n), 1n);
    const changed = links.claim(bob, facts(7n, { full: { controller: bob, hotKeys: [] } }), 2n);
    expect(changed).toEqual({
      Ok: [
        { member: alice, before: 10n * ICP, after: 0n },
        { member: bob, before: 0n, after: 10n * ICP },
      ],
    });
    expect(links.votingPower(alice)).toBe(0n);
    expect(links.link(7n)?.member).toBe(bob);
  });

  it("sums a member's neurons once each, and linking the same neuron again counts it once", () => {
    const { links } = fresh();
    links.claim(alice, facts(7n), 1n);
    links.claim(alice, facts(8n, { votingPower: 5n * ICP }), 1n);
    expect(links.claim(alice, facts(7n), 2n)).toEqual({ Ok: [] });
    expect(links.votingPower(alice)).toBe(15n * ICP);
    expect(links.linksOf(alice).map((l) => l.neuronId)).toEqual([7n, 8n]);
  });

  it('unlinks only a neuron linked to the caller', () => {
    const { links } = fresh();
    links.claim(alice, facts(7n), 1n);
    expect(links.unlink(bob, 7n)).toHaveProperty('Err.NotFound');
    expect(links.unlink(alice, 7n)).toEqual({
      Ok: { member: alice, before: 10n * ICP, after: 0n },
    });
    expect(links.link(7n)).toBeUndefined();
  });
});

describe('re-checking links', () => {
  it('updates voting power and the check time', () => {
    const { links } = fresh();
    links.claim(alice, facts(7n), 1n);
    const outcome = links.refresh(facts(7n, { votingPower: 12n * ICP }), 50n);
    expect(outcome).toMatchObject({
      kind: 'kept',
      link: { checkedAt: 50n, linkedAt: 1n },
      change: { member: alice, before: 10n * ICP, after: 12n * ICP },
    });
    expect(links.votingPower(alice)).toBe(12n * ICP);
  });

  it('lapses a link whose hot key was removed, or whose neuron turned private', () => {
    const { links } = fresh();
    links.claim(alice, facts(7n), 1n);
    links.claim(alice, facts(8n), 1n);
    const gone = links.refresh(facts(7n, { full: { controller: bob, hotKeys: [] } }), 2n);
    expect(gone).toMatchObject({ kind: 'lapsed', member: alice });
    const hidden = links.refresh(facts(8n, { full: undefined }), 2n);
    expect(hidden).toMatchObject({ kind: 'lapsed', change: { before: 10n * ICP, after: 0n } });
    expect(links.linksOf(alice)).toEqual([]);
    expect(links.refresh(facts(7n), 3n)).toBeUndefined();
    expect(links.lapsesOf(alice)).toEqual([
      { neuronId: 7n, member: alice, at: 2n, reason: expect.stringContaining('nor a hot key') },
      { neuronId: 8n, member: alice, at: 2n, reason: expect.stringContaining('private') },
    ]);
  });

  it('keeps the notice of a lapse until the member links the neuron again or dismisses it', () => {
    const { links } = fresh();
    links.claim(alice, facts(7n), 1n);
    links.claim(alice, facts(8n), 1n);
    links.refresh(facts(7n, { full: undefined }), 2n);
    links.refresh(facts(8n, { full: undefined }), 2n);
    links.claim(alice, facts(7n), 3n);
    expect(links.lapsesOf(alice).map((l) => l.neuronId)).toEqual([8n]);
    expect(links.unlink(alice, 8n)).toEqual({ Ok: undefined });
    expect(links.lapsesOf(alice)).toEqual([]);
    expect(links.unlink(alice, 8n)).toHaveProperty('Err.NotFound');
  });

  it('visits every link once per round, in bounded batches', () => {
    const { links } = fresh();
    for (const id of [30n, 10n, 20n, 40n, 50n]) links.claim(alice, facts(id), 1n);
    expect(links.nextToRecheck(2)).toEqual([10n, 20n]);
    links.unlink(alice, 10n);
    expect(links.nextToRecheck(2)).toEqual([30n, 40n]);
    expect(links.nextToRecheck(2)).toEqual([50n, 20n]);
  });

  it('rebuilds the same state from its records', () => {
    const { store, lapses, links } = fresh();
    links.claim(alice, facts(7n), 1n);
    links.claim(bob, facts(8n, { full: { controller: bob, hotKeys: [] }, votingPower: 3n }), 1n);
    links.claim(alice, facts(9n), 1n);
    links.refresh(facts(9n, { full: undefined }), 2n);
    const again = new NeuronLinks(store, lapses);
    again.rebuild();
    expect(again.lapsesOf(alice).map((l) => l.neuronId)).toEqual([9n]);
    expect(again.votingPower(alice)).toBe(10n * ICP);
    expect(again.votingPower(bob)).toBe(3n);
    expect(again.nextToRecheck(5)).toEqual([7n, 8n]);
  });
});
