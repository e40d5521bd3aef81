import { useId, useRef, useState } from 'react';
import type { NnsLink, NnsLinkTarget } from '../../api/models';
import { useLinkNnsProposal } from '../../hooks/mutations';
import { FormError } from '../Feedback';
import { Field } from '../Field';
import { announce } from '../LiveRegion';
import { fieldMessage } from './fieldMessage';

/**
 * Admins link a roadmap item or a proposal to the NNS proposal it follows, change the link or
 * remove it. Governance is asked at once, so an unknown proposal id is refused here. An item
 * can be marked to become Deployed by itself when its NNS proposal executes.
 */
export function NnsLinkForm({
  target,
  current,
}: {
  target: NnsLinkTarget;
  current: NnsLink | undefined;
}) {
  const ids = useId();
  const save = useLinkNnsProposal(target);
  const [proposalId, setProposalId] = useState(current?.proposalId ?? '');
  const [deploy, setDeploy] = useState(current?.deployOnExecution ?? false);
  const [missing, setMissing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const what = target.kind === 'Item' ? 'this item' : 'this proposal';

  const send = (link: { proposalId: string; deployOnExecution: boolean } | undefined) => {
    // Buttons stay enabled so focus stays on them; a second press waits for the first.
    if (save.isPending) return;
    save.mutate(link, {
      onSuccess: (saved) => {
        if (saved) {
          announce(`Linked ${what} to NNS proposal ${saved.proposalId}.`);
        } else {
          setProposalId('');
          setDeploy(false);
          // The Remove button is gone with the link: focus goes to the field.
          input.current?.focus();
          announce(`Removed the NNS proposal link of ${what}.`);
        }
      },
      onError: () => input.current?.focus(),
    });
  };

  return (
    <form
      className="stack nns-link-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (proposalId.trim() === '') {
          setMissing(true);
          input.current?.focus();
          return;
        }
        setMissing(false);
        send({
          proposalId: proposalId.trim(),
          deployOnExecution: target.kind === 'Item' && deploy,
        });
      }}
    >
      <Field
        id={`${ids}-nns-proposal`}
        label="NNS proposal id"
        hint="The number of the proposal on the NNS dapp or the IC dashboard."
        error={
          (missing ? 'Enter the NNS proposal id.' : undefined) ??
          fieldMessage(save.error, 'proposalId')
        }
      >
        {(props) => (
          <input
            {...props}
            ref={input}
            inputMode="numeric"
            autoComplete="off"
            value={proposalId}
            onChange={(e) => setProposalId(e.target.value)}
          />
        )}
      </Field>
      {target.kind === 'Item' && (
        <div className="checkbox">
          <input
            id={`${ids}-deploy`}
            type="checkbox"
            checked={deploy}
            onChange={(e) => setDeploy(e.target.checked)}
          />
          <label htmlFor={`${ids}-deploy`}>Deploy this item when the proposal executes</label>
        </div>
      )}
      <FormError error={save.error} fields={['proposalId']} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">
          {save.isPending ? 'Saving…' : current ? 'Save NNS link' : 'Link NNS proposal'}
        </button>
        {current && (
          <button type="button" className="btn btn-quiet" onClick={() => send(undefined)}>
            Remove NNS link
          </button>
        )}
      </div>
    </form>
  );
}
