import { useEffect, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { asCanisterError } from '../api/errors';
import {
  PROPOSAL_STATUS_KINDS,
  proposalStatusLabel,
  type ProposalStatusKind,
  type ProposalSummary,
} from '../api/models';
import { Empty, ErrorNotice, Loading } from '../components/Feedback';
import { announce } from '../components/LiveRegion';
import { ProposalCard } from '../components/ProposalCard';
import { queryStems } from '../components/search/highlight';
import { useSearch } from '../hooks/queries';
import { usePageTitle } from './usePageTitle';

function statusFrom(value: string | null): ProposalStatusKind | undefined {
  return PROPOSAL_STATUS_KINDS.find((k) => k === value);
}

/** The submit form with the query as the draft's title. */
export function proposeFromQuery(query: string): string {
  return `/proposals/new?${new URLSearchParams({ title: query.trim() }).toString()}`;
}

function countLabel(count: number, more: boolean): string {
  const noun = count === 1 ? 'proposal' : 'proposals';
  return more ? `${count} ${noun} found so far` : `${count} ${noun} found`;
}

export default function SearchPage() {
  const [params, setParams] = useSearchParams();
  const query = (params.get('q') ?? '').trim();
  const status = statusFrom(params.get('status'));
  usePageTitle(query ? `Search: ${query}` : 'Search');
  const search = useSearch(query, status);
  const stems = useMemo(() => queryStems(query), [query]);

  const pages = search.data?.pages ?? [];
  const proposals = unique(pages.flatMap((p) => p.proposals));
  // The latest page knows best how much is still waiting to be indexed.
  const pending = pages.at(-1)?.pending ?? 0;
  const settled = search.isSuccess && !search.isFetching;
  const summary = settled ? countLabel(proposals.length, search.hasNextPage) : '';

  // The count is read out once the results settle, since focus stays in the search box.
  useEffect(() => {
    if (summary) announce(summary);
  }, [summary]);

  const invalid =
    search.isError && !search.isFetchNextPageError ? asCanisterError(search.error) : undefined;

  return (
    <>
      <div className="page-head">
        <h1>Search proposals</h1>
        {query && (
          <p className="lead">
            Results for “<bdi>{query}</bdi>”
          </p>
        )}
      </div>

      <div className="filters">
        <label htmlFor="search-status">Status</label>
        <select
          id="search-status"
          value={status ?? ''}
          onChange={(e) => {
            const next = new URLSearchParams(params);
            if (e.target.value) next.set('status', e.target.value);
            else next.delete('status');
            setParams(next, { replace: true });
          }}
        >
          <option value="">Any status</option>
          {PROPOSAL_STATUS_KINDS.map((k) => (
            <option key={k} value={k}>
              {proposalStatusLabel(k)}
            </option>
          ))}
        </select>
      </div>

      {pending > 0 && (
        <p className="notice" role="status">
          Still indexing {pending} {pending === 1 ? 'proposal' : 'proposals'}: results may miss the
          newest ones for a few seconds.
        </p>
      )}

      {!query ? (
        <Empty>Type words from a proposal's title, tags or description in the search box.</Empty>
      ) : search.isPending ? (
        <Loading label="Searching…" />
      ) : invalid ? (
        invalid.kind === 'Invalid' ? (
          <div className="notice notice-error" role="alert">
            {invalid.message}
          </div>
        ) : (
          <ErrorNotice error={invalid} onRetry={() => void search.refetch()} />
        )
      ) : proposals.length === 0 ? (
        <Empty>
          No proposals match “<bdi>{query}</bdi>”
          {status ? ` with status ${proposalStatusLabel(status)}` : ''}.{' '}
          <Link to={proposeFromQuery(query)}>Propose “{query}” as a new idea</Link>.
        </Empty>
      ) : (
        <>
          <p className="muted small" aria-hidden="true">
            {summary}
          </p>
          <ol className="proposal-list">
            {proposals.map((p) => (
              <li key={p.id}>
                <ProposalCard proposal={p} highlight={stems} />
              </li>
            ))}
          </ol>
        </>
      )}
      {search.hasNextPage && !search.isError && (
        <div className="load-more">
          <button
            type="button"
            className="btn"
            onClick={() => void search.fetchNextPage()}
            disabled={search.isFetchingNextPage}
          >
            {search.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
      {search.isFetchNextPageError && <ErrorNotice error={search.error} />}
    </>
  );
}

function unique(proposals: ProposalSummary[]): ProposalSummary[] {
  // A proposal edited between two pages can rank on both.
  const seen = new Set<string>();
  return proposals.filter((p) => !seen.has(p.id) && Boolean(seen.add(p.id)));
}
