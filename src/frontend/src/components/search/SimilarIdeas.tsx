import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { useSimilarProposals } from '../../hooks/queries';
import { ProposalStatusBadge } from '../Status';

/** How long typing must pause before the draft is compared with existing proposals. */
export const SIMILAR_DEBOUNCE_MS = 400;
/** Fewer words than this match too much to be a useful hint. */
export const SIMILAR_MIN_WORDS = 3;

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
 * Existing proposals like the draft, so its author can support one instead of splitting the
 * votes over a duplicate. Only a hint: it never blocks submitting, and a failed lookup shows
 * nothing rather than an error about something the author did not ask for.
 */
export function SimilarIdeas({ title, body }: { title: string; body: string }) {
  const draft = useDebounced({ title: title.trim(), body: body.trim() }, SIMILAR_DEBOUNCE_MS);
  const enabled = wordCount(draft.title) >= SIMILAR_MIN_WORDS;
  const similar = useSimilarProposals(draft.title, draft.body, enabled);
  const headingId = useId();
  const found = enabled && !similar.isError ? (similar.data ?? []) : [];
  // Compared with what the author sees now, not the debounced draft the lookup was for.
  const identical = found.find((p) => p.title !== '' && sameTitle(p.title, title));
  return (
    // Always present, so the polite announcement is heard when suggestions appear.
    <div aria-live="polite">
      {found.length > 0 && (
        <section className="similar-ideas" aria-labelledby={headingId}>
          <h2 id={headingId}>Is your idea already here? Vote for it instead</h2>
          {identical !== undefined && (
            <p className="similar-identical">
              <strong>A proposal with this exact title exists:</strong>{' '}
              <Link to={`/proposals/${identical.id}`} dir="auto">
                {identical.title}
              </Link>
              . Support it, or give yours a title that says how it differs.
            </p>
          )}
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
