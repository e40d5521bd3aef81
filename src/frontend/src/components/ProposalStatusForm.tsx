import { useId, useState } from 'react';
import { fieldError } from '../api/errors';
import {
  PROPOSAL_STATUS_KINDS,
  proposalStatusLabel,
  type ProposalStatus,
  type ProposalStatusKind,
} from '../api/models';
import { useSetProposalStatus } from '../hooks/mutations';
import { useRoadmap } from '../hooks/queries';
import { FormError } from './Feedback';

/** Admin control: set a proposal's status with an official response. */
export function ProposalStatusForm({
  proposalId,
  current,
  onDone,
}: {
  proposalId: string;
  current: ProposalStatus;
  onDone?: () => void;
}) {
  const id = useId();
  const roadmap = useRoadmap();
  const setStatus = useSetProposalStatus();
  const [kind, setKind] = useState<ProposalStatusKind>(current.kind);
  const [itemId, setItemId] = useState(current.kind === 'Planned' ? current.itemId : '');
  const [reason, setReason] = useState(current.kind === 'Declined' ? current.reason : '');
  const [duplicateOf, setDuplicateOf] = useState(
    current.kind === 'Duplicate' ? current.proposalId : '',
  );
  const [response, setResponse] = useState('');
  const [localError, setLocalError] = useState<string | undefined>();

  const build = (): ProposalStatus | string => {
    switch (kind) {
      case 'Planned':
        return itemId ? { kind, itemId } : 'Choose the roadmap item this is planned as.';
      case 'Declined':
        return reason.trim() ? { kind, reason: reason.trim() } : 'Give a reason for declining.';
      case 'Duplicate':
        return /^\d+$/.test(duplicateOf.trim())
          ? { kind, proposalId: duplicateOf.trim() }
          : 'Enter the number of the original proposal.';
      default:
        return { kind };
    }
  };

  return (
    <form
      className="stack status-form"
      onSubmit={(e) => {
        e.preventDefault();
        const status = build();
        if (typeof status === 'string') {
          setLocalError(status);
          return;
        }
        setLocalError(undefined);
        setStatus.mutate(
          { id: proposalId, status, response: response.trim() || undefined },
          {
            onSuccess: () => {
              setResponse('');
              onDone?.();
            },
          },
        );
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
        <div className="field">
          <label htmlFor={`${id}-dup`}>Duplicate of proposal #</label>
          <input
            id={`${id}-dup`}
            inputMode="numeric"
            value={duplicateOf}
            onChange={(e) => setDuplicateOf(e.target.value)}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-response`}>Official response (optional, markdown)</label>
        <textarea
          id={`${id}-response`}
          rows={4}
          value={response}
          aria-describedby={fieldError(setStatus.error, 'response') ? `${id}-resp-err` : undefined}
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
          Status updated.
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={setStatus.isPending}>
          {setStatus.isPending ? 'Saving…' : 'Set status'}
        </button>
      </div>
    </form>
  );
}
