import { Link, useParams } from 'react-router';
import { Breadcrumb } from '../components/Breadcrumb';
import { ItemRows } from '../components/ItemRows';
import { Empty, ErrorNotice, Loading } from '../components/Feedback';
import { MarkdownText } from '../components/Markdown';
import { RoadmapStatusBadge } from '../components/Status';
import { Thread } from '../components/Thread';
import { useMyPriorities, useRoadmap } from '../hooks/queries';
import { usePageTitle } from './usePageTitle';

export default function MilestonePage() {
  const { id = '' } = useParams();
  const roadmap = useRoadmap();
  const myVotes = useMyPriorities().data?.votes;
  const theme = roadmap.data?.themes.find((t) => t.milestones.some((m) => m.id === id));
  const milestone = theme?.milestones.find((m) => m.id === id);
  usePageTitle(milestone?.name ?? 'Milestone');

  if (roadmap.isPending) return <Loading label="Loading the milestone…" />;
  if (roadmap.isError) {
    return <ErrorNotice error={roadmap.error} onRetry={() => void roadmap.refetch()} />;
  }
  if (!theme || !milestone) {
    return (
      <Empty>
        <h1>Milestone not found</h1>
        <Link to="/">Back to the roadmap</Link>
      </Empty>
    );
  }
  return (
    <article className="detail">
      <Breadcrumb
        trail={[
          { label: 'Roadmap', to: '/' },
          { label: theme.title, to: `/roadmap/themes/${theme.id}` },
        ]}
      />
      <header className="detail-head">
        <h1 dir="auto">{milestone.name}</h1>
        <div className="meta-row">
          <RoadmapStatusBadge status={milestone.status} />
          {milestone.eta && <span className="eta">ETA {milestone.eta}</span>}
        </div>
      </header>
      {milestone.summary && <MarkdownText text={milestone.summary} />}
      <section aria-labelledby="milestone-items" className="section">
        <h2 id="milestone-items">Items</h2>
        {milestone.items.length === 0 ? (
          <Empty>No items in this milestone yet.</Empty>
        ) : (
          <ItemRows items={milestone.items} myVotes={myVotes} className="items card" />
        )}
      </section>
      <Thread target={{ kind: 'Milestone', id: milestone.id }} />
    </article>
  );
}
