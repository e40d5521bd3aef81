import { Link } from 'react-router';
import type { RoadmapItem } from '../api/models';
import { ItemStats } from './ItemStats';
import { RoadmapStatusBadge } from './Status';

/** A milestone's items, each with its status and priority, as its card and its page list them. */
export function ItemRows({
  items,
  myVotes,
  className = 'items',
}: {
  items: readonly RoadmapItem[];
  myVotes: Readonly<Record<string, number>> | undefined;
  className?: string;
}) {
  return (
    <ul className={className}>
      {items.map((item) => (
        <li key={item.id} className="item-row">
          <div className="item-main">
            <Link to={`/roadmap/items/${item.id}`} className="item-title">
              {item.title}
            </Link>
            <RoadmapStatusBadge status={item.status} />
          </div>
          <ItemStats item={item} myVotes={myVotes?.[item.id]} />
        </li>
      ))}
    </ul>
  );
}
