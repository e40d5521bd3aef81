import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, useLocation } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me, Roadmap } from '../../../src/frontend/src/api/models';
import { LiveRegion } from '../../../src/frontend/src/components/LiveRegion';
import AdminPage from '../../../src/frontend/src/pages/AdminPage';
import { Providers, sampleRoadmap, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  whoami: vi.fn(),
  getRoadmap: vi.fn(),
  upsertItem: vi.fn(),
  upsertTheme: vi.fn(),
  listProposals: vi.fn(),
  getProposalFacets: vi.fn(),
}));
const auth = vi.hoisted(() => ({ status: 'signedOut' }));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: auth.status, principal: 'admin-principal', signIn: vi.fn() }),
}));

const me = (role: Me['role']): Me => ({
  principal: 'admin-principal',
  isAnonymous: false,
  profile: undefined,
  role,
  creditBudget: 100,
  creditsLeft: 100,
});

const roadmap = sampleRoadmap();

// jsdom's accessible name drops the space before the visually hidden part ("Edititem …").
const EDIT_SIMD = /^Edit\s*item Deterministic WebAssembly SIMD$/;

function CurrentSearch() {
  return <output aria-label="Current search">{useLocation().search}</output>;
}

/** The admin page opened at `url`, with the address's search shown for the test to read. */
function openAdminAt(url: string) {
  return render(
    <QueryClientProvider client={testQueryClient()}>
      <MemoryRouter initialEntries={[url]}>
        <AdminPage />
        <CurrentSearch />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

function renderAdmin() {
  return render(
    <Providers client={testQueryClient()}>
      <AdminPage />
      <LiveRegion />
    </Providers>,
  );
}

describe('admin page', () => {
  beforeEach(() => {
    api.whoami.mockReset();
    api.getRoadmap.mockReset().mockResolvedValue(roadmap);
    api.upsertItem.mockReset().mockResolvedValue(undefined);
    api.upsertTheme.mockReset().mockResolvedValue(undefined);
    api.getProposalFacets.mockReset().mockResolvedValue({
      statuses: { Open: 5, UnderReview: 2, Planned: 1, Declined: 0, Duplicate: 0, Done: 3 },
      tags: [],
      needsResponse: 4,
    });
  });

  it('asks a visitor to sign in instead of only saying "Admins only"', () => {
    auth.status = 'signedOut';
    renderAdmin();
    expect(screen.getByText(/Sign in with Internet Identity to maintain the roadmap/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('tells a signed-in member why the page is closed', async () => {
    auth.status = 'signedIn';
    api.whoami.mockResolvedValue(me('Member'));
    renderAdmin();
    expect(await screen.findByRole('heading', { name: 'Admins only' })).toBeTruthy();
    expect(screen.getByText(/your account is a member/)).toBeTruthy();
  });

  it('confirms a saved roadmap entry, and the editor can be cancelled', async () => {
    auth.status = 'signedIn';
    api.whoami.mockResolvedValue(me('Admin'));
    renderAdmin();
    await userEvent.click(await screen.findByRole('button', { name: EDIT_SIMD }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByText('Choose an entry to edit or add one.')).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: EDIT_SIMD }));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.upsertItem).toHaveBeenCalledTimes(1);
    const status = await screen.findByText('Saved item “Deterministic WebAssembly SIMD”.');
    expect(status.getAttribute('role')).toBe('status');
  });

  it('moves focus into the editor when it opens and back to the opener when it closes', async () => {
    auth.status = 'signedIn';
    api.whoami.mockResolvedValue(me('Admin'));
    renderAdmin();
    const edit = await screen.findByRole('button', { name: EDIT_SIMD });
    edit.focus();
    await userEvent.keyboard('{Enter}');
    expect(document.activeElement).toBe(screen.getByLabelText('Title'));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(edit);

    await userEvent.click(edit);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved item “Deterministic WebAssembly SIMD”.');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: EDIT_SIMD }));
  });

  it('derives a new entry’s slug from its title, keeps an existing one, and orders it last', async () => {
    auth.status = 'signedIn';
    api.whoami.mockResolvedValue(me('Admin'));
    renderAdmin();
    await userEvent.click(await screen.findByRole('button', { name: 'New theme' }));
    await userEvent.type(screen.getByLabelText('Title'), 'Chain Fusion: Bitcoin & Ethereum');
    expect((screen.getByLabelText('Slug') as HTMLInputElement).value).toBe(
      'chain-fusion-bitcoin-ethereum',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.upsertTheme).toHaveBeenCalledWith({
      slug: 'chain-fusion-bitcoin-ethereum',
      title: 'Chain Fusion: Bitcoin & Ethereum',
      summary: '',
      order: 1,
    });

    await userEvent.click(await screen.findByRole('button', { name: EDIT_SIMD }));
    const slug = screen.getByLabelText('Slug') as HTMLInputElement;
    expect(slug.value).toBe('simd');
    expect(slug.readOnly).toBe(true);
  });

  it('moves an item down by saving the swapped order numbers, keeping focus on the button', async () => {
    auth.status = 'signedIn';
    api.whoami.mockResolvedValue(me('Admin'));
    const twoItems: Roadmap = structuredClone(roadmap);
    const milestone = twoItems.themes[0]?.milestones[0];
    const simd = milestone?.items[0];
    if (!milestone || !simd) throw new Error('fixture has no item');
    milestone.items.push({ ...simd, id: '2', slug: 'vetkeys', title: 'vetKeys', order: 1 });
    api.getRoadmap.mockResolvedValue(twoItems);
    renderAdmin();
    const down = await screen.findByRole('button', {
      name: 'Move item Deterministic WebAssembly SIMD down',
    });
    const up = screen.getByRole('button', { name: 'Move item Deterministic WebAssembly SIMD up' });
    // The first entry cannot move up; its button says so and stays focusable.
    expect(up.getAttribute('aria-disabled')).toBe('true');

    const moved = structuredClone(twoItems);
    const [a, b] = moved.themes[0]?.milestones[0]?.items ?? [];
    if (!a || !b) throw new Error('fixture has no items');
    moved.themes[0]!.milestones[0]!.items = [
      { ...b, order: 0 },
      { ...a, order: 1 },
    ];
    api.getRoadmap.mockResolvedValue(moved);
    await userEvent.click(down);
    expect(api.upsertItem.mock.calls.map(([input]) => [input.slug, input.order])).toEqual([
      ['simd', 1],
      ['vetkeys', 0],
    ]);
    await waitFor(() =>
      expect(document.activeElement?.getAttribute('aria-label')).toBe(
        'Move item Deterministic WebAssembly SIMD down',
      ),
    );
    expect(document.querySelector('[aria-live]')?.textContent).toBe(
      'Moved Deterministic WebAssembly SIMD down: 2 of 2.',
    );
  });

  it('opens the tab named in the URL and triages proposals by status with a preview', async () => {
    auth.status = 'signedIn';
    api.whoami.mockResolvedValue(me('Admin'));
    api.listProposals.mockResolvedValue({
      proposals: [
        {
          id: '4',
          author: 'a',
          authorName: 'Alice',
          title: 'Node shuffling',
          excerpt: 'Rotate nodes between subnets.',
          themeId: undefined,
          tags: [],
          status: { kind: 'Open' },
          createdAt: new Date(0),
          updatedAt: new Date(0),
          up: 3,
          down: 0,
          commentCount: 1,
          myVote: undefined,
        },
      ],
      nextCursor: undefined,
    });
    const { QueryClientProvider } = await import('@tanstack/react-query');
    const { MemoryRouter } = await import('react-router');
    render(
      <QueryClientProvider client={testQueryClient()}>
        <MemoryRouter initialEntries={['/admin?tab=proposals']}>
          <AdminPage />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    await screen.findByText('Rotate nodes between subnets.');
    expect(screen.getByRole('button', { name: 'Proposals' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'UnderReview');
    await waitFor(() =>
      expect(api.listProposals.mock.lastCall?.[0]).toEqual({
        sort: 'New',
        statuses: ['UnderReview'],
      }),
    );
  });

  it('keeps the triage filter and sort in the URL, so a reload opens the same list', async () => {
    auth.status = 'signedIn';
    api.whoami.mockResolvedValue(me('Admin'));
    api.listProposals.mockReset().mockResolvedValue({ proposals: [], nextCursor: undefined });
    const openAt = openAdminAt;

    const first = openAt('/admin?tab=proposals');
    await screen.findByText('No proposals yet.');
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'Declined');
    await userEvent.selectOptions(screen.getByLabelText('Sort'), 'MostDiscussed');
    const search = screen.getByRole('status', { name: 'Current search' }).textContent ?? '';
    expect(new URLSearchParams(search).get('tab')).toBe('proposals');
    expect(new URLSearchParams(search).get('status')).toBe('Declined');
    expect(new URLSearchParams(search).get('sort')).toBe('MostDiscussed');
    first.unmount();

    // A reload is the same address opened afresh.
    api.listProposals.mockClear();
    openAt(`/admin${search}`);
    await screen.findByText('No proposals with this status.');
    expect((screen.getByLabelText('Status') as HTMLSelectElement).value).toBe('Declined');
    expect((screen.getByLabelText('Sort') as HTMLSelectElement).value).toBe('MostDiscussed');
    expect(api.listProposals.mock.calls[0]?.[0]).toEqual({
      sort: 'MostDiscussed',
      statuses: ['Declined'],
    });

    // Back to the defaults: the URL carries only the tab again.
    await userEvent.selectOptions(screen.getByLabelText('Status'), '');
    await userEvent.selectOptions(screen.getByLabelText('Sort'), 'New');
    expect(screen.getByRole('status', { name: 'Current search' }).textContent).toBe(
      '?tab=proposals',
    );
  });

  it('triages with counts: a needs-a-response queue, statuses counted, newest or oldest first', async () => {
    auth.status = 'signedIn';
    api.whoami.mockResolvedValue(me('Admin'));
    api.listProposals.mockReset().mockResolvedValue({ proposals: [], nextCursor: undefined });
    openAdminAt('/admin?tab=proposals');
    const queue = await screen.findByRole('button', { name: 'Needs a response (4)' });
    expect(queue.getAttribute('aria-pressed')).toBe('false');
    const statusOptions = within(screen.getByLabelText('Status'))
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(statusOptions).toEqual([
      'Any',
      'Open (5)',
      'Under review (2)',
      'Planned (1)',
      'Declined (0)',
      'Duplicate (0)',
      'Done (3)',
    ]);

    await userEvent.click(queue);
    await waitFor(() =>
      expect(api.listProposals.mock.lastCall?.[0]).toEqual({ sort: 'New', needsResponse: true }),
    );
    expect(
      screen.getByRole('button', { name: 'Needs a response (4)' }).getAttribute('aria-pressed'),
    ).toBe('true');
    await screen.findByText('No proposals waiting for a response.');

    await userEvent.selectOptions(screen.getByLabelText('Sort'), 'Oldest');
    await waitFor(() =>
      expect(api.listProposals.mock.lastCall?.[0]).toEqual({ sort: 'Oldest', needsResponse: true }),
    );
    await userEvent.selectOptions(screen.getByLabelText('Sort'), 'Top');
    await waitFor(() =>
      expect(api.listProposals.mock.lastCall?.[0]).toEqual({ sort: 'Top', needsResponse: true }),
    );
    const search = new URLSearchParams(
      screen.getByRole('status', { name: 'Current search' }).textContent ?? '',
    );
    expect(search.get('queue')).toBe('needs-response');
    expect(search.get('sort')).toBe('Top');

    await userEvent.click(screen.getByRole('button', { name: 'All proposals' }));
    await waitFor(() => expect(api.listProposals.mock.lastCall?.[0]).toEqual({ sort: 'Top' }));
    expect(screen.getByRole('status', { name: 'Current search' }).textContent).toBe(
      '?tab=proposals&sort=Top',
    );
  });
});
