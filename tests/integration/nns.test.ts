/**
 * ICP-native signals through the compiled canister and localnet's NNS governance stand-in: the
 * canister asks governance itself (inter-canister calls) whether a member controls a neuron,
 * weighs votes by linked voting power, lets a link lapse once its hot key is removed, and
 * deploys a roadmap item when the NNS proposal it follows executes.
 */
import { Actor, type ActorSubclass, type Identity } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  LocalnetCreateNeuron,
  LocalnetMakeProposal,
  LocalnetResult,
  LocalnetSetProposalStatus,
  ManageNeuronRequest,
  ManageNeuronResponse,
} from '../../src/localnet/system/governance-candid';
import { NNS_GOVERNANCE_ID } from '../../src/localnet/system/ids';
import {
  ed25519,
  err,
  member,
  ok,
  ONE_ITEM_ROADMAP,
  startTestNet,
  type Backend,
  type Member,
  type TestNet,
} from './harness';

const ICP = 100_000_000n;
const YEAR = 31_557_600n;

type Outcome = { Ok: bigint } | { Err: string };
type Governance = ActorSubclass<{
  localnet_create_neuron(arg: unknown): Promise<Outcome>;
  localnet_make_proposal(arg: unknown): Promise<Outcome>;
  localnet_set_proposal_status(arg: unknown): Promise<Outcome>;
  manage_neuron(arg: unknown): Promise<{ command: [] | [Record<string, unknown>] }>;
}>;

const governanceIdl: IDL.InterfaceFactory = ({ IDL: I }) =>
  I.Service({
    localnet_create_neuron: I.Func([LocalnetCreateNeuron], [LocalnetResult], []),
    localnet_make_proposal: I.Func([LocalnetMakeProposal], [LocalnetResult], []),
    localnet_set_proposal_status: I.Func([LocalnetSetProposalStatus], [LocalnetResult], []),
    manage_neuron: I.Func([ManageNeuronRequest], [ManageNeuronResponse], []),
  });

let net: TestNet;
let admin: Backend;
let anonymous: Backend;
let alice: Member;
let bob: Member;
/** The controller of the test's neurons, as a person's NNS dapp identity would be. */
let controller: Identity;
let governance: Governance;

async function governanceAs(identity: Identity): Promise<Governance> {
  const { HttpAgent } = await import('@dfinity/agent');
  const agent = await HttpAgent.create({
    host: net.localnet.apiUrl,
    identity,
    shouldFetchRootKey: true,
  });
  return Actor.createActor(governanceIdl, { agent, canisterId: NNS_GOVERNANCE_ID }) as Governance;
}

function value(outcome: Outcome): bigint {
  if ('Err' in outcome) throw new Error(`governance stand-in refused: ${outcome.Err}`);
  return outcome.Ok;
}

