import { callerRole, isAdmin, seconds, type CallContext } from './context';
import type { Db } from './db';
import type { Settings } from './model';
import { rateLimited, type Failure } from './result';

export type LimitedAction = 'proposal' | 'comment' | 'vote' | 'profile';

const HOUR = 3600;
const DAY = 24 * HOUR;

function limitOf(
  settings: Settings,
  action: LimitedAction,
): { max: number; windowSeconds: number } {
  switch (action) {
    case 'proposal':
      return { max: settings.proposalsPerDay, windowSeconds: DAY };
    case 'comment':
      return { max: settings.commentsPerHour, windowSeconds: HOUR };
    case 'vote':
      return { max: settings.votesPerHour, windowSeconds: HOUR };
    case 'profile':
      return { max: settings.profileEditsPerHour, windowSeconds: HOUR };
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
    const { max, windowSeconds } = limitOf(this.db.settings(), action);
    const now = seconds(ctx.now);
    const recent = this.recent(ctx, action, now, windowSeconds);
    if (recent.length < max) return undefined;
    // The oldest recent action leaving the window frees the first slot.
    const oldest = recent[recent.length - max]!;
    return rateLimited(Math.max(1, oldest + windowSeconds - now));
  }

  record(ctx: CallContext, action: LimitedAction): void {
    if (isAdmin(callerRole(this.db, ctx))) return;
    const { max, windowSeconds } = limitOf(this.db.settings(), action);
    const now = seconds(ctx.now);
    const recent = this.recent(ctx, action, now, windowSeconds);
    recent.push(now);
    this.db.rateLimits.set(`${action}/${ctx.caller}`, recent.slice(-max));
  }

  private recent(ctx: CallContext, action: LimitedAction, now: number, windowSeconds: number) {
    const times = this.db.rateLimits.get(`${action}/${ctx.caller}`) ?? [];
    // Stored as a candid `vec nat32`, which may come back as a Uint32Array: copy to an array.
    return Array.from(times).filter((time) => time > now - windowSeconds);
  }
}
