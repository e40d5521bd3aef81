import { useId, useState } from 'react';
import type { RoadmapItem } from '../api/models';
import { maxAffordableVotes, previewCredits, voteCost } from '../api/priority';
import { useAuth } from '../hooks/auth';
import { useSetPriorityVotes } from '../hooks/mutations';
import { useMyPriorities } from '../hooks/queries';
import { ErrorNotice, Loading } from './Feedback';
import { announce } from './LiveRegion';
import { SignInPrompt } from './SignInPrompt';

/**
 * Quadratic priority voting on one roadmap item: the member picks an absolute number of votes,
 * sees what it costs (n²) and what would be left, and only then commits.
 */
export function PriorityVoter({ item }: { item: RoadmapItem }) {
  const { status } = useAuth();
  const allocation = useMyPriorities();
  if (item.status === 'Deployed') {
    return (
      <p className="muted">
        This item is deployed: priority voting is closed, credits spent on it went back to their
        members, and the tally above is the one it reached before release.
      </p>
    );
  }
  if (status !== 'signedIn') return <SignInPrompt action="spend priority credits on this item" />;
  if (allocation.isPending) return <Loading label="Loading your credits…" />;
  if (allocation.isError) {
    return <ErrorNotice error={allocation.error} onRetry={() => void allocation.refetch()} />;
  }
  const current = allocation.data.votes[item.id] ?? 0;
  return (
    <PriorityForm
      key={item.id}
      itemId={item.id}
      current={current}
      creditsLeft={allocation.data.remaining}
      budget={allocation.data.budget}
    />
  );
}

function PriorityForm({
  itemId,
  current,
  creditsLeft,
  budget,
}: {
  itemId: string;
  current: number;
  creditsLeft: number;
  budget: number;
}) {
  const [next, setNext] = useState(current);
  const setVotes = useSetPriorityVotes(itemId);
  const id = useId();
  const max = maxAffordableVotes(creditsLeft, current);
  const preview = previewCredits(creditsLeft, current, next);
  const changed = next !== current;

  return (
    <form
      className="priority-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!changed || !preview.affordable || setVotes.isPending) return;
        setVotes.mutate(next, {
          onSuccess: (allocation) =>
            announce(
              `Saved: ${next} ${next === 1 ? 'vote' : 'votes'} on this item. ${allocation.remaining} credits left.`,
            ),
        });
      }}
    >
      <p>
        You have <strong>{creditsLeft}</strong> of {budget} credits left. You have{' '}
        <strong>{current}</strong> {current === 1 ? 'vote' : 'votes'} on this item (costing{' '}
        {voteCost(current)}).
      </p>
      <div className="stepper">
        <button
          type="button"
          className="btn"
          aria-label="One vote fewer"
          disabled={next <= 0}
          onClick={() => setNext(Math.max(0, next - 1))}
        >
          −
        </button>
        <label htmlFor={id} className="visually-hidden">
          Votes on this item
        </label>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={0}
          max={max}
          value={next}
          aria-describedby={`${id}-cost`}
          onChange={(e) => {
            const n = Number.parseInt(e.target.value, 10);
            setNext(Number.isFinite(n) && n >= 0 ? n : 0);
          }}
        />
        <button
          type="button"
          className="btn"
          aria-label="One vote more"
          disabled={next >= max}
          onClick={() => setNext(Math.min(max, next + 1))}
        >
          +
        </button>
      </div>
      <p
        id={`${id}-cost`}
        className={preview.affordable ? 'cost' : 'cost cost-over'}
        aria-live="polite"
      >
        {next} {next === 1 ? 'vote costs' : 'votes cost'} {next}² = <strong>{preview.cost}</strong>{' '}
        credits.{' '}
        {preview.affordable
          ? `You would have ${preview.creditsLeftAfter} credits left.`
          : `That is ${-preview.creditsLeftAfter} more than you have (at most ${max} votes).`}
      </p>
      {setVotes.isError && <ErrorNotice error={setVotes.error} />}
      {setVotes.isSuccess && !changed && (
        <p className="notice notice-success" role="status">
          Saved.
        </p>
      )}
      <button
        type="submit"
        className="btn btn-primary"
        // aria-disabled rather than disabled: after a commit the button keeps keyboard focus.
        aria-disabled={!changed || !preview.affordable || setVotes.isPending}
      >
        {setVotes.isPending ? 'Saving…' : `Commit ${next} ${next === 1 ? 'vote' : 'votes'}`}
      </button>
    </form>
  );
}
