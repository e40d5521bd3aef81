import {
  callerRole,
  isModeratorOrAdmin,
  maySeeHidden,
  requireWriter,
  type CallContext,
} from './context';
import { lowerBound, targetKey } from './comment-index';
import { nameKeys } from './confusables';
import { commentNotices, mentionedNames } from './inbox';
import { decodeCursor, encodeCursor } from './cursor';
import { idKey, pairKey, type CommentMeta, type Db } from './db';
import type {
  Comment,
  CommentInput,
  CommentPage,
  CommentRevision,
  Id,
  Opt,
  PrincipalId,
  Target,
  ThreadComment,
  ThreadPage,
} from './model';
import { clampLimit, optional, type ProposalService } from './proposals';
import type { RateLimiter } from './rate-limits';
import { conflict, forbidden, invalid, isErr, notFound, ok, type Result } from './result';
import { cleanText } from './text';

export { targetKey };

/**
 * A page is the next `limit` comments of the thread in pre-order. Its cursor names the last
 * comment it returned; the next page climbs the parents from there to rebuild the walk, so a
 * page costs its size plus the depth at the cursor, never the size of the thread.
 */
/** Children of one comment (or the top level) still to visit: `list` from `next` on. */
type Frame = { list: readonly number[]; next: number; depth: number };

export class ThreadService {
  constructor(
    private readonly db: Db,
    private readonly limiter: RateLimiter,
    private readonly proposals: ProposalService,
  ) {}

  /** The members a comment mentions (`@Alice_Ng` for "Alice Ng"), by their display names. */
  private mentioned(body: string): PrincipalId[] {
    if (!body.includes('@')) return [];
    const members = new Set<PrincipalId>();
    for (const name of mentionedNames(body)) {
      const key = nameKeys(name)[0];
      const owner = key === undefined ? undefined : this.db.nameOwners.get(key);
      if (owner !== undefined && this.db.displayName(owner)?.toLowerCase() === name.toLowerCase()) {
        members.add(owner);
      }
    }
    return [...members];
  }

  private targetExists(target: Target): boolean {
    if ('Proposal' in target) return this.db.card(target.Proposal) !== undefined;
    if ('Item' in target) return this.db.item(target.Item) !== undefined;
    return this.db.milestone(target.Milestone) !== undefined;
  }

  private adjustCount(target: Target, delta: number): void {
    if ('Proposal' in target) {
      this.proposals.adjustCommentCount(target.Proposal, delta);
    } else if ('Item' in target) {
      const item = this.db.item(target.Item);
      if (item) this.db.saveItem({ ...item, commentCount: item.commentCount + delta });
    } else {
      const milestone = this.db.milestone(target.Milestone);
      if (milestone) {
        this.db.saveMilestone({ ...milestone, commentCount: milestone.commentCount + delta });
      }
    }
  }

  post(ctx: CallContext, input: CommentInput): Result<Comment> {
    const refused = requireWriter(this.db, ctx);
    if (refused) return refused;
    const body = cleanText(
      input.body,
      { field: 'body', min: 1, max: 5000 },
      ctx.argumentsPlainAscii === true,
    );
    if (isErr(body)) return body;
    if (!this.targetExists(input.target)) return notFound(`${targetKey(input.target)} target`);
    if (input.parentId.length === 1) {
      const parent = this.db.commentIndex.comment(input.parentId[0]);
      if (parent === undefined) return notFound(`comment ${input.parentId[0]}`);
      if (targetKey(parent.target) !== targetKey(input.target)) {
        return invalid('parentId', 'the parent comment belongs to another thread');
      }
      if (parent.deleted.length === 1) return conflict('cannot reply to a deleted comment');
    }
    const limited = this.limiter.check(ctx, 'comment');
    if (limited) return limited;
    const meta: CommentMeta = {
      id: this.db.nextId('comment'),
      target: input.target,
      parentId: input.parentId,
      author: ctx.caller,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      revisionCount: 0,
      deleted: [],
    };
    this.db.commentBodies.set(idKey(meta.id), body.Ok);
    this.db.saveCommentMeta(meta);
    this.adjustCount(meta.target, 1);
    this.limiter.record(ctx, 'comment');
    const comment: Comment = { ...meta, body: body.Ok, hidden: [] };
    const parent =
      input.parentId.length === 1 ? this.db.commentIndex.comment(input.parentId[0]) : undefined;
    commentNotices(this.db.inbox, comment, parent?.author, this.mentioned(body.Ok));
    this.db.inbox.follow(ctx.caller, meta.target, false);
    return ok(comment);
  }

