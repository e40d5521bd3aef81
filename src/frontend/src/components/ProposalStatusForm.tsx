import { useId, useState } from 'react';
import { fieldError } from '../api/errors';
import {
  PROPOSAL_STATUS_KINDS,
  proposalStatusLabel,
  type OfficialResponse,
  type ProposalStatus,
  type ProposalStatusKind,
  type ResponseChange,
} from '../api/models';
import { useSetProposalStatus } from '../hooks/mutations';
import { useProposal, useProposalList, useRoadmap } from '../hooks/queries';
import { ErrorNotice, FormError, Loading, RelativeTime } from './Feedback';

/**
 * Admin control: set a proposal's status with an official response. The current response is
 * loaded first (from the cache on the proposal's own page) so it can be edited in place.
 */
export function ProposalStatusForm({
  proposalId,
  current,
  onDone,
}: {
  proposalId: string;
  current: ProposalStatus;
  onDone?: () => void;
}) {
  const detail = useProposal(proposalId);
  if (detail.isPending) return <Loading label="Loading the current response…" />;
  if (detail.isError) {
    return <ErrorNotice error={detail.error} onRetry={() => void detail.refetch()} />;
  }
  return (
    <StatusForm
      proposalId={proposalId}
      current={current}
      currentResponse={detail.data?.officialResponse}
      onDone={onDone}
    />
  );
}

/** "#12", "12" or "# 12": the number of a proposal as people write it. */
export function proposalNumber(text: string): string | undefined {
  return /^#?\s*(\d+)$/.exec(text.trim())?.[1];
}

