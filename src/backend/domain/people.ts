import {
  callerRole,
  isAdmin,
  requireAdmin,
  requireWriter,
  roleOf,
  type CallContext,
} from './context';
import { decodeCursor, encodeCursor } from './cursor';
import type { Db } from './db';
import {
  ANONYMOUS,
  type ActivityEntry,
  type ActivityPage,
  type Opt,
  type PrincipalId,
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
  addAdmins(admins: readonly PrincipalId[]): void {
    for (const admin of admins) {
      if (admin !== ANONYMOUS) this.db.setRole(admin, { Admin: null });
    }
  }

  profile(principal: PrincipalId, isController = false): Opt<Profile> {
    return memberProfile(this.db, principal, isController);
  }

  setProfile(ctx: CallContext, input: ProfileInput): Result<Profile> {
    const refused = requireWriter(this.db, ctx);
    if (refused) return refused;
    const displayName = cleanText(input.displayName, {
      field: 'displayName',
      min: 3,
      max: 32,
      singleLine: true,
    });
    if (isErr(displayName)) return displayName;
    const bio = cleanText(input.bio, { field: 'bio', min: 0, max: 280 });
    if (isErr(bio)) return bio;
    // Taken also when another member's name only looks the same (see confusables.ts).
    if (this.db.nameTakenFrom(ctx.caller, displayName.Ok)) {
      return conflict('that display name is taken');
    }
    const limited = this.limiter.check(ctx, 'profile');
    if (limited) return limited;
    const previous = this.db.profileByMember.get(ctx.caller);
    this.db.saveProfile(ctx.caller, {
      displayName: displayName.Ok,
      bio: bio.Ok,
      joinedAt: previous?.joinedAt ?? ctx.now,
    });
    this.limiter.record(ctx, 'profile');
    return ok(this.profile(ctx.caller, ctx.callerIsController)[0]!);
  }

  setRole(ctx: CallContext, principal: PrincipalId, role: Role): Result<null> {
    const denied = requireAdmin(this.db, ctx);
    if (denied) return denied;
    if (principal === ANONYMOUS) return invalid('principal', 'the anonymous principal has no role');
    if (principal === ctx.caller && !isAdmin(role)) {
      // Keeps a board from locking itself out by accident; another admin can do it.
      return conflict('admins cannot revoke their own admin role');
    }
    this.db.setRole(principal, role);
    this.db.log(ctx.caller, ctx.now, { RoleChanged: { principal, role } });
    return ok(null);
  }

  listRoles(): RoleGrant[] {
    const grants: RoleGrant[] = [];
    for (const [principal, role] of this.db.roleByMember) {
      if (grants.length === MAX_GRANTS) break;
      grants.push({ principal, role });
    }
    // Byte order of the principals, as the grants were listed before.
    return grants.sort((a, b) => (a.principal < b.principal ? -1 : 1));
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

  /** The log, newest first; the cursor is the id of the last entry returned. */
  activity(cursor: Opt<string>, limit: number): ActivityPage {
    const prefix = 'e/';
    let below = this.db.lastActivityId() + 1n;
    if (cursor.length === 1) {
      const key = decodeCursor(cursor[0], prefix);
      const id = key?.slice(prefix.length);
      if (id === undefined || !/^[0-9]{1,15}$/.test(id)) return { entries: [], nextCursor: [] };
      below = BigInt(id);
    }
    const size = clampLimit(limit);
    const entries: ActivityEntry[] = [];
    let id = below - 1n;
    for (; id >= 1n && entries.length < size; id--) {
      const entry = this.db.activityEntry(id);
      if (entry !== undefined) entries.push(entry);
    }
    const last = entries[entries.length - 1];
    return {
      entries,
      nextCursor: id >= 1n && last !== undefined ? [encodeCursor(`${prefix}${last.id}`)] : [],
    };
  }
}

/** A member's public profile; none until they created one. */
export function memberProfile(db: Db, principal: PrincipalId, isController = false): Opt<Profile> {
  const record = db.profileByMember.get(principal);
  if (record === undefined) return [];
  return [
    {
      principal,
      ...record,
      role: roleOf(db, principal, isController),
      votingPower: db.neurons.votingPower(principal),
    },
  ];
}
