import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { textLength, LIMITS } from '../../api/validation';
import { votingClosed, type ProposalSummary } from '../../api/models';
import { useSimilarProposals, useTitleTwins } from '../../hooks/queries';
import { ProposalStatusBadge } from '../Status';

/** How long typing must pause before the draft is compared with existing proposals. */
export const SIMILAR_DEBOUNCE_MS = 400;
/** Fewer words than this match too much to be a useful hint. */
export const SIMILAR_MIN_WORDS = 3;
/** A shorter title cannot be submitted, so there is no twin worth warning about. */
export const TITLE_TWIN_MIN_CHARS = LIMITS.proposalTitle.min;

export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function wordCount(text: string): number {
  return text.trim().split(/\s+/u).filter(Boolean).length;
}

/** Titles that differ only in case, spacing or Unicode form read as the same title. */
export function sameTitle(a: string, b: string): boolean {
  const key = (t: string) => t.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
  return key(a) === key(b);
}

/**
 * The proposal to name as having the draft's exact title. One still open to votes comes first,
 * since supporting it is what the author can still do; hidden ones are never named.
 */
export function titleTwin(
  candidates: readonly ProposalSummary[],
  title: string,
): ProposalSummary | undefined {
  const twins = candidates.filter(
    (p) => p.hidden === undefined && p.title !== '' && sameTitle(p.title, title),
  );
  return twins.find((p) => !votingClosed(p.status)) ?? twins[0];
}

/** Says that a proposal with the draft's exact title exists and, if closed, how it was closed. */
function TitleTwinNotice({ twin }: { twin: ProposalSummary }) {
  const link = (
    <Link to={`/proposals/${twin.id}`} dir="auto">
      {twin.title}
    </Link>
  );
  const status = twin.status;
  switch (status.kind) {
    case 'Declined':
      return (
        <p className="similar-identical">
          <strong>A proposal with this exact title was declined:</strong> {link}. Read why before
          proposing it again, or give yours a title that says how it differs.
        </p>
      );
    case 'Done':
      return (
        <p className="similar-identical">
          <strong>A proposal with this exact title is done:</strong> {link}. See what it delivered
          before proposing it again, or give yours a title that says how it differs.
        </p>
      );
    case 'Duplicate':
      return (
        <p className="similar-identical">
          <strong>A proposal with this exact title was closed as a duplicate:</strong> {link}.
          Support <Link to={`/proposals/${status.proposalId}`}>the proposal it duplicates</Link>, or
          give yours a title that says how it differs.
        </p>
      );
    default:
      return (
        <p className="similar-identical">
          <strong>A proposal with this exact title exists:</strong> {link}. Support it, or give
          yours a title that says how it differs.
        </p>
      );
  }
}

/**
 * Existing proposals like the draft, so its author can support one instead of splitting the
 * votes over a duplicate. Only a hint: it never blocks submitting, and a failed lookup shows
 * nothing rather than an error about something the author did not ask for.
 *
 * Similar ideas are only open or planned ones and need a few words to be useful; a proposal with
 * exactly the same title is worth naming whatever its status and however short the title, so it
 * is looked up by searching for the title.
 */
export function SimilarIdeas({ title, body }: { title: string; body: string }) {
  const draft = useDebounced({ title: title.trim(), body: body.trim() }, SIMILAR_DEBOUNCE_MS);
  const enabled = wordCount(draft.title) >= SIMILAR_MIN_WORDS;
  const similar = useSimilarProposals(draft.title, draft.body, enabled);
  const twinLookup = textLength(draft.title) >= TITLE_TWIN_MIN_CHARS;
  const searched = useTitleTwins(draft.title, twinLookup);
  const headingId = useId();
  const found = enabled && !similar.isError ? (similar.data ?? []) : [];
  const sameTitled = twinLookup && !searched.isError ? (searched.data ?? []) : [];
  // Compared with what the author sees now, not the debounced draft the lookups were for.
  const twin = titleTwin([...sameTitled, ...found], title);
  return (
    // Always present, so the polite announcement is heard when a warning or suggestions appear.
    <div aria-live="polite">
      {twin !== undefined && <TitleTwinNotice twin={twin} />}
      {found.length > 0 && (
        <section className="similar-ideas" aria-labelledby={headingId}>
          <h2 id={headingId}>Is your idea already here? Vote for it instead</h2>
          <ul>
            {found.map((p) => (
              <li key={p.id}>
                <Link to={`/proposals/${p.id}`} dir="auto">
                  {p.title || `Proposal #${p.id}`}
                </Link>{' '}
                <span className="muted small">
                  {p.up} {p.up === 1 ? 'supporter' : 'supporters'}
                </span>{' '}
                <ProposalStatusBadge status={p.status} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
