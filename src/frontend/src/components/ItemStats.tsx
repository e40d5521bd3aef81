import type { RoadmapItem } from '../api/models';

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Priority votes, supporters and comments of a roadmap item, as the roadmap lists show them. */
export function ItemStats({ item }: { item: RoadmapItem }) {
  return (
    <div className="item-stats small">
      <span title="Community priority votes">
        <strong>{item.priority.votes}</strong> {item.priority.votes === 1 ? 'vote' : 'votes'}
      </span>
      <span>{count(item.priority.supporters, 'supporter', 'supporters')}</span>
      <span>{count(item.commentCount, 'comment', 'comments')}</span>
    </div>
  );
}
