import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Principal } from '@dfinity/principal';
import { activityEntry, merge as mergeOf } from '../../../src/frontend/src/api/convert';
import { CanisterError } from '../../../src/frontend/src/api/errors';
import type { Me, Merge, ProposalDetail } from '../../../src/frontend/src/api/models';
import { LiveRegion } from '../../../src/frontend/src/components/LiveRegion';
import { mergeMoving } from '../../../src/frontend/src/hooks/queries';
import ProposalPage from '../../../src/frontend/src/pages/ProposalPage';
import { sampleRoadmap, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  getProposal: vi.fn(),
  getRoadmap: vi.fn(),
  getThread: vi.fn(),
  whoami: vi.fn(),
  isFollowing: vi.fn(),
  listRoles: vi.fn(),
  getProfile: vi.fn(),
  mergeProposal: vi.fn(),
  unmergeProposal: vi.fn(),
  searchProposals: vi.fn(),
}));
const auth = vi.hoisted(() => ({
  status: 'signedOut',
  principal: undefined as string | undefined,
}));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: auth.status, principal: auth.principal, signIn: vi.fn() }),
}));

function detail(id: string, title: string, patch: Partial<ProposalDetail> = {}): ProposalDetail {
  return {
    id,
    author: 'bob-principal',
    authorName: 'Bob',
    title,
    body: '',
    themeId: undefined,
    tags: [],
    status: { kind: 'Open' },
    createdAt: new Date(0),
    updatedAt: new Date(0),
    up: 0,
    down: 0,
    commentCount: 0,
    revisionCount: 0,
    officialResponse: undefined,
    myVote: undefined,
    hidden: undefined,
    mergedFrom: [],
    ...patch,
  };
}

function merge(patch: Partial<Merge> = {}): Merge {
  return {
    duplicate: '7',
    into: '3',
    by: 'mia-principal',
    at: new Date(Date.now() - 60_000),
    note: 'Same request',
    state: 'Merged',
    votesMoved: 2,
    ...patch,
  };
}

let proposals: Record<string, ProposalDetail> = {};

function sample(): Record<string, ProposalDetail> {
  return {
    '3': detail('3', 'Node shuffling', { up: 2 }),
    '4': detail('4', 'Done already', { status: { kind: 'Done' } }),
    '7': detail('7', 'Shuffle nodes', { up: 4, down: 1 }),
  };
}

const me = (principal: string, role: Me['role']): Me => ({
  principal,
  isAnonymous: false,
  profile: undefined,
  role,
  creditBudget: 100,
  creditsLeft: 100,
});

function signIn(role: Me['role']) {
  auth.status = 'signedIn';
  auth.principal = `${role.toLowerCase()}-principal`;
  api.whoami.mockResolvedValue(me(auth.principal, role));
}

function renderPage(id = '7') {
  const client = testQueryClient();
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[`/proposals/${id}`]}>
        <Routes>
          <Route path="/proposals/:id" element={<ProposalPage />} />
        </Routes>
      </MemoryRouter>
      <LiveRegion />
    </QueryClientProvider>,
  );
  return client;
}

beforeEach(() => {
  proposals = sample();
  auth.status = 'signedOut';
  auth.principal = undefined;
  api.getProposal.mockReset().mockImplementation((id: string) => proposals[id] ?? null);
  api.getRoadmap.mockReset().mockResolvedValue(sampleRoadmap());
  api.getThread.mockReset().mockResolvedValue({ comments: [], nextCursor: undefined });
  api.whoami.mockReset();
  api.isFollowing.mockReset().mockResolvedValue(false);
  api.listRoles.mockReset().mockResolvedValue([]);
  api.getProfile.mockReset().mockResolvedValue(null);
  api.mergeProposal.mockReset();
  api.unmergeProposal.mockReset();
  api.searchProposals.mockReset();
});

