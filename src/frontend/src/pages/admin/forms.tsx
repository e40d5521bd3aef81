import { useId, type ReactNode } from 'react';
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
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
  multiline?: boolean;
  type?: string;
}) {
  const id = useId();
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea
          id={id}
          rows={4}
          value={value}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${id}-e` : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <input
          id={id}
          type={type}
          value={value}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${id}-e` : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
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
        onSubmit();
      }}
    >
      {children}
      <FormError error={error} fields={fields} />
      {success && (
        <p className="notice notice-success" role="status">
          Saved.
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
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
