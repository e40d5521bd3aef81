import { describe, expect, it } from 'vitest';

import { Commons } from '../../../../src/backend/domain/commons';
import type { PrincipalId } from '../../../../src/backend/domain/model';
import type { NeuronFacts } from '../../../../src/backend/domain/neurons';
import { INLINE_REWEIGH, NNS_GOVERNANCE } from '../../../../src/backend/domain/nns';
import type { ProposalInfoLike } from '../../../../src/backend/domain/nns-proposals';
import {
  ADMIN,
  ALICE,
  BOB,
  CAROL,
  expectRejected,
  proposalInput,
  seedRoadmap,
  setup,
  unwrap,
} from '../support';

const ICP = 100_000_000n;

/** Governance's answer for a public neuron whose hot keys are `hotKeys`. */
function neuron(neuronId: bigint, hotKeys: PrincipalId[], votingPower = 10n * ICP): NeuronFacts {
  return {
    neuronId,
    exists: true,
    full: { controller: CAROL, hotKeys },
    votingPower,
    dissolveDelaySeconds: 31_557_600n,
  };
}

const executed: ProposalInfoLike = {
  status: 4,
  topic: 4,
  title: 'Shuffle nodes',
  tally: { yes: 9n, no: 1n, total: 10n },
};
const open: ProposalInfoLike = { ...executed, status: 1 };

describe('linking neurons', () => {
  it('links a neuron the member is a hot key of, and shows its power on their profile', () => {
    const app = setup();
    unwrap(app.commons.setProfile(app.as(ALICE), { displayName: 'Alice', bio: '' }));
    const link = unwrap(app.commons.linkNeuron(app.as(ALICE), neuron(7n, [ALICE])));
    expect(link).toMatchObject({ neuronId: 7n, votingPower: 10n * ICP, member: ALICE });
    expect(app.commons.getMyNeurons(app.as(ALICE))).toEqual({
      links: [
        {
          neuronId: 7n,
          votingPower: 10n * ICP,
          dissolveDelaySeconds: 31_557_600n,
          linkedAt: app.now(),
          checkedAt: app.now(),
        },
      ],
      votingPower: 10n * ICP,
      lapsed: [],
    });
    expect(app.commons.getProfile(ALICE)[0]?.votingPower).toBe(10n * ICP);
  });

  it('refuses a private neuron and a neuron the member does not control, changing nothing', () => {
    const app = setup();
    const hidden: NeuronFacts = { ...neuron(7n, [ALICE]), full: undefined };
    expectRejected(app, () => app.commons.linkNeuron(app.as(ALICE), hidden), 'Invalid', 'neuronId');
    expectRejected(
      app,
      () => app.commons.linkNeuron(app.as(BOB), neuron(7n, [ALICE])),
      'Forbidden',
    );
    const missing: NeuronFacts = { ...neuron(8n, []), exists: false, full: undefined };
    expectRejected(app, () => app.commons.linkNeuron(app.as(ALICE), missing), 'NotFound');
    expect(app.commons.beforeLinkNeuron(app.anonymous(), 7n)).toEqual({
      Err: { NotAuthenticated: null },
    });
  });

  it('lapses a link on re-check once the hot key is gone, and tells the member why', () => {
    const app = setup();
    unwrap(app.commons.linkNeuron(app.as(ALICE), neuron(7n, [ALICE])));
    expect(unwrap(app.commons.beforeRefreshMyNeurons(app.as(ALICE)))).toEqual([7n]);
    const mine = unwrap(app.commons.refreshMyNeurons(app.as(ALICE), [neuron(7n, [])]));
    expect(mine.links).toEqual([]);
    expect(mine.votingPower).toBe(0n);
    expect(mine.lapsed).toEqual([
      {
        neuronId: 7n,
        at: app.now(),
        reason: expect.stringContaining('add your Roadmap Commons principal'),
      },
    ]);
  });
});

