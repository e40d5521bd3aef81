import { Link } from 'react-router';
import { useActivity } from '../hooks/queries';
import { Empty, ErrorNotice, Loading, RelativeTime } from './Feedback';
import { MemberName, SubjectName } from './Names';

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
            <Link to={`/members/${e.actor}`}>
              <MemberName principal={e.actor} />
            </Link>{' '}
            {e.action}{' '}
            {e.subject && (
              <>
                {e.link ? (
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
