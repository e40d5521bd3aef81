import { Link } from 'react-router';
import type { Milestone, RoadmapItem } from '../api/models';
import { ItemRows } from './ItemRows';
import { RoadmapStatusBadge } from './Status';

/** A milestone with its items and their priority, as the roadmap and theme pages show it. */
export function MilestoneCard({
  milestone,
  items = milestone.items,
  myVotes,
  headingLevel,
}: {
  milestone: Milestone;
  /** The items to show, when a filter keeps only some. */
  items?: readonly RoadmapItem[];
  myVotes: Readonly<Record<string, number>> | undefined;
  headingLevel: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <article className="card milestone" aria-labelledby={`milestone-${milestone.id}`}>
      <header className="milestone-head">
        <Heading id={`milestone-${milestone.id}`}>
          <Link to={`/roadmap/milestones/${milestone.id}`}>{milestone.name}</Link>
        </Heading>
        <RoadmapStatusBadge status={milestone.status} />
        {milestone.eta && <span className="eta">ETA {milestone.eta}</span>}
      </header>
      {milestone.summary && <p className="muted">{milestone.summary}</p>}
      {items.length === 0 ? (
        <p className="muted small">
          {milestone.items.length === 0 ? 'No items yet.' : 'No items match this filter.'}
        </p>
      ) : (
        <ItemRows items={items} myVotes={myVotes} />
      )}
    </article>
  );
}
