import { describe, expect, it } from 'vitest';

import { Commons } from '../../../../src/backend/domain/commons';
import {
  principalIdFromBytes,
  type Id,
  type PrincipalId,
  type Vote,
} from '../../../../src/backend/domain/model';
import {
  ADMIN,
  ALICE,
  BOB,
  CAROL,
  MOD,
  expectRejected,
  proposalInput,
  setup,
  unwrap,
  type Setup,
} from '../support';

const UP: [Vote] = [{ Up: null }];
const DOWN: [Vote] = [{ Down: null }];

/** Members beyond the named ones, for merges larger than one message's share. */
const member = (n: number): PrincipalId => principalIdFromBytes(new Uint8Array([1, n >> 8, n]));

function board() {
  const app = setup();
  unwrap(app.commons.setRole(app.as(ADMIN), MOD, { Moderator: null }));
  const target = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput())).id;
  const duplicate = unwrap(
    app.commons.submitProposal(app.as(BOB), proposalInput({ title: 'The same idea again' })),
  ).id;
  return { app, target, duplicate };
}

function tally(app: Setup, id: Id) {
  const { up, down } = app.commons.getProposal(app.as(ADMIN), id)[0]!.proposal;
  return { up, down };
}

function myVote(app: Setup, who: PrincipalId, id: Id): string | undefined {
  const vote = app.commons.getProposal(app.as(who), id)[0]!.myVote[0];
  return vote === undefined ? undefined : Object.keys(vote)[0];
}

/** Runs the follow-up messages' merge work to the end, as the canister's timer would. */
function finish(commons: Commons): void {
  commons.runMerges(() => false);
}

/** A merge by the moderator, finished by its follow-up messages; the merge as it then reads. */
function merge(app: Setup, duplicate: Id, into: Id, note: [] | [string] = []) {
  unwrap(app.commons.mergeProposal(app.as(MOD), { duplicate, into, note }));
  finish(app.commons);
  return app.commons
    .getProposal(app.as(ADMIN), into)[0]!
    .mergedFrom.find((m) => m.duplicate === duplicate)!;
}

