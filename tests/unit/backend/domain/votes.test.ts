import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { principalId, type Vote } from '../../../../src/backend/domain/model';
import { ADMIN, ALICE, BOB, expectRejected, proposalInput, setup, unwrap } from '../support';

const members = ['m1', 'm2', 'm3', 'm4'].map(principalId);
const voteArb = fc.constantFrom<[] | [Vote]>([], [{ Up: null }], [{ Down: null }]);

describe('voteProposal', () => {
  it('keeps every tally equal to the votes stored, whatever members do', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 2 }), voteArb), { maxLength: 60 }),
        (actions) => {
          const app = setup();
          for (let i = 0; i < 3; i++)
            unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
          for (const [member, proposal, vote] of actions) {
            const tally = unwrap(
              app.commons.voteProposal(app.as(members[member]!), BigInt(proposal + 1), vote),
            );
            expect(tally.myVote).toEqual(vote);
          }
          const stored: Array<[string, string]> = [];
          app.stores<string>('proposalVotes').forEach((direction, key) => {
            stored.push([key, direction]);
          });
          for (let id = 1n; id <= 3n; id++) {
            const votes = stored
              .filter(([key]) => key.startsWith(`${id}/`))
              .map(([, direction]) => direction);
            const proposal = app.commons.getProposal(app.as(ALICE), id)[0]!.proposal;
            expect(proposal.up).toBe(votes.filter((v) => v === 'Up').length);
            expect(proposal.down).toBe(votes.filter((v) => v === 'Down').length);
          }
        },
      ),
    );
  });

  it('moves a changed vote from one tally to the other in one call', () => {
    const app = setup();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    // The author's own up-vote is the first one.
    expect(unwrap(app.commons.voteProposal(app.as(BOB), id, [{ Up: null }]))).toMatchObject({
      up: 2,
      down: 0,
    });
    expect(unwrap(app.commons.voteProposal(app.as(BOB), id, [{ Down: null }]))).toMatchObject({
      up: 1,
      down: 1,
    });
    expect(unwrap(app.commons.voteProposal(app.as(BOB), id, []))).toMatchObject({
      up: 1,
      down: 0,
      myVote: [],
    });
  });

  it('lets authors withdraw the up-vote their proposal starts with, never vote it down', () => {
    const app = setup();
    const { id, up } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    expect(up).toBe(1);
    expectRejected(
      app,
      () => app.commons.voteProposal(app.as(ALICE), id, [{ Down: null }]),
      'Conflict',
    );
    expect(unwrap(app.commons.voteProposal(app.as(ALICE), id, []))).toMatchObject({
      up: 0,
      down: 0,
      myVote: [],
    });
    expectRejected(
      app,
      () => app.commons.voteProposal(app.as(ALICE), id, [{ Down: null }]),
      'Conflict',
    );
    expect(unwrap(app.commons.voteProposal(app.as(ALICE), id, [{ Up: null }])).up).toBe(1);
  });

  it.each([
    ['Declined', { Declined: 'Out of scope' }],
    ['Duplicate', { Duplicate: 2n }],
    ['Done', { Done: null }],
  ] as const)('is closed once a proposal is %s', (_name, status) => {
    const app = setup();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    unwrap(app.commons.voteProposal(app.as(BOB), id, [{ Up: null }]));
    unwrap(app.commons.setProposalStatus(app.as(ADMIN), id, status, []));
    expectRejected(app, () => app.commons.voteProposal(app.as(BOB), id, []), 'Conflict');
    expectRejected(
      app,
      () => app.commons.voteProposal(app.as(ALICE), id, [{ Down: null }]),
      'Conflict',
    );
  });

  it('stays open while a proposal is under review or planned', () => {
    const app = setup();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    unwrap(app.commons.setProposalStatus(app.as(ADMIN), id, { UnderReview: null }, []));
    expect(unwrap(app.commons.voteProposal(app.as(BOB), id, [{ Up: null }])).up).toBe(2);
  });

  it('rejects anonymous callers and unknown proposals without changing anything', () => {
    const app = setup();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    expectRejected(
      app,
      () => app.commons.voteProposal(app.anonymous(), id, [{ Up: null }]),
      'NotAuthenticated',
    );
    expectRejected(
      app,
      () => app.commons.voteProposal(app.as(BOB), 99n, [{ Up: null }]),
      'NotFound',
    );
  });
});

describe('listVotesByMember', () => {
  it('lists exactly the proposals a member votes on now, with their vote, over pages', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 9 }), voteArb), { maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        (actions, limit) => {
          const app = setup();
          // The admin writes them: members' daily limit is lower.
          for (let i = 0; i < 10; i++)
            unwrap(app.commons.submitProposal(app.as(ADMIN), proposalInput()));
          const voter = members[0]!;
          for (const [proposal, vote] of actions) {
            unwrap(app.commons.voteProposal(app.as(voter), BigInt(proposal + 1), vote));
          }
          const listed = new Map<bigint, string>();
          let cursor: [] | [string] = [];
          for (let pages = 0; pages < 100; pages++) {
            const page = app.commons.listVotesByMember(app.as(BOB), voter, cursor, limit);
            expect(page.votes.length).toBeLessThanOrEqual(limit);
            for (const { proposal, vote } of page.votes) {
              listed.set(proposal.id, Object.keys(vote)[0]!);
            }
            if (page.nextCursor.length === 0) break;
            cursor = page.nextCursor;
          }
          const expected = new Map<bigint, string>();
          for (let id = 1n; id <= 10n; id++) {
            const mine = app.commons.getProposal(app.as(voter), id)[0]!.myVote[0];
            if (mine !== undefined) expected.set(id, Object.keys(mine)[0]!);
          }
          expect(listed).toEqual(expected);
        },
      ),
    );
  });

  it('lists the newest first vote first, and nothing for a stranger or a bad cursor', () => {
    const app = setup();
    for (let i = 0; i < 3; i++) unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    unwrap(app.commons.voteProposal(app.as(BOB), 2n, [{ Up: null }]));
    unwrap(app.commons.voteProposal(app.as(BOB), 1n, [{ Down: null }]));
    const page = app.commons.listVotesByMember(app.anonymous(), BOB, [], 10);
    expect(page.votes.map((v) => [v.proposal.id, v.vote])).toEqual([
      [1n, { Down: null }],
      [2n, { Up: null }],
    ]);
    expect(page.nextCursor).toEqual([]);
    // Each card carries the reader's own vote: BOB's on BOB's list, ALICE's on hers.
    expect(page.votes.map((v) => v.proposal.myVote)).toEqual([[], []]);
    const own = app.commons.listVotesByMember(app.as(BOB), BOB, [], 10);
    expect(own.votes.map((v) => v.proposal.myVote)).toEqual([[{ Down: null }], [{ Up: null }]]);
    const byAuthor = app.commons.listVotesByMember(app.as(ALICE), BOB, [], 10);
    expect(byAuthor.votes.map((v) => v.proposal.myVote)).toEqual([[{ Up: null }], [{ Up: null }]]);
    expect(app.commons.listVotesByMember(app.anonymous(), ADMIN, [], 10).votes).toEqual([]);
    expect(app.commons.listVotesByMember(app.anonymous(), BOB, ['zz'], 10).votes).toEqual([]);
  });
});
