import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { Id, Target } from '../../../../src/backend/domain/model';
import {
  ADMIN,
  ALICE,
  BOB,
  MOD,
  expectRejected,
  proposalInput,
  seedRoadmap,
  setup,
  unwrap,
  type Setup,
} from '../support';

function post(
  app: Setup,
  target: Target,
  parentId: Id | undefined,
  body = 'A comment',
  author = ALICE,
) {
  return unwrap(
    app.commons.postComment(app.as(author), {
      target,
      parentId: parentId === undefined ? [] : [parentId],
      body,
    }),
  );
}

/** Reads the whole thread page by page. */
function readThread(app: Setup, target: Target, limit: number) {
  const out: Array<{ id: Id; depth: number; deleted: boolean }> = [];
  let cursor: [] | [string] = [];
  for (let pages = 0; pages < 1000; pages++) {
    const page = app.commons.getThread(app.anonymous(), target, cursor, limit);
    // The limit counts every comment of the page, replies included; only the last page is short.
    if (page.nextCursor.length === 1) expect(page.comments).toHaveLength(limit);
    else expect(page.comments.length).toBeLessThanOrEqual(limit);
    out.push(
      ...page.comments.map((c) => ({
        id: c.comment.id,
        depth: c.depth,
        deleted: c.comment.deleted.length === 1,
      })),
    );
    if (page.nextCursor.length === 0) return out;
    cursor = page.nextCursor;
  }
  throw new Error('thread never ended');
}

