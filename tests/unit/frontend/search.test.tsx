import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CanisterError } from '../../../src/frontend/src/api/errors';
import type { ProposalSummary, SearchPage as Page } from '../../../src/frontend/src/api/models';
import { LiveRegion } from '../../../src/frontend/src/components/LiveRegion';
import {
  highlightSegments,
  queryStems,
} from '../../../src/frontend/src/components/search/highlight';
import { SearchBox } from '../../../src/frontend/src/components/search/SearchBox';
import SearchPage from '../../../src/frontend/src/pages/SearchPage';
import { testQueryClient } from './helpers';

const api = vi.hoisted(() => ({ searchProposals: vi.fn(), voteProposal: vi.fn() }));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
const auth = vi.hoisted(() => ({ status: 'anonymous' }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: auth.status, principal: 'me', signIn: () => undefined }),
}));

function proposal(id: string, title: string, excerpt = ''): ProposalSummary {
  return {
    id,
    author: 'aaaaa-aa',
    authorName: 'alice',
    title,
    excerpt,
    themeId: undefined,
    tags: [],
    status: { kind: 'Open' },
    createdAt: new Date(0),
    updatedAt: new Date(0),
    up: 3,
    down: 0,
    commentCount: 0,
    myVote: undefined,
  };
}

function page(proposals: ProposalSummary[], nextCursor?: string, pending = 0): Page {
  return { proposals, nextCursor, pending };
}

let location = '';
function Location() {
  const l = useLocation();
  location = l.pathname + l.search;
  return null;
}

/** What the app's live region last read out. */
const announced = () => document.querySelector('.visually-hidden[role="status"]')?.textContent;

function renderAt(url: string) {
  return render(
    <QueryClientProvider client={testQueryClient()}>
      <MemoryRouter initialEntries={[url]}>
        <SearchBox />
        <input aria-label="Elsewhere" />
        <Routes>
          <Route path="/search" element={<SearchPage />} />
          <Route path="*" element={<p>Another page</p>} />
        </Routes>
        <Location />
        <LiveRegion />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('highlighting', () => {
  it('marks words that start with the first four letters of a query word, ignoring case and accents', () => {
    const stems = queryStems('Shuffling NODES');
    expect(stems).toEqual(['shuf', 'node']);
    const marked = highlightSegments('Node shuffle for nodé security', stems)
      .filter((s) => s.match)
      .map((s) => s.text);
    expect(marked).toEqual(['Node', 'shuffle', 'nodé']);
  });

  it('keeps the text whole and marks short query words only as word starts', () => {
    const text = 'An AI agent, not a pain';
    const segments = highlightSegments(text, queryStems('ai'));
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(segments.filter((s) => s.match).map((s) => s.text)).toEqual(['AI']);
  });
});

describe('search box', () => {
  beforeEach(() => {
    api.searchProposals.mockReset();
    api.searchProposals.mockResolvedValue(page([]));
  });

  it('is a labelled search landmark that "/" focuses, except while typing in a field', async () => {
    renderAt('/');
    const landmark = screen.getByRole('search', { name: 'Proposals' });
    const box = within(landmark).getByLabelText('Search proposals');
    await userEvent.keyboard('/');
    expect(document.activeElement).toBe(box);
    expect((box as HTMLInputElement).value).toBe('');

    const other = screen.getByLabelText('Elsewhere');
    await userEvent.click(other);
    await userEvent.keyboard('/');
    expect(document.activeElement).toBe(other);
    expect((other as HTMLInputElement).value).toBe('/');
  });

  it('opens the results page with the query in the URL', async () => {
    renderAt('/');
    await userEvent.type(screen.getByLabelText('Search proposals'), 'node shuffling{Enter}');
    expect(location).toBe('/search?q=node+shuffling');
    await waitFor(() =>
      expect(api.searchProposals).toHaveBeenCalledWith('node shuffling', undefined, undefined),
    );
  });
});

describe('results page', () => {
  beforeEach(() => {
    api.searchProposals.mockReset();
    auth.status = 'anonymous';
  });

  it('applies a vote on a result at once', async () => {
    auth.status = 'signedIn';
    api.searchProposals.mockResolvedValue(page([proposal('1', 'Node shuffling')]));
    let settle: (tally: unknown) => void = () => undefined;
    api.voteProposal.mockReturnValue(new Promise((resolve) => (settle = resolve)));
    renderAt('/search?q=node');
    await userEvent.click(await screen.findByRole('button', { name: 'Support (3)' }));
    // Before the backend answers: the card already counts the vote.
    expect(await screen.findByRole('button', { name: 'Support (4)' })).toBeTruthy();
    settle({ up: 4, down: 0, myVote: 'Up' });
  });

  it('shows the cards with matched words highlighted, announces the count and loads more', async () => {
    api.searchProposals
      .mockResolvedValueOnce(
        page(
          [proposal('1', 'Shuffle nodes across subnets', 'Shared security by shuffling')],
          'next',
        ),
      )
      .mockResolvedValueOnce(page([proposal('2', 'Faster node onboarding')]));
    renderAt('/search?q=shuffling&status=Open');
    const title = await screen.findByRole('link', { name: 'Shuffle nodes across subnets' });
    expect(api.searchProposals).toHaveBeenCalledWith('shuffling', 'Open', undefined);
    expect(within(title).getByText('Shuffle').tagName).toBe('MARK');
    expect(screen.getByText('shuffling', { selector: 'mark' })).toBeTruthy();
    await waitFor(() => expect(announced()).toBe('1 proposal found so far'));
    expect((screen.getByLabelText('Search proposals') as HTMLInputElement).value).toBe('shuffling');

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByRole('link', { name: 'Faster node onboarding' });
    expect(api.searchProposals).toHaveBeenLastCalledWith('shuffling', 'Open', 'next');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    await waitFor(() => expect(announced()).toBe('2 proposals found'));
  });

  it('says how many proposals are still being indexed', async () => {
    api.searchProposals.mockResolvedValue(page([proposal('1', 'Node shuffling')], undefined, 2));
    renderAt('/search?q=node');
    expect(await screen.findByText(/Still indexing 2 proposals/)).toBeTruthy();
  });

  it('shows the backend refusal of a query plainly', async () => {
    api.searchProposals.mockRejectedValue(
      new CanisterError({ kind: 'Invalid', field: 'query', reason: 'At most 200 characters.' }),
    );
    renderAt(`/search?q=${'a'.repeat(201)}`);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('At most 200 characters.');
    expect(within(alert).queryByRole('button')).toBeNull();
  });

  it('offers to propose the idea when nothing matches', async () => {
    api.searchProposals.mockResolvedValue(page([]));
    renderAt('/search?q=quantum%20tea');
    const link = await screen.findByRole('link', { name: /Propose “quantum tea” as a new idea/ });
    expect(link.getAttribute('href')).toBe('/proposals/new?title=quantum+tea');
    await waitFor(() => expect(announced()).toBe('0 proposals found'));
  });

  it('asks for words without calling the backend when the query is empty', () => {
    renderAt('/search?q=');
    expect(screen.getByText(/Type words from a proposal/)).toBeTruthy();
    expect(api.searchProposals).not.toHaveBeenCalled();
  });
});