/** The line under the number field naming the target once it is found. */
async function expectHint(form: HTMLElement, text: string) {
  await waitFor(() => expect(form.querySelector('[id$="-into-hint"]')?.textContent).toBe(text));
}

async function openForm() {
  const user = userEvent.setup();
  const open = await screen.findByRole('button', { name: 'Merge into another proposal' });
  await user.click(open);
  const form = screen.getByRole('form', { name: 'Merge proposal #7 into another proposal' });
  return { user, open, form };
}

describe('merging a proposal into another', () => {
  it('is offered to moderators, not to members', async () => {
    signIn('Member');
    renderPage();
    await screen.findByRole('heading', { name: 'Shuffle nodes', level: 1 });
    await waitFor(() => expect(api.whoami).toHaveBeenCalled());
    expect(screen.queryByRole('button', { name: 'Merge into another proposal' })).toBeNull();
  });

  it('moves focus into the form, and back to its button on cancel', async () => {
    signIn('Moderator');
    renderPage();
    const { user, open, form } = await openForm();
    expect(open.getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement).toBe(within(form).getByLabelText('Merge into proposal number'));
    await user.click(within(form).getByRole('button', { name: 'Cancel' }));
    expect(
      screen.queryByRole('form', { name: 'Merge proposal #7 into another proposal' }),
    ).toBeNull();
    expect(document.activeElement).toBe(open);
    expect(open.getAttribute('aria-expanded')).toBe('false');
  });

  it('checks the target before confirming: a number, not itself, existing and open', async () => {
    signIn('Moderator');
    renderPage();
    const { user, form } = await openForm();
    const into = within(form).getByLabelText('Merge into proposal number');
    const review = within(form).getByRole('button', { name: 'Review the merge' });

    await user.click(review);
    expect(
      within(form).getByText('Enter the number of the proposal to merge into (#12).'),
    ).toBeTruthy();
    expect(into.getAttribute('aria-invalid')).toBe('true');
    expect(into.getAttribute('aria-describedby')).toContain('-into-error');
    expect(document.activeElement).toBe(into);

    await user.type(into, 'shuffle');
    await user.click(review);
    expect(within(form).getByText('Enter the proposal’s number, like #12.')).toBeTruthy();

    await user.clear(into);
    await user.type(into, '#7');
    await user.click(review);
    expect(
      within(form).getByText(
        'A proposal cannot be merged into itself: enter the other proposal’s number.',
      ),
    ).toBeTruthy();

    await user.clear(into);
    await user.type(into, '99');
    await expectHint(form, 'There is no proposal #99.');
    await user.click(review);
    expect(within(form).getByText('There is no proposal #99.', { selector: '.field-error' }));

    await user.clear(into);
    await user.type(into, '4');
    await expectHint(form, 'Into: #4 “Done already” (0 up, 0 down)');
    await user.click(review);
    expect(
      within(form).getByText('Voting is closed on #4: merge into an open proposal.'),
    ).toBeTruthy();

    await user.click(within(form).getByLabelText('Note (optional)'));
    await user.paste('x'.repeat(1001));
    expect(within(form).getByText('1001/1000')).toBeTruthy();
    expect(api.mergeProposal).not.toHaveBeenCalled();
  });

  it('finds the target by its title among open proposals, and fills in its number', async () => {
    signIn('Moderator');
    const summary = ({
      body: _b,
      revisionCount: _r,
      officialResponse: _o,
      ...p
    }: ProposalDetail) => ({
      ...p,
      excerpt: '',
    });
    api.searchProposals.mockResolvedValue({
      proposals: ['7', '4', '3'].map((id) => summary(proposals[id] as ProposalDetail)),
      nextCursor: undefined,
      pending: 0,
    });
    renderPage();
    const { user, form } = await openForm();
    await user.type(within(form).getByLabelText('Or find it by title'), 'node');
    const matches = await within(form).findByRole('list', {
      name: 'Open proposals with a title like that',
    });
    expect(api.searchProposals).toHaveBeenLastCalledWith('node', undefined, undefined);
    // Not the proposal itself, nor a closed one.
    expect(
      within(matches)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['#3 Node shuffling']);
    expect(within(form).getByText('1 open proposal:')).toBeTruthy();
    await user.click(within(matches).getByRole('button', { name: '#3 Node shuffling' }));
    const into = within(form).getByLabelText<HTMLInputElement>('Merge into proposal number');
    expect(into.value).toBe('#3');
    expect(document.activeElement).toBe(into);
    await expectHint(form, 'Into: #3 “Node shuffling” (2 up, 0 down)');
  });

  it('says what will happen, merges, announces it and shows the merge', async () => {
    signIn('Moderator');
    api.mergeProposal.mockImplementation(async () => {
      const done = merge({ by: 'moderator-principal', note: 'Same request' });
      const copy = proposals['7'];
      if (copy)
        proposals['7'] = { ...copy, status: { kind: 'Duplicate', proposalId: '3' }, merge: done };
      const target = proposals['3'];
      if (target) proposals['3'] = { ...target, up: 3, down: 1, mergedFrom: [done] };
      return done;
    });
    renderPage();
    const { user, form } = await openForm();
    await user.type(within(form).getByLabelText('Merge into proposal number'), '#3');
    await expectHint(form, 'Into: #3 “Node shuffling” (2 up, 0 down)');
    await user.type(within(form).getByLabelText('Note (optional)'), '  Same request ');
    await user.click(within(form).getByRole('button', { name: 'Review the merge' }));

    const heading = within(form).getByRole('heading', { name: 'Merge #7 into #3?' });
    expect(document.activeElement).toBe(heading);
    expect(form.textContent).toContain('#7 closes as a duplicate of #3 “Node shuffling”.');
    expect(form.textContent).toContain(
      'Its 5 votes move to #3 unless the voter already voted there (4 up, 1 down).',
    );
    expect(form.textContent).toContain('Note: Same request');
    expect(api.mergeProposal).not.toHaveBeenCalled();

    await user.click(within(form).getByRole('button', { name: 'Merge into #3' }));
    expect(api.mergeProposal).toHaveBeenCalledWith({
      duplicate: '7',
      into: '3',
      note: '  Same request ',
    });
    const banner = await screen.findByRole('heading', { name: 'Merged into #3 “Node shuffling”' });
    await waitFor(() => expect(document.activeElement).toBe(banner));
    expect(screen.getByText('Proposal #7 merged into #3: 2 votes moved.')).toBeTruthy();
    // The merge replaces the form and the plain duplicate notice.
    expect(screen.queryByRole('button', { name: 'Merge into another proposal' })).toBeNull();
    expect(screen.queryByText(/support and discuss it there\.$/)).toBeNull();
  });

  it('shows the backend’s refusal in the confirmation, as other errors are shown', async () => {
    signIn('Moderator');
    api.mergeProposal.mockRejectedValue(
      new CanisterError({ kind: 'Conflict', reason: 'proposal 5 was merged into proposal 7' }),
    );
    renderPage();
    const { user, form } = await openForm();
    await user.type(within(form).getByLabelText('Merge into proposal number'), '3');
    await expectHint(form, 'Into: #3 “Node shuffling” (2 up, 0 down)');
    await user.click(within(form).getByRole('button', { name: 'Review the merge' }));
    await user.click(within(form).getByRole('button', { name: 'Merge into #3' }));
    const alert = await within(form).findByRole('alert');
    expect(alert.textContent).toBe('Proposal 5 was merged into proposal 7.');
    // Back to the form keeps what was entered.
    await user.click(within(form).getByRole('button', { name: 'Back' }));
    const into = within(form).getByLabelText<HTMLInputElement>('Merge into proposal number');
    expect(into.value).toBe('3');
    expect(document.activeElement).toBe(into);
  });
});

