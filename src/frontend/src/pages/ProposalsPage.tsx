import { useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  PROPOSAL_SORTS,
  PROPOSAL_STATUS_KINDS,
  proposalStatusLabel,
  type ProposalFilters,
  type ProposalSort,
  type ProposalStatusKind,
} from '../api/models';
import { Empty, ErrorNotice, Loading } from '../components/Feedback';
import { ProposalCard } from '../components/ProposalCard';
import { useProposalList, useRoadmap } from '../hooks/queries';
import { usePageTitle } from './usePageTitle';

const SORT_LABELS: Record<ProposalSort, string> = {
  Hot: 'Hot',
  Top: 'Top',
  New: 'New',
  MostDiscussed: 'Most discussed',
};

export function filtersFromParams(params: URLSearchParams): ProposalFilters {
  const sort = PROPOSAL_SORTS.find((s) => s === params.get('sort')) ?? 'Hot';
  const status = PROPOSAL_STATUS_KINDS.find((s) => s === params.get('status'));
  const themeId = params.get('theme') ?? undefined;
  const tag = params.get('tag') ?? undefined;
  return {
    sort,
    ...(status ? { status } : {}),
    ...(themeId && /^\d+$/.test(themeId) ? { themeId } : {}),
    ...(tag ? { tag } : {}),
  };
}

export default function ProposalsPage() {
  usePageTitle('Proposals');
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const list = useProposalList(filters);
  const roadmap = useRoadmap();
  const ids = useId();
  const [tagInput, setTagInput] = useState(filters.tag ?? '');

  const update = (key: string, value: string | undefined) => {
    const p = new URLSearchParams(params);
    if (value) p.set(key, value);
    else p.delete(key);
    setParams(p, { replace: true });
  };

  const proposals = list.data?.pages.flatMap((p) => p.proposals) ?? [];
  const filtered = Boolean(filters.status || filters.themeId || filters.tag);

  return (
    <>
      <div className="page-head page-head-row">
        <div>
          <h1>Proposals</h1>
          <p className="lead">
            Ideas from the community. Support (▲) the ones you want built, oppose (▼) the ones you
            don&apos;t: one vote per member. <Link to="/how-it-works">How voting works</Link>
          </p>
        </div>
        <Link to="/proposals/new" className="btn btn-primary">
          Propose an idea
        </Link>
      </div>

      <div className="toolbar">
        <div className="tabs" role="group" aria-label="Sort proposals">
          {PROPOSAL_SORTS.map((s) => (
            <button
              key={s}
              type="button"
              className="tab"
              aria-pressed={filters.sort === s}
              onClick={() => update('sort', s === 'Hot' ? undefined : s)}
            >
              {SORT_LABELS[s]}
            </button>
          ))}
        </div>
        <div className="filters">
          <div className="field-inline">
            <label htmlFor={`${ids}-status`}>Status</label>
            <select
              id={`${ids}-status`}
              value={filters.status ?? ''}
              onChange={(e) => update('status', e.target.value || undefined)}
            >
              <option value="">Any</option>
              {PROPOSAL_STATUS_KINDS.map((s: ProposalStatusKind) => (
                <option key={s} value={s}>
                  {proposalStatusLabel(s)}
                </option>
              ))}
            </select>
          </div>
          <div className="field-inline">
            <label htmlFor={`${ids}-theme`}>Theme</label>
            <select
              id={`${ids}-theme`}
              value={filters.themeId ?? ''}
              onChange={(e) => update('theme', e.target.value || undefined)}
            >
              <option value="">Any</option>
              {roadmap.data?.themes.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.title}
                </option>
              ))}
            </select>
          </div>
          <form
            className="field-inline"
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              update('tag', tagInput.trim().toLowerCase() || undefined);
            }}
          >
            <label htmlFor={`${ids}-tag`}>Tag</label>
            <input
              id={`${ids}-tag`}
              value={tagInput}
              placeholder="e.g. security"
              onChange={(e) => setTagInput(e.target.value)}
            />
            <button type="submit" className="btn btn-small">
              Apply
            </button>
          </form>
          {filtered && (
            <button
              type="button"
              className="btn btn-quiet btn-small"
              onClick={() => {
                setTagInput('');
                setParams(filters.sort === 'Hot' ? {} : { sort: filters.sort }, { replace: true });
              }}
            >
              Clear filters
            </button>
          )}
        </div>
      </div>

      {list.isPending ? (
        <Loading label="Loading proposals…" />
      ) : list.isError ? (
        <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
      ) : proposals.length === 0 ? (
        <Empty>
          {filtered ? (
            'No proposals match these filters.'
          ) : (
            <>
              No proposals yet. <Link to="/proposals/new">Be the first to propose an idea.</Link>
            </>
          )}
        </Empty>
      ) : (
        <ol className="proposal-list">
          {proposals.map((p) => (
            <li key={p.id}>
              <ProposalCard proposal={p} />
            </li>
          ))}
        </ol>
      )}
      {list.hasNextPage && (
        <div className="load-more">
          <button
            type="button"
            className="btn"
            onClick={() => void list.fetchNextPage()}
            disabled={list.isFetchingNextPage}
          >
            {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
      {list.isFetchNextPageError && <ErrorNotice error={list.error} />}
    </>
  );
}
