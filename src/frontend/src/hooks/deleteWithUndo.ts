import { useCallback, useEffect, useRef, useState } from 'react';
import type { Id, Target } from '../api/models';
import { useDeleteComment } from './mutations';

/** How long a deleted comment can be brought back before the delete is sent. */
export const UNDO_WINDOW_MS = 8000;

/**
 * Where a delete with undo stands: `undoable` while the comment is out of view and Undo still
 * brings it back; `sending` once the window ended (or the reader left) and the delete is on its
 * way; `sent` until the thread, read again, no longer shows the comment.
 */
export type DeletePhase = 'none' | 'undoable' | 'sending' | 'sent';

/**
 * Deletes one's own comment the way mail apps do: at once on screen, on the backend only when
 * the undo window ends or the reader leaves the page (or the thread) first. Undo sends nothing.
 * A delete that then fails brings the comment back with the mutation's error.
 */
export function useDeleteWithUndo(target: Target, id: Id) {
  const remove = useDeleteComment(target);
  const [phase, setPhase] = useState<DeletePhase>('none');
  const timer = useRef<number | undefined>(undefined);
  const waiting = useRef(false);
  const { mutate } = remove;

  const send = useCallback(() => {
    if (!waiting.current) return;
    waiting.current = false;
    window.clearTimeout(timer.current);
    setPhase('sending');
    mutate(id, {
      onSuccess: () => setPhase('sent'),
      onError: () => setPhase('none'),
    });
  }, [id, mutate]);

  // Leaving the page or the thread ends the window early: the delete is sent then.
  useEffect(() => {
    window.addEventListener('pagehide', send);
    return () => {
      window.removeEventListener('pagehide', send);
      send();
    };
  }, [send]);

  const start = () => {
    if (waiting.current || remove.isPending) return;
    remove.reset();
    waiting.current = true;
    setPhase('undoable');
    timer.current = window.setTimeout(send, UNDO_WINDOW_MS);
  };
  const undo = () => {
    if (!waiting.current) return;
    waiting.current = false;
    window.clearTimeout(timer.current);
    setPhase('none');
  };
  return { phase, start, undo, error: remove.isError ? remove.error : undefined };
}
