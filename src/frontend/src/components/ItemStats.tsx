import type { RoadmapItem } from '../api/models';
import { ItemPowerLens } from './nns/PowerLens';

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Priority votes, supporters and comments of a roadmap item, as the roadmap lists show them,
 * with the member's own votes. A deployed item takes no more votes and shows its final tally.
 */
export function ItemStats({ item, myVotes = 0 }: { item: RoadmapItem; myVotes?: number }) {
  const { votes, supporters } = item.priority;
  const deployed = item.status === 'Deployed';
  return (
    <div className="item-stats small">
      {deployed && votes === 0 ? (
        <span>No priority votes before release</span>
      ) : (
        <span>
          {deployed && 'Final tally: '}
          <strong>{votes}</strong> priority {votes === 1 ? 'vote' : 'votes'} from{' '}
          {count(supporters, 'supporter', 'supporters')}
        </span>
      )}
      <ItemPowerLens power={item.supporterPower} quiet />
      {myVotes > 0 && (
        <span className="my-votes">
          your votes: <strong>{myVotes}</strong>
        </span>
      )}
      <span>{count(item.commentCount, 'comment', 'comments')}</span>
    </div>
  );
}
