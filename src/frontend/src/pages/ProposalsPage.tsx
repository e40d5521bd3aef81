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
import { parseTags, showTags } from '../api/tags';
import { Empty, ErrorNotice, Loading } from '../components/Feedback';
import { ProposalCard } from '../components/ProposalCard';
import { useProposalFacets, useProposalList, useRoadmap } from '../hooks/queries';
import { rememberProposalsSearch } from '../hooks/rememberedSearch';
import { usePageTitle } from './usePageTitle';

const SORT_LABELS: Record<ProposalSort, string> = {
  Hot: 'Hot',
  Top: 'Top',
  New: 'New',
  Oldest: 'Oldest',
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
  // One `tag` per tag; links and people may spell tags as they are shown (`#Security consensus`).
  const tags = parseTags(params.getAll('tag').join(' ')).tags;
  return {
    sort,
    ...(statuses ? { statuses } : {}),
    ...(themeId && /^\d+$/.test(themeId) ? { themeId } : {}),
    ...(tags.length > 0 ? { tags } : {}),
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
  const filtered = Boolean(params.get('status') || filters.themeId || filters.tags);
  const setTags = (tags: string[]) => {
    const p = new URLSearchParams(params);
    p.delete('tag');
    for (const t of tags) p.append('tag', t);
    setParams(p, { replace: true });
  };

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
          <TagFilter applied={filters.tags ?? []} onApply={setTags} />
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

/**
 * The tag filter applies as the other filters do, without an Apply button: ticking a tag among
 * the most used ones (with how many proposals carry it), or typing tags — `#security`,
 * `Security consensus` — which apply after a short pause, on Enter, or on leaving the field.
 * Several tags narrow the list to proposals that have them all.
 */
function TagFilter({
  applied,
  onApply,
}: {
  applied: readonly string[];
  onApply: (tags: string[]) => void;
}) {
  const id = useId();
  const facets = useProposalFacets();
  const [text, setText] = useState(showTags(applied));
  const { tags, invalid } = parseTags(text);
  const appliedKey = applied.join(' ');
  const apply = (next: string[]) => {
    if (next.join(' ') !== appliedKey) onApply(next);
  };
  const applyLater = useRef<number | undefined>(undefined);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => () => window.clearTimeout(applyLater.current), []);
  // Tags chosen elsewhere (the list, a tag link, Clear filters) show here; typing is never
  // overwritten.
  useEffect(() => {
    if (document.activeElement === input.current) return;
    setText((current) =>
      parseTags(current).tags.join(' ') === appliedKey
        ? current
        : showTags(appliedKey.split(' ').filter(Boolean)),
    );
  }, [appliedKey]);
  const toggle = (tag: string, on: boolean) => {
    const next = on ? [...applied, tag] : applied.filter((t) => t !== tag);
    window.clearTimeout(applyLater.current);
    setText(showTags(next));
    apply(next);
  };
  const offered = facets.data?.tags ?? [];

  return (
    <div className="field-inline tag-filter" role="search" aria-label="Filter by tag">
      <label htmlFor={id}>Tags</label>
      <input
        ref={input}
        id={id}
        value={text}
        placeholder="#security #consensus"
        autoComplete="off"
        aria-invalid={invalid.length > 0}
        aria-describedby={invalid.length > 0 ? `${id}-error` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          window.clearTimeout(applyLater.current);
          const typed = parseTags(e.target.value);
          applyLater.current = window.setTimeout(() => {
            if (typed.invalid.length === 0) apply(typed.tags);
          }, TAG_DELAY_MS);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            window.clearTimeout(applyLater.current);
            if (invalid.length === 0) apply(tags);
          }
        }}
        onBlur={() => {
          window.clearTimeout(applyLater.current);
          if (invalid.length === 0) apply(tags);
        }}
      />
      {offered.length > 0 && (
        <details
          className="tag-choices"
          // A dropdown closes on Escape, back to its summary.
          onKeyDown={(e) => {
            if (e.key !== 'Escape' || !e.currentTarget.open) return;
            e.currentTarget.open = false;
            e.currentTarget.querySelector('summary')?.focus();
          }}
        >
          <summary>Choose tags{applied.length > 0 ? ` (${applied.length} chosen)` : ''}</summary>
          <fieldset>
            <legend className="visually-hidden">
              Most used tags, with how many proposals have each
            </legend>
            <ul>
              {offered.map(({ tag, count }) => (
                <li key={tag}>
                  <label>
                    <input
                      type="checkbox"
                      checked={applied.includes(tag)}
                      onChange={(e) => toggle(tag, e.target.checked)}
                    />{' '}
                    #{tag} <span className="muted">({count})</span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        </details>
      )}
      {invalid.length > 0 && (
        <p id={`${id}-error`} className="field-error small">
          Tags use a–z, 0–9 and -, up to 24 characters: <bdi>{invalid.join(', ')}</bdi> cannot be a
          tag.
        </p>
      )}
    </div>
  );
}
