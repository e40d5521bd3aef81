import type { Id, VoteDirection } from '../api/models';

/**
 * A vote a visitor cast before signing in. It is kept in sessionStorage (the sign-in window
 * may be slow, and a reload must not lose it) and cast once the same tab is signed in.
 */
export interface PendingVote {
  proposalId: Id;
  direction: VoteDirection;
}

const KEY = 'roadmap-commons.pending-vote';

export function rememberVote(vote: PendingVote): void {
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(vote));
  } catch {
    // Storage disabled: the vote is simply not completed after sign-in.
  }
}

export function pendingVote(): PendingVote | undefined {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (raw === null) return undefined;
    const parsed = JSON.parse(raw) as Partial<PendingVote>;
    return typeof parsed.proposalId === 'string' &&
      (parsed.direction === 'Up' || parsed.direction === 'Down')
      ? { proposalId: parsed.proposalId, direction: parsed.direction }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the pending vote for this proposal, so it is cast exactly once. */
export function takePendingVote(proposalId: Id): VoteDirection | undefined {
  const vote = pendingVote();
  if (vote?.proposalId !== proposalId) return undefined;
  forgetPendingVote();
  return vote.direction;
}

export function forgetPendingVote(): void {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // See rememberVote.
  }
}
