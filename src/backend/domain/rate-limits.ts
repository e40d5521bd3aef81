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

/** Windows kept on the heap at most; beyond it the cache starts again from stable memory. */
const CACHED_WINDOWS = 20_000;

/**
 * A sliding window: an action is allowed when fewer than `max` of the caller's actions of that
 * kind happened in the last `windowSeconds`. Unlike fixed windows this never lets a burst of
 * 2×max through across a window boundary. Only the times inside the window are kept, so the
 * state per principal is at most `max` numbers.
 *
 * The windows are durable records, so an upgrade does not reset them, and each is read through
 * a heap cache: a limited write checks its window and then records into it, and a frequent
 * writer's window of up to `max` numbers would otherwise be read and decoded twice per write.
 */
export class RateLimiter {
  /** `${action}/${member}` → the times in their window as last written (see `recent`) */
  private readonly windows = new Map<string, number[]>();

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
    const kept = recent.slice(-max);
    const key = `${action}/${ctx.caller}`;
    this.db.rateLimits.set(key, kept);
    if (this.windows.size >= CACHED_WINDOWS) this.windows.clear();
    this.windows.set(key, kept);
  }

  private limit(ctx: CallContext, action: LimitedAction) {
    const newMember =
      (action === 'proposal' || action === 'comment') && isNewMember(this.db, ctx.caller, ctx.now);
    return limitOf(this.db.settings(), this.db.moderationSettings(), action, newMember);
  }

  /** The caller's times inside the window, oldest first (a fresh array). */
  private recent(ctx: CallContext, action: LimitedAction, now: number, windowSeconds: number) {
    const key = `${action}/${ctx.caller}`;
    let times = this.windows.get(key);
    if (times === undefined) {
      // Stored as a candid `vec nat32`, which may come back as a Uint32Array: copy to an array.
      times = Array.from(this.db.rateLimits.get(key) ?? []);
      if (this.windows.size >= CACHED_WINDOWS) this.windows.clear();
      this.windows.set(key, times);
    }
    return times.filter((time) => time > now - windowSeconds);
  }
}
