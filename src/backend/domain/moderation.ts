/**
 * Reports, the moderation queue and moderators' decisions. Every decision is public (the
 * activity log names the moderator, the action, the target and the reason); who reported is
 * not: only moderators see reporters, and an automatic hide is logged without an actor.
 */
import {
  inGoodStanding,
  isModeratorOrAdmin,
  requireAdmin,
  requireModerator,
  requireWriter,
  roleOf,
  type CallContext,
} from './context';
import { decodeCursor, encodeCursor } from './cursor';
import { idKey, reportKey, type Db } from './db';
import {
  ANONYMOUS,
  type ContentRef,
  type Hiding,
  type ModerationRequest,
  type ModerationSettings,
  type Opt,
  type PrincipalId,
  type Report,
  type ReportedContent,
  type ReportGroup,
  type ReportInput,
  type ReportPage,
  type ReportTarget,
  type Time,
} from './model';
import type { NotificationKind } from './inbox';
import { memberProfile } from './people';
import { clampLimit, optional } from './proposals';
import type { RateLimiter } from './rate-limits';
import { queueKey, type ReportGroupState } from './report-queue';
import { conflict, forbidden, invalid, isErr, notFound, ok, type Result } from './result';
import { cleanText } from './text';

/** Reports shown per target in the queue, newest first; `count` tells how many there are. */
export const REPORTS_SHOWN = 10;
const MAX_SUSPENSION_DAYS = 3650;
const DAY_NS = 86_400_000_000_000n;

const SETTING_RANGES: Record<keyof ModerationSettings, [number, number]> = {
  autoHideReports: [1, 1000],
  upVotesPerExtraReport: [1, 1_000_000],
  newMemberHours: [0, 24 * 365],
  newMemberProposalsPerDay: [1, 10_000],
  newMemberCommentsPerHour: [1, 10_000],
  reportsPerHour: [1, 10_000],
};

export class ModerationService {
  constructor(
    private readonly db: Db,
    private readonly limiter: RateLimiter,
  ) {}

  settings(): ModerationSettings {
    return this.db.moderationSettings();
  }

  setSettings(ctx: CallContext, settings: ModerationSettings): Result<ModerationSettings> {
    const denied = requireAdmin(this.db, ctx);
    if (denied) return denied;
    for (const [field, [min, max]] of Object.entries(SETTING_RANGES)) {
      const value = settings[field as keyof ModerationSettings];
      if (!Number.isInteger(value) || value < min || value > max) {
        return invalid(field, `must be between ${min} and ${max}`);
      }
    }
    this.db.setModerationSettings(settings);
    this.db.log(ctx.caller, ctx.now, { ModerationSettingsChanged: settings });
    return ok(settings);
  }

  /**
   * One open report per reporter and target. Content reported by enough members in good
   * standing is hidden until a moderator decides; the number needed grows with the content's
   * up-votes.
   */
  report(ctx: CallContext, input: ReportInput): Result<null> {
    const refused = requireWriter(this.db, ctx);
    if (refused) return refused;
    const author = this.authorOf(input.target);
    if (author === undefined) return notFound(describe(input.target));
    if (author === ctx.caller) return invalid('target', 'you cannot report yourself');
    const key = reportKey(input.target);
    const hiding = 'Member' in input.target ? undefined : this.db.hiding(input.target);
    if (hiding !== undefined && hiding.by.length === 1) {
      return conflict('moderators have already hidden this');
    }
    let note: Opt<string> = [];
    if (input.note.length === 1) {
      const clean = cleanText(input.note[0], { field: 'note', min: 0, max: 500 });
      if (isErr(clean)) return clean;
      if (clean.Ok !== '') note = [clean.Ok];
    }
    const storeKey = `${key}/${ctx.caller}`;
    if (this.db.reports.get(storeKey) !== undefined) {
      return conflict('you have already reported this');
    }
    const limited = this.limiter.check(ctx, 'report');
    if (limited) return limited;
    const counted = inGoodStanding(this.db, ctx.caller, ctx.now);
    const report: Report = { reporter: ctx.caller, reason: input.reason, note, at: ctx.now };
    this.db.reports.set(storeKey, { reason: input.reason, note, at: ctx.now, counted });
    const group = this.db.reportQueue.add(key, input.target, report, counted);
    this.limiter.record(ctx, 'report');
    if (!('Member' in input.target) && hiding === undefined) {
      this.autoHide(input.target, group, ctx.now);
    }
    return ok(null);
  }

