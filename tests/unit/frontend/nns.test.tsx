import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { roadmap as convertRoadmap } from '../../../src/frontend/src/api/convert';
import { CanisterError } from '../../../src/frontend/src/api/errors';
import { listingOrder } from '../../../src/frontend/src/api/mergedListing';
import type {
  MyNeurons as MyNeuronsData,
  NnsLink,
  ProposalSummary,
  RoadmapItem,
} from '../../../src/frontend/src/api/models';
import { ItemStats } from '../../../src/frontend/src/components/ItemStats';
import { LiveRegion } from '../../../src/frontend/src/components/LiveRegion';
import { ProposalCard } from '../../../src/frontend/src/components/ProposalCard';
import {
  formatDissolveDelay,
  formatShare,
  formatVotingPower,
} from '../../../src/frontend/src/components/nns/format';
import { MyNeurons } from '../../../src/frontend/src/components/nns/MyNeurons';
import { NnsLinkForm } from '../../../src/frontend/src/components/nns/NnsLinkForm';
import { NnsStatus } from '../../../src/frontend/src/components/nns/NnsStatus';
import { ProposalPowerLens } from '../../../src/frontend/src/components/nns/PowerLens';
import { nnsPending, useItem } from '../../../src/frontend/src/hooks/queries';
import { queryKeys } from '../../../src/frontend/src/hooks/queryKeys';
import { Providers, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  getMyNeurons: vi.fn(),
  linkNeuron: vi.fn(),
  unlinkNeuron: vi.fn(),
  refreshMyNeurons: vi.fn(),
  linkNnsProposal: vi.fn(),
  getItem: vi.fn(),
  getProposal: vi.fn(),
  getRoadmap: vi.fn(),
  getProfile: vi.fn(),
  getActivity: vi.fn(),
}));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: 'signedIn', principal: 'me-principal', signIn: vi.fn() }),
}));

const E8S = 100_000_000n;

describe('voting power formatting', () => {
  it('shows ICP-equivalent units, never e8s, rounded for reading', () => {
    expect(formatVotingPower(0n)).toBe('0 VP');
    expect(formatVotingPower(1n)).toBe('< 0.01 VP');
    expect(formatVotingPower(123_456_789n)).toBe('1.23 VP');
    expect(formatVotingPower(123_450_000_000n)).toBe('1,234.5 VP');
    expect(formatVotingPower(100n * E8S)).toBe('100 VP');
    expect(formatVotingPower(12_345_678n * E8S)).toBe('12.3M VP');
  });

  it('says dissolve delays in years and months, to the nearest month', () => {
    expect(formatDissolveDelay(0)).toBe('none');
    expect(formatDissolveDelay(3 * 24 * 3600)).toBe('under a month');
    expect(formatDissolveDelay(365 * 24 * 3600)).toBe('1 year');
    expect(formatDissolveDelay(31_557_600 * 2.5)).toBe('2 years 6 months');
    expect(formatDissolveDelay(31_557_600 / 2)).toBe('6 months');
    expect(formatDissolveDelay(31_557_600 * 8)).toBe('8 years');
  });

  it('gives shares of a tally with one decimal', () => {
    expect(formatShare(0n, 0n)).toBe('0%');
    expect(formatShare(621n, 1000n)).toBe('62.1%');
    expect(formatShare(1n, 3n)).toBe('33.3%');
    expect(formatShare(10n ** 18n, 10n ** 18n)).toBe('100%');
  });
});

function summary(id: string, upPower: bigint, downPower: bigint, up = 0): ProposalSummary {
  return {
    id,
    author: 'aaaaa-aa',
    authorName: 'Alice',
    title: `Proposal ${id}`,
    excerpt: '',
    themeId: undefined,
    tags: [],
    status: { kind: 'Open' },
    createdAt: new Date(0),
    updatedAt: new Date(0),
    up,
    down: 0,
    upPower,
    downPower,
    commentCount: 0,
    myVote: undefined,
  };
}

