import { useId, useState, type ReactNode } from 'react';
import { fieldError } from '../../api/errors';
import { ROADMAP_STATUSES, roadmapStatusLabel, type RoadmapStatus } from '../../api/models';
import { FormError } from '../../components/Feedback';

/** Form parts shared by the admin editors (roadmap entries and settings). */

export function TextField({
  label,
  value,
  onChange,
  error,
  multiline,
  type = 'text',
  hint,
  readOnly = false,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
  multiline?: boolean;
  type?: string;
  hint?: string;
  readOnly?: boolean;
}) {
  const id = useId();
  const describedBy =
    [hint ? `${id}-h` : undefined, error ? `${id}-e` : undefined].filter(Boolean).join(' ') ||
    undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea
          id={id}
          rows={4}
          value={value}
          aria-invalid={Boolean(error)}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <input
          id={id}
          type={type}
          value={value}
          readOnly={readOnly}
          aria-invalid={Boolean(error)}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {hint && (
        <p id={`${id}-h`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-e`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function StatusSelect({
  value,
  onChange,
}: {
  value: RoadmapStatus;
  onChange: (s: RoadmapStatus) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Status</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as RoadmapStatus)}>
        {ROADMAP_STATUSES.map((s) => (
          <option key={s} value={s}>
            {roadmapStatusLabel(s)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function EditorForm({
  onSubmit,
  pending,
  error,
  fields,
  success,
  onCancel,
  children,
}: {
  onSubmit: () => void;
  pending: boolean;
  error: unknown;
  fields: string[];
  success: boolean;
  onCancel?: () => void;
  children: ReactNode;
}) {
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        // Save stays enabled while saving (a disabled button drops focus); one save at a time.
        if (!pending) onSubmit();
      }}
    >
      {children}
      <FormError error={error} fields={fields} />
      {success && (
        <p className="notice notice-success" role="status">
          Saved.
        </p>
      )}
      {/* Sticky, so Save stays in reach at the bottom of a tall editor. */}
      <div className="form-actions sticky-actions">
        <button type="submit" className="btn btn-primary" aria-disabled={pending}>
          {pending ? 'Saving…' : 'Save'}
        </button>
        {onCancel && (
          <button type="button" className="btn btn-quiet" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** One field of a `CountSettingsForm`: the setting, its label and an optional hint. */
export type CountSetting<T> = [key: keyof T & string, label: string, hint?: string];

/**
 * A form of whole-number settings (limits, thresholds), saved together: the board's settings
 * and the moderation settings share it. The form keeps its own edits until saved; the saved
 * settings come back through the query.
 */
export function CountSettingsForm<T extends { [K in keyof T]: number }>({
  initial,
  settings,
  save,
}: {
  initial: T;
  settings: CountSetting<T>[];
  save: { mutate: (v: T) => void; isPending: boolean; error: unknown; isSuccess: boolean };
}) {
  const [v, setV] = useState<T>(initial);
  return (
    <EditorForm
      onSubmit={() => save.mutate(v)}
      pending={save.isPending}
      error={save.error}
      fields={settings.map(([k]) => k)}
      success={save.isSuccess}
    >
      {settings.map(([key, label, hint]) => (
        <TextField
          key={key}
          label={label}
          type="number"
          value={String(v[key])}
          error={fieldError(save.error, key)}
          {...(hint ? { hint } : {})}
          onChange={(n) => setV({ ...v, [key]: Math.max(0, Math.floor(Number(n) || 0)) })}
        />
      ))}
    </EditorForm>
  );
}
