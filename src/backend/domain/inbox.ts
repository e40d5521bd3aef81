/**
 * Follows and the on-chain inbox. Members follow proposals and roadmap items (writing, voting
 * or commenting on one follows it, unless they unfollowed it before); the inbox tells them
 * what happened there, and about replies, mentions and moderation of their own content.
 *
 * No message's cost grows with the number of followers: an event on a followed target becomes
 * a fan-out job (kept in `fanouts`, so an upgrade does not lose it) that follow-up messages
 * work through in bounded slices. Direct notices (a reply, a mention, moderation) are written
 * at once. Each member's inbox is a ring of their latest INBOX_SIZE notices, so reading the
 * unread count is one heap lookup and a page is one record per notice.
 *
 * Nobody is told of their own actions, and each event reaches a member at most once: those
 * told directly (the parent's author, the mentioned) are skipped by the fan-out.
 *
 * A busy target's new comments are told in bursts: while a comment's fan-out to a target with
 * COALESCE_FOLLOWERS or more followers has not started, a newer comment there takes its place,
 * so each follower hears once of the newest comment of the burst (the thread shows the rest)
 * instead of once per comment. Total fan-out work would otherwise be comments × followers: a
 * proposal with 20,000 voters and 2,000 comments would take 40 million notices. Targets with
 * fewer followers, and every other kind of event, are told one event at a time.
 */
import type { CallContext } from './context';
import type { Db } from './db';
import {
  ANONYMOUS,
  type Comment,
  type ContentRef,
  type Id,
  type Opt,
  type PrincipalId,
  type ProposalStatus,
  type Target,
  type Time,
} from './model';
import { notAuthenticated, notFound, ok, type Result } from './result';
import { RecordLists } from './storage/record-lists';
import type { RecordStore } from './storage/record-store';

export const INBOX_SIZE = 200;
/** Followers from which a target's pending new-comment notices coalesce (see above). */
export const COALESCE_FOLLOWERS = 100;
const DEFAULT_PAGE = 20;
const MAX_PAGE = 50;
/** Mentions resolved per comment; more are ignored (a comment is not a mailing list). */
export const MAX_MENTIONS = 5;

export type FollowTarget = { Proposal: Id } | { Item: Id };

export type NotificationKind =
  | { Reply: { commentId: Id; target: Target; by: PrincipalId } }
  | { NewComment: { commentId: Id; target: Target; by: PrincipalId } }
  | { Mention: { commentId: Id; target: Target; by: PrincipalId } }
  | { StatusChanged: { proposalId: Id; status: ProposalStatus; response: boolean } }
  | { ItemDeployed: { itemId: Id } }
  | { ContentHidden: { target: ContentRef; reason: string } }
  | { ContentRestored: { target: ContentRef; reason: string } };

export type NotificationRecord = { seq: bigint; at: Time; kind: NotificationKind };
export type Notification = NotificationRecord & { read: boolean };
export type InboxHead = { next: bigint; readUpTo: bigint };
export type NotificationPage = {
  notifications: Notification[];
  nextCursor: [] | [string];
  /** Unread notices in the whole inbox. */
  unread: number;
};

/** A fan-out in progress: who to tell of `kind`, from follower `from` of `target` on. */
export type FanoutRecord = {
  target: string;
  kind: NotificationKind;
  at: Time;
  /** The actor first, then those already told directly. */
  skip: PrincipalId[];
  from: number;
};

export type InboxStores = {
  /** `${member}/${followKey}` → following (false: unfollowed, so never followed again by itself) */
  follows: RecordStore<boolean>;
  /** `${followKey}/${position}` → a member who followed (or unfollowed) it, in order */
  followers: RecordStore<PrincipalId>;
  /** followKey → how many followers its list holds, as last written (see RecordLists) */
  followerCounts: RecordStore<number>;
  /** `${member}/${seq % INBOX_SIZE}` → a notice */
  notifications: RecordStore<NotificationRecord>;
  /** member → their inbox's next sequence number and how far they have read */
  inboxHeads: RecordStore<InboxHead>;
  /** job id → a fan-out still to do */
  fanouts: RecordStore<FanoutRecord>;
};