describe('the voting-power lens', () => {
  it('is quiet on cards when nobody with voting power voted', () => {
    const { container } = render(
      <Providers client={testQueryClient()}>
        <ProposalCard proposal={summary('1', 0n, 0n, 3)} />
      </Providers>,
    );
    expect(container.textContent).not.toContain('VP');
  });

  it('shows supporters’ and opponents’ voting power on cards when there is some', () => {
    const { container } = render(
      <Providers client={testQueryClient()}>
        <ProposalCard proposal={summary('1', 150n * E8S, 25n * E8S, 3)} />
      </Providers>,
    );
    expect(container.querySelector('.power-lens')?.textContent).toBe(
      'Voting power: 150 VP support, 25 VP oppose',
    );
  });

  it('shows zero on the detail page, with a link to the explanation', () => {
    render(
      <Providers client={testQueryClient()}>
        <ProposalPowerLens up={0n} down={0n} />
      </Providers>,
    );
    expect(screen.getByText(/Voting power:/).textContent).toContain('0 VP support, 0 VP oppose');
    expect(screen.getByRole('link', { name: 'What is voting power?' }).getAttribute('href')).toBe(
      '/how-it-works#voting-power',
    );
  });

  it('shows an item’s supporters’ power on roadmap rows only when it is above zero', () => {
    const item: RoadmapItem = {
      id: '4',
      milestoneId: '1',
      slug: 's',
      title: 'Item',
      description: '',
      status: 'Upcoming',
      links: [],
      order: 0,
      priority: { votes: 3, supporters: 2 },
      commentCount: 0,
    };
    const { container, rerender } = render(<ItemStats item={item} />);
    expect(container.textContent).not.toContain('VP');
    rerender(<ItemStats item={{ ...item, supporterPower: 1_234_5n * 10_000_000n }} />);
    expect(container.textContent).toContain('Supporters’ voting power: 1,234.5 VP');
  });

  it('reads item power from the roadmap’s itemPower list (absent items have none)', () => {
    const milestone = {
      id: 1n,
      themeId: 1n,
      slug: 'm',
      name: 'M',
      summary: '',
      status: { Upcoming: null },
      eta: [],
      order: 0,
      commentCount: 0,
      updatedAt: 0n,
    } as const;
    const item = (id: bigint) => ({
      id,
      milestoneId: 1n,
      slug: `i${id}`,
      title: `Item ${id}`,
      description: '',
      status: { Upcoming: null },
      links: [],
      order: 0,
      priority: { votes: 1, supporters: 1 },
      commentCount: 0,
      updatedAt: 0n,
    });
    const converted = convertRoadmap({
      themes: [
        {
          theme: { id: 1n, slug: 't', title: 'T', summary: '', order: 0, updatedAt: 0n },
          milestones: [{ milestone: { ...milestone, eta: [] }, items: [item(1n), item(2n)] }],
        },
      ],
      itemPower: [{ itemId: 2n, power: 7n * E8S }],
    } as unknown as Parameters<typeof convertRoadmap>[0]);
    const items = converted.themes[0]?.milestones[0]?.items ?? [];
    expect(items.map((i) => i.supporterPower)).toEqual([0n, 7n * E8S]);
  });

  it('sorts "Top by voting power" by net power, ties going to the newer proposal', () => {
    const order = listingOrder('VotingPower');
    const list = [
      summary('1', 10n * E8S, 0n),
      summary('2', 0n, 5n * E8S),
      summary('3', 50n * E8S, 20n * E8S),
      summary('4', 10n * E8S, 0n),
    ];
    expect([...list].sort(order).map((p) => p.id)).toEqual(['3', '4', '1', '2']);
  });
});

function link(overrides: Partial<NnsLink> = {}): NnsLink {
  return {
    proposalId: '123',
    deployOnExecution: true,
    info: {
      status: 'Open',
      title: 'Upgrade the subnet',
      topic: 4,
      yes: 621n * E8S,
      no: 34n * E8S,
      total: 1000n * E8S,
      fetchedAt: new Date(Date.now() - 60_000),
    },
    ...overrides,
  };
}

