import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { fieldError } from '../api/errors';
import type { Comment, Target } from '../api/models';
import { LIMITS, textLength, validateComment } from '../api/validation';
import { useAuth } from '../hooks/auth';
import { useEditComment, usePostComment } from '../hooks/mutations';
import { useDraft } from '../hooks/useDraft';
import { FormError } from './Feedback';
import { announce } from './LiveRegion';
import { MarkdownEditor, type EditorMode } from './MarkdownEditor';
import { SignInPrompt } from './SignInPrompt';

/** The forms of a thread: a new comment or reply, and an edit of one's own comment. */

export function targetKey(target: Target): string {
  return `${target.kind.toLowerCase()}-${target.id}`;
}

/** Ctrl+Enter (Cmd+Enter on a Mac) submits a comment, as in most discussion tools. */
function submitOnCtrlEnter(e: KeyboardEvent<HTMLTextAreaElement>) {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    e.currentTarget.form?.requestSubmit();
  }
}

export function CommentForm({
  target,
  parentId,
  replyingTo,
  onDone,
  onPosted,
  autoFocus,
}: {
  target: Target;
  parentId: string | undefined;
  replyingTo?: string;
  onDone?: () => void;
  onPosted?: (id: string) => void;
  autoFocus?: boolean;
}) {
  const { status } = useAuth();
  const post = usePostComment(target);
  const [draft, setDraft, clearDraft] = useDraft(
    `comment-${targetKey(target)}-${parentId ?? 'root'}`,
    { body: '' },
  );
  const [touched, setTouched] = useState(false);
  const [mode, setMode] = useState<EditorMode>('write');
  const label = parentId ? 'Your reply' : 'Add a comment';
  const textarea = useRef<HTMLTextAreaElement>(null);
  // Focus moves to the text once it is shown again (it is hidden while the preview shows).
  const [focusRequest, setFocusRequest] = useState(0);
  useEffect(() => {
    if (focusRequest > 0) textarea.current?.focus();
  }, [focusRequest]);

  if (status !== 'signedIn') {
    return parentId ? null : <SignInPrompt action="comment" />;
  }

  const clientError = touched ? validateComment(draft.body) : undefined;
  const serverError = fieldError(post.error, 'body');
  const error = clientError ?? serverError;
  const id = `comment-${targetKey(target)}-${parentId ?? 'root'}`;

  return (
    <form
      className="comment-form"
      onSubmit={(e) => {
        e.preventDefault();
        // The button stays enabled while posting (a disabled button drops keyboard focus).
        if (post.isPending) return;
        setTouched(true);
        if (validateComment(draft.body)) {
          setMode('write');
          setFocusRequest((n) => n + 1);
          return;
        }
        post.mutate(
          { parentId, body: draft.body },
          {
            onSuccess: (posted) => {
              clearDraft();
              setTouched(false);
              setMode('write');
              announce(replyingTo ? `Reply to ${replyingTo} posted.` : 'Comment posted.');
              onPosted?.(posted.id);
              onDone?.();
            },
          },
        );
      }}
    >
      <label htmlFor={id}>{label}</label>
      <MarkdownEditor
        control={{
          id,
          'aria-invalid': Boolean(error),
          'aria-describedby': `${id}-hint${error ? ` ${id}-error` : ''}`,
        }}
        textareaRef={textarea}
        rows={parentId ? 3 : 4}
        value={draft.body}
        mode={mode}
        onModeChange={setMode}
        autoFocus={autoFocus}
        emptyPreview="_Nothing to preview._"
        onKeyDown={submitOnCtrlEnter}
        onChange={(body) => setDraft({ body })}
        onBlur={() => draft.body && setTouched(true)}
      />
      <div id={`${id}-hint`} className="field-hint">
        Markdown supported. Ctrl+Enter posts.{' '}
        <span
          className={
            textLength(draft.body.trim()) > LIMITS.commentBody.max
              ? 'counter counter-over'
              : 'counter'
          }
        >
          {textLength(draft.body.trim())}/{LIMITS.commentBody.max}
        </span>
      </div>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      <FormError error={post.error} fields={['body']} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" aria-disabled={post.isPending}>
          {post.isPending ? 'Posting…' : parentId ? 'Post reply' : 'Post comment'}
        </button>
        {onDone && (
          <button type="button" className="btn btn-quiet" onClick={onDone}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

export function EditCommentForm({
  comment,
  target,
  onDone,
}: {
  comment: Comment;
  target: Target;
  onDone: () => void;
}) {
  const edit = useEditComment(target);
  const [draft, setDraft, clearDraft] = useDraft(`edit-comment-${comment.id}`, {
    body: comment.body,
  });
  const clientError = validateComment(draft.body);
  const error = clientError ?? fieldError(edit.error, 'body');
  const id = `edit-${comment.id}`;
  return (
    <form
      className="comment-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (clientError || edit.isPending) return;
        edit.mutate(
          { id: comment.id, body: draft.body },
          {
            onSuccess: () => {
              clearDraft();
              announce('Comment saved.');
              onDone();
            },
          },
        );
      }}
    >
      <label htmlFor={id}>Edit comment</label>
      <MarkdownEditor
        control={{
          id,
          'aria-invalid': Boolean(error),
          'aria-describedby': error ? `${id}-error` : undefined,
        }}
        rows={4}
        value={draft.body}
        autoFocus
        emptyPreview="_Nothing to preview._"
        onKeyDown={submitOnCtrlEnter}
        onChange={(body) => setDraft({ body })}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      <FormError error={edit.error} fields={['body']} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" aria-disabled={edit.isPending}>
          {edit.isPending ? 'Saving…' : 'Save'}
        </button>
        <button
          type="button"
          className="btn btn-quiet"
          onClick={() => {
            clearDraft();
            onDone();
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
