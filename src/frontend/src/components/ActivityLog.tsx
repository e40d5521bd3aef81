import { Link } from 'react-router';
import { useActivity, useComment } from '../hooks/queries';
import { Empty, ErrorNotice, Loading, RelativeTime } from './Feedback';
import { commentPath } from './links';
import { MemberName, SubjectName } from './Names';

/** Who "did" what nobody did: the anonymous principal stands for the board itself. */
const ANONYMOUS_PRINCIPAL = '2vxsx-fae';
/** NNS governance (the same id on mainnet and localnet) acts when a linked proposal executes. */
const NNS_GOVERNANCE = 'rrkah-fqaaa-aaaaa-aaaaq-cai';

/** A comment named by number, linked to its place in its thread once that is known. */
function CommentLink({ id }: { id: string }) {
  const comment = useComment(id);
  const label = <>comment #{id}</>;
  return comment.data ? <Link to={commentPath(comment.data)}>{label}</Link> : label;
}

export function ActivityLog() {
  const activity = useActivity();
  const entries = activity.data?.pages.flatMap((p) => p.entries) ?? [];
  if (activity.isPending) return <Loading label="Loading activity…" />;
  if (activity.isError) {
    return <ErrorNotice error={activity.error} onRetry={() => void activity.refetch()} />;
  }
  if (entries.length === 0) return <Empty>Nothing has happened yet.</Empty>;
  return (
    <>
      <ol className="activity">
        {entries.map((e) => (
          <li key={e.id}>
            {e.actor === ANONYMOUS_PRINCIPAL ? (
              // Only an automatic hide is logged without an actor: reporters stay private.
              'Members’ reports'
            ) : e.actor === NNS_GOVERNANCE ? (
              'NNS governance'
            ) : (
              <Link to={`/members/${e.actor}`}>
                <MemberName principal={e.actor} />
              </Link>
            )}{' '}
            {e.action}{' '}
            {e.subject && (
              <>
                {e.subject.kind === 'comment' ? (
                  <CommentLink id={e.subject.id} />
                ) : e.link ? (
                  <Link to={e.link}>
                    <SubjectName subject={e.subject} />
                  </Link>
                ) : (
                  <SubjectName subject={e.subject} />
                )}{' '}
              </>
            )}
            {e.detail}{' '}
            <span className="muted small">
              · <RelativeTime date={e.at} />
            </span>
          </li>
        ))}
      </ol>
      {activity.hasNextPage && (
        <button
          type="button"
          className="btn"
          onClick={() => void activity.fetchNextPage()}
          disabled={activity.isFetchingNextPage}
        >
          {activity.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}
