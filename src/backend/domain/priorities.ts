import { requireSignedIn, type CallContext } from './context';
import type { Db } from './db';
import { u64 } from './keys';
import type { Id, PriorityAllocation, PrincipalText } from './model';
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

  allocation(member: PrincipalText): PriorityAllocation {
    const budget = this.db.settings().creditBudget;
    const spent = this.db.creditsSpent(member);
    const votes = this.db.priorityByMember
      .scan(`${member}/`, undefined, MAX_ITEMS_PER_MEMBER)
      .map(([key, count]) => ({ itemId: BigInt(`0x${key.slice(-16)}`), votes: count }));
    return { budget, spent, remaining: Math.max(0, budget - spent), votes };
  }

  votesOn(member: PrincipalText, itemId: Id): number {
    return this.db.priorityByMember.get(`${member}/${u64(itemId)}`) ?? 0;
  }

  setVotes(ctx: CallContext, itemId: Id, votes: number): Result<PriorityAllocation> {
    const anonymous = requireSignedIn(ctx);
    if (anonymous) return anonymous;
    const item = this.db.item(itemId);
    if (item === undefined) return notFound(`item ${itemId}`);
    if (isDeployed(item.status)) return conflict('the item is deployed; it takes no more votes');
    const budget = this.db.settings().creditBudget;
    const previous = this.votesOn(ctx.caller, itemId);
    const spent = this.db.creditsSpent(ctx.caller);
    const newSpent = spent - previous * previous + votes * votes;
    // Lowering votes is always allowed, even when an admin has cut the budget below the spend.
    if (votes > previous && newSpent > budget) {
      return invalid(
        'votes',
        `${votes} votes cost ${votes * votes} credits; ${budget - (spent - previous * previous)} available`,
      );
    }
    if (
      previous === 0 &&
      votes > 0 &&
      this.allocation(ctx.caller).votes.length >= MAX_ITEMS_PER_MEMBER
    ) {
      return conflict('too many items with votes');
    }
    if (votes === previous) return ok(this.allocation(ctx.caller));
    const limited = this.limiter.check(ctx, 'vote');
    if (limited) return limited;

    const byItem = `${u64(itemId)}${ctx.caller}`;
    const byMember = `${ctx.caller}/${u64(itemId)}`;
    if (votes === 0) {
      this.db.priorityVotes.delete(byItem);
      this.db.priorityByMember.delete(byMember);
    } else {
      this.db.priorityVotes.set(byItem, votes);
      this.db.priorityByMember.set(byMember, votes);
    }
    this.db.setCreditsSpent(ctx.caller, newSpent);
    this.db.items.set(u64(itemId), {
      ...item,
      priority: {
        votes: item.priority.votes + votes - previous,
        supporters: item.priority.supporters + Number(votes > 0) - Number(previous > 0),
      },
    });
    this.limiter.record(ctx, 'vote');
    return ok(this.allocation(ctx.caller));
  }

  /** Gives back every member's credits on a Deployed item; its tally stays as the final one. */
  release(itemId: Id): void {
    const prefix = u64(itemId);
    for (;;) {
      const batch = this.db.priorityVotes.scan(prefix, undefined, 500);
      if (batch.length === 0) return;
      for (const [key, votes] of batch) {
        const member = key.slice(prefix.length) as PrincipalText;
        this.db.setCreditsSpent(member, this.db.creditsSpent(member) - votes * votes);
        this.db.priorityVotes.delete(key);
        this.db.priorityByMember.delete(`${member}/${prefix}`);
      }
    }
  }
}
