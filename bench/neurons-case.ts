/**
 * What neuron links and the voting-power lens cost on a loaded board (issue: ICP-native
 * signals), measured on the metered replica after the other cases: the governance stand-in
 * answers the canister's calls as NNS governance would.
 *
 * - a list page before any vote weighs anything and after linked members voted on it, so the
 *   difference is what the lens adds to a page;
 * - linking a neuron (the request message and the callback that decides), for a member with a
 *   few votes and for one with a thousand, whose votes are re-weighed by follow-up messages:
 *   their instructions per vote re-weighed;
 * - a member's re-check of five neurons (the code path of the timer's batches), per neuron;
 * - linking a roadmap item to an NNS proposal (one get_proposal_info call), and one round of
 *   the timer that polls linked NNS proposals.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

import type { LocalReplica } from '../src/localnet/core/replica';
import {
  LocalnetCreateNeuron,
  LocalnetMakeProposal,
  LocalnetResult,
} from '../src/localnet/system/governance-candid';
import { NNS_GOVERNANCE_ID } from '../src/localnet/system/ids';
import { randomMember, type BackendClient } from './canister';
import type { Loader } from './load';
import { meterMessages } from './message-meter';

const ICP = 100_000_000n;
const YEAR = 31_557_600n;
/** Members who vote and then link a neuron, and how many proposals each votes on. */
const VOTERS = 20;
const VOTES_EACH = 10;
/** The member with many votes whose link is re-weighed by follow-up messages. */
const HEAVY_VOTES = 1_000;

type Outcome = { Ok: bigint } | { Err: string };

const page = (sort: object) => [
  { sort, status: [], themeId: [], tag: [], author: [], cursor: [], limit: 20, needsResponse: [] },
];

export async function meterNeurons(
  replica: LocalReplica,
  client: BackendClient,
  loader: Loader,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const meter = meterMessages(replica, client);
  const { total, followUps } = meter;
  const governance = async (method: string, type: IDL.Type, arg: unknown): Promise<bigint> => {
    const outcome = await replica.update(
      NNS_GOVERNANCE_ID,
      method,
      new Uint8Array(IDL.encode([type], [arg])),
      randomMember(),
    );
    if (outcome.kind !== 'replied') throw new Error(`${method}: ${outcome.rejectMessage}`);
    const [result] = IDL.decode([LocalnetResult], outcome.reply) as unknown as [Outcome];
    if ('Err' in result) throw new Error(`${method}: ${result.Err}`);
    return result.Ok;
  };
  const neuronFor = (member: Principal, stakeIcp = 100n): Promise<bigint> =>
    governance('localnet_create_neuron', LocalnetCreateNeuron, {
      controller: randomMember(),
      hot_keys: [member],
      public: true,
      stake_e8s: stakeIcp * ICP,
      dissolve_delay_seconds: YEAR,
    });

  const proposals = loader.counts.proposals;
  const votable = (i: number): bigint => BigInt(1 + (i % proposals));
  /** Up-votes on `count` proposals from `start` (closed and hidden ones refuse: skipped). */
  const voteOn = async (member: Principal, start: number, count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      const id = votable(start + i);
      if (loader.mayBeHidden.has(id)) continue;
      await client.call('voteProposal', [id, [{ Up: null }]], member);
    }
  };

  // The newest proposals are the first page of "New": voters vote on them.
  const voters = Array.from({ length: VOTERS }, () => randomMember());
  for (const [i, voter] of voters.entries())
    await voteOn(voter, proposals - VOTES_EACH - i, VOTES_EACH);
  const newest = page({ New: null });
  out.set(
    'listProposals New 20, no linked voters',
    Number((await client.call('listProposals', newest, voters[0]!)).instructions),
  );

  const links: number[] = [];
  for (const voter of voters) {
    const neuronId = await neuronFor(voter);
    links.push(await total(async () => void (await client.ok('linkNeuron', [neuronId], voter))));
  }
  await followUps(meter.position());
  links.sort((a, b) => a - b);
  out.set(
    `linkNeuron, a member with ${VOTES_EACH} votes (request and callback)`,
    links[links.length >> 1]!,
  );
  out.set(
    'listProposals New 20, every proposal weighed by linked voters',
    Number((await client.call('listProposals', newest, voters[0]!)).instructions),
  );
  out.set(
    'listProposals VotingPower 20',
    Number(
      (await client.call('listProposals', page({ VotingPower: null }), voters[0]!)).instructions,
    ),
  );
  out.set(
    'voteProposal by a member with a linked neuron',
    Number(
      (await client.call('voteProposal', [votable(proposals - 40), [{ Up: null }]], voters[0]!))
        .instructions,
    ),
  );

  const heavy = randomMember();
  await voteOn(heavy, 0, HEAVY_VOTES);
  const heavyNeuron = await neuronFor(heavy, 1_000n);
  const heavyFrom = meter.position();
  out.set(
    `linkNeuron, a member with ${HEAVY_VOTES} votes (request and callback)`,
    await total(async () => void (await client.ok('linkNeuron', [heavyNeuron], heavy))),
  );
  const reweigh = await followUps(heavyFrom);
  out.set(`re-weighing ${HEAVY_VOTES} votes: follow-up messages`, reweigh.messages);
  out.set('re-weighing, per vote', Math.round(reweigh.instructions / HEAVY_VOTES));

  const owner = randomMember();
  // Linking and re-checking share the member's hourly limit of profile changes (10).
  for (let i = 0; i < 5; i++) await client.ok('linkNeuron', [await neuronFor(owner)], owner);
  await followUps(meter.position());
  out.set(
    'refreshMyNeurons, 5 neurons, per neuron',
    Math.round(
      (await total(async () => void (await client.ok('refreshMyNeurons', [], owner)))) / 5,
    ),
  );

  const items = loader.openItemIds.slice(0, 10);
  const nnsIds: bigint[] = [];
  for (const itemId of items) {
    const nnsId = await governance('localnet_make_proposal', LocalnetMakeProposal, {
      title: `Bench proposal for item ${itemId}`,
      summary: '',
      url: '',
      topic: [],
    });
    nnsIds.push(nnsId);
    const cost = await total(async () => {
      await client.ok(
        'linkNnsProposal',
        [{ target: { Item: itemId }, link: [{ proposalId: nnsId, deployOnExecution: false }] }],
        loader.admin,
      );
    });
    out.set('linkNnsProposal (request and callback)', cost);
  }
  // One round of the poll (every 10 s): its timer message and the callbacks of its calls.
  const from = meter.position();
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  await replica.idle();
  out.set(
    `NNS poll round, ${nnsIds.length} linked proposals (timer and callbacks)`,
    meter.since(from),
  );
  // Unlinked again, so that the poll does not run through the loading of the next size.
  for (const itemId of items) {
    await client.ok('linkNnsProposal', [{ target: { Item: itemId }, link: [] }], loader.admin);
  }
  meter.stop();
  return out;
}
