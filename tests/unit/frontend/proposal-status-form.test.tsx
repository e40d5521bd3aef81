import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { describeError } from '../../../src/frontend/src/api/errors';
import type { ProposalDetail, ProposalSummary } from '../../../src/frontend/src/api/models';
import {
  ProposalStatusForm,
  proposalNumber,
} from '../../../src/frontend/src/components/ProposalStatusForm';
import { Providers, sampleRoadmap, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  getProposal: vi.fn(),
  getRoadmap: vi.fn(),
  listProposals: vi.fn(),
  setProposalStatus: vi.fn(),
}));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: 'signedIn', principal: 'admin-principal', signIn: vi.fn() }),
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
    ...patch,
  };
}

function summary(id: string, title: string): ProposalSummary {
  const { body: _body, revisionCount: _r, officialResponse: _o, ...rest } = detail(id, title);
  return { ...rest, excerpt: '' };
}

const proposals: Record<string, ProposalDetail> = {
  '1': detail('1', 'Shared security through node shuffling'),
  '2': detail('2', 'Node shuffling for shared security', {
    status: { kind: 'UnderReview' },
    officialResponse: {
      body: 'We are looking at it.',
      by: 'admin-principal',
      at: new Date(0),
      forStatus: { kind: 'Open' },
      revisions: 0,
    },
  }),
  '3': detail('3', 'Cheaper HTTPS outcalls'),
};

function renderForm(id: string) {
  const proposal = proposals[id];
  if (!proposal) throw new Error(`no sample proposal ${id}`);
  render(
    <Providers client={testQueryClient()}>
      <ProposalStatusForm proposalId={id} current={proposal.status} />
    </Providers>,
  );
}

beforeEach(() => {
  api.getProposal.mockReset().mockImplementation((id: string) => proposals[id] ?? null);
  api.getRoadmap.mockReset().mockResolvedValue(sampleRoadmap());
  api.listProposals.mockReset().mockResolvedValue({
    proposals: ['3', '2', '1'].map((id) => summary(id, proposals[id]?.title ?? '')),
    nextCursor: undefined,
  });
  api.setProposalStatus.mockReset().mockResolvedValue(undefined);
});