function StatusForm({
  proposalId,
  current,
  currentResponse,
  onDone,
}: {
  proposalId: string;
  current: ProposalStatus;
  currentResponse: OfficialResponse | undefined;
  onDone: (() => void) | undefined;
}) {
  const id = useId();
  const roadmap = useRoadmap();
  const setStatus = useSetProposalStatus();
  const [kind, setKind] = useState<ProposalStatusKind>(current.kind);
  const [itemId, setItemId] = useState(current.kind === 'Planned' ? current.itemId : '');
  const [reason, setReason] = useState(current.kind === 'Declined' ? current.reason : '');
  const [duplicateOf, setDuplicateOf] = useState(
    current.kind === 'Duplicate' ? `#${current.proposalId}` : '',
  );
  const [response, setResponse] = useState(currentResponse?.body ?? '');
  const [localError, setLocalError] = useState<string | undefined>();
  const responseChanged = response.trim() !== (currentResponse?.body ?? '').trim();

  const build = (): ProposalStatus | string => {
    switch (kind) {
      case 'Planned':
        return itemId ? { kind, itemId } : 'Choose the roadmap item this is planned as.';
      case 'Declined':
        return reason.trim() ? { kind, reason: reason.trim() } : 'Give a reason for declining.';
      case 'Duplicate': {
        const original = proposalNumber(duplicateOf);
        if (original === undefined) {
          return 'Choose the original proposal: search its title or enter its number (#12).';
        }
        return original === proposalId
          ? 'A proposal cannot be a duplicate of itself; choose the original.'
          : { kind, proposalId: original };
      }
      default:
        return { kind };
    }
  };

  const save = (change: ResponseChange) => {
    const status = build();
    if (typeof status === 'string') {
      setLocalError(status);
      return;
    }
    setLocalError(undefined);
    setStatus.mutate(
      { id: proposalId, status, response: change },
      {
        onSuccess: () => {
          if (change === 'remove') setResponse('');
          onDone?.();
        },
      },
    );
  };

  return (
    <form
      className="stack status-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (currentResponse && response.trim() === '') {
          setLocalError('To take the official response down, use “Remove response”.');
          return;
        }
        // An unchanged response is not sent again, so it keeps its author and date.
        save(responseChanged ? { set: response } : 'keep');
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-kind`}>New status</label>
        <select
          id={`${id}-kind`}
          value={kind}
          onChange={(e) => setKind(e.target.value as ProposalStatusKind)}
        >
          {PROPOSAL_STATUS_KINDS.map((k) => (
            <option key={k} value={k}>
              {proposalStatusLabel(k)}
            </option>
          ))}
        </select>
      </div>
      {kind === 'Planned' && (
        <div className="field">
          <label htmlFor={`${id}-item`}>Roadmap item</label>
          <select id={`${id}-item`} value={itemId} onChange={(e) => setItemId(e.target.value)}>
            <option value="">Choose an item…</option>
            {roadmap.data?.themes.map((t) =>
              t.milestones.map((m) => (
                <optgroup key={m.id} label={`${t.title} — ${m.name}`}>
                  {m.items.map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.title}
                    </option>
                  ))}
                </optgroup>
              )),
            )}
          </select>
        </div>
      )}
      {kind === 'Declined' && (
        <div className="field">
          <label htmlFor={`${id}-reason`}>Reason for declining</label>
          <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      )}
      {kind === 'Duplicate' && (
        <DuplicatePicker
          id={`${id}-dup`}
          proposalId={proposalId}
          value={duplicateOf}
          onChange={setDuplicateOf}
        />
      )}
      <div className="field">
        <label htmlFor={`${id}-response`}>Official response (optional, markdown)</label>
        {currentResponse && (
          <p id={`${id}-resp-hint`} className="muted small">
            The current response, from <RelativeTime date={currentResponse.at} />
            {currentResponse.forStatus &&
              `, written when the status was ${proposalStatusLabel(currentResponse.forStatus.kind).toLowerCase()}`}
            . Edit it to replace it (the earlier version stays in its history); left as it is, it
            stays under the new status.
          </p>
        )}
        <textarea
          id={`${id}-response`}
          rows={4}
          value={response}
          aria-describedby={
            [
              currentResponse ? `${id}-resp-hint` : '',
              fieldError(setStatus.error, 'response') ? `${id}-resp-err` : '',
            ]
              .filter(Boolean)
              .join(' ') || undefined
          }
          onChange={(e) => setResponse(e.target.value)}
        />
        {fieldError(setStatus.error, 'response') && (
          <p id={`${id}-resp-err`} className="field-error">
            {fieldError(setStatus.error, 'response')}
          </p>
        )}
      </div>
      {localError && (
        <p className="field-error" role="alert">
          {localError}
        </p>
      )}
      <FormError error={setStatus.error} fields={['response']} />
      {setStatus.isSuccess && (
        <p className="notice notice-success" role="status">
          {setStatus.variables.response === 'remove' ? 'Response removed.' : 'Status updated.'}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={setStatus.isPending}>
          {setStatus.isPending ? 'Saving…' : 'Set status'}
        </button>
        {currentResponse && (
          <button
            type="button"
            className="btn btn-danger"
            disabled={setStatus.isPending}
            onClick={() => save('remove')}
          >
            Remove response
          </button>
        )}
      </div>
    </form>
  );
}

/** How many title matches the picker offers at once. */
const MAX_MATCHES = 8;

/**
 * The original of a duplicate, found by its title or entered by number ("#12" as the app shows
 * it, or "12"). Titles are searched among the proposals listed so far, newest first, with more
 * loaded on request; the chosen original's title shows before anything is saved.
 */
function DuplicatePicker({
  id,
  proposalId,
  value,
  onChange,
}: {
  id: string;
  proposalId: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const number = proposalNumber(value);
  const words = number === undefined ? value.trim().toLowerCase().split(/\s+/) : [];
  const searching = words.length > 0 && words[0] !== '';
  const list = useProposalList({ sort: 'New' }, searching);
  const matches = searching
    ? (list.data?.pages.flatMap((p) => p.proposals) ?? [])
        .filter((p) => p.id !== proposalId)
        .filter((p) => words.every((w) => p.title.toLowerCase().includes(w)))
        .slice(0, MAX_MATCHES)
    : [];

  return (
    <div className="field duplicate-picker">
      <label htmlFor={id}>Duplicate of</label>
      <p id={`${id}-hint`} className="muted small">
        Search the original’s title, or enter its number (#12).
      </p>
      <input
        id={id}
        type="search"
        autoComplete="off"
        value={value}
        aria-describedby={`${id}-hint ${id}-chosen`}
        onChange={(e) => onChange(e.target.value)}
      />
      {searching && (
        <div className="duplicate-matches">
          {list.isPending ? (
            <p className="muted small">Searching…</p>
          ) : list.isError ? (
            <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
          ) : (
            <>
              <p className="muted small" role="status">
                {matches.length === 0
                  ? 'No title matches among the proposals loaded.'
                  : `${matches.length} ${matches.length === 1 ? 'match' : 'matches'}:`}
              </p>
              {matches.length > 0 && (
                <ul aria-label="Proposals whose title matches">
                  {matches.map((p) => (
                    <li key={p.id}>
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => onChange(`#${p.id}`)}
                      >
                        #{p.id} <bdi>{p.title}</bdi>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              {list.hasNextPage && (
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={list.isFetchingNextPage}
                  onClick={() => void list.fetchNextPage()}
                >
                  {list.isFetchingNextPage ? 'Loading…' : 'Search older proposals'}
                </button>
              )}
            </>
          )}
        </div>
      )}
      <p id={`${id}-chosen`} className="small" aria-live="polite">
        {number !== undefined && <ChosenOriginal id={number} self={number === proposalId} />}
      </p>
    </div>
  );
}

/** The original named by its title before saving, so a mistyped number shows at once. */
function ChosenOriginal({ id, self }: { id: string; self: boolean }) {
  const original = useProposal(id);
  if (self) return <>That is this proposal; choose the original.</>;
  if (original.isPending) return <>Looking up #{id}…</>;
  if (original.isError) return <>Could not look up #{id}.</>;
  if (!original.data) return <>There is no proposal #{id}.</>;
  return (
    <>
      Original: #{id} “<bdi>{original.data.title || `hidden proposal #${id}`}</bdi>”
    </>
  );
}
