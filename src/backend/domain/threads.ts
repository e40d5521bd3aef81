import { callerRole, isModeratorOrAdmin, requireSignedIn, type CallContext } from './context';
import type { Db } from './db';
import { decodeCursor, encodeCursor, trailingDescId, trailingId, u32, u64, u64Desc } from './keys';
import type {
  Comment,
  CommentInput,
  CommentPage,
  CommentRevision,
  Id,
  Opt,
  PrincipalText,
  Target,
  ThreadComment,
  ThreadPage,
} from './model';
import { clampLimit, optional, type ProposalService } from './proposals';
import type { RateLimiter } from './rate-limits';
import { conflict, forbidden, invalid, isErr, notFound, ok, type Result } from './result';
import { cleanText } from './text';

const REPLY_BATCH = 200;

export function targetKey(target: Target): string {
  if ('Proposal' in target) return `p${u64(target.Proposal)}`;
  if ('Item' in target) return `i${u64(target.Item)}`;
  return `m${u64(target.Milestone)}`;
}

/**
 * Thread indexes, values unused:
 *   `t/${target}/${u64(id)}`      top-level comments of a target, oldest first
 *   `r/${u64(parent)}/${u64(id)}` replies to a comment, oldest first
 *   `a/${author}/${u64Desc(id)}`  a member's comments, newest first
 * A page reads its top-level comments and walks their replies depth-first, so it costs the
 * size of the page, not of the thread.
 */
const topKey = (target: Target, id: Id) => `t/${targetKey(target)}/${u64(id)}`;
const replyKey = (parent: Id, id: Id) => `r/${u64(parent)}/${u64(id)}`;
const authorKey = (author: PrincipalText, id: Id) => `a/${author}/${u64Desc(id)}`;

export class ThreadService {
  constructor(
    private readonly db: Db,
    private readonly limiter: RateLimiter,
    private readonly proposals: ProposalService,
  ) {}

  private targetExists(target: Target): boolean {
    if ('Proposal' in target) return this.db.proposal(target.Proposal) !== undefined;
    if ('Item' in target) return this.db.item(target.Item) !== undefined;
    return this.db.milestone(target.Milestone) !== undefined;
  }

  private adjustCount(target: Target, delta: number): void {
    if ('Proposal' in target) {
      this.proposals.adjustCommentCount(target.Proposal, delta);
    } else if ('Item' in target) {
      const item = this.db.item(target.Item);
      if (item)
        this.db.items.set(u64(item.id), { ...item, commentCount: item.commentCount + delta });
    } else {
      const milestone = this.db.milestone(target.Milestone);
      if (milestone) {
        this.db.milestones.set(u64(milestone.id), {
          ...milestone,
          commentCount: milestone.commentCount + delta,
        });
      }
    }
  }

  post(ctx: CallContext, input: CommentInput): Result<Comment> {
    const anonymous = requireSignedIn(ctx);
    if (anonymous) return anonymous;
    const body = cleanText(input.body, { field: 'body', min: 1, max: 5000 });
    if (isErr(body)) return body;
    if (!this.targetExists(input.target)) return notFound(`${targetKey(input.target)} target`);
    if (input.parentId.length === 1) {
      const parent = this.db.comment(input.parentId[0]);
      if (parent === undefined) return notFound(`comment ${input.parentId[0]}`);
      if (targetKey(parent.target) !== targetKey(input.target)) {
        return invalid('parentId', 'the parent comment belongs to another thread');
      }
      if (parent.deleted.length === 1) return conflict('cannot reply to a deleted comment');
    }
    const limited = this.limiter.check(ctx, 'comment');
    if (limited) return limited;
    const comment: Comment = {
      id: this.db.nextId('comment'),
      target: input.target,
      parentId: input.parentId,
      author: ctx.caller,
      body: body.Ok,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      revisionCount: 0,
      deleted: [],
    };
    this.db.comments.set(u64(comment.id), comment);
    this.db.threadIndex.set(
      comment.parentId.length === 1
        ? replyKey(comment.parentId[0], comment.id)
        : topKey(comment.target, comment.id),
      null,
    );
    this.db.threadIndex.set(authorKey(comment.author, comment.id), null);
    this.adjustCount(comment.target, 1);
    this.limiter.record(ctx, 'comment');
    return ok(comment);
  }

