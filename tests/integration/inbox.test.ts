/**
 * Follows and the inbox through the compiled canister: events reach followers by follow-up
 * timer messages within seconds, each notice arrives once, nobody hears of their own actions,
 * and reading marks notices read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Notification } from '../../src/declarations/backend';
import { member, ok, startTestNet, type Backend, type Member, type TestNet } from './harness';

let net: TestNet;
let admin: Backend;
let alice: Member;
let bob: Member;
let carol: Member;
let proposalId: bigint;

const kind = (n: Notification): string => Object.keys(n.kind)[0]!;

/** The member's notices once `count` have arrived (fan-out runs in the next rounds). */
async function notices(who: Member, count: number): Promise<Notification[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const page = await who.actor.getNotifications([], 50);
    if (page.notifications.length >= count) return page.notifications;
    if (Date.now() > deadline) {
      throw new Error(`only ${page.notifications.length} of ${count} notices arrived in 15 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  net = await startTestNet();
  admin = await net.actor(net.deployer);
  alice = await member(net);
  bob = await member(net);
  carol = await member(net);
  ok(await alice.actor.setProfile({ displayName: 'Alice Ng', bio: '' }));
  ok(await bob.actor.setProfile({ displayName: 'Bobby', bio: '' }));
  ok(await carol.actor.setProfile({ displayName: 'Carol', bio: '' }));
  proposalId = ok(
    await alice.actor.submitProposal({
      title: 'Shared security through node shuffling',
      body: '',
      tags: [],
      themeId: [],
    }),
  ).id;
}, 180_000);

afterAll(async () => {
  await net?.dispose();
});

describe('the inbox', () => {
  it('tells the followers of a proposal about a comment, a reply and a mention, each once', async () => {
    ok(await bob.actor.voteProposal(proposalId, [{ Up: null }]));
    expect(await bob.actor.isFollowing({ Proposal: proposalId })).toBe(true);
    const first = ok(
      await bob.actor.postComment({ target: { Proposal: proposalId }, parentId: [], body: 'Yes' }),
    );
    expect((await notices(alice, 1)).map(kind)).toEqual(['NewComment']);
    ok(
      await carol.actor.postComment({
        target: { Proposal: proposalId },
        parentId: [first.id],
        body: 'Seconded; @Alice_Ng, what about state sync?',
      }),
    );
    expect((await notices(alice, 2)).map(kind)).toEqual(['Mention', 'NewComment']);
    expect((await notices(bob, 1)).map(kind)).toEqual(['Reply']);
    expect((await carol.actor.getNotifications([], 50)).notifications).toEqual([]);
  });

  it('tells followers of a status change, and counts and clears what is unread', async () => {
    ok(await admin.setProposalStatus(proposalId, { UnderReview: null }, ['We are on it.']));
    const [latest] = await notices(alice, 3);
    expect(latest?.kind).toEqual({
      StatusChanged: { proposalId, status: { UnderReview: null }, response: true },
    });
    expect(await alice.actor.getUnreadCount()).toBe(3);
    ok(await alice.actor.markNotificationsRead([]));
    expect(await alice.actor.getUnreadCount()).toBe(0);
    expect((await alice.actor.getNotifications([], 1)).notifications[0]?.read).toBe(true);
  });

  it('stops telling a member who unfollowed', async () => {
    const before = (await bob.actor.getNotifications([], 50)).notifications.map(kind);
    expect(before).toEqual(['StatusChanged', 'Reply']);
    ok(await bob.actor.unfollow({ Proposal: proposalId }));
    ok(await admin.setProposalStatus(proposalId, { Open: null }, []));
    await notices(alice, 4); // the fan-out has run
    expect((await bob.actor.getNotifications([], 50)).notifications.map(kind)).toEqual(before);
  });
});
