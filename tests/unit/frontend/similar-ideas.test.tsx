import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProposalSummary, SearchPage } from '../../../src/frontend/src/api/models';
import SubmitPage from '../../../src/frontend/src/pages/SubmitPage';
import { sampleRoadmap, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  getRoadmap: vi.fn(),
  similarProposals: vi.fn(),
  searchProposals: vi.fn(),
  submitProposal: vi.fn(),
}));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: 'signedIn', principal: 'aaaaa-aa', signIn: vi.fn() }),
}));

const existing: ProposalSummary = {
  id: '7',
  author: 'aaaaa-aa',
  authorName: 'bob',
  title: 'Shared security through node shuffling',
  excerpt: '',
  themeId: undefined,
  tags: [],
  status: { kind: 'Planned', itemId: '1' },
  createdAt: new Date(0),
  updatedAt: new Date(0),
  up: 12,
  down: 1,
  commentCount: 0,
  myVote: undefined,
};

function searchPage(proposals: ProposalSummary[]): SearchPage {
  return { proposals, nextCursor: undefined, pending: 0 };
}

function renderForm(url = '/proposals/new') {
  return render(
    <QueryClientProvider client={testQueryClient()}>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route path="/proposals/new" element={<SubmitPage />} />
          <Route path="/proposals/:id" element={<p>Proposal page</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const HEADING = 'Is your idea already here? Vote for it instead';
const EXISTS = 'A proposal with this exact title exists:';

describe('similar ideas on the submit form', () => {
  beforeEach(() => {
    api.getRoadmap.mockResolvedValue(sampleRoadmap());
    api.similarProposals.mockReset();
    api.similarProposals.mockResolvedValue([existing]);
    api.searchProposals.mockReset();
    api.searchProposals.mockResolvedValue(searchPage([]));
    api.submitProposal.mockReset();
    api.submitProposal.mockResolvedValue('8');
  });

  it('waits for a three-word title and a pause in typing, then links to the similar proposals', async () => {
    renderForm();
    const title = screen.getByLabelText('Title');
    await userEvent.type(title, 'node shuffling');
    await new Promise((r) => setTimeout(r, 600));
    expect(api.similarProposals).not.toHaveBeenCalled();

    await userEvent.type(title, ' for security');
    const section = await screen.findByRole('region', { name: HEADING }, { timeout: 2000 });
    // Typing kept restarting the pause: only the finished title was asked about.
    expect(api.similarProposals).toHaveBeenCalledTimes(1);
    expect(api.similarProposals).toHaveBeenCalledWith('node shuffling for security', '');
    const link = within(section).getByRole('link', { name: existing.title });
    expect(link.getAttribute('href')).toBe('/proposals/7');
    expect(section.textContent).toContain('12 supporters');
    expect(section.textContent).toContain('Planned');
  });

  it('says plainly when a listed proposal has exactly the same title, whatever its case and spacing', async () => {
    renderForm();
    await userEvent.type(screen.getByLabelText('Title'), 'shared  Security through node SHUFFLING');
    const warning = await screen.findByText(EXISTS, {}, { timeout: 2000 });
    const notice = warning.closest('p')!;
    expect(notice.textContent).toContain(
      'Support it, or give yours a title that says how it differs.',
    );
    expect(within(notice).getByRole('link', { name: existing.title }).getAttribute('href')).toBe(
      '/proposals/7',
    );
  });

  it('does not call a merely similar title identical', async () => {
    api.searchProposals.mockResolvedValue(searchPage([existing]));
    renderForm();
    await userEvent.type(screen.getByLabelText('Title'), 'Shared security through subnet rotation');
    const section = await screen.findByRole('region', { name: HEADING }, { timeout: 2000 });
    expect(api.searchProposals).toHaveBeenCalledWith(
      'Shared security through subnet rotation',
      undefined,
      undefined,
    );
    expect(section.textContent).not.toContain('exact title');
    expect(screen.queryByText(/exact title/)).toBeNull();
  });

  it('finds a twin of a two-word title by searching for it, any status', async () => {
    const twin: ProposalSummary = {
      ...existing,
      id: '3',
      title: 'Dark mode',
      status: { kind: 'Open' },
    };
    api.searchProposals.mockResolvedValue(searchPage([twin]));
    renderForm();
    await userEvent.type(screen.getByLabelText('Title'), 'dark  MODE');
    const warning = await screen.findByText(EXISTS, {}, { timeout: 2000 });
    // Two words are too few for similar ideas: only the title search was asked.
    expect(api.similarProposals).not.toHaveBeenCalled();
    expect(api.searchProposals).toHaveBeenCalledWith('dark  MODE', undefined, undefined);
    const link = within(warning.closest('p')!).getByRole('link', { name: 'Dark mode' });
    expect(link.getAttribute('href')).toBe('/proposals/3');
  });

  it('names the status of a closed twin', async () => {
    const done: ProposalSummary = {
      ...existing,
      id: '4',
      title: 'Dark mode',
      status: { kind: 'Done' },
    };
    const other: ProposalSummary = { ...existing, id: '5', title: 'Dark mode everywhere' };
    api.searchProposals.mockResolvedValue(searchPage([other, done]));
    renderForm();
    await userEvent.type(screen.getByLabelText('Title'), 'Dark mode');
    const warning = await screen.findByText(
      'A proposal with this exact title is done:',
      {},
      { timeout: 2000 },
    );
    const notice = warning.closest('p')!;
    expect(within(notice).getByRole('link', { name: 'Dark mode' }).getAttribute('href')).toBe(
      '/proposals/4',
    );
    expect(notice.textContent).toContain('before proposing it again');
    expect(screen.queryByText(EXISTS)).toBeNull();
  });

  it('says a declined twin was declined', async () => {
    const declined: ProposalSummary = {
      ...existing,
      id: '6',
      title: 'Dark mode',
      status: { kind: 'Declined', reason: 'Out of scope' },
    };
    api.searchProposals.mockResolvedValue(searchPage([declined]));
    renderForm();
    await userEvent.type(screen.getByLabelText('Title'), 'Dark mode');
    const warning = await screen.findByText(
      'A proposal with this exact title was declined:',
      {},
      { timeout: 2000 },
    );
    expect(warning.closest('p')!.textContent).toContain('Read why before proposing it again');
  });

  it('asks for the title once per pause in typing, and not before four characters', async () => {
    renderForm();
    const title = screen.getByLabelText('Title');
    await userEvent.type(title, 'Dar');
    await new Promise((r) => setTimeout(r, 600));
    expect(api.searchProposals).not.toHaveBeenCalled();

    await userEvent.type(title, 'k mode');
    await waitFor(() => expect(api.searchProposals).toHaveBeenCalledTimes(1), { timeout: 2000 });
    expect(api.searchProposals).toHaveBeenCalledWith('Dark mode', undefined, undefined);
    await new Promise((r) => setTimeout(r, 600));
    expect(api.searchProposals).toHaveBeenCalledTimes(1);

    await userEvent.type(title, ' toggle');
    await waitFor(() => expect(api.searchProposals).toHaveBeenCalledTimes(2), { timeout: 2000 });
    expect(api.searchProposals).toHaveBeenLastCalledWith('Dark mode toggle', undefined, undefined);
  });

  it('never blocks submitting', async () => {
    renderForm();
    await userEvent.type(screen.getByLabelText('Title'), 'node shuffling for security');
    await screen.findByRole('region', { name: HEADING }, { timeout: 2000 });
    await userEvent.type(screen.getByLabelText('Description'), 'Shuffle nodes between subnets.');
    await userEvent.click(screen.getByRole('button', { name: 'Submit proposal' }));
    await waitFor(() => expect(api.submitProposal).toHaveBeenCalled());
    expect(await screen.findByText('Proposal page')).toBeTruthy();
  });

  it('shows nothing when no proposal is similar or the lookup fails', async () => {
    api.similarProposals.mockRejectedValue(new Error('offline'));
    api.searchProposals.mockRejectedValue(new Error('offline'));
    renderForm();
    await userEvent.type(screen.getByLabelText('Title'), 'a brand new thing');
    await waitFor(() => expect(api.similarProposals).toHaveBeenCalled(), { timeout: 2000 });
    await waitFor(() => expect(api.searchProposals).toHaveBeenCalled(), { timeout: 2000 });
    expect(screen.queryByRole('region', { name: HEADING })).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('starts from the title a search link carries', async () => {
    renderForm('/proposals/new?title=quantum%20tea%20ceremony');
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('quantum tea ceremony');
    await waitFor(() =>
      expect(api.similarProposals).toHaveBeenCalledWith('quantum tea ceremony', ''),
    );
  });

  it('keeps a title the author already drafted over the one in the link', () => {
    window.localStorage.setItem(
      'roadmap-commons.draft.proposal-new',
      JSON.stringify({ title: 'My own words' }),
    );
    renderForm('/proposals/new?title=quantum%20tea');
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('My own words');
  });
});
