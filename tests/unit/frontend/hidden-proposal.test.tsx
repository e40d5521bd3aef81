import { render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me, ProposalDetail, ProposalSummary } from '../../../src/frontend/src/api/models';
import { ProposalCard } from '../../../src/frontend/src/components/ProposalCard';
import ProposalPage from '../../../src/frontend/src/pages/ProposalPage';
import { Providers, sampleRoadmap, testQueryClient } from './helpers';
import { MemoryRouter, Route, Routes } from 'react-router';
import { QueryClientProvider } from '@tanstack/react-query';

const api = vi.hoisted(() => ({
  getProposal: vi.fn(),
  getRoadmap: vi.fn(),
  getThread: vi.fn(),
  whoami: vi.fn(),
}));
const auth = vi.hoisted(() => ({
  status: 'signedOut',
  principal: undefined as string | undefined,
}));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: auth.status, principal: auth.principal, signIn: vi.fn() }),
}));

const hidden = { reason: 'Advertising', at: new Date(0), by: 'mod-principal' };

const full: ProposalDetail = {
  id: '7',
  author: 'bob-principal',
  authorName: 'Bob',
  title: 'Buy cycles here',
  body: 'Cheap cycles at example.com',
  themeId: undefined,
  tags: [],
  status: { kind: 'Open' },
  createdAt: new Date(0),
  updatedAt: new Date(0),
  up: 4,
  down: 1,
  commentCount: 0,
  revisionCount: 0,
  officialResponse: undefined,
  myVote: undefined,
  hidden,
};

/** What the backend sends everyone but the author and moderators. */
const placeholder: ProposalDetail = { ...full, title: '', body: '' };

const me = (principal: string, role: Me['role']): Me => ({
  principal,
  isAnonymous: false,
  profile: undefined,
  role,
  creditBudget: 100,
  creditsLeft: 100,
});

function renderPage() {
  const client = testQueryClient();
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/proposals/7']}>
        <Routes>
          <Route path="/proposals/:id" element={<ProposalPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('a hidden proposal', () => {
  beforeEach(() => {
    auth.status = 'signedOut';
    auth.principal = undefined;
    api.getRoadmap.mockReset().mockResolvedValue(sampleRoadmap());
    api.getThread.mockReset().mockResolvedValue({ comments: [], nextCursor: undefined });
    api.whoami.mockReset();
    api.getProposal.mockReset();
  });

  it('shows visitors the reason in its place, with votes frozen and explained', async () => {
    api.getProposal.mockResolvedValue(placeholder);
    renderPage();
    await screen.findByRole('heading', { name: 'Hidden proposal #7', level: 1 });
    expect(screen.getByText('Hidden by moderators:', { exact: false }).textContent).toBe(
      'Hidden by moderators: Advertising',
    );
    expect(screen.queryByText(/only its author and moderators/i)).toBeNull();
    expect(
      screen.getByText('Votes are frozen while the proposal is hidden by moderators.'),
    ).toBeTruthy();
    const support = screen.getByRole('button', { name: 'Support (4)' }) as HTMLButtonElement;
    expect(support.disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Oppose (1)' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    // Its discussion keeps its place.
    await screen.findByRole('heading', { name: 'Discussion' });
  });

  it('lets its author read it, saying only they and moderators can', async () => {
    auth.status = 'signedIn';
    auth.principal = 'bob-principal';
    api.whoami.mockResolvedValue(me('bob-principal', 'Member'));
    api.getProposal.mockResolvedValue(full);
    renderPage();
    await screen.findByRole('heading', { name: 'Buy cycles here', level: 1 });
    expect(screen.getByText('Cheap cycles at example.com')).toBeTruthy();
    expect(
      screen.getByText(/Only its author and moderators can see this proposal's content/),
    ).toBeTruthy();
    // Editing is for open, visible proposals; the author cannot edit around a moderator.
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Report/ })).toBeNull();
  });
});

describe('a duplicate', () => {
  it('names its original by number and title, and sends people there', async () => {
    api.getRoadmap.mockReset().mockResolvedValue(sampleRoadmap());
    api.getThread.mockReset().mockResolvedValue({ comments: [], nextCursor: undefined });
    const original = { ...full, id: '3', title: 'Node shuffling', hidden: undefined };
    const copy = {
      ...full,
      hidden: undefined,
      status: { kind: 'Duplicate', proposalId: '3' } as const,
    };
    api.getProposal.mockReset().mockImplementation((id: string) => (id === '3' ? original : copy));
    renderPage();
    const link = await screen.findByRole('link', { name: '#3 “Node shuffling”' });
    expect(link.getAttribute('href')).toBe('/proposals/3');
    expect(link.parentElement?.textContent).toBe(
      'Duplicate of #3 “Node shuffling”: support and discuss it there.',
    );
  });
});

describe('a hidden proposal in its author’s list', () => {
  const summary: ProposalSummary = {
    ...placeholder,
    excerpt: '',
  };

  it('is named by number with the reason, not as an empty title', () => {
    render(
      <Providers client={testQueryClient()}>
        <ProposalCard proposal={summary} />
      </Providers>,
    );
    expect(screen.getByRole('link', { name: 'Proposal #7' })).toBeTruthy();
    expect(screen.getByText('Hidden by moderators:', { exact: false }).textContent).toBe(
      'Hidden by moderators: Advertising',
    );
  });
});

describe('user text is isolated', () => {
  it('titles take their own direction and names are in <bdi>', () => {
    const { container } = render(
      <Providers client={testQueryClient()}>
        <ProposalCard
          proposal={{
            ...full,
            hidden: undefined,
            title: 'שלום world',
            authorName: 'אליס',
            excerpt: 'x',
          }}
        />
      </Providers>,
    );
    expect(screen.getByRole('link', { name: 'שלום world' }).getAttribute('dir')).toBe('auto');
    expect(container.querySelector('a[href="/members/bob-principal"] bdi')?.textContent).toBe(
      'אליס',
    );
  });
});
