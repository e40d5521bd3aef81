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
  /** `${action}/${member}` → the times in their window as last written (see `stored`) */
  private readonly windows = new Map<string, number[]>();
  /**
   * What the last `check` worked out, for the `record` of the same call: a write checks and
   * then records, and working out the caller's role, limit and window twice cost ≈ 0.06 M
   * instructions. Taken only for the same context object and action, and while the window is
   * still the one checked (an await in between may let another message record into it).
   */
  private checked:
    | {
        ctx: CallContext;
        action: LimitedAction;
        key: string;
        max: number;
        stored: number[];
        recent: number[];
      }
    | undefined;

  constructor(private readonly db: Db) {}

  /** Undefined when allowed; call `record` once the action has succeeded. */
  check(ctx: CallContext, action: LimitedAction): Failure | undefined {
    this.checked = undefined;
    if (isAdmin(callerRole(this.db, ctx))) return undefined;
    const { max, windowSeconds } = this.limit(ctx, action);
    const now = seconds(ctx.now);
    const key = `${action}/${ctx.caller}`;
    const stored = this.stored(key);
    const recent = inWindow(stored, now, windowSeconds);
    if (recent.length < max) {
      this.checked = { ctx, action, key, max, stored, recent };
      return undefined;
    }
    // The oldest recent action leaving the window frees the first slot.
    const oldest = recent[recent.length - max]!;
    return rateLimited(Math.max(1, oldest + windowSeconds - now));
  }

  record(ctx: CallContext, action: LimitedAction): void {
    const checked = this.checked;
    this.checked = undefined;
    if (
      checked !== undefined &&
      checked.ctx === ctx &&
      checked.action === action &&
      this.windows.get(checked.key) === checked.stored
    ) {
      this.write(checked.key, [...checked.recent, seconds(ctx.now)], checked.max);
      return;
    }
    if (isAdmin(callerRole(this.db, ctx))) return;
    const { max, windowSeconds } = this.limit(ctx, action);
    const now = seconds(ctx.now);
    const key = `${action}/${ctx.caller}`;
    const recent = inWindow(this.stored(key), now, windowSeconds);
    this.write(key, [...recent, now], max);
  }

  private write(key: string, times: number[], max: number): void {
    const kept = times.slice(-max);
    this.db.rateLimits.set(key, kept);
    if (this.windows.size >= CACHED_WINDOWS) this.windows.clear();
    this.windows.set(key, kept);
  }

  private limit(ctx: CallContext, action: LimitedAction) {
    const newMember =
      (action === 'proposal' || action === 'comment') && isNewMember(this.db, ctx.caller, ctx.now);
    return limitOf(this.db.settings(), this.db.moderationSettings(), action, newMember);
  }

  /** The times last written for `key` (oldest first), through the heap cache. */
  private stored(key: string): number[] {
    let times = this.windows.get(key);
    if (times === undefined) {
      // Stored as a candid `vec nat32`, which may come back as a Uint32Array: copy to an array.
      times = Array.from(this.db.rateLimits.get(key) ?? []);
      if (this.windows.size >= CACHED_WINDOWS) this.windows.clear();
      this.windows.set(key, times);
    }
    return times;
  }
}

/** The times of `times` (oldest first) inside the window that ends at `now`. */
function inWindow(times: number[], now: number, windowSeconds: number): number[] {
  return times.filter((time) => time > now - windowSeconds);
}
