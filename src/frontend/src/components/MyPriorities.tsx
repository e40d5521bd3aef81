import { useRef } from 'react';
import { Link } from 'react-router';
import type { PriorityAllocation, Roadmap, RoadmapItem } from '../api/models';
import { maxAffordableVotes, voteCost } from '../api/priority';
import { useSetPriorityVotes } from '../hooks/mutations';
import { useMyPriorities, useRoadmap } from '../hooks/queries';
import { ErrorNotice, Loading } from './Feedback';
import { announce } from './LiveRegion';

export interface Allocation {
  itemId: string;
  item: RoadmapItem | undefined;
  votes: number;
  cost: number;
}

/** The member's votes per item, most credits first, named from the roadmap when it is loaded. */
export function allocationsOf(
  allocation: PriorityAllocation,
  roadmap: Roadmap | undefined,
): Allocation[] {
  const items = new Map(
    (roadmap?.themes ?? []).flatMap((t) =>
      t.milestones.flatMap((m) => m.items.map((i) => [i.id, i])),
    ),
  );
  return Object.entries(allocation.votes)
    .filter(([, votes]) => votes > 0)
    .map(([itemId, votes]) => ({ itemId, item: items.get(itemId), votes, cost: voteCost(votes) }))
    .sort((a, b) => b.cost - a.cost || a.itemId.localeCompare(b.itemId));
}

function plural(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`;
}

export function creditSummary(a: PriorityAllocation): string {
  return `${a.spent} of ${a.budget} credits spent, ${a.remaining} left`;
}

/**
 * Where a member's priority credits went, with rebalancing in place: each row moves one vote
 * at a time (n votes cost n², so the step shows what it frees or costs) and can be cleared.
 * Signed-in members only; callers decide where it appears.
 */
export function MyPriorities({
  headingLevel = 2,
  heading: headingShown = 'visible',
}: {
  headingLevel?: 2 | 3;
  /** Hidden where a surrounding summary already says what this is. */
  heading?: 'visible' | 'hidden';
}) {
  const allocation = useMyPriorities();
  const roadmap = useRoadmap();
  const heading = useRef<HTMLHeadingElement>(null);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  if (allocation.isPending) return <Loading label="Loading your priority votes…" />;
  if (allocation.isError) {
    return <ErrorNotice error={allocation.error} onRetry={() => void allocation.refetch()} />;
  }
  const rows = allocationsOf(allocation.data, roadmap.data);
  return (
    <section className="my-priorities" aria-labelledby="my-priorities-heading">
      <Heading
        id="my-priorities-heading"
        ref={heading}
        tabIndex={-1}
        className={headingShown === 'hidden' ? 'visually-hidden' : undefined}
      >
        Your priority votes
      </Heading>
      <p className="small">
        {creditSummary(allocation.data)}. <span className="muted">n votes on an item cost n².</span>
      </p>
      {rows.length === 0 ? (
        <p className="muted small">
          You have not spent any credits yet. Open a roadmap item that is not deployed to vote on
          it.
        </p>
      ) : (
        <ul className="allocations">
          {rows.map((row) => (
            <AllocationRow
              key={row.itemId}
              row={row}
              creditsLeft={allocation.data.remaining}
              // A row that reaches 0 votes disappears; focus moves to the list's heading.
              onCleared={() => heading.current?.focus()}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function AllocationRow({
  row,
  creditsLeft,
  onCleared,
}: {
  row: Allocation;
  creditsLeft: number;
  onCleared: () => void;
}) {
  const setVotes = useSetPriorityVotes(row.itemId);
  const title = row.item?.title ?? `Roadmap item #${row.itemId}`;
  const max = maxAffordableVotes(creditsLeft, row.votes);
  const canAdd = row.votes + 1 <= max;
  const addCost = voteCost(row.votes + 1) - row.cost;

  // Buttons are never disabled (that would drop keyboard focus); a refused step says why.
  const change = (next: number) => {
    if (setVotes.isPending) return;
    if (next > row.votes && !canAdd) {
      announce(
        `Not enough credits: one more vote on ${title} costs ${addCost}, ${creditsLeft} left.`,
      );
      return;
    }
    setVotes.mutate(next, {
      onSuccess: (allocation) => {
        announce(
          next === 0
            ? `Removed your votes from ${title}. ${allocation.remaining} credits left.`
            : `${plural(next, 'vote', 'votes')} on ${title}, costing ${voteCost(next)}. ${allocation.remaining} credits left.`,
        );
        if (next === 0) onCleared();
      },
    });
  };

  return (
    <li className="allocation">
      <div className="allocation-title">
        {row.item ? <Link to={`/roadmap/items/${row.itemId}`}>{title}</Link> : title}
      </div>
      <div className="allocation-controls">
        <button
          type="button"
          className="btn btn-small"
          aria-label={`One vote fewer on ${title} (frees ${row.cost - voteCost(row.votes - 1)} credits)`}
          onClick={() => change(row.votes - 1)}
        >
          −
        </button>
        <span className="allocation-votes">
          <strong>{row.votes}</strong> {row.votes === 1 ? 'vote' : 'votes'}
          <span className="muted"> · {row.cost} credits</span>
        </span>
        <button
          type="button"
          className="btn btn-small"
          aria-label={`One vote more on ${title} (costs ${addCost} more credits)`}
          aria-disabled={!canAdd}
          onClick={() => change(row.votes + 1)}
        >
          +
        </button>
        <button
          type="button"
          className="btn btn-quiet btn-small"
          aria-label={`Remove your votes from ${title}`}
          onClick={() => change(0)}
        >
          Remove
        </button>
      </div>
      {setVotes.isError && <ErrorNotice error={setVotes.error} />}
    </li>
  );
}
