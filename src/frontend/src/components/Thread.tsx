import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import type { Comment, Target } from '../api/models';
import { useAuth } from '../hooks/auth';
import { useDeleteWithUndo, UNDO_WINDOW_MS } from '../hooks/deleteWithUndo';
import { useCommentHistory, useIsModerator, useThread } from '../hooks/queries';
import { CommentForm, EditCommentForm, targetKey } from './CommentForms';
import { Empty, ErrorNotice, Loading, RelativeTime } from './Feedback';
import { announce } from './LiveRegion';
import { MarkdownText } from './Markdown';
import { ModerationDecision } from './moderation/ModerationDecision';
import { CopyLinkButton } from './CopyLink';
import { Name, RoleBadge, memberLabel } from './Names';
import { ReportButton } from './ReportButton';
import { buildThreadTree, type ThreadNode } from './threadTree';

/** Deeper replies stop indenting so text stays readable. */
export const MAX_INDENT = 5;
/** On narrow screens replies stop indenting sooner (styles.css, `.comment.depth-3 > .replies`). */
export const NARROW_MAX_INDENT = 3;

export function Thread({ target, title = 'Discussion' }: { target: Target; title?: string }) {
  const thread = useThread(target);
  const headingId = `thread-${targetKey(target)}`;
  const comments = thread.data?.pages.flatMap((p) => p.comments) ?? [];
  const tree = buildThreadTree(comments);
  // A new top-level comment lands at the end of the thread, maybe far below the form.
  const [postedId, setPostedId] = useState<string>();

  return (
    <section className="thread" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <CommentForm target={target} parentId={undefined} onPosted={setPostedId} />
      {thread.isPending ? (
        <Loading label="Loading comments…" />
      ) : thread.isError ? (
        <ErrorNotice error={thread.error} onRetry={() => void thread.refetch()} />
      ) : tree.length === 0 ? (
        <Empty>No comments yet. Start the discussion.</Empty>
      ) : (
        <ol className="comment-list">
          {tree.map((node) => (
            <CommentNode
              key={node.comment.id}
              node={node}
              target={target}
              justPosted={node.comment.id === postedId}
            />
          ))}
        </ol>
      )}
      {thread.hasNextPage && (
        <button
          type="button"
          className="btn"
          onClick={() => void thread.fetchNextPage()}
          disabled={thread.isFetchingNextPage}
        >
          {thread.isFetchingNextPage ? 'Loading…' : 'Load more comments'}
        </button>
      )}
    </section>
  );
}

function authorLabel(comment: Comment): string {
  return memberLabel(comment.authorName, comment.author);
}

/** Where focus goes when a reply or edit form closes: back to the control that opened it. */
type FocusReturn = 'reply' | 'edit' | 'comment';

