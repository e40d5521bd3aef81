import { Link, useSearchParams } from 'react-router';
import { ROADMAP_STATUSES, roadmapStatusLabel, type RoadmapStatus } from '../api/models';
import { Empty, ErrorNotice, Loading } from '../components/Feedback';
import { MilestoneCard } from '../components/MilestoneCard';
import { creditSummary, MyPriorities } from '../components/MyPriorities';
import { useAuth } from '../hooks/auth';
import { useMyPriorities, useRoadmap } from '../hooks/queries';
import { usePageTitle } from './usePageTitle';

function parseStatus(value: string | null): RoadmapStatus | undefined {
  return ROADMAP_STATUSES.find((s) => s === value);
}

export default function RoadmapPage() {
  usePageTitle('Roadmap');
  const roadmap = useRoadmap();
  const signedIn = useAuth().status === 'signedIn';
  const [params, setParams] = useSearchParams();
  const status = parseStatus(params.get('status'));

  const setStatus = (next: RoadmapStatus | undefined) => {
    const p = new URLSearchParams(params);
    if (next) p.set('status', next);
    else p.delete('status');
    setParams(p, { replace: true });
  };

  return (
    <>
      <div className="page-head">
        <h1>Roadmap</h1>
        <p className="lead">
          Where the platform is going, theme by theme. Members spend priority credits on the items
          they care about most. <Link to="/how-it-works">How voting works</Link>
        </p>
      </div>
      {signedIn && <PrioritiesPanel />}
      <div className="filter-bar" role="group" aria-label="Filter items by status">
        <button
          type="button"
          className="chip"
          aria-pressed={status === undefined}
          onClick={() => setStatus(undefined)}
        >
          All
        </button>
        {ROADMAP_STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className="chip"
            aria-pressed={status === s}
            onClick={() => setStatus(s)}
          >
            {roadmapStatusLabel(s)}
          </button>
        ))}
      </div>
      {roadmap.isPending ? (
        <RoadmapSkeleton />
      ) : roadmap.isError ? (
        <ErrorNotice error={roadmap.error} onRetry={() => void roadmap.refetch()} />
      ) : roadmap.data.themes.length === 0 ? (
        <Empty>The roadmap is empty. An admin can import one.</Empty>
      ) : (
        <RoadmapBody themes={roadmap.data.themes} status={status} />
      )}
    </>
  );
}

/** The roadmap's shape while it loads, so the landing page does not sit on one line of text. */
function RoadmapSkeleton() {
  return (
    <div className="loading-skeleton">
      <Loading label="Loading the roadmap…" />
      <div className="skeleton-cards" aria-hidden="true">
        {[0, 1, 2].map((i) => (
          <div key={i} className="card skeleton-card">
            <span className="skeleton-line skeleton-title" />
            <span className="skeleton-line" />
            <span className="skeleton-line skeleton-short" />
          </div>
        ))}
      </div>
    </div>
  );
}

/** A member's credits next to the roadmap: the summary at a glance, rebalancing one click away. */
function PrioritiesPanel() {
  const allocation = useMyPriorities();
  return (
    <details className="card priorities-panel">
      <summary>
        Your priority votes
        {allocation.data && (
          <span className="muted small"> · {creditSummary(allocation.data)}</span>
        )}
      </summary>
      <MyPriorities headingLevel={3} heading="hidden" />
    </details>
  );
}

function RoadmapBody({
  themes,
  status,
}: {
  themes: NonNullable<ReturnType<typeof useRoadmap>['data']>['themes'];
  status: RoadmapStatus | undefined;
}) {
  const myVotes = useMyPriorities().data?.votes;
  const visible = themes
    .map((theme) => ({
      theme,
      milestones: theme.milestones
        .map((m) => ({
          milestone: m,
          items: status ? m.items.filter((i) => i.status === status) : m.items,
        }))
        .filter((m) => !status || m.items.length > 0 || m.milestone.status === status),
    }))
    .filter((t) => t.milestones.length > 0);

  if (visible.length === 0) {
    return (
      <Empty>No roadmap items are {roadmapStatusLabel(status ?? 'Future').toLowerCase()}.</Empty>
    );
  }

  return (
    <div className="themes">
      {visible.map(({ theme, milestones }) => (
        <section key={theme.id} className="theme" aria-labelledby={`theme-${theme.id}`}>
          <h2 id={`theme-${theme.id}`}>
            <Link to={`/roadmap/themes/${theme.id}`}>{theme.title}</Link>
          </h2>
          {theme.summary && <p className="muted">{theme.summary}</p>}
          <div className="milestones">
            {milestones.map(({ milestone, items }) => (
              <MilestoneCard
                key={milestone.id}
                milestone={milestone}
                items={items}
                myVotes={myVotes}
                headingLevel={3}
              />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}
