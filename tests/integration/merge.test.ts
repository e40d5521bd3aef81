/**
 * Merging duplicates through the compiled canister: a merge of more voters than one message
 * moves (the rest by follow-up timer messages, the merge `Merging` meanwhile) adds exactly the
 * duplicate's votes to the target, members who voted on both keep their own vote, and an
 * unmerge takes back exactly what the merge added. Members and anonymous callers are refused
 * and change nothing.
 */
import { AnonymousIdentity } from '@dfinity/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Merge, ProposalDetail, Vote } from '../../src/declarations/backend';
import {
  allActivity,
  err,
  member,
  ok,
  settleNewMembers,
  snapshot,
  startTestNet,
  type Backend,
  type Member,
  type TestNet,
} from './harness';

/** More than a merge moves in its own message (MERGE_INLINE in domain/merges.ts). */
const VOTERS = 60;

let net: TestNet;
let admin: Backend;
let moderator: Member;
let alice: Member;
let bob: Member;
let voters: Member[];

const UP: [Vote] = [{ Up: null }];
const DOWN: [Vote] = [{ Down: null }];

async function detail(who: Backend, id: bigint): Promise<ProposalDetail> {
  const [found] = await who.getProposal(id);
  if (found === undefined) throw new Error(`proposal ${id} not found`);
  return found;
}

/** The merges into `target` once `done` says they are (timer messages finish the work). */
async function mergesInto(target: bigint, done: (merges: Merge[]) => boolean): Promise<Merge[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { mergedFrom } = await detail(admin, target);
    if (done(mergedFrom)) return mergedFrom;
    if (Date.now() > deadline) throw new Error(`merges still ${JSON.stringify(mergedFrom)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function submit(who: Member, title: string): Promise<bigint> {
  return ok(await who.actor.submitProposal({ title, body: '', tags: [], themeId: [] })).id;
}

beforeAll(async () => {
  net = await startTestNet();
  admin = await net.actor(net.deployer);
  await settleNewMembers(admin);
  moderator = await member(net);
  alice = await member(net);
  bob = await member(net);
  ok(await admin.setRole(moderator.principal, { Moderator: null }));
  voters = await Promise.all(Array.from({ length: VOTERS }, () => member(net)));
}, 180_000);

afterAll(async () => {
  await net?.dispose();
});

describe('merging a duplicate with its votes', () => {
  it('moves every vote exactly, keeps votes already on the target, and an unmerge takes them back', async () => {
    const target = await submit(alice, 'Shared security through node shuffling');
    const duplicate = await submit(bob, 'Shuffle nodes between subnets for shared security');
    // Every voter votes on the duplicate (one in four against); the first ten also voted on
    // the target, the other way round.
    await Promise.all(
      voters.map((voter, n) => voter.actor.voteProposal(duplicate, n % 4 === 0 ? DOWN : UP)),
    );
    await Promise.all(
      voters
        .slice(0, 10)
        .map((voter, n) => voter.actor.voteProposal(target, n % 4 === 0 ? UP : DOWN)),
    );
    const before = (await detail(admin, target)).proposal;
    const duplicateBefore = (await detail(admin, duplicate)).proposal;
    expect(duplicateBefore).toMatchObject({ up: 1 + 45, down: 15 });

    // Members and visitors may not merge; nothing changes.
    const unchanged = await snapshot(admin, [target, duplicate]);
    const request = { duplicate, into: target, note: ['Same idea, said twice'] } as const;
    expect(
      err(await alice.actor.mergeProposal({ ...request, note: [...request.note] })),
    ).toHaveProperty('Forbidden');
    // Anonymous calls never reach the method: the canister's message inspection refuses them.
    const anonymous = await net.actor(new AnonymousIdentity());
    await expect(anonymous.mergeProposal({ ...request, note: [...request.note] })).rejects.toThrow(
      /rejected the message/,
    );
    await expect(anonymous.unmergeProposal(duplicate)).rejects.toThrow(/rejected the message/);
    expect(await snapshot(admin, [target, duplicate])).toBe(unchanged);

    const started = ok(
      await moderator.actor.mergeProposal({ ...request, note: [...request.note] }),
    );
    expect(started.state).toEqual({ Merging: null });

    const [merged] = await mergesInto(target, (m) => m[0] !== undefined && 'Merged' in m[0].state);
    // Bob's up-vote as the duplicate's author, and the 50 voters who had not voted on the target.
    expect(merged!.votesMoved).toBe(1 + VOTERS - 10);
    const after = (await detail(admin, target)).proposal;
    const movedUp = 1 + voters.slice(10).filter((_, n) => (n + 10) % 4 !== 0).length;
    const movedDown = VOTERS - 10 - (movedUp - 1);
    expect(after.up).toBe(before.up + movedUp);
    expect(after.down).toBe(before.down + movedDown);
    // Those who had voted on the target keep their own vote there.
    expect((await detail(voters[1]!.actor, target)).myVote).toEqual(DOWN);
    expect((await detail(voters[20]!.actor, target)).myVote).toEqual(DOWN);
    expect((await detail(voters[21]!.actor, target)).myVote).toEqual(UP);
    expect((await detail(bob.actor, target)).myVote).toEqual(UP);
    expect(await voters[21]!.actor.isFollowing({ Proposal: target })).toBe(true);

    const closed = await detail(voters[0]!.actor, duplicate);
    expect(closed.proposal.status).toEqual({ Duplicate: target });
    expect(closed.proposal).toMatchObject({ up: duplicateBefore.up, down: duplicateBefore.down });
    expect(closed.merge[0]).toMatchObject({ into: target, note: ['Same idea, said twice'] });
    expect(err(await voters[0]!.actor.voteProposal(duplicate, UP))).toHaveProperty('Conflict');
    const log = await allActivity(admin);
    expect(log[0]).toMatchObject({
      actor: moderator.principal,
      kind: { ProposalMerged: { proposalId: duplicate, into: target } },
    });

    // Only admins undo a merge.
    expect(err(await moderator.actor.unmergeProposal(duplicate))).toHaveProperty('Forbidden');
    ok(await admin.unmergeProposal(duplicate));
    await mergesInto(target, (m) => m.length === 0);
    const restored = (await detail(admin, target)).proposal;
    expect({ up: restored.up, down: restored.down }).toEqual({ up: before.up, down: before.down });
    expect((await detail(voters[21]!.actor, target)).myVote).toEqual([]);
    expect((await detail(voters[1]!.actor, target)).myVote).toEqual(DOWN);
    const reopened = await detail(admin, duplicate);
    expect(reopened.proposal.status).toEqual({ Open: null });
    expect(reopened.merge).toEqual([]);
    ok(await voters[0]!.actor.voteProposal(duplicate, UP));
  });
});