  edit(ctx: CallContext, id: Id, rawBody: string): Result<Comment> {
    const anonymous = requireSignedIn(ctx);
    if (anonymous) return anonymous;
    const comment = this.db.comment(id);
    if (comment === undefined) return notFound(`comment ${id}`);
    if (comment.author !== ctx.caller) return forbidden('only the author may edit a comment');
    if (comment.deleted.length === 1) return conflict('the comment is deleted');
    const body = cleanText(rawBody, { field: 'body', min: 1, max: 5000 });
    if (isErr(body)) return body;
    const limited = this.limiter.check(ctx, 'comment');
    if (limited) return limited;
    const revision: CommentRevision = { body: comment.body, replacedAt: ctx.now };
    this.db.commentRevisions.set(`${u64(id)}${u32(comment.revisionCount)}`, revision);
    const next: Comment = {
      ...comment,
      body: body.Ok,
      updatedAt: ctx.now,
      revisionCount: comment.revisionCount + 1,
    };
    this.db.comments.set(u64(id), next);
    this.limiter.record(ctx, 'comment');
    return ok(next);
  }

  /**
   * Leaves a tombstone so replies keep their place. The text and its history go: a deleted
   * comment should not stay readable through the history query.
   */
  delete(ctx: CallContext, id: Id): Result<null> {
    const anonymous = requireSignedIn(ctx);
    if (anonymous) return anonymous;
    const comment = this.db.comment(id);
    if (comment === undefined) return notFound(`comment ${id}`);
    const byModerator = comment.author !== ctx.caller;
    if (byModerator && !isModeratorOrAdmin(callerRole(this.db, ctx))) {
      return forbidden('only the author or a moderator may delete a comment');
    }
    if (comment.deleted.length === 1) return conflict('the comment is already deleted');
    for (const [key] of this.db.commentRevisions.scan(u64(id), undefined, comment.revisionCount)) {
      this.db.commentRevisions.delete(key);
    }
    this.db.comments.set(u64(id), {
      ...comment,
      body: '',
      revisionCount: 0,
      deleted: [{ by: ctx.caller, at: ctx.now }],
    });
    // Profile pages list what a member said, so tombstones leave the author index.
    this.db.threadIndex.delete(authorKey(comment.author, id));
    this.adjustCount(comment.target, -1);
    if (byModerator) this.db.log(ctx.caller, ctx.now, { CommentRemoved: { commentId: id } });
    return ok(null);
  }

  history(id: Id): CommentRevision[] {
    const comment = this.db.comment(id);
    if (comment === undefined) return [];
    return this.db.commentRevisions
      .scan(u64(id), undefined, comment.revisionCount)
      .map(([, r]) => r);
  }

  get(id: Id): Opt<Comment> {
    return optional(this.db.comment(id));
  }

  page(target: Target, cursor: Opt<string>, limit: number): ThreadPage {
    const prefix = `t/${targetKey(target)}/`;
    let after: string | undefined;
    if (cursor.length === 1) {
      after = decodeCursor(cursor[0], prefix);
      if (after === undefined) return { comments: [], nextCursor: [] };
    }
    const size = clampLimit(limit);
    // One extra entry tells whether another page follows.
    const tops = this.db.threadIndex.scan(prefix, after, size + 1);
    const page = tops.slice(0, size);
    const comments: ThreadComment[] = [];
    for (const [key] of page) this.walk(trailingId(key), 0, comments);
    const last = page[page.length - 1];
    return {
      comments,
      nextCursor: tops.length > size && last !== undefined ? [encodeCursor(last[0])] : [],
    };
  }

  /** Pre-order: a comment, then each of its replies' subtrees, oldest first. */
  private walk(id: Id, depth: number, out: ThreadComment[]): void {
    const comment = this.db.comment(id);
    if (comment === undefined) throw new Error(`thread index names a missing comment ${id}`);
    out.push({ comment, depth, authorName: optional(this.db.displayName(comment.author)) });
    const prefix = `r/${u64(id)}/`;
    let after: string | undefined;
    for (;;) {
      const replies = this.db.threadIndex.scan(prefix, after, REPLY_BATCH);
      for (const [key] of replies) this.walk(trailingId(key), depth + 1, out);
      if (replies.length < REPLY_BATCH) return;
      after = replies[replies.length - 1]![0];
    }
  }

  byAuthor(author: PrincipalText, cursor: Opt<string>, limit: number): CommentPage {
    const prefix = `a/${author}/`;
    let after: string | undefined;
    if (cursor.length === 1) {
      after = decodeCursor(cursor[0], prefix);
      if (after === undefined) return { comments: [], nextCursor: [] };
    }
    const size = clampLimit(limit);
    const entries = this.db.threadIndex.scan(prefix, after, size + 1);
    const page = entries.slice(0, size);
    const comments = page
      .map(([key]) => this.db.comment(trailingDescId(key)))
      .filter((comment): comment is Comment => comment !== undefined);
    const last = page[page.length - 1];
    return {
      comments,
      nextCursor: entries.length > size && last !== undefined ? [encodeCursor(last[0])] : [],
    };
  }
}