describe('NNS status block', () => {
  it('shows the NNS proposal’s title, status, tally, last check and dashboard link', () => {
    const { container } = render(
      <Providers client={testQueryClient()}>
        <NnsStatus link={link()} what="item" />
      </Providers>,
    );
    expect(screen.getByRole('heading', { name: 'NNS proposal 123' })).toBeTruthy();
    expect(screen.getByText('Upgrade the subnet')).toBeTruthy();
    expect(screen.getByText('Open')).toBeTruthy();
    expect(container.textContent).toContain('Yes 62.1% (621 VP) · No 3.4% (34 VP)');
    expect(container.textContent).toContain('Last checked 1 minute ago');
    expect(container.textContent).toContain('Deploys this item when the proposal is executed.');
    expect(
      screen.getByRole('link', { name: 'Proposal 123 on the IC dashboard' }).getAttribute('href'),
    ).toBe('https://dashboard.internetcomputer.org/proposal/123');
  });

  it('says when governance has not been asked yet, and leaves out deploying on proposals', () => {
    const { container } = render(
      <Providers client={testQueryClient()}>
        <NnsStatus link={link({ info: undefined })} what="proposal" />
      </Providers>,
    );
    expect(container.textContent).toContain('Not checked with NNS governance yet');
    expect(container.textContent).not.toContain('Deploys');
  });

  it('keeps asking while a linked NNS proposal may still change', () => {
    expect(nnsPending(undefined)).toBe(false);
    expect(nnsPending(link({ info: undefined }))).toBe(true);
    expect(nnsPending(link())).toBe(true);
    const info = link().info!;
    expect(nnsPending(link({ info: { ...info, status: 'Adopted' } }))).toBe(true);
    expect(nnsPending(link({ info: { ...info, status: 'Executed' } }))).toBe(false);
    expect(nnsPending(link({ info: { ...info, status: 'Rejected' } }))).toBe(false);
  });
});

function ItemStatus({ id }: { id: string }) {
  const item = useItem(id);
  return <p>{item.data?.item.status ?? 'loading'}</p>;
}

describe('an item deployed by its NNS proposal while its page is open', () => {
  it('asks again for the roadmap and the credits, which went back to their members', async () => {
    const detail = (status: 'InProgress' | 'Deployed') => ({
      item: { ...sampleItem(), status },
      milestone: {},
      theme: {},
      myVotes: 0,
      nns: link(),
    });
    api.getItem.mockReset().mockResolvedValue(detail('InProgress'));
    const client = testQueryClient();
    const invalidate = vi.spyOn(client, 'invalidateQueries');
    render(
      <Providers client={client}>
        <ItemStatus id="4" />
      </Providers>,
    );
    await screen.findByText('InProgress');
    expect(invalidate).not.toHaveBeenCalled();
    api.getItem.mockResolvedValue(detail('Deployed'));
    await client.refetchQueries({ queryKey: queryKeys.item('4') });
    await screen.findByText('Deployed');
    const keys = invalidate.mock.calls.map(([filters]) => filters?.queryKey);
    expect(keys).toEqual(
      expect.arrayContaining([queryKeys.roadmap(), queryKeys.priorities(), queryKeys.me()]),
    );
  });
});

function sampleItem(): RoadmapItem {
  return {
    id: '4',
    milestoneId: '1',
    slug: 's',
    title: 'Item',
    description: '',
    status: 'InProgress',
    links: [],
    order: 0,
    priority: { votes: 0, supporters: 0 },
    commentCount: 0,
  };
}

