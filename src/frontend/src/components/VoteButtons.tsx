import { useEffect, useRef, useState } from 'react';
import { votingClosed, type ProposalStatus, type VoteDirection } from '../api/models';
import { useAuth } from '../hooks/auth';
import { useVoteProposal } from '../hooks/mutations';
import { forgetPendingVote, rememberVote, takePendingVote } from '../hooks/pendingVote';
import { ErrorNotice } from './Feedback';
import { announce } from './LiveRegion';
import { TallyMark } from './TallyMark';

interface VotableProposal {
  id: string;
  title: string;
  up: number;
  down: number;
  myVote: VoteDirection | undefined;
  status: ProposalStatus;
  /** Moderators hid it: its tallies stay as they were until it is restored. */
  hidden?: { reason: string } | undefined;
}

/** Why the vote buttons are disabled, if they are; shown beside them and as their tooltip. */
export function votesFrozenReason(proposal: Pick<VotableProposal, 'status' | 'hidden'>) {
  if (proposal.hidden) return 'Votes are frozen while the proposal is hidden by moderators.';
  if (votingClosed(proposal.status)) return 'Voting is closed for this proposal.';
  return undefined;
}

function voteMessage(title: string, vote: VoteDirection | undefined, up: number, down: number) {
  const what =
    vote === 'Up'
      ? `You support “${title}”.`
      : vote === 'Down'
        ? `You oppose “${title}”.`
        : `Your vote on “${title}” is withdrawn.`;
  return `${what} ${up} support, ${down} oppose.`;
}

export function VoteButtons({
  proposal,
  compact = false,
}: {
  proposal: VotableProposal;
  compact?: boolean;
}) {
  const { status, signIn } = useAuth();
  const vote = useVoteProposal(proposal.id);
  const frozenReason = votesFrozenReason(proposal);
  const closed = frozenReason !== undefined;
  const score = proposal.up - proposal.down;
  // The direction a signed-out visitor pressed, while the sign-in explanation is open.
  const [asked, setAsked] = useState<VoteDirection>();
  const explainButton = useRef<HTMLButtonElement>(null);
  const upButton = useRef<HTMLButtonElement>(null);
  const downButton = useRef<HTMLButtonElement>(null);

  const submit = (next: VoteDirection | undefined) => {
    vote.mutate(next, {
      onSuccess: (tally) => announce(voteMessage(proposal.title, next, tally.up, tally.down)),
    });
  };

  // A vote pressed before signing in is cast once this tab is signed in. Sign-in refetches the
  // proposal, so `myVote` here is the member's own: an equal vote is already counted.
  const signedIn = status === 'signedIn';
  useEffect(() => {
    if (!signedIn || closed) return;
    const direction = takePendingVote(proposal.id);
    if (!direction) return;
    if (proposal.myVote !== direction) submit(direction);
    // Signing in reloads the page's data, which replaced the button that was pressed.
    if (document.activeElement === document.body || document.activeElement === null) {
      (direction === 'Up' ? upButton : downButton).current?.focus();
    }
  }, [signedIn, closed, proposal.id]);

  // The explanation takes focus while open; once signed in, focus returns to the vote pressed.
  useEffect(() => {
    if (!asked) return;
    if (signedIn) {
      (asked === 'Up' ? upButton : downButton).current?.focus();
      setAsked(undefined);
    } else {
      explainButton.current?.focus();
    }
  }, [asked, signedIn]);

  const cast = (direction: VoteDirection) => {
    if (closed) return;
    if (!signedIn) {
      setAsked(direction);
      return;
    }
    // Buttons stay enabled (a disabled button drops keyboard focus); a second press while the
    // first vote is on its way is ignored so votes reach the backend in order.
    if (vote.isPending) return;
    // Pressing the active direction again withdraws the vote.
    submit(proposal.myVote === direction ? undefined : direction);
  };

  return (
    <div className={compact ? 'votes votes-compact' : 'votes'}>
      <div className="vote-group" role="group" aria-label={`Vote on “${proposal.title}”`}>
        <button
          ref={upButton}
          type="button"
          className="vote-btn vote-up"
          aria-pressed={proposal.myVote === 'Up'}
          aria-label={`Support (${proposal.up})`}
          title={frozenReason}
          disabled={closed}
          onClick={() => cast('Up')}
        >
          <span aria-hidden="true">▲</span>
          {!compact && <span className="vote-count">{proposal.up}</span>}
        </button>
        <span className="vote-score" aria-label={`Score ${score}`}>
          {score}
        </span>
        <button
          ref={downButton}
          type="button"
          className="vote-btn vote-down"
          aria-pressed={proposal.myVote === 'Down'}
          aria-label={`Oppose (${proposal.down})`}
          title={frozenReason}
          disabled={closed}
          onClick={() => cast('Down')}
        >
          <span aria-hidden="true">▼</span>
          {!compact && <span className="vote-count">{proposal.down}</span>}
        </button>
      </div>
      <TallyMark
        kind="proposal"
        id={proposal.id}
        shown={{ up: proposal.up, down: proposal.down }}
        compact={compact}
      />
      {asked && !signedIn && (
        <div
          className="vote-popover"
          role="group"
          aria-label="Sign in to vote"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setAsked(undefined);
          }}
        >
          <p>
            Each member votes once, so votes are tied to an Internet Identity. Sign in and your{' '}
            {asked === 'Up' ? 'support' : 'opposition'} is recorded right away.
          </p>
          <div className="form-actions">
            <button
              ref={explainButton}
              type="button"
              className="btn btn-primary btn-small"
              aria-disabled={status === 'signingIn'}
              onClick={() => {
                if (status === 'signingIn') return;
                rememberVote({ proposalId: proposal.id, direction: asked });
                signIn();
              }}
            >
              {status === 'signingIn'
                ? 'Signing in…'
                : `Sign in to ${asked === 'Up' ? 'support' : 'oppose'}`}
            </button>
            <button
              type="button"
              className="btn btn-quiet btn-small"
              onClick={() => {
                forgetPendingVote();
                setAsked(undefined);
              }}
            >
              Not now
            </button>
          </div>
        </div>
      )}
      {vote.isError && <ErrorNotice error={vote.error} />}
    </div>
  );
}