describe('the voting-power lens', () => {
  it('weighs up- and down-votes by the voters’ linked power, and follows vote changes', () => {
    const app = setup();
    unwrap(app.commons.linkNeuron(app.as(ALICE), neuron(7n, [ALICE], 30n * ICP)));
    unwrap(app.commons.linkNeuron(app.as(BOB), neuron(8n, [BOB], 5n * ICP)));
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    const detail = () => app.commons.getProposal(app.as(CAROL), id)[0]!.proposal;
    expect(detail()).toMatchObject({ up: 1, upPower: 30n * ICP, downPower: 0n });
    unwrap(app.commons.voteProposal(app.as(BOB), id, [{ Down: null }]));
    expect(detail()).toMatchObject({ down: 1, upPower: 30n * ICP, downPower: 5n * ICP });
    unwrap(app.commons.voteProposal(app.as(BOB), id, [{ Up: null }]));
    expect(detail()).toMatchObject({ up: 2, upPower: 35n * ICP, downPower: 0n });
    unwrap(app.commons.voteProposal(app.as(CAROL), id, [{ Up: null }])); // no neuron
    unwrap(app.commons.voteProposal(app.as(ALICE), id, []));
    expect(detail()).toMatchObject({ up: 2, upPower: 5n * ICP, downPower: 0n });
  });

  it('sorts by net voting power, however many members are behind a proposal', () => {
    const app = setup();
    unwrap(app.commons.linkNeuron(app.as(CAROL), neuron(9n, [CAROL], 100n * ICP)));
    const many = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    unwrap(app.commons.voteProposal(app.as(BOB), many.id, [{ Up: null }]));
    const weighty = unwrap(
      app.commons.submitProposal(app.as(CAROL), proposalInput({ title: 'Weighty idea' })),
    );
    const byPower = app.commons.listProposals(app.anonymous(), {
      needsResponse: [],
      sort: { VotingPower: null },
      status: [],
      themeId: [],
      tag: [],
      author: [],
      cursor: [],
      limit: 10,
    });
    expect(byPower.proposals.map((p) => p.id)).toEqual([weighty.id, many.id]);
    expect(byPower.proposals[0]).toMatchObject({ upPower: 100n * ICP, downPower: 0n });
  });

  it('weighs votes cast before the neuron was linked, and unweighs them when it is unlinked', () => {
    const app = setup();
    const items = seedRoadmap(app);
    const itemId = [...items.values()].at(-1)!;
    const { id } = unwrap(app.commons.submitProposal(app.as(BOB), proposalInput()));
    unwrap(app.commons.voteProposal(app.as(ALICE), id, [{ Up: null }]));
    unwrap(app.commons.setPriorityVotes(app.as(ALICE), itemId, 3));
    unwrap(app.commons.linkNeuron(app.as(ALICE), neuron(7n, [ALICE])));
    expect(app.commons.getProposal(app.anonymous(), id)[0]!.proposal.upPower).toBe(10n * ICP);
    expect(app.commons.getItem(app.anonymous(), itemId)[0]!.supporterPower).toBe(10n * ICP);
    expect(app.commons.getRoadmap().itemPower).toEqual([{ itemId, power: 10n * ICP }]);
    unwrap(app.commons.unlinkNeuron(app.as(ALICE), 7n));
    expect(app.commons.getProposal(app.anonymous(), id)[0]!.proposal.upPower).toBe(0n);
    expect(app.commons.getRoadmap().itemPower).toEqual([]);
  });

  it('re-weighs a member with many votes in bounded follow-up steps, and after an upgrade', () => {
    const app = setup();
    const ids: bigint[] = [];
    for (let i = 0; i < INLINE_REWEIGH * 3; i++) {
      const { id } = unwrap(
        app.commons.submitProposal(app.as(ADMIN), proposalInput({ title: `Idea number ${i}` })),
      );
      unwrap(app.commons.voteProposal(app.as(ALICE), id, [{ Up: null }]));
      ids.push(id);
    }
    unwrap(app.commons.linkNeuron(app.as(ALICE), neuron(7n, [ALICE])));
    const power = (commons: Commons) =>
      ids.map((id) => commons.getProposal(app.anonymous(), id)[0]!.proposal.upPower);
    expect(power(app.commons).filter((p) => p > 0n)).toHaveLength(INLINE_REWEIGH);
    expect(app.commons.pendingReweighs()).toBe(1);
    // An upgrade in between: the job is in stable records and carries on.
    const upgraded = new Commons(app.stores);
    let steps = 0;
    expect(upgraded.runReweighs(() => steps++ > 0)).toBe(0);
    expect(power(upgraded).every((p) => p === 10n * ICP)).toBe(true);
  });
});

describe('items that follow NNS proposals', () => {
  it('deploys an item marked "deploy on execution" when governance reports it executed', () => {
    const app = setup();
    const items = seedRoadmap(app);
    const itemId = [...items.values()].at(-1)!;
    unwrap(app.commons.setPriorityVotes(app.as(ALICE), itemId, 4));
    const input = {
      target: { Item: itemId },
      link: [{ proposalId: 42n, deployOnExecution: true }] as [
        { proposalId: bigint; deployOnExecution: boolean },
      ],
    };
    const [link] = unwrap(app.commons.linkNnsProposal(app.as(ADMIN), input, open));
    expect(link).toMatchObject({ proposalId: 42n, info: [{ status: { Open: null } }] });
    expect(app.commons.nnsProposalsToPoll(10)).toEqual([42n]);
    app.commons.learnNnsProposal(42n, executed, app.now());
    const detail = app.commons.getItem(app.anonymous(), itemId)[0]!;
    expect(detail.item.status).toEqual({ Deployed: null });
    expect(detail.nns[0]?.info[0]?.status).toEqual({ Executed: null });
    expect(app.commons.getMyPriorities(app.as(ALICE)).spent).toBe(0);
    const logged = app.commons.getActivity([], 1).entries[0]!;
    expect(logged).toMatchObject({
      actor: NNS_GOVERNANCE,
      kind: { ItemDeployedByNns: { itemId, nnsProposalId: 42n } },
    });
    expect(app.commons.nnsProposalsToPoll(10)).toEqual([]); // final: never asked again
  });

  it('is for admins, and refuses an NNS proposal governance does not know', () => {
    const app = setup();
    const items = seedRoadmap(app);
    const itemId = [...items.values()].at(-1)!;
    const input = {
      target: { Item: itemId },
      link: [{ proposalId: 42n, deployOnExecution: false }] as [
        { proposalId: bigint; deployOnExecution: boolean },
      ],
    };
    expectRejected(app, () => app.commons.linkNnsProposal(app.as(ALICE), input, open), 'Forbidden');
    expectRejected(
      app,
      () => app.commons.linkNnsProposal(app.as(ADMIN), input, undefined),
      'NotFound',
    );
  });
});