  edit(ctx: CallContext, id: Id, rawBody: string): Result<Comment> {
    const refused = requireWriter(this.db, ctx);
    if (refused) return refused;
    const comment = this.db.comment(id, 'verbatim');
    if (comment === undefined) return notFound(`comment ${id}`);
    if (comment.author !== ctx.caller) return forbidden('only the author may edit a comment');
    if (comment.deleted.length === 1) return conflict('the comment is deleted');
    const body = cleanText(
      rawBody,
      { field: 'body', min: 1, max: 5000 },
      ctx.argumentsPlainAscii === true,
    );
    if (isErr(body)) return body;
    const limited = this.limiter.check(ctx, 'comment');
    if (limited) return limited;
    const revision: CommentRevision = { body: comment.body, replacedAt: ctx.now };
    this.db.commentRevisions.set(pairKey(id, comment.revisionCount), revision);
    const { body: _old, hidden, ...meta } = comment;
    const next: CommentMeta = {
      ...meta,
      updatedAt: ctx.now,
      revisionCount: comment.revisionCount + 1,
    };
    this.db.commentBodies.set(idKey(id), body.Ok);
    this.db.saveCommentMeta(next);
    this.limiter.record(ctx, 'comment');
    return ok({ ...next, body: body.Ok, hidden });
  }

  /**
   * Leaves a tombstone so replies keep their place (a thread lists it only while it has
   * replies, see `page`). The text and its history go: a deleted comment should not stay
   * readable through the history query.
   */
  delete(ctx: CallContext, id: Id): Result<null> {
    const refused = requireWriter(this.db, ctx);
    if (refused) return refused;
    const comment = this.db.commentIndex.comment(id);
    if (comment === undefined) return notFound(`comment ${id}`);
    const byModerator = comment.author !== ctx.caller;
    if (byModerator && !isModeratorOrAdmin(callerRole(this.db, ctx))) {
      return forbidden('only the author or a moderator may delete a comment');
    }
    if (comment.deleted.length === 1) return conflict('the comment is already deleted');
    for (let n = 0; n < comment.revisionCount; n++) {
      this.db.commentRevisions.delete(pairKey(id, n));
    }
    this.db.commentBodies.delete(idKey(id));
    this.db.saveCommentMeta({
      ...comment,
      revisionCount: 0,
      deleted: [{ by: ctx.caller, at: ctx.now }],
    });
    this.adjustCount(comment.target, -1);
    if (byModerator) this.db.log(ctx.caller, ctx.now, { CommentRemoved: { commentId: id } });
    return ok(null);
  }

  history(ctx: CallContext, id: Id): CommentRevision[] {
    const comment = this.db.commentIndex.comment(id);
    if (comment === undefined) return [];
    if (this.db.hiding({ Comment: id }) && !maySeeHidden(this.db, ctx, comment.author)) return [];
    const revisions: CommentRevision[] = [];
    for (let n = 0; n < comment.revisionCount; n++) {
      const revision = this.db.commentRevisions.getVerbatim(pairKey(id, n));
      if (revision !== undefined) revisions.push(revision);
    }
    return revisions;
  }

  get(ctx: CallContext, id: Id): Opt<Comment> {
    const comment = this.db.comment(id, 'verbatim');
    return comment === undefined ? [] : [this.shown(ctx, comment)];
  }

  /**
   * A hidden comment keeps its place with its `hidden` reason; its body is only for its
   * author and moderators.
   */
  private shown(ctx: CallContext, comment: Comment): Comment {
    if (comment.hidden.length === 0 || maySeeHidden(this.db, ctx, comment.author)) return comment;
    return { ...comment, body: '' };
  }

