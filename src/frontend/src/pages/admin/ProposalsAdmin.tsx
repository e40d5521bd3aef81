import { useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  PROPOSAL_STATUS_KINDS,
  proposalStatusLabel,
  type ProposalSort,
  type ProposalStatus,
  type ProposalStatusKind,
} from '../../api/models';
import { Empty, ErrorNotice, Loading } from '../../components/Feedback';
import { displayExcerpt } from '../../components/ProposalCard';
import { ProposalStatusForm } from '../../components/ProposalStatusForm';
import { ProposalStatusBadge } from '../../components/Status';
import { useProposalFacets, useProposalList } from '../../hooks/queries';

/**
 * The status form of one proposal in the triage list, mounted only once opened: it loads the
 * proposal's current response to edit, which a closed row does not need.
 */
function StatusDisclosure({
  proposalId,
  current,
}: {
  proposalId: string;
  current: ProposalStatus;
}) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Set status</summary>
      {open && <ProposalStatusForm proposalId={proposalId} current={current} />}
    </details>
  );
}

const TRIAGE_SORTS: [ProposalSort, string][] = [
  ['New', 'Newest first'],
  ['Oldest', 'Oldest first'],
  ['Top', 'Most votes'],
  ['MostDiscussed', 'Most discussed'],
  ['VotingPower', 'Most voting power'],
];

const TRIAGE_DEFAULT_SORT: ProposalSort = 'New';

/** Which proposals the triage list holds (`queue` in the URL); none means all of them. */
type Queue = 'all' | 'needs-response';

/** The triage status filter as the URL spells it (`status`); none means any status. */
function triageStatus(params: URLSearchParams): ProposalStatusKind | undefined {
  return PROPOSAL_STATUS_KINDS.find((s) => s === params.get('status'));
}

/** The triage sort as the URL spells it (`sort`); none or an unknown one means newest first. */
function triageSort(params: URLSearchParams): ProposalSort {
  return TRIAGE_SORTS.find(([s]) => s === params.get('sort'))?.[0] ?? TRIAGE_DEFAULT_SORT;
}

function triageQueue(params: URLSearchParams): Queue {
  return params.get('queue') === 'needs-response' ? 'needs-response' : 'all';
}

/** "Open (12)": a choice with how many proposals it holds, once the counts are in. */
function counted(label: string, count: number | undefined): string {
  return count === undefined ? label : `${label} (${count})`;
}

export function ProposalsAdmin() {
  const id = useId();
  // Queue, filter and sort live in the URL beside the tab, so a reload, a shared link or coming
  // back from a proposal's page finds the same list.
  const [params, setParams] = useSearchParams();
  const status = triageStatus(params);
  const sort = triageSort(params);
  const queue = triageQueue(params);
  const facets = useProposalFacets();
  const update = (key: 'status' | 'sort' | 'queue', value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const list = useProposalList({
    sort,
    ...(status ? { statuses: [status] } : {}),
    ...(queue === 'needs-response' ? { needsResponse: true } : {}),
  });
  const proposals = list.data?.pages.flatMap((p) => p.proposals) ?? [];
  const filters = (
    <div className="filters triage-filters">
      <div className="tabs" role="group" aria-label="Triage queue">
        <button
          type="button"
          className="tab"
          aria-pressed={queue === 'all'}
          onClick={() => update('queue', undefined)}
        >
          All proposals
        </button>
        <button
          type="button"
          className="tab"
          aria-pressed={queue === 'needs-response'}
          onClick={() => update('queue', 'needs-response')}
        >
          {counted('Needs a response', facets.data?.needsResponse)}
        </button>
      </div>
      <div className="field-inline">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={status ?? ''}
          onChange={(e) => update('status', e.target.value || undefined)}
        >
          <option value="">Any</option>
          {PROPOSAL_STATUS_KINDS.map((s) => (
            <option key={s} value={s}>
              {counted(proposalStatusLabel(s), facets.data?.statuses[s])}
            </option>
          ))}
        </select>
      </div>
      <div className="field-inline">
        <label htmlFor={`${id}-sort`}>Sort</label>
        <select
          id={`${id}-sort`}
          value={sort}
          onChange={(e) =>
            update('sort', e.target.value === TRIAGE_DEFAULT_SORT ? undefined : e.target.value)
          }
        >
          {TRIAGE_SORTS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />;
  if (proposals.length === 0) {
    return (
      <>
        {filters}
        <Empty>
          {queue === 'needs-response'
            ? `No ${status ? 'proposals with this status' : 'proposals'} waiting for a response.`
            : `No proposals ${status ? 'with this status' : 'yet'}.`}
        </Empty>
      </>
    );
  }
  return (
    <>
      {filters}
      <ul className="admin-proposals">
        {proposals.map((p) => (
          <li key={p.id} className="card">
            <div className="admin-row">
              <Link to={`/proposals/${p.id}`}>
                #{p.id} <bdi>{p.title}</bdi>
              </Link>
              <ProposalStatusBadge status={p.status} />
              <span className="muted small">
                ▲{p.up} ▼{p.down} · {p.commentCount} comments
              </span>
            </div>
            {/* What the proposal says, beside the action taken on it. */}
            {p.excerpt && <p className="excerpt small">{displayExcerpt(p.excerpt)}</p>}
            <StatusDisclosure proposalId={p.id} current={p.status} />
          </li>
        ))}
      </ul>
      {list.hasNextPage && (
        <button type="button" className="btn" onClick={() => void list.fetchNextPage()}>
          Load more
        </button>
      )}
    </>
  );
}