function CommentNode({
  node,
  target,
  parentAuthor,
  justPosted = false,
}: {
  node: ThreadNode;
  target: Target;
  parentAuthor?: string;
  justPosted?: boolean;
}) {
  const { comment, children, descendants } = node;
  const { principal, status } = useAuth();
  const [collapsed, setCollapsed] = useState(false);
  const [mode, setMode] = useState<'view' | 'reply' | 'edit' | 'history' | 'moderate'>('view');
  const isModerator = useIsModerator();
  const removal = useDeleteWithUndo(target, comment.id);
  const isAuthor = status === 'signedIn' && principal === comment.author;
  const indent = Math.min(comment.depth, MAX_INDENT);
  const repliesId = `replies-${comment.id}`;
  const self = useRef<HTMLLIElement>(null);
  const replyButton = useRef<HTMLButtonElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const [focusReturn, setFocusReturn] = useState<FocusReturn>();
  useEffect(() => {
    if (justPosted) self.current?.scrollIntoView?.({ block: 'nearest' });
  }, [justPosted]);
  // A permalink (…#comment-12) lands on its comment once the thread has loaded it.
  const { hash } = useLocation();
  useEffect(() => {
    if (hash !== `#comment-${comment.id}`) return;
    self.current?.scrollIntoView?.({ block: 'center' });
    self.current?.focus({ preventScroll: true });
  }, [hash, comment.id]);
  useEffect(() => {
    if (!focusReturn) return;
    const target =
      focusReturn === 'reply'
        ? replyButton.current
        : focusReturn === 'edit'
          ? editButton.current
          : self.current;
    (target ?? self.current)?.focus();
    setFocusReturn(undefined);
  }, [focusReturn]);
  // Deleting hides the comment at once and puts focus on Undo; when Undo goes away with focus
  // on it, focus stays on the comment's place in the thread.
  const removed = removal.phase !== 'none' && !comment.deleted;
  const undoButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (removal.phase === 'undoable') undoButton.current?.focus();
    else if (removal.phase === 'sending' && document.activeElement === document.body) {
      self.current?.focus();
    }
  }, [removal.phase]);
  const closeForm = (back: FocusReturn) => {
    setMode('view');
    setFocusReturn(back);
  };

  return (
    <li
      ref={self}
      id={`comment-${comment.id}`}
      tabIndex={-1}
      className={`comment depth-${indent}${justPosted ? ' comment-new' : ''}`}
      aria-label={`Comment by ${authorLabel(comment)}`}
      data-comment-id={comment.id}
    >
      {removed ? (
        <div className="comment-body comment-removed" role="status" aria-live="polite">
          <span className="muted">Comment deleted.</span>
          {removal.phase === 'undoable' && (
            <>
              {' '}
              <button
                ref={undoButton}
                type="button"
                className="link-button"
                aria-describedby={`undo-hint-${comment.id}`}
                onClick={() => {
                  removal.undo();
                  announce('Comment restored.');
                  setFocusReturn('comment');
                }}
              >
                Undo
              </button>
              <span id={`undo-hint-${comment.id}`} className="visually-hidden">
                {' '}
                within {UNDO_WINDOW_MS / 1000} seconds
              </span>
            </>
          )}
        </div>
      ) : (
        <article className="comment-body">
          <header className="comment-meta">
            {comment.deleted ? (
              <span className="muted">Deleted comment</span>
            ) : (
              <Link to={`/members/${comment.author}`} className="comment-author">
                <Name name={comment.authorName} principal={comment.author} />
              </Link>
            )}
            {!comment.deleted && (
              <>
                {' '}
                <RoleBadge principal={comment.author} />
              </>
            )}
            {comment.depth > NARROW_MAX_INDENT && parentAuthor && (
              <span className={comment.depth > MAX_INDENT ? 'muted' : 'muted reply-context-narrow'}>
                {' '}
                replying to <bdi>{parentAuthor}</bdi>
              </span>
            )}
            <span className="muted">
              {' · '}
              <RelativeTime date={comment.createdAt} />
            </span>
            {comment.revisionCount > 0 && !comment.deleted && (
              <>
                {' · '}
                <button
                  type="button"
                  className="link-button"
                  aria-expanded={mode === 'history'}
                  onClick={() => setMode(mode === 'history' ? 'view' : 'history')}
                >
                  edited
                </button>
              </>
            )}
          </header>
          {comment.hiddenReason !== undefined && (
            <p className="tombstone">
              Hidden by moderators: <bdi>{comment.hiddenReason}</bdi>
              {comment.body !== '' && ' (only its author and moderators see the text below)'}
            </p>
          )}
          {comment.deleted ? (
            <p className="tombstone">This comment was deleted.</p>
          ) : comment.hiddenReason !== undefined && comment.body === '' ? null : mode === 'edit' ? (
            <EditCommentForm comment={comment} target={target} onDone={() => closeForm('edit')} />
          ) : (
            <MarkdownText text={comment.body} />
          )}
          {mode === 'history' && <CommentHistory id={comment.id} />}
          <div className="comment-actions">
            {!comment.deleted && status === 'signedIn' && (
              <button
                ref={replyButton}
                type="button"
                className="link-button"
                aria-expanded={mode === 'reply'}
                aria-label={`Reply to ${authorLabel(comment)}`}
                onClick={() => setMode(mode === 'reply' ? 'view' : 'reply')}
              >
                Reply
              </button>
            )}
            {isAuthor && !comment.deleted && mode !== 'edit' && (
              <button
                ref={editButton}
                type="button"
                className="link-button"
                onClick={() => setMode('edit')}
              >
                Edit
              </button>
            )}
            {isAuthor && !comment.deleted && (
              <button type="button" className="link-button danger" onClick={removal.start}>
                Delete
              </button>
            )}
            {!comment.deleted && (
              <CopyLinkButton
                what={`the comment by ${authorLabel(comment)}`}
                hash={`comment-${comment.id}`}
              />
            )}
            {!comment.deleted && isModerator && (
              <button
                type="button"
                className="link-button"
                aria-expanded={mode === 'moderate'}
                aria-label={`Moderate the comment by ${authorLabel(comment)}`}
                onClick={() => setMode(mode === 'moderate' ? 'view' : 'moderate')}
              >
                Moderate
              </button>
            )}
            {/* Hidden comments already wait for, or have had, a moderator's decision. */}
            {!comment.deleted && comment.hiddenReason === undefined && (
              <ReportButton
                target={{ kind: 'Comment', id: comment.id }}
                what={`the comment by ${authorLabel(comment)}`}
                author={comment.author}
              />
            )}
            {children.length > 0 && (
              <button
                type="button"
                className="link-button"
                aria-expanded={!collapsed}
                aria-controls={repliesId}
                onClick={() => setCollapsed(!collapsed)}
              >
                {collapsed
                  ? `Show ${descendants} ${descendants === 1 ? 'reply' : 'replies'}`
                  : `Hide ${descendants === 1 ? 'reply' : 'replies'}`}
              </button>
            )}
          </div>
          {removal.error && <ErrorNotice error={removal.error} />}
          {mode === 'moderate' && (
            <ModerationDecision
              what={`Comment #${comment.id} by ${authorLabel(comment)}`}
              target={{ kind: 'Comment', id: comment.id }}
              // Threads do not say who hid a comment: here it counts as a moderator's decision,
              // so Restore is offered; automatic hides are confirmed from the queue.
              hidden={
                comment.hiddenReason === undefined
                  ? undefined
                  : { reason: comment.hiddenReason, at: comment.updatedAt, by: 'moderators' }
              }
              member={isAuthor ? undefined : comment.author}
              memberLabel={`the author (${authorLabel(comment)})`}
              offerLift={false}
              withDismiss={false}
              onDone={() => closeForm('comment')}
            />
          )}
          {mode === 'reply' && (
            <CommentForm
              target={target}
              parentId={comment.id}
              replyingTo={authorLabel(comment)}
              onDone={() => closeForm('reply')}
              autoFocus
            />
          )}
        </article>
      )}
      {children.length > 0 && !collapsed && (
        <ol className="comment-list replies" id={repliesId}>
          {children.map((child) => (
            <CommentNode
              key={child.comment.id}
              node={child}
              target={target}
              parentAuthor={comment.deleted ? 'a deleted comment' : authorLabel(comment)}
            />
          ))}
        </ol>
      )}
    </li>
  );
}

function CommentHistory({ id }: { id: string }) {
  const history = useCommentHistory(id, true);
  if (history.isPending) return <Loading label="Loading edit history…" />;
  if (history.isError) return <ErrorNotice error={history.error} />;
  return (
    <div className="history">
      <h3 className="history-title">Earlier versions</h3>
      {history.data.length === 0 ? (
        <p className="muted">No earlier versions.</p>
      ) : (
        <ol>
          {history.data.map((rev, i) => (
            <li key={i}>
              <p className="muted">
                Replaced <RelativeTime date={rev.replacedAt} />
              </p>
              <MarkdownText text={rev.body} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
