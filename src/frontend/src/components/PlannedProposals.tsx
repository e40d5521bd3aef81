import { useEffect } from 'react';
import { Link } from 'react-router';
import type { ProposalStatusKind, ProposalSummary } from '../api/models';
import { useProposalList } from '../hooks/queries';
import { ErrorNotice } from './Feedback';
import { ProposalCard } from './ProposalCard';

const PLANNED: readonly ProposalStatusKind[] = ['Planned'];

/**
 * How many pages of planned proposals an item page reads at most. `listProposals` filters by
 * status, not by item, so the item's proposals are picked out of every planned one; planned
 * proposals are few (each is a maintainer's decision), and the bound keeps a board with very
 * many from costing a page view more than a few queries.
 */
export const MAX_PLANNED_PAGES = 5;

/**
 * The proposals planned as a roadmap item, with their supporters and discussions, and an
 * invitation to those supporters to back the item with priority votes: the way back from the
 * roadmap to the ideas that led to it.
 */
export function PlannedProposals({ itemId, deployed }: { itemId: string; deployed: boolean }) {
  const list = useProposalList({ sort: 'Top', statuses: PLANNED });
  const pages = list.data?.pages.length ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && pages < MAX_PLANNED_PAGES) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, pages]);

  if (list.isPending) return null;
  if (list.isError) return <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />;
  const planned = list.data.pages.flatMap((p) => p.proposals).filter((p) => isPlannedAs(p, itemId));
  if (planned.length === 0) return null;
  const supporters = planned.reduce((sum, p) => sum + p.up, 0);
  return (
    <section aria-labelledby="planned-proposals" className="section">
      <h2 id="planned-proposals">Proposals planned as this item</h2>
      <p className="muted">
        {planned.length === 1 ? 'This idea from the community' : 'These ideas from the community'}{' '}
        led to this item
        {supporters > 0 && (
          <>
            {' '}
            ({supporters} {supporters === 1 ? 'supporter' : 'supporters'} in all)
          </>
        )}
        .
        {!deployed && (
          <>
            {' '}
            Supported one of them? <a href="#priority-heading">Give this item priority votes</a> to
            say how soon it should come.
          </>
        )}
      </p>
      <ol className="proposal-list">
        {planned.map((p) => (
          <li key={p.id}>
            <ProposalCard proposal={p} headingLevel={3} />
          </li>
        ))}
      </ol>
      {list.hasNextPage && pages >= MAX_PLANNED_PAGES && (
        <p>
          <Link to="/proposals?status=Planned&sort=Top">All planned proposals</Link>
        </p>
      )}
    </section>
  );
}

function isPlannedAs(proposal: ProposalSummary, itemId: string): boolean {
  return proposal.status.kind === 'Planned' && proposal.status.itemId === itemId;
}
