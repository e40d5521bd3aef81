import type { Db } from './db';
import { ANONYMOUS, type PrincipalId, type Role, type Time } from './model';
import { forbidden, notAuthenticated, type Failure } from './result';

/** Who is calling and when; the canister reads these from the system API and passes them in. */
export type CallContext = {
  caller: PrincipalId;
  /** Controllers of the canister are admins without being granted the role. */
  callerIsController: boolean;
  now: Time;
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

/** The anonymous principal may read, never write. */
export function requireSignedIn(ctx: CallContext): Failure | undefined {
  return ctx.caller === ANONYMOUS ? notAuthenticated() : undefined;
}

export function requireAdmin(db: Db, ctx: CallContext): Failure | undefined {
  if (ctx.caller === ANONYMOUS) return notAuthenticated();
  return isAdmin(callerRole(db, ctx)) ? undefined : forbidden('admins only');
}

export function seconds(time: Time): number {
  return Number(time / 1_000_000_000n);
}
