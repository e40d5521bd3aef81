import { useSyncExternalStore } from 'react';

/**
 * One polite live region for the whole app. Results of actions that keep focus where it was
 * (a vote, a posted comment, a change of priority votes) are announced here, so screen-reader
 * users hear what happened without their focus being moved.
 */
interface Announcement {
  message: string;
  /** Repeating the same message must still be read out, so every announcement is new. */
  seq: number;
}

let current: Announcement = { message: '', seq: 0 };
const listeners = new Set<() => void>();

export function announce(message: string): void {
  current = { message, seq: current.seq + 1 };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function LiveRegion() {
  const { message, seq } = useSyncExternalStore(
    subscribe,
    () => current,
    () => current,
  );
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {/* A new key replaces the text node, which screen readers reliably announce. */}
      <span key={seq}>{message}</span>
    </div>
  );
}
