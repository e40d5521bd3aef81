import { useCallback, useRef, useState } from 'react';

const PREFIX = 'roadmap-commons.draft.';

function read<T>(key: string, initial: T): T {
  try {
    const raw = window.localStorage.getItem(PREFIX + key);
    return raw === null ? initial : { ...initial, ...(JSON.parse(raw) as Partial<T>) };
  } catch {
    return initial;
  }
}

/**
 * Form state that survives reloads, an expired session and signing in again: each form keeps
 * its draft in localStorage under its own key until it is submitted (`clear`).
 */
export function useDraft<T extends object>(
  key: string,
  initial: T,
): [T, (patch: Partial<T>) => void, () => void] {
  // The empty form, as first given: call sites usually pass a fresh literal on every render.
  const emptyForm = useRef(initial);
  const [value, setValue] = useState<T>(() => read(key, initial));
  const update = useCallback(
    (patch: Partial<T>) => {
      setValue((prev) => {
        const next = { ...prev, ...patch };
        try {
          window.localStorage.setItem(PREFIX + key, JSON.stringify(next));
        } catch {
          // Storage can be full or disabled; the draft then lives only in memory.
        }
        return next;
      });
    },
    [key],
  );
  const clear = useCallback(() => {
    try {
      window.localStorage.removeItem(PREFIX + key);
    } catch {
      // See above.
    }
    setValue(emptyForm.current);
  }, [key]);
  return [value, update, clear];
}
