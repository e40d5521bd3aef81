import { Link } from 'react-router';
import { useActivity } from '../hooks/queries';
import { Empty, ErrorNotice, Loading, RelativeTime } from './Feedback';

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
            <Link to={`/members/${e.actor}`} className="mono">
              {e.actor.slice(0, 11)}…
            </Link>{' '}
            {e.link ? <Link to={e.link}>{e.summary}</Link> : e.summary}{' '}
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
