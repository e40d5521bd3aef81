import { useEffect, useId, useRef, useState } from 'react';
import {
  REPORT_REASONS,
  reportReasonLabel,
  type ReportReason,
  type ReportTarget,
} from '../api/models';
import { textLength } from '../api/validation';
import { useAuth } from '../hooks/auth';
import { useReport } from '../hooks/mutations';
import { ErrorNotice } from './Feedback';
import { announce } from './LiveRegion';

export const REPORT_NOTE_MAX = 500;

/**
 * "Report" opens a small form in place (reason, optional note) rather than a modal: it stays
 * next to what is reported, works the same on a phone, and keeps focus management simple.
 * Only signed-in members who did not write the thing see it (the backend refuses self-reports).
 */
export function ReportButton({
  target,
  what,
  author,
  className = 'link-button',
}: {
  target: ReportTarget;
  /** What is reported, for the button's accessible name, e.g. "the comment by Alice". */
  what: string;
  /** Who wrote it (or the member reported): they cannot report themselves. */
  author: string;
  className?: string;
}) {
  const { status, principal } = useAuth();
  const report = useReport();
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState(false);
  const [reason, setReason] = useState<ReportReason>();
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const firstChoice = useRef<HTMLInputElement>(null);
  const [focus, setFocus] = useState<'form' | 'button'>();
  useEffect(() => {
    if (focus === 'form') firstChoice.current?.focus();
    if (focus === 'button') button.current?.focus();
    setFocus(undefined);
  }, [focus]);

  if (status !== 'signedIn' || principal === author) return null;

  const close = () => {
    setOpen(false);
    report.reset();
    setFocus('button');
  };
  const noteLength = textLength(note.trim());
  const noteError =
    noteLength > REPORT_NOTE_MAX
      ? `Note can have at most ${REPORT_NOTE_MAX} characters (${noteLength} now).`
      : undefined;
  const reasonError = touched && !reason ? 'Choose a reason.' : undefined;

  return (
    <>
      <button
        ref={button}
        type="button"
        className={className}
        aria-expanded={open}
        aria-controls={open ? `${id}-form` : undefined}
        aria-label={sent ? `Reported ${what}` : `Report ${what}`}
        onClick={() => {
          if (open) return close();
          setOpen(true);
          setFocus('form');
        }}
      >
        {sent ? 'Reported' : 'Report'}
      </button>
      {open && (
        <form
          id={`${id}-form`}
          className="report-form card"
          aria-label={`Report ${what}`}
          noValidate
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
          }}
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
            if (!reason || noteError || report.isPending) return;
            report.mutate(
              { target, reason, note },
              {
                onSuccess: () => {
                  setSent(true);
                  setNote('');
                  setReason(undefined);
                  setTouched(false);
                  announce('Thank you. Moderators will review your report.');
                  close();
                },
              },
            );
          }}
        >
          <fieldset
            aria-invalid={Boolean(reasonError)}
            aria-describedby={reasonError ? `${id}-reason-error` : undefined}
          >
            <legend>Why are you reporting this?</legend>
            {REPORT_REASONS.map((r, i) => (
              <label key={r} className="choice">
                <input
                  ref={i === 0 ? firstChoice : undefined}
                  type="radio"
                  name={`${id}-reason`}
                  value={r}
                  checked={reason === r}
                  onChange={() => setReason(r)}
                />{' '}
                {reportReasonLabel(r)}
              </label>
            ))}
          </fieldset>
          {reasonError && (
            <p id={`${id}-reason-error`} className="field-error">
              {reasonError}
            </p>
          )}
          <div className={noteError ? 'field field-invalid' : 'field'}>
            <label htmlFor={`${id}-note`}>Note for moderators (optional)</label>
            <textarea
              id={`${id}-note`}
              rows={2}
              dir="auto"
              value={note}
              aria-invalid={Boolean(noteError)}
              aria-describedby={`${id}-note-hint${noteError ? ` ${id}-note-error` : ''}`}
              onChange={(e) => setNote(e.target.value)}
            />
            <div id={`${id}-note-hint`} className="field-hint">
              Only moderators read reports; your name is never shown.{' '}
              <span className={noteError ? 'counter counter-over' : 'counter'}>
                {noteLength}/{REPORT_NOTE_MAX}
              </span>
            </div>
            {noteError && (
              <p id={`${id}-note-error`} className="field-error">
                {noteError}
              </p>
            )}
          </div>
          {report.isError && <ErrorNotice error={report.error} />}
          <div className="form-actions">
            <button
              type="submit"
              className="btn btn-primary btn-small"
              aria-disabled={report.isPending}
            >
              {report.isPending ? 'Sending…' : 'Send report'}
            </button>
            <button type="button" className="btn btn-quiet btn-small" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {sent && !open && (
        <span className="muted small report-sent">Thank you — moderators will review it.</span>
      )}
    </>
  );
}
