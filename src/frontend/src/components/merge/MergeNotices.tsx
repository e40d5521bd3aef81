import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { Merge } from '../../api/models';
import { useUnmergeProposal } from '../../hooks/mutations';
import { FormError, RelativeTime } from '../Feedback';
import { announce } from '../LiveRegion';
import { MemberName, ProposalName, RoleBadge } from '../Names';
import { votesText } from './MergeForm';

/** What the live region says once an undo went through (it may still be taking votes back). */
export function unmergedMessage(merge: Merge): string {
  return merge.votesMoved === 0
    ? `Merge undone: proposal #${merge.duplicate} is back as it was before.`
    : `Undoing the merge: its votes are moving back off #${merge.into}.`;
}

/**
 * On a merged duplicate's page: where it was merged, why, by whom and when, how many votes
 * moved, and whether they are still moving. Admins can undo the merge from here.
 */
export function MergeBanner({
  merge,
  isAdmin,
  focus,
  onUndone,
}: {
  merge: Merge;
  isAdmin: boolean;
  /** Moves focus to the banner's heading (once a merge from this page is done). */
  focus: boolean;
  onUndone: (merge: Merge) => void;
}) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);

  return (
    <section className="notice notice-info merge-banner" aria-labelledby={headingId}>
      <h2 id={headingId} ref={heading} tabIndex={-1}>
        Merged into{' '}
        <Link to={`/proposals/${merge.into}`}>
          <ProposalName id={merge.into} numbered />
        </Link>
      </h2>
      {merge.note && (
        <p className="merge-note">
          Note: <bdi>{merge.note}</bdi>
        </p>
      )}
      <p className="small">
        Merged by{' '}
        <Link to={`/members/${merge.by}`}>
          <MemberName principal={merge.by} />
        </Link>{' '}
        <RoleBadge principal={merge.by} /> · <RelativeTime date={merge.at} /> ·{' '}
        {merge.state === 'Unmerging'
          ? `${votesText(merge.votesMoved)} still to take back`
          : `${votesText(merge.votesMoved)} moved to #${merge.into}`}
      </p>
      {merge.state === 'Merging' && (
        <p className="merge-progress" role="status">
          <span className="spinner" aria-hidden="true" />
          Moving votes…
        </p>
      )}
      {merge.state === 'Unmerging' && (
        <p className="merge-progress" role="status">
          <span className="spinner" aria-hidden="true" />
          Undoing the merge: taking its votes back…
        </p>
      )}
      <p className="small">Support and discuss it there; the comments below stay readable.</p>
      {isAdmin && merge.state === 'Merged' && <UndoMerge merge={merge} onUndone={onUndone} />}
    </section>
  );
}

/** Admins: "Undo merge", with a confirmation saying what it takes back. */
function UndoMerge({ merge, onUndone }: { merge: Merge; onUndone: (merge: Merge) => void }) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const question = useRef<HTMLParagraphElement>(null);
  const id = useId();
  const undo = useUnmergeProposal();
  useEffect(() => {
    if (open) question.current?.focus();
  }, [open]);

  return (
    <div className="merge-undo">
      <button
        ref={opener}
        type="button"
        className="btn btn-small"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => {
          undo.reset();
          setOpen(!open);
        }}
      >
        Undo merge
      </button>
      {open && (
        <div id={id} className="merge-confirm" role="group" aria-labelledby={`${id}-question`}>
          <p id={`${id}-question`} ref={question} tabIndex={-1}>
            Undo this merge? The {votesText(merge.votesMoved)} it moved leave #{merge.into} (votes
            members cast there themselves stay), and #{merge.duplicate} gets its earlier status
            back.
          </p>
          <FormError error={undo.error} fields={[]} />
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-danger btn-small"
              aria-disabled={undo.isPending}
              onClick={() => {
                if (undo.isPending) return;
                // Not mutate(): the banner may be gone (the merge undone) before it settles.
                void undo.mutateAsync(merge).then(
                  (done) => {
                    announce(unmergedMessage(done));
                    onUndone(done);
                  },
                  () => undefined, // shown from undo.error
                );
              }}
            >
              {undo.isPending ? 'Undoing…' : 'Yes, undo the merge'}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setOpen(false);
                opener.current?.focus();
              }}
            >
              Keep the merge
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

/** On a proposal's page: the duplicates merged into it, with the votes each brought. */
export function MergedFrom({ merges }: { merges: Merge[] }) {
  const labelId = useId();
  if (merges.length === 0) return null;
  const moving = merges.some((m) => m.state !== 'Merged');
  return (
    <div className="notice notice-info merged-from">
      <span id={labelId}>Merged from</span>
      <ul aria-labelledby={labelId}>
        {merges.map((m) => (
          <li key={m.duplicate}>
            <Link to={`/proposals/${m.duplicate}`}>
              <ProposalName id={m.duplicate} numbered />
            </Link>{' '}
            <span className="muted small">
              (
              {m.state === 'Unmerging'
                ? 'merge being undone'
                : `${votesText(m.votesMoved)} moved${m.state === 'Merging' ? ' so far' : ''}`}
              )
            </span>
          </li>
        ))}
      </ul>
      {moving && (
        <p className="merge-progress small" role="status">
          <span className="spinner" aria-hidden="true" />
          Votes are moving; the counts update as they arrive.
        </p>
      )}
    </div>
  );
}