describe('merging a duplicate', () => {
  it('adds its votes to the target, keeps votes already there, gives its author an up-vote and closes it', () => {
    const { app, target, duplicate } = board();
    unwrap(app.commons.voteProposal(app.as(CAROL), duplicate, DOWN));
    unwrap(app.commons.voteProposal(app.as(MOD), duplicate, UP));
    unwrap(app.commons.voteProposal(app.as(MOD), target, DOWN)); // her own vote there wins
    unwrap(app.commons.voteProposal(app.as(ADMIN), duplicate, UP));
    expect(tally(app, target)).toEqual({ up: 1, down: 1 });

    const started = unwrap(
      app.commons.mergeProposal(app.as(MOD), { duplicate, into: target, note: ['Same idea'] }),
    );
    // Its own message moves only the author's vote: follow-up messages move the rest.
    expect(started).toMatchObject({ duplicate, into: target, by: MOD, state: { Merging: null } });
    expect(started.votesMoved).toBe(1);
    finish(app.commons);
    const merged = app.commons.getProposal(app.as(CAROL), target)[0]!.mergedFrom[0]!;
    expect(merged).toMatchObject({ duplicate, into: target, by: MOD, state: { Merged: null } });
    // Bob (author, up), Carol (down) and the admin (up) moved; the moderator's own vote stayed.
    expect(merged.votesMoved).toBe(3);
    expect(tally(app, target)).toEqual({ up: 3, down: 2 });
    expect(myVote(app, BOB, target)).toBe('Up');
    expect(myVote(app, CAROL, target)).toBe('Down');
    expect(myVote(app, MOD, target)).toBe('Down');

    const detail = app.commons.getProposal(app.as(CAROL), duplicate)[0]!;
    expect(detail.proposal.status).toEqual({ Duplicate: target });
    expect(detail.merge[0]).toMatchObject({ into: target, note: ['Same idea'] });
    // The duplicate keeps its own tally and closes.
    expect(detail.proposal).toMatchObject({ up: 3, down: 1 });
    expectRejected(app, () => app.commons.voteProposal(app.as(CAROL), duplicate, UP), 'Conflict');
    // Followers follow the target.
    expect(app.commons.isFollowing(app.as(CAROL), { Proposal: target })).toBe(true);

    const log = app.commons.getActivity([], 5).entries.map((e) => e.kind);
    expect(log[0]).toEqual({
      ProposalMerged: { proposalId: duplicate, into: target, note: ['Same idea'] },
    });
  });

  it('gives the author an up-vote on the target even when they withdrew theirs, never a down-vote on their own', () => {
    const { app, target, duplicate } = board();
    unwrap(app.commons.voteProposal(app.as(BOB), duplicate, []));
    // Alice, the target's author, voted against the duplicate: she cannot vote against her own.
    unwrap(app.commons.voteProposal(app.as(ALICE), target, []));
    unwrap(app.commons.voteProposal(app.as(ALICE), duplicate, DOWN));
    expect(merge(app, duplicate, target).votesMoved).toBe(1);
    expect(myVote(app, BOB, target)).toBe('Up');
    expect(myVote(app, ALICE, target)).toBeUndefined();
    expect(tally(app, target)).toEqual({ up: 1, down: 0 });
  });

  it('is refused to members, to anonymous callers and for impossible pairs, changing nothing', () => {
    const { app, target, duplicate } = board();
    const request = { duplicate, into: target, note: [] as [] };
    expectRejected(
      app,
      () => app.commons.mergeProposal(app.anonymous(), request),
      'NotAuthenticated',
    );
    expectRejected(app, () => app.commons.mergeProposal(app.as(CAROL), request), 'Forbidden');
    expectRejected(
      app,
      () => app.commons.mergeProposal(app.as(MOD), { ...request, into: duplicate }),
      'Invalid',
      'into',
    );
    expectRejected(
      app,
      () => app.commons.mergeProposal(app.as(MOD), { ...request, into: 99n }),
      'NotFound',
    );
    expectRejected(
      app,
      () => app.commons.mergeProposal(app.as(MOD), { ...request, note: ['\u200b'] }),
      'Invalid',
      'note',
    );
    unwrap(app.commons.setProposalStatus(app.as(ADMIN), target, { Done: null }, []));
    expectRejected(app, () => app.commons.mergeProposal(app.as(MOD), request), 'Conflict');
  });

  it('refuses to merge twice, into a duplicate, or a proposal others were merged into', () => {
    const { app, target, duplicate } = board();
    const third = unwrap(
      app.commons.submitProposal(app.as(CAROL), proposalInput({ title: 'A third take on it' })),
    ).id;
    unwrap(app.commons.mergeProposal(app.as(MOD), { duplicate, into: target, note: [] }));
    expectRejected(
      app,
      () => app.commons.mergeProposal(app.as(MOD), { duplicate, into: third, note: [] }),
      'Conflict',
    );
    expectRejected(
      app,
      () => app.commons.mergeProposal(app.as(MOD), { duplicate: third, into: duplicate, note: [] }),
      'Conflict',
    );
    const refused = app.commons.mergeProposal(app.as(MOD), {
      duplicate: target,
      into: third,
      note: [],
    });
    expect(refused).toHaveProperty('Err.Conflict');
    expect(JSON.stringify(refused)).toContain(`proposal ${duplicate} was merged into`);
  });
});

