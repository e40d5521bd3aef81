import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { votingClosed, type Id, type Merge, type ProposalDetail } from '../../api/models';
import { textLength } from '../../api/validation';
import { useMergeProposal } from '../../hooks/mutations';
import { useProposal, useSearch } from '../../hooks/queries';
import { ErrorNotice, FormError } from '../Feedback';
import { announce } from '../LiveRegion';
import { proposalNumber } from '../ProposalStatusForm';
import { useDebounced } from '../search/SimilarIdeas';

/** How long typing a title must pause before it is searched. */
export const TARGET_SEARCH_DEBOUNCE_MS = 300;
/** How many title matches are offered at once. */
const MAX_MATCHES = 6;

/** The backend's limit on a merge note, in Unicode code points. */
export const MERGE_NOTE_MAX = 1000;

export function votesText(count: number): string {
  return `${count} ${count === 1 ? 'vote' : 'votes'}`;
}

/** What the live region says once a merge went through. */
export function mergedMessage(merge: Merge): string {
  const what = `Proposal #${merge.duplicate} merged into #${merge.into}`;
  return merge.state === 'Merging'
    ? `${what}; its votes are moving.`
    : `${what}: ${votesText(merge.votesMoved)} moved.`;
}

/**
 * Moderators: the "Merge into another proposal" action of a proposal's page. It opens a form for
 * the target (by number, its title shown once found) and an optional note, then a confirmation
 * saying what will happen before anything is saved.
 */
export function MergeAction({
  proposal,
  onMerged,
}: {
  proposal: ProposalDetail;
  /** Called once the merge is saved and the page has read the proposal again. */
  onMerged: (merge: Merge) => void;
}) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const formId = useId();
  return (
    <div className="card admin-box merge-action">
      <button
        ref={opener}
        type="button"
        className="btn"
        aria-expanded={open}
        aria-controls={open ? formId : undefined}
        onClick={() => setOpen(!open)}
      >
        Merge into another proposal
      </button>
      {open && (
        <MergeForm
          id={formId}
          proposal={proposal}
          onCancel={() => {
            setOpen(false);
            opener.current?.focus();
          }}
          onMerged={onMerged}
        />
      )}
    </div>
  );
}

interface Errors {
  into?: string | undefined;
  note?: string | undefined;
}

