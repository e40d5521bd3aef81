import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CanisterError } from '../../../src/frontend/src/api/errors';
import type { ProposalDetail, VoteTally } from '../../../src/frontend/src/api/models';
import { LiveRegion } from '../../../src/frontend/src/components/LiveRegion';
import { VoteButtons } from '../../../src/frontend/src/components/VoteButtons';
import { pendingVote } from '../../../src/frontend/src/hooks/pendingVote';
import { applyVote } from '../../../src/frontend/src/hooks/optimistic';
import { queryKeys } from '../../../src/frontend/src/hooks/queryKeys';
import { useProposal } from '../../../src/frontend/src/hooks/queries';
import { deferred, Providers, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  voteProposal: vi.fn(),
  getProposal: vi.fn(),
}));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
const auth = vi.hoisted(() => ({ status: 'signedIn', signIn: (): void => undefined }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: auth.status, principal: 'me', signIn: auth.signIn }),
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
    auth.status = 'signedIn';
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

  it('keeps keyboard focus on the pressed button and announces the new tally', async () => {
    const client = testQueryClient();
    client.setQueryData(queryKeys.proposal('7'), proposal);
    const reply = deferred<VoteTally>();
    api.voteProposal.mockReturnValue(reply.promise);
    api.getProposal.mockResolvedValue({ ...proposal, up: 5, myVote: 'Up' });
    render(
      <Providers client={client}>
        <Harness />
        <LiveRegion />
      </Providers>,
    );
    const up = screen.getByRole('button', { name: 'Support (4)' });
    up.focus();
    await userEvent.keyboard('{Enter}');
    // While the vote is on its way the button stays enabled and focused.
    expect((up as HTMLButtonElement).disabled).toBe(false);
    expect(document.activeElement).toBe(up);
    await userEvent.keyboard('{Enter}');
    reply.resolve({ up: 5, down: 1, myVote: 'Up' });
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        'You support “Node shuffling”. 5 support, 1 oppose.',
      ),
    );
    expect(document.activeElement).toBe(up);
    // A second press while the first vote is pending is not sent twice.
    expect(api.voteProposal).toHaveBeenCalledTimes(1);
  });
});

describe('a vote cast while signed out', () => {
  beforeEach(() => {
    api.voteProposal.mockReset();
    api.getProposal.mockReset();
  });

  it('explains why sign-in is needed, then completes the vote after sign-in', async () => {
    auth.status = 'anonymous';
    const signIn = vi.fn();
    auth.signIn = signIn;
    const client = testQueryClient();
    client.setQueryData(queryKeys.proposal('7'), proposal);
    api.voteProposal.mockResolvedValue({ up: 5, down: 1, myVote: 'Up' });
    api.getProposal.mockResolvedValue({ ...proposal, up: 5, myVote: 'Up' });
    const view = render(
      <Providers client={client}>
        <Harness />
      </Providers>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Support (4)' }));
    expect(api.voteProposal).not.toHaveBeenCalled();
    screen.getByText(/votes are tied to an Internet Identity/);
    const go = screen.getByRole('button', { name: 'Sign in to support' });
    expect(document.activeElement).toBe(go);
    await userEvent.click(go);
    expect(signIn).toHaveBeenCalledOnce();
    expect(pendingVote()).toEqual({ proposalId: '7', direction: 'Up' });

    // Sign-in completes: the page shows the member's own data and the vote is cast once.
    auth.status = 'signedIn';
    view.rerender(
      <Providers client={client}>
        <Harness />
      </Providers>,
    );
    await waitFor(() => expect(api.voteProposal).toHaveBeenCalledWith('7', 'Up'));
    expect(pendingVote()).toBeUndefined();
    await screen.findByRole('button', { name: 'Support (5)' });
    expect(screen.queryByText(/votes are tied to an Internet Identity/)).toBeNull();
    expect(api.voteProposal).toHaveBeenCalledTimes(1);
  });

  it('does not vote again when the member had already cast the same vote', async () => {
    auth.status = 'signedIn';
    window.sessionStorage.setItem(
      'roadmap-commons.pending-vote',
      JSON.stringify({ proposalId: '7', direction: 'Up' }),
    );
    const client = testQueryClient();
    client.setQueryData(queryKeys.proposal('7'), { ...proposal, up: 5, myVote: 'Up' });
    render(
      <Providers client={client}>
        <Harness />
      </Providers>,
    );
    await screen.findByRole('button', { name: 'Support (5)' });
    expect(api.voteProposal).not.toHaveBeenCalled();
    expect(pendingVote()).toBeUndefined();
  });
});
