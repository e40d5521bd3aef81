/**
 * ICP-native signals (issue 13): a member links an NNS neuron on their profile (a hot key and a
 * public neuron, checked by the canister with localnet's NNS governance stand-in) and the
 * proposals they support show their voting power beside the raw tally; refused neurons are
 * explained. A maintainer links a roadmap item to an NNS proposal that deploys it, and once
 * governance executes that proposal the item turns Deployed by itself. At 1,280 and 360 px,
 * with axe clean.
 */
import { Actor, HttpAgent } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { Principal } from '@dfinity/principal';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  LocalnetCreateNeuron,
  LocalnetMakeProposal,
  LocalnetResult,
  LocalnetSetProposalStatus,
} from '../../src/localnet/system/governance-candid';
import { NNS_GOVERNANCE_ID } from '../../src/localnet/system/ids';
import { expectUsable, go, journey, screenshot, settled, signIn } from './browser';

const appUrl = inject('appUrl');
const { run, people, person, member } = journey(appUrl);
const WIDTHS = [1280, 360] as const;

/** NNS governance's year; a neuron needs six months of dissolve delay to vote. */
const ONE_YEAR_SECONDS = 31_557_600n;
const E8S_PER_ICP = 100_000_000n;
/** Executed and adopted, as governance's ProposalStatus numbers them. */
const ADOPTED = 3;
const EXECUTED = 4;

type Outcome = { Ok: bigint } | { Err: string };
interface GovernanceDev {
  localnet_create_neuron(args: {
    controller: Principal;
    hot_keys: Principal[];
    public: boolean;
    stake_e8s: bigint;
    dissolve_delay_seconds: bigint;
  }): Promise<Outcome>;
  localnet_make_proposal(args: {
    title: string;
    summary: string;
    url: string;
    topic: [] | [number];
  }): Promise<Outcome>;
  localnet_set_proposal_status(args: { id: bigint; status: number }): Promise<Outcome>;
}

let governance: GovernanceDev;

beforeAll(async () => {
  // The stand-in's dev methods take calls from any identity, over localnet's HTTP interface.
  const host = `http://127.0.0.1:${new URL(appUrl).port}`;
  const agent = await HttpAgent.create({
    host,
    identity: Ed25519KeyIdentity.generate(),
    shouldFetchRootKey: true,
  });
  const idlFactory: IDL.InterfaceFactory = ({ IDL: I }) =>
    I.Service({
      localnet_create_neuron: I.Func([LocalnetCreateNeuron], [LocalnetResult], []),
      localnet_make_proposal: I.Func([LocalnetMakeProposal], [LocalnetResult], []),
      localnet_set_proposal_status: I.Func([LocalnetSetProposalStatus], [LocalnetResult], []),
    });
  governance = Actor.createActor<GovernanceDev>(idlFactory, {
    agent,
    canisterId: NNS_GOVERNANCE_ID,
  });
});

function ok(outcome: Outcome, what: string): bigint {
  if ('Err' in outcome) throw new Error(`${what}: ${outcome.Err}`);
  return outcome.Ok;
}

async function createNeuron(hotKeys: string[], isPublic: boolean): Promise<string> {
  const id = ok(
    await governance.localnet_create_neuron({
      // Someone else controls it: the member reaches it through the hot key only.
      controller: Ed25519KeyIdentity.generate().getPrincipal(),
      hot_keys: hotKeys.map((p) => Principal.fromText(p)),
      public: isPublic,
      stake_e8s: 100n * E8S_PER_ICP,
      dissolve_delay_seconds: ONE_YEAR_SECONDS,
    }),
    'localnet_create_neuron',
  );
  return id.toString();
}

async function setStatus(id: string, status: number): Promise<void> {
  ok(
    await governance.localnet_set_proposal_status({ id: BigInt(id), status }),
    'localnet_set_proposal_status',
  );
}