export function MergeForm({
  id,
  proposal,
  onCancel,
  onMerged,
}: {
  id: string;
  proposal: ProposalDetail;
  onCancel: () => void;
  onMerged: (merge: Merge) => void;
}) {
  const [into, setInto] = useState('');
  const [note, setNote] = useState('');
  const [step, setStep] = useState<'edit' | 'confirm'>('edit');
  const [errors, setErrors] = useState<Errors>({});
  const merge = useMergeProposal();
  const intoInput = useRef<HTMLInputElement>(null);
  const noteInput = useRef<HTMLTextAreaElement>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const number = proposalNumber(into);
  const self = number === proposal.id;
  const target = useProposal(number ?? '', number !== undefined && !self);
  const noteLength = textLength(note.trim());

  // Focus moves into the form as it opens, and to the confirmation when it shows.
  useEffect(() => {
    if (step === 'edit') intoInput.current?.focus();
    else confirmHeading.current?.focus();
  }, [step]);

  const check = (): Errors => {
    const found: Errors = {};
    if (number === undefined) {
      found.into =
        into.trim() === ''
          ? 'Enter the number of the proposal to merge into (#12).'
          : 'Enter the proposal’s number, like #12.';
    } else if (self) {
      found.into = 'A proposal cannot be merged into itself: enter the other proposal’s number.';
    } else if (target.isPending) {
      found.into = `Still looking up #${number}: try again in a moment.`;
    } else if (target.isError) {
      found.into = `Could not look up #${number}: try again.`;
    } else if (!target.data) {
      found.into = `There is no proposal #${number}.`;
    } else if (target.data.merge) {
      found.into = `#${number} was itself merged into #${target.data.merge.into}: merge into that one.`;
    } else if (votingClosed(target.data.status)) {
      found.into = `Voting is closed on #${number}: merge into an open proposal.`;
    } else if (target.data.hidden) {
      found.into = `#${number} is hidden by moderators and its votes are frozen.`;
    }
    if (noteLength > MERGE_NOTE_MAX) {
      found.note = `The note can have at most ${MERGE_NOTE_MAX} characters (${noteLength} now).`;
    }
    return found;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (step === 'edit') {
      const found = check();
      setErrors(found);
      if (found.into) intoInput.current?.focus();
      else if (found.note) noteInput.current?.focus();
      else {
        merge.reset();
        setStep('confirm');
      }
      return;
    }
    if (merge.isPending || number === undefined) return;
    // Not mutate(): the form is gone (the merge shown in its place) before it settles.
    void merge.mutateAsync({ duplicate: proposal.id, into: number, note }).then(
      (done) => {
        announce(mergedMessage(done));
        onMerged(done);
      },
      () => undefined, // shown from merge.error
    );
  };

  const targetTitle = target.data?.title || `hidden proposal #${number ?? ''}`;
  const votes = proposal.up + proposal.down;
  const hint = (
    <>
      {number === undefined || self ? (
        'The number of the proposal it duplicates, as shown on that proposal’s page (#12).'
      ) : target.isPending ? (
        `Looking up #${number}…`
      ) : target.isError ? (
        `Could not look up #${number}.`
      ) : !target.data ? (
        `There is no proposal #${number}.`
      ) : (
        <>
          Into: #{number} “<bdi>{targetTitle}</bdi>” ({target.data.up} up, {target.data.down} down)
        </>
      )}
    </>
  );

  return (
    <form
      id={id}
      className="stack merge-form"
      aria-label={`Merge proposal #${proposal.id} into another proposal`}
      noValidate
      onSubmit={submit}
    >
      {step === 'edit' ? (
        <>
          <div className={errors.into ? 'field field-invalid' : 'field'}>
            <label htmlFor={`${id}-into`}>Merge into proposal number</label>
            <input
              ref={intoInput}
              id={`${id}-into`}
              inputMode="numeric"
              autoComplete="off"
              value={into}
              aria-invalid={Boolean(errors.into)}
              aria-describedby={`${id}-into-hint${errors.into ? ` ${id}-into-error` : ''}`}
              onChange={(e) => {
                setInto(e.target.value);
                setErrors((before) => ({ ...before, into: undefined }));
              }}
            />
            <p id={`${id}-into-hint`} className="field-hint" aria-live="polite">
              <span>{hint}</span>
            </p>
            {errors.into && (
              <p id={`${id}-into-error`} className="field-error">
                {errors.into}
              </p>
            )}
          </div>
          <TargetSearch
            id={`${id}-search`}
            self={proposal.id}
            onPick={(picked) => {
              setInto(`#${picked}`);
              setErrors((before) => ({ ...before, into: undefined }));
              intoInput.current?.focus();
            }}
          />
          <div className={errors.note ? 'field field-invalid' : 'field'}>
            <label htmlFor={`${id}-note`}>Note (optional)</label>
            <textarea
              ref={noteInput}
              id={`${id}-note`}
              rows={3}
              dir="auto"
              value={note}
              aria-invalid={Boolean(errors.note)}
              aria-describedby={`${id}-note-hint${errors.note ? ` ${id}-note-error` : ''}`}
              onChange={(e) => {
                setNote(e.target.value);
                setErrors((before) => ({ ...before, note: undefined }));
              }}
            />
            <p id={`${id}-note-hint`} className="field-hint">
              Shown on the merged proposal and in the public activity log.{' '}
              <span className={noteLength > MERGE_NOTE_MAX ? 'counter counter-over' : 'counter'}>
                {noteLength}/{MERGE_NOTE_MAX}
              </span>
            </p>
            {errors.note && (
              <p id={`${id}-note-error`} className="field-error">
                {errors.note}
              </p>
            )}
          </div>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary">
              Review the merge
            </button>
            <button type="button" className="btn" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </>
      ) : (
        <div className="merge-confirm">
          <h3 id={`${id}-confirm`} ref={confirmHeading} tabIndex={-1}>
            Merge #{proposal.id} into #{number}?
          </h3>
          <p>
            #{proposal.id} closes as a duplicate of #{number} “<bdi>{targetTitle}</bdi>”.
          </p>
          <p>
            {votes === 0 ? (
              'It has no votes to move.'
            ) : (
              <>
                Its {votesText(votes)} {votes === 1 ? 'moves' : 'move'} to #{number} unless the
                voter already voted there ({proposal.up} up, {proposal.down} down).
              </>
            )}{' '}
            Its author supports #{number} unless they voted there, and its followers follow #
            {number}.
          </p>
          {note.trim() !== '' && (
            <p>
              Note: <bdi>{note.trim()}</bdi>
            </p>
          )}
          <FormError error={merge.error} fields={[]} />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" aria-disabled={merge.isPending}>
              {merge.isPending ? 'Merging…' : `Merge into #${number}`}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => {
                setStep('edit');
              }}
            >
              Back
            </button>
            <button type="button" className="btn btn-quiet" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </form>
  );
}

/**
 * Finds the target by its title, for a moderator who does not know its number: open proposals
 * other than this one, best matches first. Picking one fills in its number.
 */
function TargetSearch({ id, self, onPick }: { id: string; self: Id; onPick: (id: Id) => void }) {
  const [text, setText] = useState('');
  const query = useDebounced(text.trim(), TARGET_SEARCH_DEBOUNCE_MS);
  const search = useSearch(query, undefined);
  const matches = (search.data?.pages[0]?.proposals ?? [])
    .filter((p) => p.id !== self && !p.hidden && !votingClosed(p.status))
    .slice(0, MAX_MATCHES);
  const searching = query !== '';
  return (
    <div className="field merge-search">
      <label htmlFor={id}>Or find it by title</label>
      <input
        id={id}
        type="search"
        dir="auto"
        autoComplete="off"
        value={text}
        aria-describedby={`${id}-status`}
        onChange={(e) => setText(e.target.value)}
      />
      <p id={`${id}-status`} className="field-hint" role="status">
        <span>
          {!searching || search.isError
            ? ''
            : search.isPending
              ? 'Searching…'
              : matches.length === 0
                ? 'No open proposal has a title like that.'
                : `${matches.length} open ${matches.length === 1 ? 'proposal' : 'proposals'}:`}
        </span>
      </p>
      {searching && search.isError && <ErrorNotice error={search.error} />}
      {searching && matches.length > 0 && (
        <ul className="merge-matches" aria-label="Open proposals with a title like that">
          {matches.map((p) => (
            <li key={p.id}>
              <button type="button" className="link-button" onClick={() => onPick(p.id)}>
                #{p.id} <bdi>{p.title}</bdi>
              </button>{' '}
              <span className="muted small">
                ({p.up} up, {p.down} down)
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
