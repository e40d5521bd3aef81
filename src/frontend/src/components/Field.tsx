import { useId, type ReactNode } from 'react';

/**
 * A labelled form field with its hint, live counter and error (client-side or the backend's
 * message for this field), all wired to the control with aria-describedby.
 */
export function Field({
  id: givenId,
  label,
  error,
  hint,
  count,
  max,
  children,
}: {
  /** A fixed id for the control, for links to it (an error summary); generated otherwise. */
  id?: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  count?: number;
  max?: number;
  children: (props: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby': string | undefined;
  }) => ReactNode;
}) {
  const generatedId = useId();
  const id = givenId ?? generatedId;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy =
    [hint || count !== undefined ? hintId : undefined, error ? errorId : undefined]
      .filter(Boolean)
      .join(' ') || undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {(hint || count !== undefined) && (
        <div id={hintId} className="field-hint">
          {hint}
          {count !== undefined && max !== undefined && (
            <span className={count > max ? 'counter counter-over' : 'counter'}>
              {count}/{max}
            </span>
          )}
        </div>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
