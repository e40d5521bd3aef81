import { requireWriter, type CallContext } from './context';
import type { Db, PriorityRecord } from './db';
import type { Id, PriorityAllocation, PrincipalId } from './model';
import { conflict, invalid, notFound, ok, type Result } from './result';
import type { RateLimiter } from './rate-limits';
import { isDeployed } from './roadmap';

const MAX_ITEMS_PER_MEMBER = 1000;

/**
 * Quadratic priority voting: n votes on an item cost n² credits, and a member's total spend
 * never exceeds the budget. Each allocation is stored twice (by item, to release an item's
 * votes; by member, to show a member's allocation) and the item keeps the running tally.
 */
export class PriorityService {
  constructor(
    private readonly db: Db,
    private readonly limiter: RateLimiter,
  ) {}

  private record(member: PrincipalId): PriorityRecord {
    return this.db.priorities.get(member) ?? { spent: 0, votes: [] };
  }

  allocation(member: PrincipalId): PriorityAllocation {
    const budget = this.db.settings().creditBudget;
    const { spent, votes } = this.record(member);
    return { budget, spent, remaining: Math.max(0, budget - spent), votes };
  }

  votesOn(member: PrincipalId, itemId: Id): number {
    return this.record(member).votes.find((vote) => vote.itemId === itemId)?.votes ?? 0;
  }

  setVotes(ctx: CallContext, itemId: Id, votes: number): Result<PriorityAllocation> {
    const refused = requireWriter(this.db, ctx);
    if (refused) return refused;
    const item = this.db.item(itemId);
    if (item === undefined) return notFound(`item ${itemId}`);
    if (isDeployed(item.status)) return conflict('the item is deployed; it takes no more votes');
    const budget = this.db.settings().creditBudget;
    const record = this.record(ctx.caller);
    const previous = record.votes.find((vote) => vote.itemId === itemId)?.votes ?? 0;
    const spent = record.spent;
    const newSpent = spent - previous * previous + votes * votes;
    // Lowering votes is always allowed, even when an admin has cut the budget below the spend.
    if (votes > previous && newSpent > budget) {
      return invalid(
        'votes',
        `${votes} votes cost ${votes * votes} credits; ${budget - (spent - previous * previous)} available`,
      );
    }
    if (previous === 0 && votes > 0 && record.votes.length >= MAX_ITEMS_PER_MEMBER) {
      return conflict('too many items with votes');
    }
    const allocation = (next: PriorityRecord): PriorityAllocation => ({
      budget,
      spent: next.spent,
      remaining: Math.max(0, budget - next.spent),
      votes: next.votes,
    });
    if (votes === previous) return ok(allocation(record));
    const limited = this.limiter.check(ctx, 'vote');
    if (limited) return limited;

    // Votes stay in item order, as members see them listed.
    const others = record.votes.filter((vote) => vote.itemId !== itemId);
    const next: PriorityRecord = {
      spent: newSpent,
      votes:
        votes === 0
          ? others
          : [...others, { itemId, votes }].sort((a, b) => (a.itemId < b.itemId ? -1 : 1)),
    };
    this.save(ctx.caller, next);
    if (votes === 0) this.db.removeSupporter(itemId, ctx.caller);
    else this.db.addSupporter(itemId, ctx.caller);
    if (votes > 0 !== previous > 0) {
      this.db.lens.voted(ctx.caller, `i${itemId}`, votes > 0 ? 'up' : undefined, previous === 0);
      if (votes > 0) this.db.inbox.follow(ctx.caller, { Item: itemId }, false);
    }
    this.db.saveItem({
      ...item,
      priority: {
        votes: item.priority.votes + votes - previous,
        supporters: item.priority.supporters + Number(votes > 0) - Number(previous > 0),
      },
    });
    this.limiter.record(ctx, 'vote');
    return ok(allocation(next));
  }

  private save(member: PrincipalId, record: PriorityRecord): void {
    if (record.votes.length === 0 && record.spent === 0) this.db.priorities.delete(member);
    else this.db.priorities.set(member, record);
  }

  /** Gives back every member's credits on a Deployed item; its tally stays as the final one. */
  release(itemId: Id): void {
    const members = this.db.supporters.get(itemId);
    if (members === undefined) return;
    for (const member of members) {
      const record = this.record(member);
      const held = record.votes.find((vote) => vote.itemId === itemId)?.votes ?? 0;
      this.save(member, {
        spent: record.spent - held * held,
        votes: record.votes.filter((vote) => vote.itemId !== itemId),
      });
    }
    this.db.supporters.delete(itemId);
  }
}