describe('undoing a merge', () => {
  it('takes back exactly the votes it added and gives the duplicate its status back', () => {
    const { app, target, duplicate } = board();
    unwrap(app.commons.setProposalStatus(app.as(ADMIN), duplicate, { UnderReview: null }, []));
    unwrap(app.commons.voteProposal(app.as(CAROL), duplicate, DOWN));
    unwrap(app.commons.voteProposal(app.as(MOD), duplicate, UP));
    unwrap(app.commons.voteProposal(app.as(MOD), target, DOWN));
    unwrap(app.commons.voteProposal(app.as(ADMIN), duplicate, UP));
    const before = tally(app, target);
    merge(app, duplicate, target);
    // The admin changed the vote the merge gave them: it is theirs now, and stays.
    unwrap(app.commons.voteProposal(app.as(ADMIN), target, DOWN));

    expectRejected(app, () => app.commons.unmergeProposal(app.as(MOD), duplicate), 'Forbidden');
    expectRejected(app, () => app.commons.unmergeProposal(app.as(ADMIN), target), 'NotFound');
    const undoing = unwrap(app.commons.unmergeProposal(app.as(ADMIN), duplicate));
    expect(undoing).toMatchObject({ state: { Unmerging: null }, votesMoved: 3 });
    expectRejected(app, () => app.commons.unmergeProposal(app.as(ADMIN), duplicate), 'Conflict');
    finish(app.commons);
    expect(tally(app, target)).toEqual({ up: before.up, down: before.down + 1 });
    expect(myVote(app, BOB, target)).toBeUndefined();
    expect(myVote(app, CAROL, target)).toBeUndefined();
    expect(myVote(app, MOD, target)).toBe('Down');
    expect(myVote(app, ADMIN, target)).toBe('Down');

    const detail = app.commons.getProposal(app.as(CAROL), duplicate)[0]!;
    expect(detail.proposal.status).toEqual({ UnderReview: null });
    expect(detail.merge).toEqual([]);
    expect(app.commons.getProposal(app.as(CAROL), target)[0]!.mergedFrom).toEqual([]);
    unwrap(app.commons.voteProposal(app.as(CAROL), duplicate, UP)); // open again
    expect(app.commons.getActivity([], 1).entries[0]?.kind).toEqual({
      ProposalUnmerged: { proposalId: duplicate, into: target },
    });
    // It can be merged again.
    unwrap(app.commons.mergeProposal(app.as(MOD), { duplicate, into: target, note: [] }));
  });
});

describe('a merge of many voters', () => {
  it('moves votes a bounded number of members per message, visibly merging, across an upgrade', () => {
    const { app, target, duplicate } = board();
    const voters = 96;
    for (let n = 0; n < voters; n++) {
      unwrap(app.commons.voteProposal(app.as(member(n)), duplicate, n % 4 === 0 ? DOWN : UP));
    }
    const started = unwrap(
      app.commons.mergeProposal(app.as(MOD), { duplicate, into: target, note: [] }),
    );
    expect(started).toMatchObject({ state: { Merging: null }, votesMoved: 1 });
    expectRejected(app, () => app.commons.unmergeProposal(app.as(ADMIN), duplicate), 'Conflict');

    let steps = 0;
    expect(app.commons.runMerges(() => steps++ >= 40)).toBe(1);
    const halfway = app.commons.getProposal(app.as(ADMIN), duplicate)[0]!.merge[0]!;
    expect(halfway.state).toEqual({ Merging: null });
    expect(halfway.votesMoved).toBeGreaterThan(1);
    expect(halfway.votesMoved).toBeLessThan(voters + 1);
    const upgraded = new Commons(app.stores);
    expect(upgraded.pendingMerges()).toBe(1);
    finish(upgraded);
    const detail = upgraded.getProposal(app.as(ADMIN), target)[0]!;
    expect(detail.mergedFrom[0]).toMatchObject({ state: { Merged: null }, votesMoved: voters + 1 });
    expect(detail.proposal.up).toBe(1 + 1 + voters - voters / 4);
    expect(detail.proposal.down).toBe(voters / 4);

    unwrap(upgraded.unmergeProposal(app.as(ADMIN), duplicate));
    expect(upgraded.pendingMerges()).toBe(1);
    finish(upgraded);
    expect(upgraded.getProposal(app.as(ADMIN), target)[0]!.proposal).toMatchObject({
      up: 1,
      down: 0,
    });
    expect(upgraded.pendingMerges()).toBe(0);
  });

  it('finds a voter who unfollowed the duplicate before voting', () => {
    const { app, target, duplicate } = board();
    unwrap(app.commons.unfollow(app.as(CAROL), { Proposal: duplicate }));
    unwrap(app.commons.voteProposal(app.as(CAROL), duplicate, UP));
    merge(app, duplicate, target);
    expect(myVote(app, CAROL, target)).toBe('Up');
    // Unfollowing the duplicate was not following the target.
    expect(app.commons.isFollowing(app.as(CAROL), { Proposal: target })).toBe(false);
  });
});
