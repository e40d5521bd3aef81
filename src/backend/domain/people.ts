import {
  callerRole,
  isAdmin,
  requireAdmin,
  requireSignedIn,
  roleOf,
  type CallContext,
} from './context';
import type { Db } from './db';
import { decodeCursor, encodeCursor } from './keys';
import {
  ANONYMOUS,
  type ActivityPage,
  type Opt,
  type PrincipalText,
  type Profile,
  type ProfileInput,
  type Role,
  type RoleGrant,
  type Settings,
} from './model';
import { clampLimit } from './proposals';
import type { RateLimiter } from './rate-limits';
import { conflict, invalid, isErr, ok, type Result } from './result';
import { cleanText } from './text';

const MAX_GRANTS = 1000;

/** Display names are unique ignoring case, so "Alice" and "alice" cannot both exist. */
const nameKey = (displayName: string): string => displayName.toLowerCase();

const SETTING_RANGES: Record<keyof Settings, [number, number]> = {
  creditBudget: [1, 1_000_000],
  proposalsPerDay: [1, 10_000],
  commentsPerHour: [1, 10_000],
  votesPerHour: [1, 100_000],
  profileEditsPerHour: [1, 10_000],
};

export class PeopleService {
  constructor(
    private readonly db: Db,
    private readonly limiter: RateLimiter,
  ) {}

  /** Init and upgrade arguments add admins; they never remove one. */
  addAdmins(admins: readonly PrincipalText[]): void {
    for (const admin of admins) {
      if (admin !== ANONYMOUS) this.db.roles.set(admin, { Admin: null });
    }
  }

  profile(principal: PrincipalText, isController = false): Opt<Profile> {
    const record = this.db.profiles.get(principal);
    if (record === undefined) return [];
    return [{ principal, ...record, role: roleOf(this.db, principal, isController) }];
  }

  setProfile(ctx: CallContext, input: ProfileInput): Result<Profile> {
    const anonymous = requireSignedIn(ctx);
    if (anonymous) return anonymous;
    const displayName = cleanText(input.displayName, {
      field: 'displayName',
      min: 3,
      max: 32,
      singleLine: true,
    });
    if (isErr(displayName)) return displayName;
    const bio = cleanText(input.bio, { field: 'bio', min: 0, max: 280 });
    if (isErr(bio)) return bio;
    const owner = this.db.displayNames.get(nameKey(displayName.Ok));
    if (owner !== undefined && owner !== ctx.caller) return conflict('that display name is taken');
    const limited = this.limiter.check(ctx, 'profile');
    if (limited) return limited;
    const previous = this.db.profiles.get(ctx.caller);
    if (previous !== undefined && nameKey(previous.displayName) !== nameKey(displayName.Ok)) {
      this.db.displayNames.delete(nameKey(previous.displayName));
    }
    this.db.displayNames.set(nameKey(displayName.Ok), ctx.caller);
    this.db.profiles.set(ctx.caller, {
      displayName: displayName.Ok,
      bio: bio.Ok,
      joinedAt: previous?.joinedAt ?? ctx.now,
    });
    this.limiter.record(ctx, 'profile');
    return ok(this.profile(ctx.caller, ctx.callerIsController)[0]!);
  }

  setRole(ctx: CallContext, principal: PrincipalText, role: Role): Result<null> {
    const denied = requireAdmin(this.db, ctx);
    if (denied) return denied;
    if (principal === ANONYMOUS) return invalid('principal', 'the anonymous principal has no role');
    if (principal === ctx.caller && !isAdmin(role)) {
      // Keeps a board from locking itself out by accident; another admin can do it.
      return conflict('admins cannot revoke their own admin role');
    }
    if ('Member' in role) this.db.roles.delete(principal);
    else this.db.roles.set(principal, role);
    this.db.log(ctx.caller, ctx.now, { RoleChanged: { principal, role } });
    return ok(null);
  }

  listRoles(): RoleGrant[] {
    return this.db.roles
      .scan('', undefined, MAX_GRANTS)
      .map(([principal, role]) => ({ principal: principal as PrincipalText, role }));
  }

  setSettings(ctx: CallContext, settings: Settings): Result<Settings> {
    const denied = requireAdmin(this.db, ctx);
    if (denied) return denied;
    for (const [field, [min, max]] of Object.entries(SETTING_RANGES)) {
      const value = settings[field as keyof Settings];
      if (!Number.isInteger(value) || value < min || value > max) {
        return invalid(field, `must be between ${min} and ${max}`);
      }
    }
    this.db.setSettings(settings);
    this.db.log(ctx.caller, ctx.now, { SettingsChanged: settings });
    return ok(settings);
  }

  role(ctx: CallContext): Role {
    return callerRole(this.db, ctx);
  }

  activity(cursor: Opt<string>, limit: number): ActivityPage {
    let after: string | undefined;
    if (cursor.length === 1) {
      after = decodeCursor(cursor[0], '');
      if (after === undefined) return { entries: [], nextCursor: [] };
    }
    const size = clampLimit(limit);
    const entries = this.db.activity.scan('', after, size + 1);
    const page = entries.slice(0, size);
    const last = page[page.length - 1];
    return {
      entries: page.map(([, entry]) => entry),
      nextCursor: entries.length > size && last !== undefined ? [encodeCursor(last[0])] : [],
    };
  }
}
