import { describe, expect, it } from 'vitest';

import type { Id, Target } from '../../../../src/backend/domain/model';
import { MAX_PAGE } from '../../../../src/backend/domain/proposals';
import { countingSetup } from '../support-counting';
import { ADMIN, proposalInput, unwrap } from '../support';

function thread(tops: number, repliesEach: number, chain = 0) {
  const app = countingSetup();
  const { id } = unwrap(app.commons.submitProposal(app.as(ADMIN), proposalInput()));
  const target: Target = { Proposal: id };
  const post = (parent?: Id) =>
    unwrap(
      app.commons.postComment(app.as(ADMIN), {
        target,
        parentId: parent === undefined ? [] : [parent],
        body: 'x'.repeat(100),
      }),
    ).id;
  for (let t = 0; t < tops; t++) {
    const top = post();
    for (let r = 0; r < repliesEach; r++) post(top);
  }
  let parent = post();
  for (let d = 0; d < chain; d++) parent = post(parent);
  return { app, target };
}

describe('getThread cost', () => {
  it('reads at most the page size of comments per page, however many replies a top-level comment has', () => {
    for (const [tops, replies] of [
      [5, 5],
      [40, 60],
    ] as const) {
      const { app, target } = thread(tops, replies);
      let cursor: [] | [string] = [];
      let total = 0;
      let pages = 0;
      do {
        app.reset();
        const page = app.commons.getThread(app.anonymous(), target, cursor, 10);
        pages++;
        expect(page.comments.length).toBeLessThanOrEqual(10);
        // The structure is on the heap: only the bodies of the comments returned are read.
        expect(app.gets('commentBodies')).toBe(page.comments.length);
        expect(app.gets('comments')).toBe(0);
        total += page.comments.length;
        cursor = page.nextCursor;
      } while (cursor.length > 0 && pages < 1000);
      expect(total).toBe(tops * (replies + 1) + 1);
      expect(pages).toBe(Math.ceil(total / 10));
    }
  });

  it('clamps the page to 50 comments and resumes inside a deep reply chain', () => {
    const { app, target } = thread(0, 0, 120);
    const first = app.commons.getThread(app.anonymous(), target, [], 1000);
    expect(first.comments).toHaveLength(MAX_PAGE);
    expect(first.comments.map((c) => c.depth)).toEqual([...Array(MAX_PAGE).keys()]);
    const second = app.commons.getThread(app.anonymous(), target, first.nextCursor, 0);
    expect(second.comments.map((c) => c.depth)).toEqual(
      Array.from({ length: 20 }, (_, i) => MAX_PAGE + i),
    );
  });

  it('returns an empty page for a cursor issued for another thread', () => {
    const { app, target } = thread(3, 3);
    const other = unwrap(app.commons.submitProposal(app.as(ADMIN), proposalInput())).id;
    unwrap(
      app.commons.postComment(app.as(ADMIN), {
        target: { Proposal: other },
        parentId: [],
        body: 'elsewhere',
      }),
    );
    const page = app.commons.getThread(app.anonymous(), target, [], 2);
    expect(page.nextCursor).toHaveLength(1);
    expect(app.commons.getThread(app.anonymous(), { Proposal: other }, page.nextCursor, 2)).toEqual(
      {
        comments: [],
        nextCursor: [],
      },
    );
  });
});