async function linkNeuron(page: Page, neuronId: string): Promise<void> {
  await page.getByLabel('Neuron id', { exact: true }).fill(neuronId);
  await page.getByRole('button', { name: 'Link neuron' }).click();
}

for (const width of WIDTHS) {
  describe(`at ${width} px`, () => {
    const tag = `${run}${width}`;

    it('links a neuron on the profile and sees its voting power beside a supported proposal', async () => {
      const { page, consoleErrors } = await member('neuron', width);
      await page.locator('.account-name').click();
      await page.getByLabel('Display name', { exact: true }).fill(`Neuron holder ${tag}`);
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByRole('heading', { name: `Neuron holder ${tag}`, level: 1 }).waitFor();

      // The principal to add as a hot key is on the profile, with the steps.
      const principal = (await page.locator('.profile-head .principal code').textContent()) ?? '';
      expect(principal).toBe(new URL(page.url()).pathname.split('/').pop());
      const neurons = page.getByRole('region', { name: 'Neurons' });
      expect(await neurons.locator('.steps code').textContent()).toBe(principal);

      // Refusals say what to do in the NNS dapp.
      const privateNeuron = await createNeuron([principal], false);
      await linkNeuron(page, privateNeuron);
      await neurons
        .locator('.field-error', { hasText: `Neuron ${privateNeuron} is private` })
        .waitFor();
      const strangersNeuron = await createNeuron([], true);
      await linkNeuron(page, strangersNeuron);
      await neurons
        .getByRole('alert')
        .filter({ hasText: `nor a hot key of neuron ${strangersNeuron}` })
        .waitFor();
      await expectUsable(page, `profile with a refused neuron at ${width} px`);

      const neuronId = await createNeuron([principal], true);
      await linkNeuron(page, neuronId);
      const linked = neurons.getByRole('list', { name: 'Linked neurons' });
      const row = linked.locator('li', { hasText: `Neuron ${neuronId}` });
      await row.waitFor();
      expect(await row.textContent()).toContain('dissolve delay 1 year');
      // 100 ICP for a year: 112.5 VP by the pre-2025 formula, as governance computes it.
      const power = '112.5 VP';
      expect(await row.textContent()).toContain(power);
      await neurons.locator('.power-total', { hasText: `Your voting power: ${power}` }).waitFor();
      await page
        .locator('.profile-head')
        .getByText(`${power} voting power from linked neurons`, { exact: false })
        .waitFor();
      await settled(page);
      await expectUsable(page, `profile with a linked neuron at ${width} px`);
      await screenshot(page, `nns-profile-${width}`);

      // A proposal of their own, supported: its lens shows their voting power.
      const title = `Weigh ideas by neurons ${tag}`;
      await page.getByRole('link', { name: 'Propose', exact: true }).click();
      await page.getByLabel('Title').fill(title);
      await page.getByLabel('Description', { exact: true }).fill('Show staked opinion too.');
      await page.getByRole('button', { name: 'Submit proposal' }).click();
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      const lens = (text: string) => page.locator('.proposal-head .power-lens', { hasText: text });
      // Authors support their own proposals: the author's power counts from the start.
      await lens(`${power} support, 0 VP oppose`).waitFor();
      // Withdrawn and given again, the lens follows the vote.
      await page.getByRole('button', { name: 'Support (1)' }).click();
      await page.locator('button[aria-pressed="false"]', { hasText: '▲' }).waitFor();
      await lens('Voting power: 0 VP support, 0 VP oppose').waitFor();
      await page.getByRole('button', { name: 'Support (0)' }).click();
      await page.locator('button[aria-pressed="true"]', { hasText: '▲' }).waitFor();
      await lens(`${power} support, 0 VP oppose`).waitFor();
      await settled(page);
      await expectUsable(page, `proposal with the voting-power lens at ${width} px`);

      // The list sorted by voting power shows the same lens on the card.
      await go(page, appUrl, '/proposals?sort=VotingPower');
      await page.getByRole('button', { name: 'Top by voting power' }).waitFor();
      expect(
        await page
          .getByRole('button', { name: 'Top by voting power' })
          .getAttribute('aria-pressed'),
      ).toBe('true');
      const card = page.locator('article.proposal-card', {
        has: page.locator('.proposal-title a', { hasText: new RegExp(`^${title}$`) }),
      });
      await card.locator('.power-lens', { hasText: `${power} support` }).waitFor();
      await settled(page);
      await expectUsable(page, `proposals by voting power at ${width} px`);
      expect(consoleErrors).toEqual([]);
    });

    it('deploys a roadmap item when its linked NNS proposal executes', async () => {
      const admin = await person('admin', width);
      await signIn(admin);
      const { page } = admin;
      // In-progress items that other journeys leave alone: the last ones, one per width.
      await go(page, appUrl, '/?status=InProgress');
      await settled(page);
      const items = page.locator('a.item-title');
      const count = await items.count();
      expect(count).toBeGreaterThan(2);
      const item = items.nth(width === 1280 ? count - 1 : count - 2);
      const itemTitle = (await item.textContent()) ?? '';
      await item.click();
      await page.getByRole('heading', { name: itemTitle, level: 1 }).waitFor();

      const nnsTitle = `Deploy ${itemTitle} ${tag}`;
      const proposalId = ok(
        await governance.localnet_make_proposal({
          title: nnsTitle,
          summary: 'Upgrade the subnets.',
          url: '',
          topic: [],
        }),
        'localnet_make_proposal',
      ).toString();

      await page.getByText('NNS proposal (admin)').click();
      // An id governance does not know is refused at once.
      await page.getByLabel('NNS proposal id').fill('999999999');
      await page.getByRole('button', { name: 'Link NNS proposal' }).click();
      await page.locator('.nns-link-form').getByRole('alert').waitFor();

      await page.getByLabel('NNS proposal id').fill(proposalId);
      await page.getByLabel('Deploy this item when the proposal executes').check();
      await page.getByRole('button', { name: 'Link NNS proposal' }).click();
      const block = page.getByRole('region', { name: `NNS proposal ${proposalId}` });
      await block.getByText(nnsTitle, { exact: true }).waitFor();
      await block.locator('.nns-badge', { hasText: 'Open' }).waitFor();
      await block.getByText('Deploys this item when the proposal is executed.').waitFor();
      expect(
        await block
          .getByRole('link', { name: `Proposal ${proposalId} on the IC dashboard` })
          .getAttribute('href'),
      ).toBe(`https://dashboard.internetcomputer.org/proposal/${proposalId}`);
      await settled(page);
      await expectUsable(page, `item with an open NNS proposal at ${width} px`);

      // Governance adopts and executes it; the backend's timer and the page notice by themselves.
      await setStatus(proposalId, ADOPTED);
      await setStatus(proposalId, EXECUTED);
      await block.locator('.nns-badge', { hasText: 'Executed' }).waitFor({ timeout: 45_000 });
      await page
        .locator('.detail-head .badge', { hasText: 'Deployed' })
        .waitFor({ timeout: 45_000 });
      await settled(page);
      await expectUsable(page, `item deployed by its NNS proposal at ${width} px`);
      await screenshot(page, `nns-item-deployed-${width}`);

      // A visitor sees the same.
      const visitor = await person(undefined, width);
      await go(visitor.page, appUrl, new URL(page.url()).pathname);
      await visitor.page.getByRole('heading', { name: itemTitle, level: 1 }).waitFor();
      await visitor.page
        .getByRole('region', { name: `NNS proposal ${proposalId}` })
        .locator('.nns-badge', { hasText: 'Executed' })
        .waitFor();
      expect(await visitor.page.getByText('NNS proposal (admin)').count()).toBe(0);
    });
  });
}

describe('every browser', () => {
  it('logged no console errors', () => {
    for (const p of people) expect(p.consoleErrors).toEqual([]);
  });
});
