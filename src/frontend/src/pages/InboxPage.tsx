import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import {
  proposalStatusLabel,
  type ContentRef,
  type Notification,
  type Roadmap,
  type Target,
} from '../api/models';
import { Empty, ErrorNotice, Loading, RelativeTime } from '../components/Feedback';
import { announce } from '../components/LiveRegion';
import { commentPath, targetPath } from '../components/links';
import { MemberName, ProposalName } from '../components/Names';
import { SignInPrompt } from '../components/SignInPrompt';
import { useAuth } from '../hooks/auth';
import { useMarkNotificationsRead } from '../hooks/mutations';
import { useComment, useNotifications, useRoadmap } from '../hooks/queries';
import { usePageTitle } from './usePageTitle';

function roadmapEntryTitle(roadmap: Roadmap | undefined, target: Target): string | undefined {
  const milestones = roadmap?.themes.flatMap((t) => t.milestones) ?? [];
  if (target.kind === 'Milestone') return milestones.find((m) => m.id === target.id)?.name;
  return milestones.flatMap((m) => m.items).find((i) => i.id === target.id)?.title;
}

/** A proposal, item or milestone by its title, else by kind and number. */
function TargetName({ target }: { target: Target }) {
  const roadmap = useRoadmap();
  if (target.kind === 'Proposal') return <ProposalName id={target.id} />;
  const title = roadmapEntryTitle(roadmap.data, target);
  return title ? (
    <>
      “<bdi>{title}</bdi>”
    </>
  ) : (
    <>
      {target.kind === 'Item' ? 'item' : 'milestone'} #{target.id}
    </>
  );
}

/** A hidden or restored comment of the member's, linked to its place once that is known. */
function YourComment({ id }: { id: string }) {
  const comment = useComment(id);
  return comment.data ? (
    <>
      your <Link to={commentPath(comment.data)}>comment</Link> on{' '}
      <TargetName target={comment.data.target} />
    </>
  ) : (
    <>your comment #{id}</>
  );
}

/** A hidden or restored proposal or comment, linked to where it is. */
function ContentName({ content }: { content: ContentRef }) {
  if (content.kind === 'Comment') return <YourComment id={content.id} />;
  return (
    <>
      your proposal{' '}
      <Link to={`/proposals/${content.id}`}>
        <ProposalName id={content.id} numbered />
      </Link>
    </>
  );
}

/** One notice as a sentence, its subject a link to the place it is about. */
function NoticeText({ notice }: { notice: Notification }) {
  const k = notice.kind;
  switch (k.kind) {
    case 'Reply':
    case 'Mention':
    case 'NewComment': {
      const on = (
        <Link to={commentPath({ id: k.commentId, target: k.target })}>
          <TargetName target={k.target} />
        </Link>
      );
      const by = <MemberName principal={k.by} />;
      if (k.kind === 'Reply')
        return (
          <>
            {by} replied to your comment on {on}
          </>
        );
      if (k.kind === 'Mention')
        return (
          <>
            {by} mentioned you in a comment on {on}
          </>
        );
      return (
        <>
          New comment by {by} on {on}
        </>
      );
    }
    case 'StatusChanged':
      return (
        <>
          <Link to={`/proposals/${k.proposalId}`}>
            <ProposalName id={k.proposalId} numbered />
          </Link>{' '}
          is now {proposalStatusLabel(k.status.kind)}
          {k.response && ' (with an official response)'}
        </>
      );
    case 'ItemDeployed':
      return (
        <>
          Item{' '}
          <Link to={targetPath({ kind: 'Item', id: k.itemId })}>
            <TargetName target={{ kind: 'Item', id: k.itemId }} />
          </Link>{' '}
          was deployed; your priority credits are back
        </>
      );
    case 'ContentHidden':
    case 'ContentRestored':
      return (
        <>
          Moderators {k.kind === 'ContentHidden' ? 'hid' : 'restored'}{' '}
          <ContentName content={k.target} />: <bdi>{k.reason}</bdi>
        </>
      );
  }
}

/** The seq after the newest notice shown, when any of those shown is unread. */
function readUpTo(notices: Notification[]): string | undefined {
  if (!notices.some((n) => !n.read)) return undefined;
  const newest = notices.reduce((max, n) => (BigInt(n.seq) > max ? BigInt(n.seq) : max), 0n);
  return (newest + 1n).toString();
}

function Inbox() {
  const notifications = useNotifications();
  const markRead = useMarkNotificationsRead();
  const notices = notifications.data?.pages.flatMap((p) => p.notifications) ?? [];
  const unread = notifications.data?.pages[0]?.unread ?? 0;

  // Leaving the inbox marks what it showed as read: while it is open, the new notices stay
  // marked. Only those shown count, so a notice that arrived meanwhile stays unread. The mark
  // waits a tick and a remount cancels it: StrictMode's trial unmount must not read anything.
  const shown = useRef<string | undefined>(undefined);
  shown.current = readUpTo(notices);
  const leaving = useRef<ReturnType<typeof setTimeout>>(undefined);
  const { mutate } = markRead;
  useEffect(() => {
    clearTimeout(leaving.current);
    return () => {
      const upTo = shown.current;
      if (upTo !== undefined) leaving.current = setTimeout(() => mutate(upTo), 0);
    };
  }, [mutate]);

  if (notifications.isPending) return <Loading label="Loading your inbox…" />;
  if (notifications.isError) {
    return <ErrorNotice error={notifications.error} onRetry={() => void notifications.refetch()} />;
  }
  if (notices.length === 0) {
    return (
      <Empty>
        Nothing here yet. Replies, mentions, new comments on what you follow and changes to your
        proposals will appear here.
      </Empty>
    );
  }
  return (
    <>
      <div className="inbox-actions">
        <p className="muted small">{unread === 0 ? 'All read.' : `${unread} unread.`}</p>
        {unread > 0 && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() =>
              markRead.mutate(undefined, { onSuccess: () => announce('All notices marked read.') })
            }
          >
            Mark all as read
          </button>
        )}
      </div>
      {markRead.error && <ErrorNotice error={markRead.error} title="Not marked read." />}
      <ol className="inbox-list">
        {notices.map((n) => (
          <li key={n.seq} className={`inbox-notice${n.read ? '' : ' is-unread'}`}>
            {!n.read && <span className="visually-hidden">Unread: </span>}
            <span className="inbox-text">
              <NoticeText notice={n} />
            </span>{' '}
            <span className="muted small">
              · <RelativeTime date={n.at} />
            </span>
          </li>
        ))}
      </ol>
      {notifications.hasNextPage && (
        <button
          type="button"
          className="btn"
          onClick={() => void notifications.fetchNextPage()}
          disabled={notifications.isFetchingNextPage}
        >
          {notifications.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}

export default function InboxPage() {
  usePageTitle('Inbox');
  const { status } = useAuth();
  let content: ReactNode;
  if (status === 'initializing') content = <Loading />;
  else if (status !== 'signedIn') content = <SignInPrompt action="see your inbox" />;
  else content = <Inbox />;
  return (
    <>
      <div className="page-head">
        <h1>Inbox</h1>
        <p className="lead">
          Replies to your comments, mentions, new comments on the proposals and items you follow,
          and changes to your proposals, newest first.
        </p>
      </div>
      {content}
    </>
  );
}