  /** The reports that hide `ref` automatically: the setting, plus one per so many up-votes. */
  autoHideThreshold(ref: ContentRef): number {
    const settings = this.db.moderationSettings();
    const up = 'Proposal' in ref ? (this.db.card(ref.Proposal)?.up ?? 0) : 0;
    return settings.autoHideReports + Math.floor(up / settings.upVotesPerExtraReport);
  }

  private autoHide(ref: ContentRef, group: ReportGroupState, now: Time): void {
    if (group.weight < this.autoHideThreshold(ref)) return;
    const reason = `reported by ${group.weight} members; hidden until a moderator reviews it`;
    this.db.setHiding(ref, { reason, by: [], at: now });
    this.tellAuthor(ref, ANONYMOUS, now, { ContentHidden: { target: ref, reason } });
    // The anonymous principal stands for "nobody": the reporters stay private.
    this.db.log(ANONYMOUS, now, {
      ContentAutoHidden: { target: ref, reports: group.reports.length },
    });
  }

  /** Open reports grouped by target: hidden content first, then the most reported. */
  listReports(ctx: CallContext, cursor: Opt<string>, limit: number): Result<ReportPage> {
    const denied = requireModerator(this.db, ctx);
    if (denied) return denied;
    const prefix = 'r/';
    let after: number | undefined;
    if (cursor.length === 1) {
      const key = decodeCursor(cursor[0], prefix);
      const position = key === undefined ? NaN : Number(key.slice(prefix.length));
      if (!Number.isSafeInteger(position)) return ok({ groups: [], nextCursor: [] });
      after = position;
    }
    const page = this.db.reportQueue.page(after, clampLimit(limit));
    const groups = page.groups.map((group) => this.group(group));
    const last = page.groups[page.groups.length - 1];
    const nextCursor: Opt<string> =
      page.more && last !== undefined ? [encodeCursor(`${prefix}${queueKey(last)}`)] : [];
    return ok({ groups, nextCursor });
  }

  private group(state: ReportGroupState): ReportGroup {
    const reports = state.reports.slice(-REPORTS_SHOWN).reverse();
    const hiding = 'Member' in state.target ? undefined : this.db.hiding(state.target);
    return {
      target: state.target,
      count: state.reports.length,
      reports,
      hidden: optional(hiding),
      content: this.content(state.target),
      firstReportedAt: state.reports[0]?.at ?? 0n,
    };
  }

  private content(target: ReportTarget): ReportedContent {
    if ('Member' in target) {
      const member = target.Member;
      return {
        Member: {
          member,
          profile: memberProfile(this.db, member),
          suspension: optional(this.db.suspensionOf.get(member)),
        },
      };
    }
    if ('Comment' in target) {
      const comment = this.db.comment(target.Comment, 'verbatim');
      if (comment === undefined) return { Missing: null };
      return { Comment: { comment, authorName: optional(this.db.displayName(comment.author)) } };
    }
    const card = this.db.card(target.Proposal);
    if (card === undefined) return { Missing: null };
    const texts = this.db.proposalTexts.getVerbatim(idKey(card.id));
    return {
      Proposal: {
        id: card.id,
        author: card.author,
        authorName: optional(this.db.displayName(card.author)),
        title: texts?.title ?? '',
        excerpt: texts?.excerpt ?? '',
        up: card.up,
        down: card.down,
      },
    };
  }

  /**
   * Hide, restore, dismiss, suspend, lift a suspension: moderators and admins only. Each closes
   * the target's open reports and is logged with its reason.
   */
  moderate(ctx: CallContext, request: ModerationRequest): Result<null> {
    const denied = requireModerator(this.db, ctx);
    if (denied) return denied;
    const { action } = request;
    const required = 'Hide' in action || 'Suspend' in action;
    const reason = cleanText(request.reason, {
      field: 'reason',
      min: required ? 1 : 0,
      max: 500,
      singleLine: true,
    });
    if (isErr(reason)) return reason;
    if ('Hide' in action) return this.hide(ctx, action.Hide, reason.Ok);
    if ('Restore' in action) return this.restore(ctx, action.Restore, reason.Ok);
    if ('Dismiss' in action) return this.dismiss(ctx, action.Dismiss, reason.Ok);
    if ('Suspend' in action) {
      return this.suspend(ctx, action.Suspend.member, action.Suspend.days, reason.Ok);
    }
    return this.unsuspend(ctx, action.Unsuspend, reason.Ok);
  }