export const followKey = (target: FollowTarget | Target): string =>
  'Proposal' in target ? `p${target.Proposal}` : 'Item' in target ? `i${target.Item}` : '';

/** `@Alice_Ng` mentions the member named "Alice Ng": spaces are written as underscores. */
export function mentionedNames(body: string): string[] {
  const names = new Set<string>();
  for (const match of body.matchAll(/(?:^|[^\p{L}\p{N}_@])@([\p{L}\p{N}_.-]{3,32})/gu)) {
    names.add(match[1]!.replace(/[.-]+$/, '').replace(/_/g, ' '));
    if (names.size === MAX_MENTIONS) break;
  }
  return [...names];
}

export class Inbox {
  /**
   * Members' inbox heads read since the heap began (null: the member has none). They stay in
   * stable memory through an upgrade and are read on first use: one per member ever told
   * anything, which cost ≈ 86,000 instructions each to load in post_upgrade.
   */
  private readonly heads = new Map<PrincipalId, InboxHead | null>();
  /** followKey → the members who followed or unfollowed it */
  private readonly followerLists: RecordLists<PrincipalId>;
  /** fan-out jobs by id, oldest first (mirrors `stores.fanouts`) */
  private readonly jobs = new Map<number, FanoutRecord>();
  /** followKey → its new-comment job that has not started yet, on busy targets */
  private readonly waitingComments = new Map<string, number>();
  private nextJob = 1;

  constructor(private readonly stores: InboxStores) {
    this.followerLists = new RecordLists(stores.followers, stores.followerCounts);
  }

  rebuild(): void {
    this.heads.clear();
    this.followerLists.rebuild();
    this.jobs.clear();
    const jobs: Array<[number, FanoutRecord]> = [];
    this.stores.fanouts.forEach((job, key) => jobs.push([Number(key), job]));
    this.waitingComments.clear();
    for (const [id, job] of jobs.sort((a, b) => a[0] - b[0])) {
      this.jobs.set(id, job);
      if (job.from === 0 && 'NewComment' in job.kind) this.waitingComments.set(job.target, id);
    }
    this.nextJob = (jobs.at(-1)?.[0] ?? 0) + 1;
  }

  // ---- follows

  isFollowing(member: PrincipalId, target: FollowTarget): boolean {
    return this.stores.follows.get(`${member}/${followKey(target)}`) === true;
  }

  /** `explicit`: the member asked; otherwise a write follows it unless they unfollowed it. */
  follow(member: PrincipalId, target: FollowTarget | Target, explicit: boolean): void {
    const key = followKey(target);
    if (key === '') return;
    const followKeyOfMember = `${member}/${key}`;
    const state = this.stores.follows.get(followKeyOfMember);
    if (state === true || (state === false && !explicit)) return;
    this.stores.follows.set(followKeyOfMember, true);
    if (state === undefined) this.list(key, member);
  }

  /**
   * `follow` by the member who just created `target`: nobody can have followed or unfollowed
   * it yet, so nothing is read first.
   */
  followNew(member: PrincipalId, target: FollowTarget): void {
    const key = followKey(target);
    this.stores.follows.set(`${member}/${key}`, true);
    this.followerLists.start(key, member);
  }

  unfollow(member: PrincipalId, target: FollowTarget): void {
    const key = followKey(target);
    const followKeyOfMember = `${member}/${key}`;
    if (this.stores.follows.get(followKeyOfMember) === undefined) this.list(key, member);
    this.stores.follows.set(followKeyOfMember, false);
  }

  /**
   * A target's list holds every member who ever followed or unfollowed it, once: a superset of
   * the members who voted on it, which merging a duplicate walks to find its votes.
   */
  private list(key: string, member: PrincipalId): void {
    this.followerLists.append(key, member);
  }