describe('<ProposalStatusForm>: the official response', () => {
  it('starts from the current response, and keeps it unsent when only the status changes', async () => {
    renderForm('2');
    const response = await screen.findByLabelText('Official response (optional, markdown)');
    expect((response as HTMLTextAreaElement).value).toBe('We are looking at it.');
    expect(screen.getByText(/Edit it to replace it/)).toBeTruthy();
    expect(screen.getByText(/written when the status was open/)).toBeTruthy();

    await userEvent.selectOptions(screen.getByLabelText('New status'), 'Done');
    await userEvent.click(screen.getByRole('button', { name: 'Set status' }));
    await waitFor(() => expect(api.setProposalStatus).toHaveBeenCalledTimes(1));
    // Unchanged, so it keeps its author and date instead of being written again.
    expect(api.setProposalStatus).toHaveBeenCalledWith('2', { kind: 'Done' }, 'keep');
  });

  it('sends an edited response, and points an emptied one to the explicit removal', async () => {
    renderForm('2');
    const response = await screen.findByLabelText('Official response (optional, markdown)');
    await userEvent.clear(response);
    await userEvent.click(screen.getByRole('button', { name: 'Set status' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/use “Remove response”/);
    expect(api.setProposalStatus).not.toHaveBeenCalled();

    await userEvent.type(response, 'Planned for next quarter.');
    await userEvent.click(screen.getByRole('button', { name: 'Set status' }));
    await waitFor(() =>
      expect(api.setProposalStatus).toHaveBeenCalledWith(
        '2',
        { kind: 'UnderReview' },
        { set: 'Planned for next quarter.' },
      ),
    );
  });

  it('removes the response on request, keeping the status chosen, and says so', async () => {
    renderForm('2');
    await screen.findByLabelText('Official response (optional, markdown)');
    await userEvent.click(screen.getByRole('button', { name: 'Remove response' }));
    await waitFor(() =>
      expect(api.setProposalStatus).toHaveBeenCalledWith('2', { kind: 'UnderReview' }, 'remove'),
    );
    expect((await screen.findByRole('status')).textContent).toBe('Response removed.');
    expect(
      (screen.getByLabelText('Official response (optional, markdown)') as HTMLTextAreaElement)
        .value,
    ).toBe('');
  });

  it('offers no removal while there is no response', async () => {
    renderForm('1');
    await screen.findByLabelText('Official response (optional, markdown)');
    expect(screen.queryByRole('button', { name: 'Remove response' })).toBeNull();
  });
});

describe('<ProposalStatusForm>: marking a duplicate', () => {
  it('accepts the number as the app shows it (#1) and names the original before saving', async () => {
    renderForm('2');
    await userEvent.selectOptions(await screen.findByLabelText('New status'), 'Duplicate');
    await userEvent.type(screen.getByLabelText('Duplicate of'), '#1');
    expect(
      await screen.findByText((_, el) =>
        Boolean(
          el?.tagName === 'P' &&
          el.textContent === 'Original: #1 “Shared security through node shuffling”',
        ),
      ),
    ).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Set status' }));
    await waitFor(() =>
      expect(api.setProposalStatus).toHaveBeenCalledWith(
        '2',
        { kind: 'Duplicate', proposalId: '1' },
        'keep',
      ),
    );
  });

  it('finds the original by words of its title, leaving out the proposal itself', async () => {
    renderForm('2');
    await userEvent.selectOptions(await screen.findByLabelText('New status'), 'Duplicate');
    await userEvent.type(screen.getByLabelText('Duplicate of'), 'shuffling security');
    const matches = await screen.findByRole('list', { name: 'Proposals whose title matches' });
    const offered = within(matches)
      .getAllByRole('button')
      .map((b) => b.textContent);
    expect(offered).toEqual(['#1 Shared security through node shuffling']);
    await userEvent.click(within(matches).getByRole('button'));
    expect((screen.getByLabelText('Duplicate of') as HTMLInputElement).value).toBe('#1');
    await screen.findByText(/Original: #1/);
  });

  it('says plainly when the number names no proposal, or the proposal itself', async () => {
    renderForm('2');
    await userEvent.selectOptions(await screen.findByLabelText('New status'), 'Duplicate');
    const field = screen.getByLabelText('Duplicate of');
    await userEvent.type(field, '#99');
    await screen.findByText('There is no proposal #99.');
    await userEvent.clear(field);
    await userEvent.type(field, '2');
    await screen.findByText('That is this proposal; choose the original.');
    await userEvent.click(screen.getByRole('button', { name: 'Set status' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/cannot be a duplicate/);
    expect(api.setProposalStatus).not.toHaveBeenCalled();
  });
});

describe('proposal numbers and not-found errors', () => {
  it('reads a proposal number as people write it', () => {
    expect(proposalNumber('#12')).toBe('12');
    expect(proposalNumber(' 12 ')).toBe('12');
    expect(proposalNumber('# 12')).toBe('12');
    expect(proposalNumber('node shuffling')).toBeUndefined();
    expect(proposalNumber('#1a')).toBeUndefined();
  });

  it('words the backend’s not-found errors as sentences', () => {
    expect(describeError({ kind: 'NotFound', what: 'proposal 99' })).toBe(
      'There is no proposal #99.',
    );
    expect(describeError({ kind: 'NotFound', what: 'item 4' })).toBe(
      'There is no roadmap item #4.',
    );
    expect(describeError({ kind: 'NotFound', what: 'milestone cyclotron' })).toBe(
      'There is no milestone “cyclotron”.',
    );
    expect(describeError({ kind: 'NotFound', what: 'neuron 5 is not linked to you' })).toBe(
      'Not found: neuron 5 is not linked to you.',
    );
  });
});
