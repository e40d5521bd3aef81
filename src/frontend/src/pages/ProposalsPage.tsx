import { useEffect, useId, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  ACTIVE_STATUSES,
  CLOSED_STATUSES,
  PROPOSAL_SORTS,
  PROPOSAL_STATUS_KINDS,
  proposalStatusLabel,
  type ProposalFilters,
  type ProposalSort,
  type ProposalStatusKind,
  type ProposalSummary,
} from '../api/models';
import { isTag, normalizeTag } from '../api/tags';
import { Empty, ErrorNotice, Loading } from '../components/Feedback';
import { ProposalCard } from '../components/ProposalCard';
import { useProposalList, useRoadmap } from '../hooks/queries';
import { rememberProposalsSearch } from '../hooks/rememberedSearch';
import { usePageTitle } from './usePageTitle';

const SORT_LABELS: Record<ProposalSort, string> = {
  Hot: 'Hot',
  Top: 'Top',
  New: 'New',
  MostDiscussed: 'Most discussed',
  VotingPower: 'Top by voting power',
};

/** The list's status filter as the URL spells it; no `status` means the active proposals. */
type StatusChoice = 'active' | 'any' | 'closed' | ProposalStatusKind;

function statusChoice(params: URLSearchParams): StatusChoice {
  const value = params.get('status');
  if (value === 'any' || value === 'closed') return value;
  return PROPOSAL_STATUS_KINDS.find((s) => s === value) ?? 'active';
}

function statusesOf(choice: StatusChoice): readonly ProposalStatusKind[] | undefined {
  switch (choice) {
    case 'active':
      return ACTIVE_STATUSES;
    case 'closed':
      return CLOSED_STATUSES;
    case 'any':
      return undefined;
    default:
      return [choice];
  }
}

export function filtersFromParams(params: URLSearchParams): ProposalFilters {
  const sort = PROPOSAL_SORTS.find((s) => s === params.get('sort')) ?? 'Hot';
  const statuses = statusesOf(statusChoice(params));
  const themeId = params.get('theme') ?? undefined;
  // Links and people may spell a tag as it is shown, with its '#'.
  const tag = normalizeTag(params.get('tag') ?? '');
  return {
    sort,
    ...(statuses ? { statuses } : {}),
    ...(themeId && /^\d+$/.test(themeId) ? { themeId } : {}),
    ...(tag ? { tag } : {}),
  };
}

/** How long typing in the tag field pauses before the list follows it. */
const TAG_DELAY_MS = 400;

export default function ProposalsPage() {
  usePageTitle('Proposals');
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const choice = statusChoice(params);
  const list = useProposalList(filters);
  const roadmap = useRoadmap();
  const ids = useId();
  const search = params.toString();
  useEffect(() => rememberProposalsSearch(search), [search]);

  const update = (key: string, value: string | undefined) => {
    const p = new URLSearchParams(params);
    if (value) p.set(key, value);
    else p.delete(key);
    setParams(p, { replace: true });
  };

  const proposals = unique(list.data?.pages.flatMap((p) => p.proposals) ?? []);
  const filtered = Boolean(params.get('status') || filters.themeId || filters.tag);

  return (
    <>
      <div className="page-head page-head-row proposals-head">
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
              value={choice === 'active' ? '' : choice}
              onChange={(e) => update('status', e.target.value || undefined)}
            >
              <option value="">Open, under review, planned</option>
              <option value="closed">Closed: declined, duplicate, done</option>
              <option value="any">Any status</option>
              {PROPOSAL_STATUS_KINDS.map((s: ProposalStatusKind) => (
                <option key={s} value={s}>
                  Only {proposalStatusLabel(s).toLowerCase()}
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
          <TagFilter
            applied={filters.tag}
            suggestions={tagsOf(proposals)}
            onApply={(tag) => update('tag', tag)}
          />
          {filtered && (
            <button
              type="button"
              className="btn btn-quiet btn-small"
              onClick={() =>
                setParams(filters.sort === 'Hot' ? {} : { sort: filters.sort }, { replace: true })
              }
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
          ) : choice === 'active' ? (
            <>
              No open proposals right now.{' '}
              <Link to="/proposals?status=closed">See the closed ones</Link> or{' '}
              <Link to="/proposals/new">propose an idea</Link>.
            </>
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

function unique(proposals: ProposalSummary[]): ProposalSummary[] {
  // A proposal whose status or score changed between two pages can be listed twice.
  const seen = new Set<string>();
  return proposals.filter((p) => !seen.has(p.id) && Boolean(seen.add(p.id)));
}

/** Tags on the proposals already listed, most used first: suggestions for the tag field. */
function tagsOf(proposals: ProposalSummary[]): string[] {
  const counts = new Map<string, number>();
  for (const p of proposals) for (const t of p.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([t]) => t);
}

/**
 * The tag filter applies as the other filters do, without an Apply button: after a short pause
 * in typing, on Enter, or on leaving the field. `#security` and `Security` find `security`.
 */
function TagFilter({
  applied,
  suggestions,
  onApply,
}: {
  applied: string | undefined;
  suggestions: string[];
  onApply: (tag: string | undefined) => void;
}) {
  const id = useId();
  const [text, setText] = useState(applied ? `#${applied}` : '');
  const tag = normalizeTag(text);
  const invalid = tag !== '' && !isTag(tag);
  const apply = () => {
    if (!invalid && tag !== (applied ?? '')) onApply(tag || undefined);
  };
  const applyLater = useRef<number | undefined>(undefined);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => () => window.clearTimeout(applyLater.current), []);
  // A tag chosen elsewhere (a tag link, Clear filters) shows here; typing is never overwritten.
  useEffect(() => {
    if (document.activeElement === input.current) return;
    setText((current) =>
      normalizeTag(current) === (applied ?? '') ? current : applied ? `#${applied}` : '',
    );
  }, [applied]);

  return (
    <div className="field-inline tag-filter" role="search" aria-label="Filter by tag">
      <label htmlFor={id}>Tag</label>
      <input
        ref={input}
        id={id}
        value={text}
        placeholder="#security"
        list={`${id}-tags`}
        autoComplete="off"
        aria-invalid={invalid}
        aria-describedby={invalid ? `${id}-error` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          window.clearTimeout(applyLater.current);
          applyLater.current = window.setTimeout(() => {
            const next = normalizeTag(e.target.value);
            if (next === '' || isTag(next)) onApply(next || undefined);
          }, TAG_DELAY_MS);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            window.clearTimeout(applyLater.current);
            apply();
          }
        }}
        onBlur={() => {
          window.clearTimeout(applyLater.current);
          apply();
        }}
      />
      <datalist id={`${id}-tags`}>
        {suggestions.map((t) => (
          <option key={t} value={`#${t}`} />
        ))}
      </datalist>
      {invalid && (
        <p id={`${id}-error`} className="field-error small">
          Tags use a–z, 0–9 and -, up to 24 characters.
        </p>
      )}
    </div>
  );
}