describe('NNS link form (admins)', () => {
  beforeEach(() => {
    api.linkNnsProposal.mockReset();
    api.getItem.mockResolvedValue(null);
    api.getActivity.mockResolvedValue({ entries: [], nextCursor: undefined });
  });

  it('sends the id with "deploy on execution" and announces the link', async () => {
    api.linkNnsProposal.mockResolvedValue(link());
    render(
      <Providers client={testQueryClient()}>
        <NnsLinkForm target={{ kind: 'Item', id: '4' }} current={undefined} />
        <LiveRegion />
      </Providers>,
    );
    await userEvent.type(screen.getByLabelText('NNS proposal id'), '123');
    await userEvent.click(screen.getByLabelText('Deploy this item when the proposal executes'));
    await userEvent.click(screen.getByRole('button', { name: 'Link NNS proposal' }));
    expect(api.linkNnsProposal).toHaveBeenCalledWith(
      { kind: 'Item', id: '4' },
      { proposalId: '123', deployOnExecution: true },
    );
    await screen.findByText('Linked this item to NNS proposal 123.');
  });

  it('shows governance’s "not found" and keeps focus in the form', async () => {
    api.linkNnsProposal.mockRejectedValue(
      new CanisterError({ kind: 'NotFound', what: 'NNS proposal 999' }),
    );
    render(
      <Providers client={testQueryClient()}>
        <NnsLinkForm target={{ kind: 'Proposal', id: '7' }} current={undefined} />
      </Providers>,
    );
    expect(screen.queryByLabelText('Deploy this item when the proposal executes')).toBeNull();
    const input = screen.getByLabelText('NNS proposal id');
    await userEvent.type(input, '999');
    await userEvent.click(screen.getByRole('button', { name: 'Link NNS proposal' }));
    expect((await screen.findByRole('alert')).textContent).toContain('NNS proposal 999');
    expect(document.activeElement).toBe(input);
  });

  it('shows a refused id at the field, and asks for an id before sending', async () => {
    api.linkNnsProposal.mockRejectedValue(
      new CanisterError({
        kind: 'Invalid',
        field: 'proposalId',
        reason: 'Enter the NNS proposal id as a whole number.',
      }),
    );
    render(
      <Providers client={testQueryClient()}>
        <NnsLinkForm target={{ kind: 'Item', id: '4' }} current={undefined} />
      </Providers>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Link NNS proposal' }));
    expect(screen.getByText('Enter the NNS proposal id.')).toBeTruthy();
    expect(api.linkNnsProposal).not.toHaveBeenCalled();
    const input = screen.getByLabelText('NNS proposal id');
    await userEvent.type(input, 'abc');
    await userEvent.click(screen.getByRole('button', { name: 'Link NNS proposal' }));
    const message = await screen.findByText('Enter the NNS proposal id as a whole number.');
    expect(input.getAttribute('aria-describedby')).toContain(message.id);
  });

  it('removes a link', async () => {
    api.linkNnsProposal.mockResolvedValue(undefined);
    render(
      <Providers client={testQueryClient()}>
        <NnsLinkForm target={{ kind: 'Item', id: '4' }} current={link()} />
      </Providers>,
    );
    expect((screen.getByLabelText('NNS proposal id') as HTMLInputElement).value).toBe('123');
    await userEvent.click(screen.getByRole('button', { name: 'Remove NNS link' }));
    expect(api.linkNnsProposal).toHaveBeenCalledWith({ kind: 'Item', id: '4' }, undefined);
  });
});

function neurons(overrides: Partial<MyNeuronsData> = {}): MyNeuronsData {
  return {
    links: [
      {
        neuronId: '42',
        votingPower: 1_234_5n * 10_000_000n,
        dissolveDelaySeconds: 31_557_600,
        linkedAt: new Date(Date.now() - 3_600_000),
        checkedAt: new Date(Date.now() - 120_000),
      },
    ],
    votingPower: 1_234_5n * 10_000_000n,
    lapsed: [],
    ...overrides,
  };
}

describe('my neurons on the profile', () => {
  beforeEach(() => {
    for (const fn of Object.values(api)) fn.mockReset();
    api.getMyNeurons.mockResolvedValue(neurons());
  });

  function renderNeurons() {
    const client = testQueryClient();
    render(
      <Providers client={client}>
        <MyNeurons principal="me-principal" />
        <LiveRegion />
      </Providers>,
    );
    return client;
  }

  it('explains the three steps with the principal to add, and lists linked neurons', async () => {
    renderNeurons();
    const steps = screen.getByRole('list', { name: '' });
    expect(within(steps).getAllByRole('listitem')).toHaveLength(3);
    expect(steps.textContent).toContain('me-principal');
    expect(screen.getByRole('button', { name: 'Copy your principal' })).toBeTruthy();
    const linked = await screen.findByRole('list', { name: 'Linked neurons' });
    expect(linked.textContent).toContain('Neuron 42');
    expect(linked.textContent).toContain('1,234.5 VP');
    expect(linked.textContent).toContain('dissolve delay 1 year');
    expect(linked.textContent).toContain('Last checked 2 minutes ago');
    expect(screen.getByText(/^Your voting power:/).textContent).toBe(
      'Your voting power: 1,234.5 VP',
    );
  });

  it('shows a private neuron’s refusal at the field, as the backend says what to do', async () => {
    api.linkNeuron.mockRejectedValue(
      new CanisterError({
        kind: 'Invalid',
        field: 'neuronId',
        reason:
          'neuron 7 is private: in the NNS dapp open the neuron, make it public, then link it again',
      }),
    );
    renderNeurons();
    const input = screen.getByLabelText('Neuron id');
    await userEvent.type(input, '7');
    await userEvent.click(screen.getByRole('button', { name: 'Link neuron' }));
    const message = await screen.findByText(
      'Neuron 7 is private: in the NNS dapp open the neuron, make it public, then link it again.',
    );
    expect(input.getAttribute('aria-describedby')).toContain(message.id);
    expect(document.activeElement).toBe(input);
  });

  it('shows a missing hot key as an alert', async () => {
    api.linkNeuron.mockRejectedValue(
      new CanisterError({
        kind: 'Forbidden',
        reason:
          'your principal is neither the controller nor a hot key of neuron 7: in the NNS dapp add your Roadmap Commons principal (on your profile) as a hot key of the neuron, then link it again',
      }),
    );
    renderNeurons();
    await userEvent.type(screen.getByLabelText('Neuron id'), '7');
    await userEvent.click(screen.getByRole('button', { name: 'Link neuron' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Your principal is neither the controller nor a hot key of neuron 7',
    );
  });

  it('links a neuron, announces its power and shows it in the list', async () => {
    api.getMyNeurons.mockResolvedValueOnce(neurons({ links: [], votingPower: 0n }));
    api.linkNeuron.mockResolvedValue(neurons().links[0]);
    renderNeurons();
    await screen.findByText('No neurons linked yet.');
    await userEvent.type(screen.getByLabelText('Neuron id'), '42');
    await userEvent.click(screen.getByRole('button', { name: 'Link neuron' }));
    expect(api.linkNeuron).toHaveBeenCalledWith('42');
    await screen.findByText('Neuron 42 is linked, with 1,234.5 VP.');
    await screen.findByRole('list', { name: 'Linked neurons' });
    expect((screen.getByLabelText('Neuron id') as HTMLInputElement).value).toBe('');
  });

  it('shows lapsed links with their reason, and dismisses them', async () => {
    api.getMyNeurons.mockResolvedValue(
      neurons({
        links: [],
        votingPower: 0n,
        lapsed: [{ neuronId: '9', reason: 'the hot key was removed', at: new Date() }],
      }),
    );
    api.unlinkNeuron.mockResolvedValue(neurons({ links: [], votingPower: 0n }));
    const client = renderNeurons();
    const note = await screen.findByRole('note');
    expect(note.textContent).toContain('Neuron 9 no longer counts');
    expect(note.textContent).toContain('the hot key was removed');
    await userEvent.click(
      screen.getByRole('button', { name: 'Dismiss the notice about neuron 9' }),
    );
    expect(api.unlinkNeuron).toHaveBeenCalledWith('9');
    await waitFor(() => expect(screen.queryByRole('note')).toBeNull());
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Neurons' }));
    expect(client.getQueryData(queryKeys.myNeurons())).toEqual(
      neurons({ links: [], votingPower: 0n }),
    );
  });

  it('re-checks with governance and announces the result', async () => {
    api.refreshMyNeurons.mockResolvedValue(
      neurons({
        links: [],
        votingPower: 0n,
        lapsed: [{ neuronId: '42', reason: 'the neuron is private now', at: new Date() }],
      }),
    );
    renderNeurons();
    await screen.findByRole('list', { name: 'Linked neurons' });
    await userEvent.click(screen.getByRole('button', { name: 'Re-check now' }));
    await screen.findByText(
      'Checked with NNS governance. Your voting power is 0 VP; 1 link has lapsed.',
    );
    expect((await screen.findByRole('note')).textContent).toContain('the neuron is private now');
  });
});