  /** How many members the target's list holds (see `list`). */
  listLength(target: FollowTarget | Target): number {
    return this.followerLists.length(followKey(target));
  }

  /** The member at `position` of the target's list. */
  listed(target: FollowTarget | Target, position: number): PrincipalId | undefined {
    return this.followerLists.at(followKey(target), position);
  }

  // ---- notices

  /** Writes a notice straight into a member's inbox (not to the actor themself). */
  tell(member: PrincipalId, actor: PrincipalId, at: Time, kind: NotificationKind): void {
    if (member === actor) return;
    const head = this.head(member) ?? { next: 0n, readUpTo: 0n };
    const seq = head.next;
    this.stores.notifications.set(`${member}/${seq % BigInt(INBOX_SIZE)}`, { seq, at, kind });
    const next = { next: seq + 1n, readUpTo: head.readUpTo };
    this.stores.inboxHeads.set(member, next);
    this.heads.set(member, next);
  }

  /**
   * Tells every follower of `target` but those in `skip` (the actor first, then those told
   * directly), by follow-up messages.
   */
  tellFollowers(
    target: FollowTarget | Target,
    at: Time,
    kind: NotificationKind,
    skip: PrincipalId[],
  ): void {
    const key = followKey(target);
    const followers = key === '' ? 0 : this.followerLists.length(key);
    if (followers === 0) return;
    const job: FanoutRecord = { target: key, kind, at, skip, from: 0 };
    const coalesces = 'NewComment' in kind && followers >= COALESCE_FOLLOWERS;
    // The newer comment takes the waiting one's place (and its turn): its skip list alone
    // applies, as the earlier comment's author has not seen this one.
    const waiting = coalesces ? this.waitingComments.get(key) : undefined;
    const id = waiting ?? this.nextJob++;
    this.stores.fanouts.set(String(id), job);
    this.jobs.set(id, job);
    if (coalesces) this.waitingComments.set(key, id);
  }

  pendingFanouts(): number {
    return this.jobs.size;
  }

  /** Works through fan-outs until `stop` says so; returns how many jobs are left. */
  runFanouts(stop: () => boolean): number {
    for (const [id, job] of this.jobs) {
      // Started: a newer comment waits for its own turn.
      if (this.waitingComments.get(job.target) === id) this.waitingComments.delete(job.target);
      const count = this.followerLists.length(job.target);
      let from = job.from;
      while (from < count && !stop()) {
        const member = this.followerLists.at(job.target, from);
        from++;
        if (member === undefined || job.skip.includes(member)) continue;
        if (this.stores.follows.get(`${member}/${job.target}`) !== true) continue;
        this.tell(member, job.skip[0] ?? ('' as PrincipalId), job.at, job.kind);
      }
      if (from < count) {
        const left = { ...job, from };
        this.jobs.set(id, left);
        this.stores.fanouts.set(String(id), left);
        break;
      }
      this.jobs.delete(id);
      this.stores.fanouts.delete(String(id));
    }
    return this.jobs.size;
  }

  // ---- reading

  private head(member: PrincipalId): InboxHead | undefined {
    const known = this.heads.get(member);
    if (known !== undefined) return known ?? undefined;
    const stored = this.stores.inboxHeads.get(member);
    this.heads.set(member, stored ?? null);
    return stored;
  }

  unread(member: PrincipalId): number {
    const head = this.head(member);
    if (head === undefined) return 0;
    return Math.min(Number(head.next - head.readUpTo), INBOX_SIZE);
  }

  /** Newest first, from sequence number `before` (exclusive) down, at most `limit`. */
  page(member: PrincipalId, before: bigint | undefined, limit: number): Notification[] {
    const head = this.head(member);
    if (head === undefined) return [];
    const oldest = head.next > BigInt(INBOX_SIZE) ? head.next - BigInt(INBOX_SIZE) : 0n;
    const out: Notification[] = [];
    for (let seq = (before ?? head.next) - 1n; seq >= oldest && out.length < limit; seq--) {
      const record = this.stores.notifications.get(`${member}/${seq % BigInt(INBOX_SIZE)}`);
      if (record !== undefined && record.seq === seq) {
        out.push({ ...record, read: seq < head.readUpTo });
      }
    }
    return out;
  }