  private hide(ctx: CallContext, ref: ContentRef, reason: string): Result<null> {
    const author = this.authorOf(ref);
    if (author === undefined) return notFound(describe(ref));
    const hiding: Hiding = { reason, by: [ctx.caller], at: ctx.now };
    this.db.setHiding(ref, hiding);
    this.db.closeReports(ref);
    this.db.log(ctx.caller, ctx.now, { ContentHidden: { target: ref, reason } });
    this.db.inbox.tell(author, ctx.caller, ctx.now, { ContentHidden: { target: ref, reason } });
    return ok(null);
  }

  private restore(ctx: CallContext, ref: ContentRef, reason: string): Result<null> {
    if (this.authorOf(ref) === undefined) return notFound(describe(ref));
    if (this.db.hiding(ref) === undefined) return conflict(`${describe(ref)} is not hidden`);
    this.db.setHiding(ref, undefined);
    this.db.closeReports(ref);
    this.db.log(ctx.caller, ctx.now, { ContentRestored: { target: ref, reason } });
    this.tellAuthor(ref, ctx.caller, ctx.now, { ContentRestored: { target: ref, reason } });
    return ok(null);
  }

  /** The author of moderated content hears of it in their inbox. */
  private tellAuthor(ref: ContentRef, actor: PrincipalId, at: Time, kind: NotificationKind): void {
    const author = this.authorOf(ref);
    if (author !== undefined) this.db.inbox.tell(author, actor, at, kind);
  }

  /**
   * The reports were unfounded: they close, and content they hid automatically comes back.
   * Content a moderator hid stays hidden.
   */
  private dismiss(ctx: CallContext, target: ReportTarget, reason: string): Result<null> {
    const group = this.db.reportQueue.group(reportKey(target));
    if (group === undefined) return notFound(`open reports on ${describe(target)}`);
    const reports = this.db.closeReports(target);
    this.db.log(ctx.caller, ctx.now, { ReportsDismissed: { target, reports, reason } });
    if (!('Member' in target)) {
      const hiding = this.db.hiding(target);
      if (hiding !== undefined && hiding.by.length === 0) {
        this.db.setHiding(target, undefined);
        this.db.log(ctx.caller, ctx.now, { ContentRestored: { target, reason } });
        this.tellAuthor(target, ctx.caller, ctx.now, { ContentRestored: { target, reason } });
      }
    }
    return ok(null);
  }

  private suspend(
    ctx: CallContext,
    member: PrincipalId,
    days: Opt<number>,
    reason: string,
  ): Result<null> {
    if (member === ANONYMOUS) return invalid('member', 'the anonymous principal cannot write');
    if (isModeratorOrAdmin(this.role(member))) {
      return forbidden('moderators and admins cannot be suspended; change their role first');
    }
    let until: Opt<Time> = [];
    if (days.length === 1) {
      const count = days[0];
      if (!Number.isInteger(count) || count < 1 || count > MAX_SUSPENSION_DAYS) {
        return invalid('days', `must be between 1 and ${MAX_SUSPENSION_DAYS}`);
      }
      until = [ctx.now + BigInt(count) * DAY_NS];
    }
    this.db.setSuspension(member, { member, until, reason, by: ctx.caller, at: ctx.now });
    this.db.closeReports({ Member: member });
    this.db.log(ctx.caller, ctx.now, { MemberSuspended: { member, until, reason } });
    return ok(null);
  }

  private unsuspend(ctx: CallContext, member: PrincipalId, reason: string): Result<null> {
    if (this.db.activeSuspension(member, ctx.now) === undefined) {
      return conflict('the member is not suspended');
    }
    this.db.setSuspension(member, undefined);
    this.db.log(ctx.caller, ctx.now, { SuspensionLifted: { member, reason } });
    return ok(null);
  }

  /** Who wrote the content (or the member reported); undefined when there is no such target. */
  private authorOf(target: ReportTarget): PrincipalId | undefined {
    if ('Member' in target) {
      return this.db.profileByMember.has(target.Member) ? target.Member : undefined;
    }
    if ('Proposal' in target) return this.db.card(target.Proposal)?.author;
    const comment = this.db.commentIndex.comment(target.Comment);
    return comment === undefined || comment.deleted.length === 1 ? undefined : comment.author;
  }

  private role(member: PrincipalId) {
    return roleOf(this.db, member, false);
  }
}

function describe(target: ReportTarget): string {
  if ('Member' in target) return 'member';
  return 'Proposal' in target ? `proposal ${target.Proposal}` : `comment ${target.Comment}`;
}
