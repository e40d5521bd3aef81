import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CanisterError } from '../../../src/frontend/src/api/errors';
import type { ProposalDetail, VoteTally } from '../../../src/frontend/src/api/models';
import { VoteButtons } from '../../../src/frontend/src/components/VoteButtons';
import { applyVote } from '../../../src/frontend/src/hooks/optimistic';
import { queryKeys } from '../../../src/frontend/src/hooks/queryKeys';
import { useProposal } from '../../../src/frontend/src/hooks/queries';
import { deferred, Providers, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  voteProposal: vi.fn(),
  getProposal: vi.fn(),
}));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: 'signedIn', principal: 'me', signIn: vi.fn() }),
}));

const proposal: ProposalDetail = {
  id: '7',
  author: 'someone',
  authorName: 'Someone',
  title: 'Node shuffling',
  body: 'Shared security through node shuffling',
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
};

function Harness() {
  const p = useProposal('7');
  return p.data ? <VoteButtons proposal={p.data} /> : null;
}

describe('applyVote', () => {
  it('moves tallies like the backend: switching moves one vote, re-voting withdraws', () => {
    const t = { up: 4, down: 1, myVote: undefined } as const;
    expect(applyVote(t, 'Up')).toEqual({ up: 5, down: 1, myVote: 'Up' });
    expect(applyVote({ up: 5, down: 1, myVote: 'Up' }, 'Down')).toEqual({
      up: 4,
      down: 2,
      myVote: 'Down',
    });
    expect(applyVote({ up: 5, down: 1, myVote: 'Up' }, undefined)).toEqual({
      up: 4,
      down: 1,
      myVote: undefined,
    });
  });
});

describe('optimistic proposal votes', () => {
  beforeEach(() => {
    api.voteProposal.mockReset();
    api.getProposal.mockReset();
  });

  it('shows the vote at once and rolls it back when the backend refuses', async () => {
    const client = testQueryClient();
    client.setQueryData(queryKeys.proposal('7'), proposal);
    api.getProposal.mockResolvedValue(proposal);
    const reply = deferred<VoteTally>();
    api.voteProposal.mockReturnValue(reply.promise);

    render(
      <Providers client={client}>
        <Harness />
      </Providers>,
    );
    const up = screen.getByRole('button', { name: 'Support (4)' });
    expect(up.getAttribute('aria-pressed')).toBe('false');
    await userEvent.click(up);

    // Optimistic: pressed and counted before the backend answers.
    const pressed = await screen.findByRole('button', { name: 'Support (5)' });
    expect(pressed.getAttribute('aria-pressed')).toBe('true');
    expect(api.voteProposal).toHaveBeenCalledWith('7', 'Up');

    reply.reject(new CanisterError({ kind: 'RateLimited', retryAfterSeconds: 120 }));

    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Support (4)' }).getAttribute('aria-pressed')).toBe(
        'false',
      ),
    );
    expect(screen.getByRole('alert').textContent).toContain('Try again in 2 min');
    expect(client.getQueryData<ProposalDetail>(queryKeys.proposal('7'))?.up).toBe(4);
  });

  it('keeps the vote when the backend accepts it', async () => {
    const client = testQueryClient();
    client.setQueryData(queryKeys.proposal('7'), proposal);
    api.voteProposal.mockResolvedValue({ up: 5, down: 1, myVote: 'Up' });
    api.getProposal.mockResolvedValue({ ...proposal, up: 5, myVote: 'Up' });

    render(
      <Providers client={client}>
        <Harness />
      </Providers>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Support (4)' }));
    await waitFor(() => expect(api.getProposal).toHaveBeenCalled());
    const up = await screen.findByRole('button', { name: 'Support (5)' });
    expect(up.getAttribute('aria-pressed')).toBe('true');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
