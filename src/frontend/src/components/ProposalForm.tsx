import { useEffect, useId, useRef, useState } from 'react';
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
import { ErrorSummary, type SummaryEntry } from './ErrorSummary';
import { MarkdownEditor, type EditorMode } from './MarkdownEditor';
import { SimilarIdeas } from './search/SimilarIdeas';

const FIELDS = ['title', 'body', 'tags', 'themeId'];
/** The fields checked while typing, in the order they appear. */
const SUMMARISED = ['title', 'body', 'tags'] as const;

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
  suggestSimilar = false,
  prefillTitle,
}: {
  draftKey: string;
  initial: ProposalDraft;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: ProposalInput, clearDraft: () => void) => void;
  onCancel?: () => void;
  /** Whether to point at existing proposals like the draft (new proposals only). */
  suggestSimilar?: boolean;
  /** A title to start from (e.g. a search that found nothing), unless the draft has one. */
  prefillTitle?: string | undefined;
}) {
  const roadmap = useRoadmap();
  const [draft, setDraft, clearDraft] = useDraft<ProposalDraft>(draftKey, initial);
  // Applied once: a title the author already typed is never replaced by the one in the link.
  const prefilled = useRef(false);
  useEffect(() => {
    if (prefilled.current) return;
    prefilled.current = true;
    if (prefillTitle?.trim() && !draft.title.trim()) setDraft({ title: prefillTitle.trim() });
  }, [prefillTitle, draft.title, setDraft]);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [mode, setMode] = useState<EditorMode>('write');
  const formId = useId();
  const fieldId = (field: string) => `${formId}-${field}`;
  const summary = useRef<HTMLDivElement>(null);
  const [focusSummary, setFocusSummary] = useState(0);
  const errors = validateProposal(draft);
  // What the backend will store, shown as it is typed, so that case folding and splitting are
  // visible rather than a surprise after saving.
  const tags = parseTags(draft.tags);
  const show = (field: 'title' | 'body' | 'tags') =>
    submitted || touched[field] ? errors[field] : undefined;
  // Pressing Submit blurs the field being typed in first. Showing that field's error at that
  // moment would push the button down before the press ends, and the click would be lost; the
  // submit shows every error anyway.
  const pressingSubmit = useRef(false);
  const touch = (field: string) => {
    if (!pressingSubmit.current) setTouched((t) => ({ ...t, [field]: true }));
  };

  // The backend's verdict on a field arrives after the submit: it is summarised the same way.
  const serverField = FIELDS.find((f) => fieldError(error, f));
  const summaryEntries: SummaryEntry[] = [
    ...(submitted
      ? SUMMARISED.filter((f) => errors[f]).map((f) => ({
          fieldId: fieldId(f),
          message: errors[f]!,
        }))
      : []),
    ...(serverField && !(submitted && SUMMARISED.some((f) => f === serverField && errors[f]))
      ? [{ fieldId: fieldId(serverField), message: fieldError(error, serverField)! }]
      : []),
  ];
  useEffect(() => {
    if (focusSummary > 0) summary.current?.focus();
  }, [focusSummary]);
  useEffect(() => {
    if (serverField) summary.current?.focus();
  }, [error, serverField]);

  return (
    <form
      className="stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        pressingSubmit.current = false;
        setSubmitted(true);
        if (hasErrors(errors)) {
          // The description's problem must be visible where the summary links to it.
          if (errors.body) setMode('write');
          setFocusSummary((n) => n + 1);
          return;
        }
        onSubmit(
          {
            title: draft.title,
            body: draft.body,
            themeId: draft.themeId || undefined,
            tags,
          },
          clearDraft,
        );
      }}
    >
      <ErrorSummary entries={summaryEntries} summaryRef={summary} />
      <Field
        id={fieldId('title')}
        label="Title"
        error={show('title') ?? fieldError(error, 'title')}
        count={textLength(draft.title.trim())}
        max={LIMITS.proposalTitle.max}
        hint={`${LIMITS.proposalTitle.min}–${LIMITS.proposalTitle.max} characters, one line. `}
      >
        {(props) => (
          <input
            {...props}
            value={draft.title}
            dir="auto"
            autoComplete="off"
            onChange={(e) => setDraft({ title: e.target.value })}
            onBlur={() => touch('title')}
          />
        )}
      </Field>
      {suggestSimilar && <SimilarIdeas title={draft.title} body={draft.body} />}

      <Field
        id={fieldId('body')}
        label="Description"
        error={show('body') ?? fieldError(error, 'body')}
        count={textLength(draft.body.trim())}
        max={LIMITS.proposalBody.max}
        hint="Markdown: **bold**, _italic_, lists, `code`, [links](https://…). "
      >
        {(props) => (
          <MarkdownEditor
            control={props}
            rows={12}
            value={draft.body}
            mode={mode}
            onModeChange={setMode}
            onChange={(body) => setDraft({ body })}
            onBlur={() => touch('body')}
          />
        )}
      </Field>

      <Field id={fieldId('themeId')} label="Theme (optional)" error={fieldError(error, 'themeId')}>
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
        id={fieldId('tags')}
        label="Tags (optional)"
        error={show('tags') ?? fieldError(error, 'tags')}
        hint={
          <span>
            Up to {LIMITS.tags.maxCount}, separated by spaces or commas; each 1–24 lowercase
            letters, digits or "-". A leading # is optional.
            {tags.length > 0 && (
              <span className="tags-as-saved">Saved as {tags.map((t) => `#${t}`).join(' ')}</span>
            )}
          </span>
        }
      >
        {(props) => (
          <input
            {...props}
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
        <button
          type="submit"
          className="btn btn-primary"
          disabled={pending}
          onPointerDown={() => {
            pressingSubmit.current = true;
          }}
          onPointerLeave={() => {
            pressingSubmit.current = false;
          }}
        >
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