describe('a merged duplicate’s banner', () => {
  it('names the target with a link, the note, who merged it, when, and the votes moved', async () => {
    proposals['7'] = detail('7', 'Shuffle nodes', {
      status: { kind: 'Duplicate', proposalId: '3' },
      merge: merge(),
    });
    renderPage();
    const heading = await screen.findByRole('heading', {
      name: 'Merged into #3 “Node shuffling”',
    });
    const banner = heading.closest('section');
    if (!banner) throw new Error('no banner');
    const link = within(banner).getByRole('link', { name: '#3 “Node shuffling”' });
    expect(link.getAttribute('href')).toBe('/proposals/3');
    expect(within(banner).getByText('Note:', { exact: false }).textContent).toBe(
      'Note: Same request',
    );
    expect(banner.textContent).toContain('Merged by member mia');
    expect(banner.textContent).toContain('1 minute ago');
    expect(banner.textContent).toContain('2 votes moved to #3');
    expect(within(banner).queryByText('Moving votes…')).toBeNull();
    expect(within(banner).queryByRole('button', { name: 'Undo merge' })).toBeNull();
    // Comments stay below.
    await screen.findByRole('heading', { name: 'Discussion' });
  });

  it('says votes are moving while Merging, reading again until they are done', async () => {
    proposals['7'] = detail('7', 'Shuffle nodes', {
      status: { kind: 'Duplicate', proposalId: '3' },
      merge: merge({ state: 'Merging', votesMoved: 40 }),
    });
    signIn('Admin');
    renderPage();
    await screen.findByText('Moving votes…');
    // An admin cannot undo a merge whose votes are still moving.
    expect(screen.queryByRole('button', { name: 'Undo merge' })).toBeNull();
    const calls = () => api.getProposal.mock.calls.filter(([id]) => id === '7').length;
    const before = calls();
    proposals['7'] = { ...proposals['7'], merge: merge({ votesMoved: 80 }) } as ProposalDetail;
    await waitFor(() => expect(calls()).toBeGreaterThan(before), { timeout: 4000 });
    await screen.findByText('80 votes moved to #3', { exact: false });
    expect(screen.queryByText('Moving votes…')).toBeNull();
    await screen.findByRole('button', { name: 'Undo merge' });
  }, 10_000);

  it('says the merge is being undone while Unmerging', async () => {
    proposals['7'] = detail('7', 'Shuffle nodes', {
      status: { kind: 'Open' },
      merge: merge({ state: 'Unmerging', votesMoved: 12 }),
    });
    signIn('Admin');
    renderPage();
    await screen.findByText('Undoing the merge: taking its votes back…');
    expect(screen.getByText('12 votes still to take back', { exact: false })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Undo merge' })).toBeNull();
  });

  it('lets admins undo it after a confirmation, and not moderators', async () => {
    proposals['7'] = detail('7', 'Shuffle nodes', {
      status: { kind: 'Duplicate', proposalId: '3' },
      merge: merge(),
    });
    signIn('Moderator');
    renderPage();
    await screen.findByRole('heading', { name: /^Merged into / });
    await waitFor(() => expect(api.whoami).toHaveBeenCalled());
    expect(screen.queryByRole('button', { name: 'Undo merge' })).toBeNull();
  });

  it('undoes it for an admin, with focus kept and the result announced', async () => {
    proposals['7'] = detail('7', 'Shuffle nodes', {
      status: { kind: 'Duplicate', proposalId: '3' },
      merge: merge(),
    });
    api.unmergeProposal.mockImplementation(async () => {
      proposals['7'] = detail('7', 'Shuffle nodes');
      return merge({ state: 'Unmerging', votesMoved: 0 });
    });
    signIn('Admin');
    renderPage();
    const user = userEvent.setup();
    const undo = await screen.findByRole('button', { name: 'Undo merge' });
    await user.click(undo);
    const question = screen.getByText(/^Undo this merge\?/);
    expect(document.activeElement).toBe(question);
    expect(question.textContent).toBe(
      'Undo this merge? The 2 votes it moved leave #3 (votes members cast there themselves stay), and #7 gets its earlier status back.',
    );
    await user.click(screen.getByRole('button', { name: 'Keep the merge' }));
    expect(document.activeElement).toBe(undo);
    expect(api.unmergeProposal).not.toHaveBeenCalled();

    await user.click(undo);
    await user.click(screen.getByRole('button', { name: 'Yes, undo the merge' }));
    expect(api.unmergeProposal).toHaveBeenCalledWith('7');
    await waitFor(() =>
      expect(screen.queryByRole('heading', { name: /^Merged into / })).toBeNull(),
    );
    expect(screen.getByText('Merge undone: proposal #7 is back as it was before.')).toBeTruthy();
    await waitFor(() =>
      expect(document.activeElement).toBe(
        screen.getByRole('heading', { name: 'Shuffle nodes', level: 1 }),
      ),
    );
  });
});

describe('a proposal with duplicates merged into it', () => {
  it('lists them as links with the votes each brought', async () => {
    proposals['5'] = detail('5', 'Subnet node rotation');
    proposals['6'] = detail('6', '');
    proposals['3'] = detail('3', 'Node shuffling', {
      mergedFrom: [
        merge({ duplicate: '5' }),
        merge({ duplicate: '6', state: 'Merging', votesMoved: 1 }),
      ],
    });
    renderPage('3');
    const list = await screen.findByRole('list', { name: 'Merged from' });
    await within(list).findByText('Subnet node rotation');
    const items = within(list).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      '#5 “Subnet node rotation” (2 votes moved)',
      'proposal #6 (1 vote moved so far)',
    ]);
    expect(
      within(list).getByRole('link', { name: '#5 “Subnet node rotation”' }).getAttribute('href'),
    ).toBe('/proposals/5');
    expect(screen.getByText('Votes are moving; the counts update as they arrive.')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: /^Merged into / })).toBeNull();
  });

  it('reads again only while votes move', () => {
    const base = detail('3', 'Node shuffling');
    expect(mergeMoving(base)).toBe(false);
    expect(mergeMoving({ ...base, mergedFrom: [merge()] })).toBe(false);
    expect(mergeMoving({ ...base, mergedFrom: [merge({ state: 'Merging' })] })).toBe(true);
    expect(mergeMoving({ ...base, merge: merge({ state: 'Unmerging' }) })).toBe(true);
  });
});

describe('merges from the backend', () => {
  const mia = Principal.fromText('aaaaa-aa');

  it('become app models', () => {
    expect(
      mergeOf({
        duplicate: 7n,
        into: 3n,
        by: mia,
        at: 1_000_000n,
        note: [],
        state: { Merging: null },
        votesMoved: 4,
      }),
    ).toEqual({
      duplicate: '7',
      into: '3',
      by: 'aaaaa-aa',
      at: new Date(1),
      note: undefined,
      state: 'Merging',
      votesMoved: 4,
    });
  });

  it('read well in the activity log', () => {
    const at = (kind: Parameters<typeof activityEntry>[0]['kind']) =>
      activityEntry({ id: 9n, at: 0n, actor: mia, kind });
    expect(at({ ProposalMerged: { proposalId: 7n, into: 3n, note: ['same idea'] } })).toMatchObject(
      {
        summary: 'merged proposal #7 into proposal #3, moving its votes there (note: same idea)',
        link: '/proposals/7',
      },
    );
    expect(at({ ProposalUnmerged: { proposalId: 7n, into: 3n } })).toMatchObject({
      summary: 'undid the merge of proposal #7 into proposal #3, taking its votes back',
      link: '/proposals/7',
    });
  });
});
