import { votingClosed, type ProposalStatus, type VoteDirection } from '../api/models';
import { useAuth } from '../hooks/auth';
import { useVoteProposal } from '../hooks/mutations';
import { ErrorNotice } from './Feedback';

export function VoteButtons({
  proposal,
  compact = false,
}: {
  proposal: {
    id: string;
    title: string;
    up: number;
    down: number;
    myVote: VoteDirection | undefined;
    status: ProposalStatus;
  };
  compact?: boolean;
}) {
  const { status, signIn } = useAuth();
  const vote = useVoteProposal(proposal.id);
  const closed = votingClosed(proposal.status);
  const score = proposal.up - proposal.down;

  const cast = (direction: VoteDirection) => {
    if (status !== 'signedIn') {
      signIn();
      return;
    }
    // Pressing the active direction again withdraws the vote.
    vote.mutate(proposal.myVote === direction ? undefined : direction);
  };

  return (
    <div className={compact ? 'votes votes-compact' : 'votes'}>
      <div className="vote-group" role="group" aria-label={`Vote on “${proposal.title}”`}>
        <button
          type="button"
          className="vote-btn vote-up"
          aria-pressed={proposal.myVote === 'Up'}
          aria-label={`Support (${proposal.up})`}
          disabled={closed || vote.isPending}
          onClick={() => cast('Up')}
        >
          <span aria-hidden="true">▲</span>
          {!compact && <span className="vote-count">{proposal.up}</span>}
        </button>
        <span className="vote-score" aria-label={`Score ${score}`}>
          {score}
        </span>
        <button
          type="button"
          className="vote-btn vote-down"
          aria-pressed={proposal.myVote === 'Down'}
          aria-label={`Oppose (${proposal.down})`}
          disabled={closed || vote.isPending}
          onClick={() => cast('Down')}
        >
          <span aria-hidden="true">▼</span>
          {!compact && <span className="vote-count">{proposal.down}</span>}
        </button>
      </div>
      {closed && !compact && <p className="muted small">Voting is closed for this proposal.</p>}
      {vote.isError && <ErrorNotice error={vote.error} />}
    </div>
  );
}
