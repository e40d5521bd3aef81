import { callerRole, isAdmin, isNewMember, seconds, type CallContext } from './context';
import type { Db } from './db';
import type { ModerationSettings, Settings } from './model';
import { rateLimited, type Failure } from './result';

export type LimitedAction = 'proposal' | 'comment' | 'vote' | 'profile' | 'report';

const HOUR = 3600;
const DAY = 24 * HOUR;

/** New members get the lower of their own limit and everyone's, as Discourse's trust levels. */
function limitOf(
  settings: Settings,
  moderation: ModerationSettings,
  action: LimitedAction,
  newMember: boolean,
): { max: number; windowSeconds: number } {
  switch (action) {
    case 'proposal': {
      const max = newMember
        ? Math.min(moderation.newMemberProposalsPerDay, settings.proposalsPerDay)
        : settings.proposalsPerDay;
      return { max, windowSeconds: DAY };
    }
    case 'comment': {
      const max = newMember
        ? Math.min(moderation.newMemberCommentsPerHour, settings.commentsPerHour)
        : settings.commentsPerHour;
      return { max, windowSeconds: HOUR };
    }
    case 'vote':
      return { max: settings.votesPerHour, windowSeconds: HOUR };
    case 'profile':
      return { max: settings.profileEditsPerHour, windowSeconds: HOUR };
    case 'report':
      return { max: moderation.reportsPerHour, windowSeconds: HOUR };
  }
}

/**
 * A sliding window: an action is allowed when fewer than `max` of the caller's actions of that
 * kind happened in the last `windowSeconds`. Unlike fixed windows this never lets a burst of
 * 2×max through across a window boundary. Only the times inside the window are kept, so the
 * state per principal is at most `max` numbers.
 */
export class RateLimiter {
  constructor(private readonly db: Db) {}

  /** Undefined when allowed; call `record` once the action has succeeded. */
  check(ctx: CallContext, action: LimitedAction): Failure | undefined {
    if (isAdmin(callerRole(this.db, ctx))) return undefined;
    const { max, windowSeconds } = this.limit(ctx, action);
    const now = seconds(ctx.now);
    const recent = this.recent(ctx, action, now, windowSeconds);
    if (recent.length < max) return undefined;
    // The oldest recent action leaving the window frees the first slot.
    const oldest = recent[recent.length - max]!;
    return rateLimited(Math.max(1, oldest + windowSeconds - now));
  }

  record(ctx: CallContext, action: LimitedAction): void {
    if (isAdmin(callerRole(this.db, ctx))) return;
    const { max, windowSeconds } = this.limit(ctx, action);
    const now = seconds(ctx.now);
    const recent = this.recent(ctx, action, now, windowSeconds);
    recent.push(now);
    this.db.rateLimits.set(`${action}/${ctx.caller}`, recent.slice(-max));
  }

  private limit(ctx: CallContext, action: LimitedAction) {
    const newMember =
      (action === 'proposal' || action === 'comment') && isNewMember(this.db, ctx.caller, ctx.now);
    return limitOf(this.db.settings(), this.db.moderationSettings(), action, newMember);
  }

  private recent(ctx: CallContext, action: LimitedAction, now: number, windowSeconds: number) {
    const times = this.db.rateLimits.get(`${action}/${ctx.caller}`) ?? [];
    // Stored as a candid `vec nat32`, which may come back as a Uint32Array: copy to an array.
    return Array.from(times).filter((time) => time > now - windowSeconds);
  }
}
