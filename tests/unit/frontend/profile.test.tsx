import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryRouter, Route, Routes } from 'react-router';
import { waitFor } from '@testing-library/react';
import { CanisterError } from '../../../src/frontend/src/api/errors';
import ProfilePage from '../../../src/frontend/src/pages/ProfilePage';
import { sampleRoadmap, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  getProfile: vi.fn(),
  setProfile: vi.fn(),
  whoami: vi.fn(),
  listProposals: vi.fn(),
  listCommentsByAuthor: vi.fn(),
  listVotesByMember: vi.fn(),
  getRoadmap: vi.fn(),
  getMyPriorities: vi.fn(),
  getMyNeurons: vi.fn(),
  report: vi.fn(),
  moderate: vi.fn(),
}));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: 'signedIn', principal: 'me-principal', signIn: vi.fn() }),
}));

function renderOwnProfile() {
  return render(
    <QueryClientProvider client={testQueryClient()}>
      <MemoryRouter initialEntries={['/members/me-principal']}>
        <Routes>
          <Route path="/members/:principal" element={<ProfilePage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('profile form', () => {
  beforeEach(() => {
    api.getMyPriorities.mockResolvedValue({ budget: 100, spent: 0, remaining: 100, votes: {} });
    api.getMyNeurons.mockResolvedValue({ links: [], votingPower: 0n, lapsed: [] });
    api.getProfile.mockResolvedValue(null);
    api.whoami.mockResolvedValue({
      principal: 'me-principal',
      isAnonymous: false,
      profile: undefined,
      role: 'Member',
      creditBudget: 100,
      creditsLeft: 100,
    });
    api.listProposals.mockResolvedValue({ proposals: [], nextCursor: undefined });
    api.listCommentsByAuthor.mockResolvedValue({ comments: [], nextCursor: undefined });
    api.listVotesByMember.mockResolvedValue({ votes: [], nextCursor: undefined });
    api.getRoadmap.mockResolvedValue(sampleRoadmap());
  });

  it('asks a member without a profile for a display name and validates it while typing', async () => {
    renderOwnProfile();
    await screen.findByRole('heading', { name: 'Choose a display name' });
    await userEvent.type(screen.getByLabelText('Display name'), 'ab');
    expect(screen.getByText('Display name needs at least 3 characters (2 now).')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    expect(api.setProfile).not.toHaveBeenCalled();
  });

  it('shows the backend’s "taken" conflict at the display name field', async () => {
    api.setProfile.mockRejectedValue(
      new CanisterError({ kind: 'Conflict', reason: 'that display name is taken' }),
    );
    renderOwnProfile();
    const input = await screen.findByLabelText('Display name');
    await userEvent.type(input, 'Alice Ng');
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    const message = await screen.findByText('That display name is taken.');
    expect(message.className).toBe('field-error');
    expect(input.getAttribute('aria-describedby')).toContain(message.id);
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('names the roadmap item a comment is on instead of only its number', async () => {
    const on = (kind: 'Item' | 'Milestone' | 'Proposal', id: string, body: string) => ({
      id: `${kind}-${id}`,
      target: { kind, id },
      parentId: undefined,
      author: 'me-principal',
      authorName: 'Me',
      body,
      createdAt: new Date(0),
      updatedAt: new Date(0),
      revisionCount: 0,
      deleted: false,
      depth: 0,
    });
    api.listCommentsByAuthor.mockResolvedValue({
      comments: [
        on('Item', '1', 'on the item'),
        on('Milestone', '1', 'on the milestone'),
        on('Proposal', '4', 'on a proposal'),
      ],
      nextCursor: undefined,
    });
    renderOwnProfile();
    expect(
      (await screen.findByRole('link', { name: 'Deterministic WebAssembly SIMD' })).getAttribute(
        'href',
      ),
    ).toBe('/roadmap/items/1');
    expect(screen.getByRole('link', { name: 'milestone Cyclotron' }).getAttribute('href')).toBe(
      '/roadmap/milestones/1',
    );
    expect(screen.getByRole('link', { name: 'proposal #4' }).getAttribute('href')).toBe(
      '/proposals/4',
    );
  });
});

describe('another member’s page', () => {
  const eve = {
    principal: 'eve-principal',
    displayName: 'Eve',
    bio: 'x'.repeat(280),
    joinedAt: new Date(0),
    role: 'Member',
  };

  function renderEve() {
    return render(
      <QueryClientProvider client={testQueryClient()}>
        <MemoryRouter initialEntries={['/members/eve-principal']}>
          <Routes>
            <Route path="/members/:principal" element={<ProfilePage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    );
  }

  beforeEach(() => {
    api.getProfile.mockResolvedValue(eve);
    api.listProposals.mockResolvedValue({ proposals: [], nextCursor: undefined });
    api.listCommentsByAuthor.mockResolvedValue({ comments: [], nextCursor: undefined });
    api.listVotesByMember.mockResolvedValue({ votes: [], nextCursor: undefined });
    api.getRoadmap.mockResolvedValue(sampleRoadmap());
    api.report.mockReset().mockResolvedValue(undefined);
    api.moderate.mockReset().mockResolvedValue(undefined);
  });

  const me = (role: string) => ({
    principal: 'me-principal',
    isAnonymous: false,
    profile: undefined,
    role,
    creditBudget: 100,
    creditsLeft: 100,
  });

  it('lists the proposals the member supports or opposes, each once across pages', async () => {
    api.whoami.mockResolvedValue(me('Member'));
    const summary = (id: string, title: string) => ({
      id,
      author: 'bob-principal',
      authorName: 'Bob',
      title,
      excerpt: '',
      themeId: undefined,
      tags: [],
      status: { kind: 'Open' },
      createdAt: new Date(0),
      updatedAt: new Date(0),
      up: 3,
      down: 1,
      upPower: 0n,
      downPower: 0n,
      commentCount: 0,
      myVote: undefined,
      hidden: undefined,
    });
    api.listVotesByMember
      .mockResolvedValueOnce({
        votes: [
          { proposal: summary('7', 'Node shuffling'), vote: 'Up' },
          { proposal: summary('5', 'Smaller subnets'), vote: 'Down' },
        ],
        nextCursor: 'next',
      })
      .mockResolvedValueOnce({
        votes: [
          { proposal: summary('7', 'Node shuffling'), vote: 'Up' },
          { proposal: summary('2', 'Faster sync'), vote: 'Up' },
        ],
        nextCursor: undefined,
      });
    renderEve();
    const section = (await screen.findByRole('heading', { name: 'Votes' })).closest('section')!;
    await within(section).findByRole('link', { name: 'Node shuffling' });
    expect(api.listVotesByMember).toHaveBeenCalledWith('eve-principal', undefined);
    expect(
      within(section)
        .getAllByText(/^(Supports|Opposes)$/)
        .map((e) => e.textContent),
    ).toEqual(['Supports', 'Opposes']);
    await userEvent.click(within(section).getByRole('button', { name: 'Load more' }));
    await within(section).findByRole('link', { name: 'Faster sync' });
    expect(within(section).getAllByRole('link', { name: 'Node shuffling' })).toHaveLength(1);
    expect(api.listVotesByMember).toHaveBeenLastCalledWith('eve-principal', 'next');
  });

  it('names a member without a display name by a handle, and says they have not set one', async () => {
    api.whoami.mockResolvedValue(me('Member'));
    api.getProfile.mockResolvedValue(null);
    render(
      <QueryClientProvider client={testQueryClient()}>
        <MemoryRouter initialEntries={['/members/rwlgt-iiaaa-aaaaa-aaaaa-cai']}>
          <Routes>
            <Route path="/members/:principal" element={<ProfilePage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    );
    await screen.findByRole('heading', { name: 'member rwlgt', level: 1 });
    expect(screen.getByText('This member has not set a display name.')).toBeTruthy();
    await waitFor(() => expect(document.title).toMatch(/^member rwlgt/));
  });

  it('lets a member report the member, and keeps the moderators’ tools from them', async () => {
    api.whoami.mockResolvedValue(me('Member'));
    renderEve();
    const heading = await screen.findByRole('heading', { name: 'Eve', level: 1 });
    expect(heading.getAttribute('dir')).toBe('auto');
    expect(screen.getByText('x'.repeat(280)).getAttribute('dir')).toBe('auto');
    await userEvent.click(screen.getByRole('button', { name: 'Report the member Eve' }));
    await userEvent.click(screen.getByRole('radio', { name: 'Impersonation' }));
    await userEvent.click(screen.getByRole('button', { name: 'Send report' }));
    await waitFor(() =>
      expect(api.report).toHaveBeenCalledWith({
        target: { kind: 'Member', principal: 'eve-principal' },
        reason: 'Impersonation',
        note: '',
      }),
    );
    expect(screen.queryByText('Suspend or lift a suspension (moderators)')).toBeNull();
  });

  it('lets a moderator suspend the member until lifted, and lift it', async () => {
    api.whoami.mockResolvedValue(me('Moderator'));
    renderEve();
    await userEvent.click(await screen.findByText('Suspend or lift a suspension (moderators)'));
    await userEvent.selectOptions(screen.getByLabelText('Suspend Eve'), 'Until lifted');
    await userEvent.type(screen.getByLabelText('Public reason'), 'Impersonation');
    await userEvent.click(screen.getByRole('button', { name: 'Suspend' }));
    await waitFor(() =>
      expect(api.moderate).toHaveBeenCalledWith(
        { kind: 'Suspend', member: 'eve-principal', days: undefined },
        'Impersonation',
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Lift suspension' }));
    await waitFor(() =>
      expect(api.moderate).toHaveBeenLastCalledWith(
        { kind: 'Unsuspend', member: 'eve-principal' },
        '',
      ),
    );
  });

  it('shows the member’s voting power only when they have linked neurons with some', async () => {
    api.whoami.mockResolvedValue(me('Member'));
    api.getProfile.mockResolvedValue({ ...eve, votingPower: 0n });
    const first = renderEve();
    await screen.findByRole('heading', { name: 'Eve', level: 1 });
    expect(first.container.textContent).not.toContain('voting power');
    // Someone else's page has no neuron section and no copy button.
    expect(screen.queryByRole('region', { name: 'Neurons' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Copy your principal' })).toBeNull();
    first.unmount();

    api.getProfile.mockResolvedValue({ ...eve, votingPower: 25_000_000_000n });
    renderEve();
    await screen.findByText('250 VP');
    expect(screen.getByText('250 VP').parentElement?.textContent).toBe(
      '250 VP voting power from linked neurons',
    );
  });
});

describe('own profile', () => {
  it('shows the principal to add as a hot key with a copy button, and the neuron section', async () => {
    api.getMyNeurons.mockResolvedValue({ links: [], votingPower: 0n, lapsed: [] });
    api.getProfile.mockResolvedValue({
      principal: 'me-principal',
      displayName: 'Ada',
      bio: '',
      joinedAt: new Date(0),
      role: 'Member',
      votingPower: 0n,
    });
    renderOwnProfile();
    await screen.findByRole('heading', { name: 'Ada', level: 1 });
    expect(screen.getByText(/^Your principal/).textContent).toContain('me-principal');
    expect(screen.getAllByRole('button', { name: 'Copy your principal' })).toHaveLength(2);
    const neurons = screen.getByRole('region', { name: 'Neurons' });
    expect(neurons.textContent).toContain('add this principal as a hot key');
    await screen.findByText('No neurons linked yet.');
  });
});
