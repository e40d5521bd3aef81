import type { Db } from './db';
import { ANONYMOUS, type PrincipalId, type Role, type Time } from './model';
import { forbidden, notAuthenticated, type Failure } from './result';

/** Who is calling and when; the canister reads these from the system API and passes them in. */
export type CallContext = {
  caller: PrincipalId;
  /** Controllers of the canister are admins without being granted the role. */
  callerIsController: boolean;
  now: Time;
  /**
   * The canister's decoder found every text of this call's arguments to be printable ASCII
   * (tabs, newlines and U+0020–U+007E). Validation may then skip testing an argument's text for
   * it (`cleanText`'s `plainAscii`); only for the texts of the arguments as they came.
   */
  argumentsPlainAscii?: boolean;
};

export function roleOf(db: Db, principal: PrincipalId, isController: boolean): Role {
  if (isController) return { Admin: null };
  return db.roleByMember.get(principal) ?? { Member: null };
}

export function callerRole(db: Db, ctx: CallContext): Role {
  if (ctx.caller === ANONYMOUS) return { Member: null };
  return roleOf(db, ctx.caller, ctx.callerIsController);
}

export const isAdmin = (role: Role): boolean => 'Admin' in role;
export const isModeratorOrAdmin = (role: Role): boolean => 'Admin' in role || 'Moderator' in role;

/**
 * The guard of every member write: signed in (the anonymous principal may read, never write)
 * and not suspended. A suspended member is told until when and why.
 */
export function requireWriter(db: Db, ctx: CallContext): Failure | undefined {
  if (ctx.caller === ANONYMOUS) return notAuthenticated();
  const suspension = db.activeSuspension(ctx.caller, ctx.now);
  if (suspension === undefined) return undefined;
  const [until] = suspension.until;
  const end = until === undefined ? 'until a moderator lifts it' : `until ${isoTime(until)}`;
  return forbidden(`suspended ${end}: ${suspension.reason}`);
}

export function requireModerator(db: Db, ctx: CallContext): Failure | undefined {
  if (ctx.caller === ANONYMOUS) return notAuthenticated();
  return isModeratorOrAdmin(callerRole(db, ctx)) ? undefined : forbidden('moderators only');
}

/** Whether the caller may see hidden content: its author, moderators and admins. */
export function maySeeHidden(db: Db, ctx: CallContext, author: PrincipalId): boolean {
  return ctx.caller === author || isModeratorOrAdmin(callerRole(db, ctx));
}

/**
 * Members are new until `newMemberHours` after they created their profile; a principal without
 * a profile has not joined yet and counts as new.
 */
export function isNewMember(db: Db, member: PrincipalId, now: Time): boolean {
  const hours = db.moderationSettings().newMemberHours;
  if (hours === 0) return false;
  const profile = db.profileByMember.get(member);
  return profile === undefined || now - profile.joinedAt < BigInt(hours) * HOUR_NS;
}

/** Reports from members in good standing count towards hiding content automatically. */
export function inGoodStanding(db: Db, member: PrincipalId, now: Time): boolean {
  return db.activeSuspension(member, now) === undefined && !isNewMember(db, member, now);
}

const HOUR_NS = 3_600_000_000_000n;

/** A time as ISO 8601 in UTC, to the second. */
function isoTime(time: Time): string {
  return new Date(Number(time / 1_000_000n)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function requireAdmin(db: Db, ctx: CallContext): Failure | undefined {
  if (ctx.caller === ANONYMOUS) return notAuthenticated();
  return isAdmin(callerRole(db, ctx)) ? undefined : forbidden('admins only');
}

export function seconds(time: Time): number {
  return Number(time / 1_000_000_000n);
}
