import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import {
  CERTIFICATION_DELAY_MS,
  sameTally,
  type TallyCheck,
  type TallyKind,
} from '../api/tallyCheck';
import type { Id } from '../api/models';
import { useTallyCheck } from '../hooks/queries';

type Shown = { up: number; down: number } | { votes: number; supporters: number };

/** Checks made before a tally is given up on as not certified (2.5 s apart). */
const ATTEMPTS = 4;
const RETRY_MS = CERTIFICATION_DELAY_MS + 500;

export type MarkState =
  { kind: 'checking' } | { kind: 'verified' } | { kind: 'failed'; reason: string };

/**
 * What the mark says, from the latest check and the numbers on screen. A tally that is not in
 * the certified tree yet, or that differs from it, is checked again while the tree may still be
 * catching up (it lags writes by at most CERTIFICATION_DELAY_MS): right after a vote the screen
 * is ahead of the certificate.
 */
export function markState(check: TallyCheck | undefined, shown: Shown, final: boolean): MarkState {
  if (check === undefined) return { kind: 'checking' };
  if (check.outcome === 'failed') return { kind: 'failed', reason: check.message };
  if (check.outcome === 'verified' && sameTally(shown, check.witnessed))
    return { kind: 'verified' };
  if (!final) return { kind: 'checking' };
  if (check.outcome === 'pending')
    return { kind: 'failed', reason: 'not in the certified tallies' };
  const w = check.witnessed;
  return {
    kind: 'failed',
    reason:
      'up' in w
        ? `the certified tally is ${w.up} up, ${w.down} down`
        : `the certified tally is ${w.votes} votes from ${w.supporters} supporters`,
  };
}

/**
 * "Verified" beside a tally once the numbers shown are the ones the Internet Computer certifies
 * (api/tallyCheck.ts), linking to the page that shows the check step by step. A failed check
 * says so plainly; the number itself always stays on screen.
 */
export function TallyMark({
  kind,
  id,
  shown,
  compact = false,
}: {
  kind: TallyKind;
  id: Id;
  shown: Shown;
  compact?: boolean;
}) {
  const query = useTallyCheck(kind, id, 60_000);
  const shownKey =
    'up' in shown ? `${shown.up}/${shown.down}` : `${shown.votes}/${shown.supporters}`;
  const [attempts, setAttempts] = useState(1);
  const [checkedShown, setCheckedShown] = useState(shownKey);
  if (checkedShown !== shownKey) {
    // New numbers on screen (a vote): they get their own attempts.
    setCheckedShown(shownKey);
    setAttempts(1);
  }
  const final = attempts >= ATTEMPTS;
  const state = markState(query.data, shown, final);
  const { refetch } = query;
  useEffect(() => {
    if (state.kind !== 'checking' || query.data === undefined || final) return;
    const timer = setTimeout(() => {
      setAttempts((n) => n + 1);
      void refetch();
    }, RETRY_MS);
    return () => clearTimeout(timer);
  }, [state.kind, query.data, final, refetch]);

  const to = `/verify/${kind === 'proposal' ? 'proposals' : 'items'}/${id}`;
  if (state.kind === 'checking') {
    return (
      <span
        className="tally-mark tally-checking"
        title="Checking this tally against the certificate"
      >
        {compact ? '…' : 'checking…'}
      </span>
    );
  }
  if (state.kind === 'verified') {
    return (
      <Link
        to={to}
        className="tally-mark tally-verified"
        title="This tally is certified by the Internet Computer: see the check"
        aria-label="Tally verified: see the check"
      >
        ✓{compact ? '' : ' verified'}
      </Link>
    );
  }
  return (
    <Link
      to={to}
      className="tally-mark tally-failed"
      title={`The check of this tally failed: ${state.reason}`}
      aria-label={`Tally check failed: ${state.reason}`}
    >
      ✗{compact ? '' : ' check failed'}
    </Link>
  );
}