describe('threads', () => {
  it('return every comment exactly once, in pre-order with its depth, across pages, leaving out deleted comments without replies', () => {
    fc.assert(
      fc.property(
        // each comment picks a parent among the earlier ones, or none
        fc.array(fc.option(fc.nat(), { freq: 3 }), { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer({ min: 1, max: 6 }),
        (parents, deletions, limit) => {
          const app = setup();
          unwrap(
            app.commons.setSettings(app.as(ADMIN), {
              ...app.commons.getSettings(),
              commentsPerHour: 1000,
            }),
          );
          const { id: proposalId } = unwrap(
            app.commons.submitProposal(app.as(ALICE), proposalInput()),
          );
          const target: Target = { Proposal: proposalId };
          const children = new Map<Id | undefined, Id[]>();
          const ids: Id[] = [];
          for (const parent of parents) {
            const parentId =
              parent === null || ids.length === 0 ? undefined : ids[parent % ids.length];
            const comment = post(app, target, parentId);
            ids.push(comment.id);
            children.set(parentId, [...(children.get(parentId) ?? []), comment.id]);
          }
          const deleted = new Set<Id>();
          for (const index of deletions) {
            if (ids.length === 0) break;
            const id = ids[index % ids.length]!;
            if (!deleted.has(id)) {
              unwrap(app.commons.deleteComment(app.as(ALICE), id));
              deleted.add(id);
            }
          }
          // A deleted comment stays as a tombstone only above a comment that is not deleted.
          const live = (id: Id): boolean => !deleted.has(id) || (children.get(id) ?? []).some(live);
          const expected: Array<{ id: Id; depth: number; deleted: boolean }> = [];
          const visit = (parent: Id | undefined, depth: number) => {
            for (const id of children.get(parent) ?? []) {
              if (!live(id)) continue;
              expected.push({ id, depth, deleted: deleted.has(id) });
              visit(id, depth + 1);
            }
          };
          visit(undefined, 0);
          expect(readThread(app, target, limit)).toEqual(expected);
          const proposal = app.commons.getProposal(app.as(ALICE), proposalId)[0]!.proposal;
          expect(proposal.commentCount).toBe(ids.length - deleted.size);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keep edits as history and tombstones in place of deleted comments', () => {
    const app = setup();
    const { id: proposalId } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    const target: Target = { Proposal: proposalId };
    const root = post(app, target, undefined, 'First version');
    const reply = post(app, target, root.id, 'A reply', BOB);
    const edited = unwrap(app.commons.editComment(app.as(ALICE), root.id, '  Second version  '));
    expect(edited).toMatchObject({ body: 'Second version', revisionCount: 1 });
    expect(app.commons.getCommentHistory(app.anonymous(), root.id)).toEqual([
      { body: 'First version', replacedAt: edited.updatedAt },
    ]);
    unwrap(app.commons.deleteComment(app.as(ALICE), root.id));
    const page = app.commons.getThread(app.anonymous(), target, [], 10);
    expect(page.comments.map((c) => [c.comment.id, c.depth, c.comment.body])).toEqual([
      [root.id, 0, ''],
      [reply.id, 1, 'A reply'],
    ]);
    expect(page.comments[0]!.comment.deleted).toEqual([{ by: ALICE, at: app.now() }]);
    expect(app.commons.getCommentHistory(app.anonymous(), root.id)).toEqual([]);
    expect(app.commons.getProposal(app.as(ALICE), proposalId)[0]!.proposal.commentCount).toBe(1);
  });

  it('let moderators and admins delete any comment and log it; other members cannot', () => {
    const app = setup();
    unwrap(app.commons.setRole(app.as(ADMIN), MOD, { Moderator: null }));
    const { id: proposalId } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    const first = post(app, { Proposal: proposalId }, undefined);
    const second = post(app, { Proposal: proposalId }, undefined);
    expectRejected(app, () => app.commons.deleteComment(app.as(BOB), first.id), 'Forbidden');
    expectRejected(
      app,
      () => app.commons.deleteComment(app.anonymous(), first.id),
      'NotAuthenticated',
    );
    unwrap(app.commons.deleteComment(app.as(MOD), first.id));
    unwrap(app.commons.deleteComment(app.as(ADMIN), second.id));
    expect(app.commons.getActivity([], 2).entries.map((e) => e.kind)).toEqual([
      { CommentRemoved: { commentId: second.id } },
      { CommentRemoved: { commentId: first.id } },
    ]);
    expectRejected(app, () => app.commons.deleteComment(app.as(ALICE), first.id), 'Conflict');
  });

  it('attach to items and milestones and count there too', () => {
    const app = setup();
    const ids = seedRoadmap(app);
    post(app, { Item: ids.get('gpu-node-spec')! }, undefined);
    post(app, { Milestone: ids.get('gyrotron')! }, undefined);
    const detail = app.commons.getItem(app.as(ALICE), ids.get('gpu-node-spec')!)[0]!;
    expect(detail.item.commentCount).toBe(1);
    expect(detail.milestone.commentCount).toBe(1);
  });

  it('reject bad comments with the specific error and change nothing', () => {
    const app = setup();
    const { id: proposalId } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    const { id: other } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    const target: Target = { Proposal: proposalId };
    const root = post(app, target, undefined);
    const elsewhere = post(app, { Proposal: other }, undefined);
    const body = (text: string) => ({ target, parentId: [] as [], body: text });
    expectRejected(app, () => app.commons.postComment(app.as(BOB), body('')), 'Invalid', 'body');
    expectRejected(
      app,
      () => app.commons.postComment(app.as(BOB), body(' \n ')),
      'Invalid',
      'body',
    );
    expectRejected(
      app,
      () => app.commons.postComment(app.as(BOB), body('x'.repeat(5001))),
      'Invalid',
      'body',
    );
    expectRejected(
      app,
      () => app.commons.postComment(app.as(BOB), body('null \u0000 byte')),
      'Invalid',
      'body',
    );
    expectRejected(
      app,
      () => app.commons.postComment(app.anonymous(), body('hello')),
      'NotAuthenticated',
    );
    expectRejected(
      app,
      () => app.commons.postComment(app.as(BOB), { ...body('hello'), target: { Proposal: 99n } }),
      'NotFound',
    );
    expectRejected(
      app,
      () => app.commons.postComment(app.as(BOB), { ...body('hello'), target: { Item: 99n } }),
      'NotFound',
    );
    expectRejected(
      app,
      () => app.commons.postComment(app.as(BOB), { ...body('hello'), parentId: [99n] }),
      'NotFound',
    );
    expectRejected(
      app,
      () => app.commons.postComment(app.as(BOB), { ...body('hello'), parentId: [elsewhere.id] }),
      'Invalid',
      'parentId',
    );
    expectRejected(
      app,
      () => app.commons.editComment(app.as(BOB), root.id, 'mine now'),
      'Forbidden',
    );
    expectRejected(
      app,
      () => app.commons.editComment(app.as(ALICE), root.id, ''),
      'Invalid',
      'body',
    );
    expectRejected(app, () => app.commons.editComment(app.as(ALICE), 99n, 'hello'), 'NotFound');
    unwrap(app.commons.deleteComment(app.as(ALICE), root.id));
    expectRejected(app, () => app.commons.editComment(app.as(ALICE), root.id, 'back'), 'Conflict');
    expectRejected(
      app,
      () => app.commons.postComment(app.as(BOB), { ...body('hello'), parentId: [root.id] }),
      'Conflict',
    );
  });

  it("list a member's live comments newest first, page by page", () => {
    const app = setup();
    const { id: proposalId } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    const made = Array.from(
      { length: 5 },
      (_, i) => post(app, { Proposal: proposalId }, undefined, `c${i}`, BOB).id,
    );
    unwrap(app.commons.deleteComment(app.as(BOB), made[2]!));
    const first = app.commons.listCommentsByAuthor(app.anonymous(), BOB, [], 2);
    const second = app.commons.listCommentsByAuthor(app.anonymous(), BOB, first.nextCursor, 2);
    expect([...first.comments, ...second.comments].map((c) => c.id)).toEqual([
      made[4],
      made[3],
      made[1],
      made[0],
    ]);
    expect(second.nextCursor).toEqual([]);
  });
});
