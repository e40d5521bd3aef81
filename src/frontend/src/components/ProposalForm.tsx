import { useState } from 'react';
import { fieldError } from '../api/errors';
import type { ProposalInput } from '../api/models';
import {
  LIMITS,
  hasErrors,
  parseTags,
  textLength,
  validateProposal,
  type ProposalDraft,
} from '../api/validation';
import { useRoadmap } from '../hooks/queries';
import { useDraft } from '../hooks/useDraft';
import { Field } from './Field';
import { FormError } from './Feedback';
import { MarkdownText } from './Markdown';

const FIELDS = ['title', 'body', 'tags', 'themeId'];

/**
 * Proposal form for submitting and editing. Validation mirrors the backend's limits while
 * typing; the backend's own message for a field (if it still refuses) appears under it.
 */
export function ProposalForm({
  draftKey,
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  draftKey: string;
  initial: ProposalDraft;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: ProposalInput, clearDraft: () => void) => void;
  onCancel?: () => void;
}) {
  const roadmap = useRoadmap();
  const [draft, setDraft, clearDraft] = useDraft<ProposalDraft>(draftKey, initial);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  const errors = validateProposal(draft);
  const show = (field: 'title' | 'body' | 'tags') =>
    submitted || touched[field] ? errors[field] : undefined;
  const touch = (field: string) => setTouched((t) => ({ ...t, [field]: true }));

  return (
    <form
      className="stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (hasErrors(errors)) {
          const first = (['title', 'body', 'tags'] as const).find((f) => errors[f]);
          document.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
          return;
        }
        onSubmit(
          {
            title: draft.title,
            body: draft.body,
            themeId: draft.themeId || undefined,
            tags: parseTags(draft.tags),
          },
          clearDraft,
        );
      }}
    >
      <Field
        label="Title"
        error={show('title') ?? fieldError(error, 'title')}
        count={textLength(draft.title.trim())}
        max={LIMITS.proposalTitle.max}
        hint={`${LIMITS.proposalTitle.min}–${LIMITS.proposalTitle.max} characters, one line. `}
      >
        {(props) => (
          <input
            {...props}
            data-field="title"
            value={draft.title}
            autoComplete="off"
            onChange={(e) => setDraft({ title: e.target.value })}
            onBlur={() => touch('title')}
          />
        )}
      </Field>

      <div className="tabs tabs-small" role="group" aria-label="Description editor mode">
        <button
          type="button"
          className="tab"
          aria-pressed={tab === 'write'}
          onClick={() => setTab('write')}
        >
          Write
        </button>
        <button
          type="button"
          className="tab"
          aria-pressed={tab === 'preview'}
          onClick={() => setTab('preview')}
        >
          Preview
        </button>
      </div>
      {tab === 'write' ? (
        <Field
          label="Description"
          error={show('body') ?? fieldError(error, 'body')}
          count={textLength(draft.body.trim())}
          max={LIMITS.proposalBody.max}
          hint="Markdown: **bold**, _italic_, lists, `code`, [links](https://…). "
        >
          {(props) => (
            <textarea
              {...props}
              data-field="body"
              rows={12}
              value={draft.body}
              onChange={(e) => setDraft({ body: e.target.value })}
              onBlur={() => touch('body')}
            />
          )}
        </Field>
      ) : (
        <section className="preview" aria-label="Description preview">
          <MarkdownText text={draft.body.trim() || '_Nothing to preview yet._'} />
        </section>
      )}

      <Field label="Theme (optional)" error={fieldError(error, 'themeId')}>
        {(props) => (
          <select
            {...props}
            value={draft.themeId}
            onChange={(e) => setDraft({ themeId: e.target.value })}
          >
            <option value="">No particular theme</option>
            {roadmap.data?.themes.map((t) => (
              <option key={t.id} value={t.id}>
                {t.title}
              </option>
            ))}
          </select>
        )}
      </Field>

      <Field
        label="Tags (optional)"
        error={show('tags') ?? fieldError(error, 'tags')}
        hint={`Up to ${LIMITS.tags.maxCount}, separated by spaces or commas: lowercase letters, digits and "-".`}
      >
        {(props) => (
          <input
            {...props}
            data-field="tags"
            value={draft.tags}
            autoComplete="off"
            placeholder="e.g. security node-shuffling"
            onChange={(e) => setDraft({ tags: e.target.value })}
            onBlur={() => touch('tags')}
          />
        )}
      </Field>

      <FormError error={error} fields={FIELDS} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
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
