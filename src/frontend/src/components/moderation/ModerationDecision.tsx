import { useId, useRef, useState } from 'react';
import { fieldError } from '../../api/errors';
import type { ContentRef, Hiding, ModerationAction, ReportTarget } from '../../api/models';
import { textLength } from '../../api/validation';
import { useModerate } from '../../hooks/mutations';
import { FormError } from '../Feedback';
import { announce } from '../LiveRegion';

export const MODERATION_REASON_MAX = 500;

/** Suspension lengths offered; `undefined` lasts until a moderator lifts it. */
export const SUSPENSION_CHOICES: [number | undefined, string][] = [
  [1, '1 day'],
  [3, '3 days'],
  [7, '7 days'],
  [30, '30 days'],
  [90, '90 days'],
  [undefined, 'Until lifted'],
];

/** The sentence a finished action leaves behind, e.g. "Comment #4 hidden." */
export function doneMessage(action: ModerationAction, subject: string): string {
  // Subjects may start in lower case ("the author (Bob)"); the sentence may not.
  const what = subject.charAt(0).toUpperCase() + subject.slice(1);
  switch (action.kind) {
    case 'Hide':
      return `${what} hidden.`;
    case 'Restore':
      return `${what} restored.`;
    case 'Dismiss':
      return `Reports on ${what.charAt(0).toLowerCase()}${what.slice(1)} dismissed.`;
    case 'Suspend':
      return action.days === undefined
        ? `${what} suspended until lifted.`
        : `${what} suspended for ${action.days} ${action.days === 1 ? 'day' : 'days'}.`;
    case 'Unsuspend':
      return `Suspension of ${subject} lifted.`;
  }
}

/**
 * A moderator's decision on one reported thing: a public reason and the actions that apply.
 * Hiding and suspending need a reason (it is shown to everyone); restoring and dismissing may
 * give one. Every decision appears in the public activity log.
 */
export function ModerationDecision({
  what,
  target,
  hidden,
  member,
  memberLabel,
  offerLift,
  withDismiss = true,
  onDone,
}: {
  /** The thing decided on, capitalised, e.g. "Comment #4 by Alice". */
  what: string;
  /** Undefined for a decision that is not about reports (a member's page). */
  target: ReportTarget | undefined;
  hidden: Hiding | undefined;
  /** Whom "Suspend" applies to: the member reported, or the author of the content. */
  member: string | undefined;
  memberLabel: string;
  /** Whether to offer lifting a suspension (the member is, or may be, suspended). */
  offerLift: boolean;
  /** Offered in the queue; elsewhere the content may have no open reports to dismiss. */
  withDismiss?: boolean;
  onDone?: (message: string) => void;
}) {
  const moderate = useModerate();
  const id = useId();
  const [reason, setReason] = useState('');
  const [days, setDays] = useState<string>('7');
  const [missingReason, setMissingReason] = useState<string>();
  const reasonInput = useRef<HTMLInputElement>(null);
  const content: ContentRef | undefined = target && target.kind !== 'Member' ? target : undefined;
  const length = textLength(reason.trim());
  const tooLong =
    length > MODERATION_REASON_MAX
      ? `Reason can have at most ${MODERATION_REASON_MAX} characters (${length} now).`
      : undefined;
  const reasonError = missingReason ?? tooLong ?? fieldError(moderate.error, 'reason');

  const run = (action: ModerationAction, needsReason: string | undefined) => {
    if (moderate.isPending) return;
    if (needsReason && reason.trim() === '') {
      setMissingReason(needsReason);
      reasonInput.current?.focus();
      return;
    }
    setMissingReason(undefined);
    if (tooLong) {
      reasonInput.current?.focus();
      return;
    }
    const subject = action.kind === 'Suspend' || action.kind === 'Unsuspend' ? memberLabel : what;
    moderate.mutate(
      { action, reason },
      {
        onSuccess: () => {
          const message = doneMessage(action, subject);
          announce(message);
          setReason('');
          onDone?.(message);
        },
      },
    );
  };

  const autoHidden = hidden !== undefined && hidden.by === undefined;
  const suspendDays = days === '' ? undefined : Number(days);

  return (
    <form
      className="moderation-decision"
      aria-label={`Decide on ${what}`}
      noValidate
      onSubmit={(e) => e.preventDefault()}
    >
      <div className={reasonError ? 'field field-invalid' : 'field'}>
        <label htmlFor={`${id}-reason`}>Public reason</label>
        <input
          ref={reasonInput}
          id={`${id}-reason`}
          dir="auto"
          value={reason}
          autoComplete="off"
          aria-invalid={Boolean(reasonError)}
          aria-describedby={`${id}-reason-hint${reasonError ? ` ${id}-reason-error` : ''}`}
          onChange={(e) => {
            setReason(e.target.value);
            if (e.target.value.trim() !== '') setMissingReason(undefined);
          }}
        />
        <p id={`${id}-reason-hint`} className="field-hint">
          Shown in place of hidden content and in the public activity log. Needed to hide or
          suspend.
        </p>
        {reasonError && (
          <p id={`${id}-reason-error`} className="field-error">
            {reasonError}
          </p>
        )}
      </div>
      <div className="form-actions">
        {content && (!hidden || autoHidden) && (
          <button
            type="button"
            className="btn btn-danger btn-small"
            aria-disabled={moderate.isPending}
            onClick={() => run({ kind: 'Hide', target: content }, 'Give a reason to hide it.')}
          >
            {autoHidden ? 'Keep hidden' : 'Hide'}
          </button>
        )}
        {content && hidden && (
          <button
            type="button"
            className="btn btn-small"
            aria-disabled={moderate.isPending}
            onClick={() => run({ kind: 'Restore', target: content }, undefined)}
          >
            Restore
          </button>
        )}
        {target && withDismiss && (
          <button
            type="button"
            className="btn btn-small"
            aria-disabled={moderate.isPending}
            onClick={() => run({ kind: 'Dismiss', target }, undefined)}
          >
            Dismiss reports
          </button>
        )}
      </div>
      {member && (
        <div className="form-actions suspend-row">
          <label htmlFor={`${id}-days`}>Suspend {memberLabel}</label>
          <select id={`${id}-days`} value={days} onChange={(e) => setDays(e.target.value)}>
            {SUSPENSION_CHOICES.map(([value, label]) => (
              <option key={label} value={value === undefined ? '' : String(value)}>
                {label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn btn-danger btn-small"
            aria-disabled={moderate.isPending}
            onClick={() =>
              run(
                { kind: 'Suspend', member, days: suspendDays },
                'Give a reason for the suspension.',
              )
            }
          >
            Suspend
          </button>
          {offerLift && (
            <button
              type="button"
              className="btn btn-small"
              aria-disabled={moderate.isPending}
              onClick={() => run({ kind: 'Unsuspend', member }, undefined)}
            >
              Lift suspension
            </button>
          )}
        </div>
      )}
      {moderate.isPending && (
        <p className="muted small" role="status">
          Saving…
        </p>
      )}
      <FormError error={moderate.error} fields={['reason']} />
    </form>
  );
}