  /** Marks notices read up to `upTo` (exclusive; everything when undefined). */
  markRead(member: PrincipalId, upTo: bigint | undefined): void {
    const head = this.head(member);
    if (head === undefined) return;
    const readUpTo = upTo === undefined || upTo > head.next ? head.next : upTo;
    if (readUpTo <= head.readUpTo) return;
    const next = { next: head.next, readUpTo };
    this.stores.inboxHeads.set(member, next);
    this.heads.set(member, next);
  }
}

/** What a new comment tells whom: the parent's author, the mentioned, then the followers. */
export function commentNotices(
  inbox: Inbox,
  comment: Comment,
  parentAuthor: PrincipalId | undefined,
  mentioned: PrincipalId[],
): void {
  const by = comment.author;
  const about = { commentId: comment.id, target: comment.target, by };
  const told: PrincipalId[] = [by];
  if (parentAuthor !== undefined && parentAuthor !== by) {
    inbox.tell(parentAuthor, by, comment.createdAt, { Reply: about });
    told.push(parentAuthor);
  }
  for (const member of mentioned) {
    if (told.includes(member)) continue;
    inbox.tell(member, by, comment.createdAt, { Mention: about });
    told.push(member);
  }
  inbox.tellFollowers(comment.target, comment.createdAt, { NewComment: about }, told);
}

/** The candid methods of follows and the inbox. */
export class InboxService {
  constructor(private readonly db: Db) {}

  private exists(target: FollowTarget): boolean {
    return 'Proposal' in target
      ? this.db.card(target.Proposal) !== undefined
      : this.db.item(target.Item) !== undefined;
  }

  follow(ctx: CallContext, target: FollowTarget, following: boolean): Result<null> {
    if (ctx.caller === ANONYMOUS) return notAuthenticated();
    if (!this.exists(target)) return notFound(describeTarget(target));
    if (following) this.db.inbox.follow(ctx.caller, target, true);
    else this.db.inbox.unfollow(ctx.caller, target);
    return ok(null);
  }

  isFollowing(ctx: CallContext, target: FollowTarget): boolean {
    return ctx.caller !== ANONYMOUS && this.db.inbox.isFollowing(ctx.caller, target);
  }

  /** Newest first; the cursor is the sequence number to continue below, in decimal. */
  page(ctx: CallContext, cursor: Opt<string>, limit: number): NotificationPage {
    const empty: NotificationPage = { notifications: [], nextCursor: [], unread: 0 };
    if (ctx.caller === ANONYMOUS) return empty;
    let before: bigint | undefined;
    if (cursor.length === 1) {
      if (!/^[0-9]{1,20}$/.test(cursor[0])) return empty;
      before = BigInt(cursor[0]);
    }
    const size = limit <= 0 ? DEFAULT_PAGE : Math.min(limit, MAX_PAGE);
    const notifications = this.db.inbox.page(ctx.caller, before, size + 1);
    const more = notifications.length > size;
    if (more) notifications.pop();
    const last = notifications.at(-1);
    return {
      notifications,
      nextCursor: more && last !== undefined ? [String(last.seq)] : [],
      unread: this.db.inbox.unread(ctx.caller),
    };
  }

  unread(ctx: CallContext): number {
    return ctx.caller === ANONYMOUS ? 0 : this.db.inbox.unread(ctx.caller);
  }

  markRead(ctx: CallContext, upTo: Opt<bigint>): Result<null> {
    if (ctx.caller === ANONYMOUS) return notAuthenticated();
    this.db.inbox.markRead(ctx.caller, upTo[0]);
    return ok(null);
  }
}

const describeTarget = (target: FollowTarget): string =>
  'Proposal' in target ? `proposal ${target.Proposal}` : `item ${target.Item}`;
