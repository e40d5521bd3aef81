import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Commons } from '../../../../src/backend/domain/commons';
import type { ProposalSort, Target } from '../../../../src/backend/domain/model';
import { ADMIN, ALICE, BOB, CAROL, SAMPLE_ROADMAP, proposalInput, setup, unwrap } from '../support';

const members = [ALICE, BOB, CAROL, ADMIN];
const SORTS: ProposalSort[] = [
  { Hot: null },
  { Top: null },
  { New: null },
  { MostDiscussed: null },
];

/** Every read the API offers, over everything the board holds. */
function reads(commons: Commons, app: ReturnType<typeof setup>) {
  const out: unknown[] = [];
  for (const member of members) {
    const ctx = app.as(member);
    out.push(commons.whoami(ctx), commons.getMyPriorities(ctx));
    for (const sort of SORTS) {
      for (const filter of [
        {},
        { tag: ['gpu'] as [string] },
        { author: [member] as [typeof member] },
      ]) {
        let cursor: [] | [string] = [];
        do {
          const page = commons.listProposals(ctx, {
            needsResponse: [],
            sort,
            status: [],
            themeId: [],
            tag: [],
            author: [],
            ...filter,
            cursor,
            limit: 3,
          });
          out.push(page.proposals);
          cursor = page.nextCursor;
        } while (cursor.length > 0);
      }
    }
    out.push(commons.listCommentsByAuthor(app.anonymous(), member, [], 50));
  }
  out.push(
    commons.getRoadmap(),
    commons.listRoles(),
    commons.getActivity([], 50),
    commons.getSettings(),
  );
  for (let id = 1n; id <= 8n; id++) {
    out.push(
      commons.getProposal(app.as(ALICE), id),
      commons.getProposalHistory(app.anonymous(), id, [], 0),
    );
    const target: Target = { Proposal: id };
    out.push(commons.getThread(app.anonymous(), target, [], 50));
    out.push(commons.getItem(app.as(BOB), id));
  }
  return out;
}

describe('heap state rebuilt from the records', () => {
  it('answers every read exactly as the state it was rebuilt from', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.nat({ max: 5 }), fc.nat({ max: 3 }), fc.nat({ max: 7 }), fc.nat({ max: 4 })),
          { maxLength: 60 },
        ),
        (actions) => {
          const app = setup();
          app.commons.importRoadmap(app.as(ADMIN), SAMPLE_ROADMAP);
          for (const [kind, who, target, n] of actions) {
            const ctx = app.as(members[who]!);
            const id = BigInt(target + 1);
            app.advance(1_000_000_000n);
            if (kind === 0) {
              app.commons.submitProposal(ctx, proposalInput({ tags: n % 2 ? ['gpu'] : ['x'] }));
            } else if (kind === 1) {
              app.commons.voteProposal(
                ctx,
                id,
                n === 0 ? [] : n % 2 ? [{ Up: null }] : [{ Down: null }],
              );
            } else if (kind === 2) {
              app.commons.postComment(ctx, {
                target: { Proposal: id },
                parentId: n > 0 ? [BigInt(n)] : [],
                body: `comment ${n}`,
              });
            } else if (kind === 3) {
              app.commons.deleteComment(ctx, BigInt(n + 1));
            } else if (kind === 4) {
              app.commons.setPriorityVotes(ctx, id, n);
            } else {
              app.commons.setProfile(ctx, { displayName: `member ${who}${n}`, bio: '' });
            }
          }
          const rebuilt = new Commons(app.stores);
          expect(reads(rebuilt, app)).toEqual(reads(app.commons, app));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps author listings right through writes after a rebuild, as if none had happened', () => {
    const byAuthor = (commons: Commons, app: ReturnType<typeof setup>, author: typeof ALICE) =>
      SORTS.map(
        (sort) =>
          commons.listProposals(app.as(BOB), {
            needsResponse: [],
            sort,
            status: [],
            themeId: [],
            tag: [],
            author: [author],
            cursor: [],
            limit: 50,
          }).proposals,
      );
    const run = (rebuildHalfway: boolean) => {
      const app = setup();
      let commons = app.commons;
      for (let i = 0; i < 3; i++) commons.submitProposal(app.as(ALICE), proposalInput());
      commons.submitProposal(app.as(CAROL), proposalInput());
      if (rebuildHalfway) commons = new Commons(app.stores);
      app.advance(1_000_000_000n);
      commons.submitProposal(app.as(ALICE), proposalInput({ tags: ['gpu'] }));
      commons.voteProposal(app.as(BOB), 2n, [{ Down: null }]);
      commons.postComment(app.as(BOB), { target: { Proposal: 1n }, parentId: [], body: 'hi' });
      return [ALICE, CAROL, BOB].map((author) => byAuthor(commons, app, author));
    };
    const rebuilt = run(true);
    expect(rebuilt).toEqual(run(false));
    expect(rebuilt[0]!.map((page) => page.length)).toEqual([4, 4, 4, 4]);
  });

  it('never hands out an id twice, whether or not the counters were written before the upgrade', () => {
    const counter = (app: ReturnType<typeof setup>, kind: string) =>
      app.stores<{ Counter: bigint }>('meta').get(`next/${kind}`);
    for (const writtenBefore of [false, true]) {
      const app = setup();
      const comment = (commons: Commons, id: bigint) =>
        unwrap(
          commons.postComment(app.as(BOB), { target: { Proposal: id }, parentId: [], body: 'hi' }),
        ).id;
      for (let i = 0; i < 3; i++)
        unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
      expect(comment(app.commons, 1n)).toBe(1n);
      expect(comment(app.commons, 2n)).toBe(2n);
      // A killed replica restarts without pre_upgrade; an upgrade runs it.
      if (writtenBefore) {
        app.commons.beforeUpgrade();
        // What a module that reads only the written counters would go on from.
        expect(counter(app, 'proposal')).toEqual({ Counter: 4n });
        expect(counter(app, 'comment')).toEqual({ Counter: 3n });
      }
      const rebuilt = new Commons(app.stores);
      expect(unwrap(rebuilt.submitProposal(app.as(CAROL), proposalInput())).id).toBe(4n);
      expect(comment(rebuilt, 4n)).toBe(3n);
      expect(rebuilt.getProposal(app.as(BOB), 1n)[0]?.proposal.author).toBe(ALICE);
    }
  });
});