async function neuron(hotKeys: Principal[], isPublic: boolean, stakeIcp = 100n): Promise<bigint> {
  return value(
    await governance.localnet_create_neuron({
      controller: controller.getPrincipal(),
      hot_keys: hotKeys,
      public: isPublic,
      stake_e8s: stakeIcp * ICP,
      dissolve_delay_seconds: YEAR,
    }),
  );
}

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 40_000;
  for (;;) {
    const current = await read();
    if (done(current)) return current;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 40 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The item the tests import (the board starts with the project's own roadmap). */
async function rotationItem(): Promise<bigint> {
  const roadmap = await anonymous.getRoadmap();
  const items = roadmap.themes.flatMap((t) => t.milestones.flatMap((m) => m.items));
  return items.find((item) => item.slug === 'subnet-rotation')!.id;
}

beforeAll(async () => {
  net = await startTestNet();
  admin = await net.actor(net.deployer);
  anonymous = await net.actor();
  alice = await member(net);
  bob = await member(net);
  controller = ed25519();
  governance = await governanceAs(controller);
}, 180_000);

afterAll(async () => {
  await net?.dispose();
});

let aliceNeuron: bigint;
let alicePower: bigint;
let proposalId: bigint;
let bobPower: bigint;

describe('linking a neuron', () => {
  it('links a public neuron the member is a hot key of, with the power governance reports', async () => {
    aliceNeuron = await neuron([alice.principal], true);
    const link = ok(await alice.actor.linkNeuron(aliceNeuron));
    expect(link.neuronId).toBe(aliceNeuron);
    alicePower = link.votingPower;
    expect(link.dissolveDelaySeconds).toBe(YEAR);
    // Stake × (1 + delay / 8 years), governance's own figure, not the browser's; the neuron's
    // age adds a little more for every second between its creation and the link.
    const base = (100n * ICP * 9n) / 8n;
    expect(link.votingPower >= base && link.votingPower < base + base / 10_000n).toBe(true);
    const mine = await alice.actor.getMyNeurons();
    expect(mine.votingPower).toBe(alicePower);
    expect(mine.links.map((l) => l.neuronId)).toEqual([aliceNeuron]);
  });

  it('refuses a private neuron, saying to make it public', async () => {
    const id = await neuron([bob.principal], false);
    const refused = err(await bob.actor.linkNeuron(id));
    expect(refused).toEqual({
      Invalid: { field: 'neuronId', reason: expect.stringContaining('make it public') },
    });
    expect((await bob.actor.getMyNeurons()).links).toEqual([]);
  });

  it('refuses a principal that is not a hot key, saying what to add', async () => {
    const refused = err(await bob.actor.linkNeuron(aliceNeuron));
    expect(refused).toEqual({
      Forbidden: expect.stringContaining('add your Roadmap Commons principal'),
    });
    expect((await alice.actor.getMyNeurons()).votingPower).toBe(alicePower);
  });

  it('refuses a neuron governance does not know', async () => {
    expect(err(await bob.actor.linkNeuron(987_654_321n))).toHaveProperty('NotFound');
  });
});

describe('the lens', () => {
  it('shows the voting power of up- and down-voters beside the raw tallies', async () => {
    const bobNeuron = await neuron([bob.principal], true, 40n);
    bobPower = ok(await bob.actor.linkNeuron(bobNeuron)).votingPower;
    proposalId = ok(
      await alice.actor.submitProposal({
        title: 'Shared security through node shuffling',
        body: 'Weighed by staked ICP.',
        tags: [],
        themeId: [],
      }),
    ).id;
    const read = async () => (await anonymous.getProposal(proposalId))[0]!.proposal;
    expect(await read()).toMatchObject({ up: 1, upPower: alicePower, downPower: 0n });
    ok(await bob.actor.voteProposal(proposalId, [{ Down: null }]));
    expect(await read()).toMatchObject({ down: 1, upPower: alicePower, downPower: bobPower });
    ok(await bob.actor.voteProposal(proposalId, [{ Up: null }]));
    expect(await read()).toMatchObject({ up: 2, upPower: alicePower + bobPower, downPower: 0n });
    const page = await anonymous.listProposals({
      needsResponse: [],
      sort: { VotingPower: null },
      status: [],
      themeId: [],
      tag: [],
      author: [],
      cursor: [],
      limit: 5,
    });
    expect(page.proposals[0]).toMatchObject({ id: proposalId, upPower: alicePower + bobPower });
  });

  it('drops a link whose hot key was removed, and its weight with it', async () => {
    const removed = await governance.manage_neuron({
      id: [{ id: aliceNeuron }],
      neuron_id_or_subaccount: [],
      command: [
        {
          Configure: {
            operation: [{ RemoveHotKey: { hot_key_to_remove: [alice.principal] } }],
          },
        },
      ],
    });
    expect(removed.command[0]).toHaveProperty('Configure');
    const mine = ok(await alice.actor.refreshMyNeurons());
    expect(mine.links).toEqual([]);
    expect(mine.lapsed).toEqual([
      { neuronId: aliceNeuron, at: expect.any(BigInt), reason: expect.stringContaining('hot key') },
    ]);
    // Alice's earlier up-vote now weighs nothing; Bob's still counts.
    const proposal = (await anonymous.getProposal(proposalId))[0]!.proposal;
    expect(proposal).toMatchObject({ up: 2, upPower: bobPower, downPower: 0n });
  });
});

describe('roadmap items that follow NNS proposals', () => {
  it('turns an item Deployed when its NNS proposal executes, returning credits', async () => {
    ok(await admin.importRoadmap(ONE_ITEM_ROADMAP));
    const itemId = await rotationItem();
    ok(await bob.actor.setPriorityVotes(itemId, 3));
    expect((await bob.actor.getMyPriorities()).spent).toBe(9);
    const nnsId = value(
      await governance.localnet_make_proposal({
        title: 'Enable subnet rotation',
        summary: '',
        url: '',
        topic: [],
      }),
    );
    const [link] = ok(
      await admin.linkNnsProposal({
        target: { Item: itemId },
        link: [{ proposalId: nnsId, deployOnExecution: true }],
      }),
    );
    expect(link).toMatchObject({
      proposalId: nnsId,
      deployOnExecution: true,
      info: [{ status: { Open: null }, title: 'Enable subnet rotation' }],
    });
    value(await governance.localnet_set_proposal_status({ id: nnsId, status: 3 }));
    value(await governance.localnet_set_proposal_status({ id: nnsId, status: 4 }));
    const detail = await until(
      async () => (await anonymous.getItem(itemId))[0]!,
      (d) => 'Deployed' in d.item.status,
      'the item turning Deployed',
    );
    expect(detail.nns[0]?.info[0]?.status).toEqual({ Executed: null });
    expect((await bob.actor.getMyPriorities()).spent).toBe(0);
    const entry = (await anonymous.getActivity([], 5)).entries.find(
      (e) => 'ItemDeployedByNns' in e.kind,
    );
    expect(entry?.actor.toText()).toBe(NNS_GOVERNANCE_ID.toText());
    expect(entry?.kind).toEqual({ ItemDeployedByNns: { itemId, nnsProposalId: nnsId } });
  });

  it('refuses an NNS proposal governance does not know, and non-admins', async () => {
    const itemId = await rotationItem();
    const input = {
      target: { Item: itemId },
      link: [{ proposalId: 55_555n, deployOnExecution: false }] as [
        { proposalId: bigint; deployOnExecution: boolean },
      ],
    };
    expect(err(await admin.linkNnsProposal(input))).toHaveProperty('NotFound');
    expect(err(await alice.actor.linkNnsProposal(input))).toHaveProperty('Forbidden');
  });
});