  /**
   * The next `limit` comments (clamped to 1–50, 0 means 20) of the thread in pre-order: a
   * comment, then each of its replies' subtrees, oldest first. A deleted comment keeps its
   * place as a tombstone while a reply under it is still there, and is left out otherwise.
   */
  page(ctx: CallContext, target: Target, cursor: Opt<string>, limit: number): ThreadPage {
    const empty: ThreadPage = { comments: [], nextCursor: [] };
    const cursorPrefix = `c/${targetKey(target)}/`;
    let stack: Frame[];
    if (cursor.length === 1) {
      const key = decodeCursor(cursor[0], cursorPrefix);
      const id = key?.slice(cursorPrefix.length);
      if (id === undefined || !/^[0-9]{1,15}$/.test(id)) return empty;
      const resumed = this.resume(target, Number(id));
      if (resumed === undefined) return empty;
      stack = resumed;
    } else {
      stack = [{ list: this.db.commentIndex.topLevelOf(target), next: 0, depth: 0 }];
    }
    const size = clampLimit(limit);
    const comments: ThreadComment[] = [];
    let last: number | undefined;
    for (;;) {
      const frame = stack[stack.length - 1];
      if (frame === undefined) return { comments, nextCursor: [] };
      if (frame.next >= frame.list.length) {
        stack.pop();
        continue;
      }
      // Something follows the page: hand out a cursor at the last comment returned.
      if (comments.length === size && last !== undefined) {
        return { comments, nextCursor: [encodeCursor(`${cursorPrefix}${last}`)] };
      }
      const id = frame.list[frame.next]!;
      frame.next++;
      if (!this.listed(id)) continue;
      const comment = this.db.comment(BigInt(id), 'verbatim');
      if (comment === undefined) throw new Error(`thread index names a missing comment ${id}`);
      comments.push({
        comment: this.shown(ctx, comment),
        depth: frame.depth,
        authorName: optional(this.db.displayName(comment.author)),
      });
      last = id;
      stack.push({ list: this.db.commentIndex.repliesOf(id), next: 0, depth: frame.depth + 1 });
    }
  }

  /** Whether a thread shows the comment: it is not deleted, or a reply under it is listed. */
  private listed(id: number): boolean {
    const meta = this.db.commentIndex.comment(BigInt(id));
    if (meta === undefined || meta.deleted.length === 0) return true;
    return this.db.commentIndex.repliesOf(id).some((reply) => this.listed(reply));
  }

  /**
   * The walk's stack just after visiting comment `id`, rebuilt from its ancestors, or
   * undefined when the comment is not in this target's thread.
   */
  private resume(target: Target, id: number): Frame[] | undefined {
    const index = this.db.commentIndex;
    const path: number[] = [id];
    for (;;) {
      const meta = index.comment(BigInt(path[0]!));
      if (meta === undefined) return undefined;
      if (meta.parentId.length === 0) {
        if (targetKey(meta.target) !== targetKey(target)) return undefined;
        break;
      }
      path.unshift(Number(meta.parentId[0]));
    }
    const top = index.topLevelOf(target);
    const stack: Frame[] = [{ list: top, next: lowerBound(top, path[0]!) + 1, depth: 0 }];
    for (let i = 1; i < path.length; i++) {
      const siblings = index.repliesOf(path[i - 1]!);
      stack.push({ list: siblings, next: lowerBound(siblings, path[i]!) + 1, depth: i });
    }
    stack.push({ list: index.repliesOf(id), next: 0, depth: path.length });
    return stack;
  }

  /** A member's live comments, newest first. */
  byAuthor(ctx: CallContext, author: PrincipalId, cursor: Opt<string>, limit: number): CommentPage {
    const prefix = 'a/';
    const list = this.db.commentIndex.authoredBy(author);
    // Positions count from the newest; the cursor is the id of the last comment returned.
    let end = list.length;
    if (cursor.length === 1) {
      const key = decodeCursor(cursor[0], prefix);
      const id = key?.slice(prefix.length);
      if (id === undefined || !/^[0-9]{1,15}$/.test(id)) return { comments: [], nextCursor: [] };
      end = lowerBound(list, Number(id));
    }
    const size = clampLimit(limit);
    const start = Math.max(0, end - size);
    const comments: Comment[] = [];
    for (let i = end - 1; i >= start; i--) {
      const comment = this.db.comment(BigInt(list[i]!), 'verbatim');
      if (comment !== undefined) comments.push(this.shown(ctx, comment));
    }
    const lastId = list[start];
    return {
      comments,
      nextCursor: start > 0 && lastId !== undefined ? [encodeCursor(`${prefix}${lastId}`)] : [],
    };
  }
}
