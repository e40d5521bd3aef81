import { callerRole, isModeratorOrAdmin, requireSignedIn, type CallContext } from './context';
import type { Db } from './db';
import {
  decodeCursor,
  encodeCursor,
  parseU64,
  trailingDescId,
  trailingId,
  u32,
  u64,
  u64Desc,
} from './keys';
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

export function targetKey(target: Target): string {
  if ('Proposal' in target) return `p${u64(target.Proposal)}`;
  if ('Item' in target) return `i${u64(target.Item)}`;
  return `m${u64(target.Milestone)}`;
}

/**
 * Thread indexes, values unused:
 *   `t/${target}/${u64(id)}`      top-level comments of a target, oldest first
 *   `r/${u64(parent)}/${u64(id)}` replies to a comment, oldest first
 *   `u/${u64(id)}/${u64(parent)}` the parent of a reply, to resume a walk from a cursor
 *   `a/${author}/${u64Desc(id)}`  a member's comments, newest first
 * A page is the next `limit` comments of the thread in pre-order. Its cursor names the last
 * comment it returned; the next page climbs the `u/` entries from there to rebuild the walk,
 * so a page costs its size plus the depth at the cursor in index reads, never the thread size.
 */
const topKey = (target: Target, id: Id) => `t/${targetKey(target)}/${u64(id)}`;
const replyKey = (parent: Id, id: Id) => `r/${u64(parent)}/${u64(id)}`;
const parentKey = (id: Id, parent: Id) => `u/${u64(id)}/${u64(parent)}`;
const authorKey = (author: PrincipalText, id: Id) => `a/${author}/${u64Desc(id)}`;
const repliesPrefix = (id: Id) => `r/${u64(id)}/`;

/** Children of one comment (or the top level) still to visit: those after `after`. */
type Frame = { prefix: string; after: string | undefined; depth: number };

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
    if (comment.parentId.length === 1) {
      this.db.threadIndex.set(replyKey(comment.parentId[0], comment.id), null);
      this.db.threadIndex.set(parentKey(comment.id, comment.parentId[0]), null);
    } else {
      this.db.threadIndex.set(topKey(comment.target, comment.id), null);
    }
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

  /**
   * The next `limit` comments (clamped to 1–50, 0 means 20) of the thread in pre-order: a
   * comment, then each of its replies' subtrees, oldest first. Tombstones keep their place.
   */
  page(target: Target, cursor: Opt<string>, limit: number): ThreadPage {
    const empty: ThreadPage = { comments: [], nextCursor: [] };
    const cursorPrefix = `c/${targetKey(target)}/`;
    let stack: Frame[];
    if (cursor.length === 1) {
      const key = decodeCursor(cursor[0], cursorPrefix);
      if (key === undefined || !/^[0-9a-f]{16}$/.test(key.slice(cursorPrefix.length))) return empty;
      const resumed = this.resume(target, parseU64(key.slice(cursorPrefix.length)));
      if (resumed === undefined) return empty;
      stack = resumed;
    } else {
      stack = [{ prefix: `t/${targetKey(target)}/`, after: undefined, depth: 0 }];
    }
    const size = clampLimit(limit);
    const comments: ThreadComment[] = [];
    let last: Id | undefined;
    for (;;) {
      const frame = stack[stack.length - 1];
      if (frame === undefined) return { comments, nextCursor: [] };
      const [next] = this.db.threadIndex.scan(frame.prefix, frame.after, 1);
      if (next === undefined) {
        stack.pop();
        continue;
      }
      // Something follows the page: hand out a cursor at the last comment returned.
      if (comments.length === size && last !== undefined) {
        return { comments, nextCursor: [encodeCursor(`${cursorPrefix}${u64(last)}`)] };
      }
      frame.after = next[0];
      const id = trailingId(next[0]);
      const comment = this.db.comment(id);
      if (comment === undefined) throw new Error(`thread index names a missing comment ${id}`);
      comments.push({
        comment,
        depth: frame.depth,
        authorName: optional(this.db.displayName(comment.author)),
      });
      last = id;
      stack.push({ prefix: repliesPrefix(id), after: undefined, depth: frame.depth + 1 });
    }
  }

  /**
   * The walk's stack just after visiting comment `id`, rebuilt from the parent entries, or
   * undefined when the comment is not in this target's thread.
   */
  private resume(target: Target, id: Id): Frame[] | undefined {
    const path: Id[] = [id];
    for (;;) {
      const [up] = this.db.threadIndex.scan(`u/${u64(path[0]!)}/`, undefined, 1);
      if (up === undefined) break;
      path.unshift(trailingId(up[0]));
    }
    const root = path[0]!;
    const rootKey = topKey(target, root);
    if (this.db.threadIndex.scan(rootKey, undefined, 1).length === 0) return undefined;
    const stack: Frame[] = [{ prefix: `t/${targetKey(target)}/`, after: rootKey, depth: 0 }];
    for (let i = 1; i < path.length; i++) {
      stack.push({
        prefix: repliesPrefix(path[i - 1]!),
        after: replyKey(path[i - 1]!, path[i]!),
        depth: i,
      });
    }
    stack.push({ prefix: repliesPrefix(id), after: undefined, depth: path.length });
    return stack;
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
