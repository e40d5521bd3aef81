/**
 * Proposal votes (tallies move atomically, closed on Declined/Duplicate/Done), quadratic
 * priority votes (n² credits, the budget, release on Deployed) and the per-principal rate
 * limits, lowered with setSettings so the tests stay fast.
 */
import { AnonymousIdentity } from '@dfinity/agent';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Item, ItemInput, Settings } from '../../src/declarations/backend';
import {
  delegated,
  ed25519,
  err,
  member,
  ok,
  p256,
  snapshot,
  settleNewMembers,
  startTestNet,
  type Backend,
  type Member,
  type TestNet,
} from './harness';

let net: TestNet;
let admin: Backend;
let visitor: Backend;
let defaults: Settings;

beforeAll(async () => {
  net = await startTestNet();
  admin = await net.actor(net.deployer);
  visitor = await net.actor(new AnonymousIdentity());
  await settleNewMembers(admin);
  defaults = await visitor.getSettings();
});

afterAll(async () => {
  await net?.dispose();
});

const proposalBy = async (author: Member, title = 'A proposal to vote on') =>
  ok(await author.actor.submitProposal({ title, body: '', tags: [], themeId: [] })).id;

describe('proposal votes', () => {
  it('one vote per member; changing or clearing it moves the tallies atomically', async () => {
    const [author, a, b] = await Promise.all([
      member(net, ed25519()),
      member(net, await p256()),
      member(net, await delegated()),
    ]);
    const id = await proposalBy(author);
    const tallyOf = async () => {
      const [detail] = await visitor.getProposal(id);
      return [detail?.proposal.up, detail?.proposal.down];
    };
    // A proposal starts with its author's up-vote.
    expect(await tallyOf()).toEqual([1, 0]);
    expect(ok(await a.actor.voteProposal(id, [{ Up: null }]))).toMatchObject({ up: 2, down: 0 });
    // The same vote again counts once.
    expect(ok(await a.actor.voteProposal(id, [{ Up: null }]))).toMatchObject({ up: 2, down: 0 });
    expect(ok(await b.actor.voteProposal(id, [{ Down: null }]))).toMatchObject({ up: 2, down: 1 });
    expect(await tallyOf()).toEqual([2, 1]);
    // Up → Down takes one from `up` and gives one to `down` in the same message.
    expect(ok(await a.actor.voteProposal(id, [{ Down: null }]))).toEqual({
      proposalId: id,
      up: 1,
      down: 2,
      myVote: [{ Down: null }],
    });
    expect(await tallyOf()).toEqual([1, 2]);
    expect(ok(await a.actor.voteProposal(id, []))).toMatchObject({ up: 1, down: 1, myVote: [] });
    expect(await tallyOf()).toEqual([1, 1]);
    expect((await a.actor.getProposal(id))[0]?.myVote).toEqual([]);
    expect((await b.actor.getProposal(id))[0]?.myVote).toEqual([{ Down: null }]);
    // The author may withdraw that up-vote, never turn it into a down-vote.
    expect(err(await author.actor.voteProposal(id, [{ Down: null }]))).toHaveProperty('Conflict');
    expect(ok(await author.actor.voteProposal(id, []))).toMatchObject({ up: 0, down: 1 });
  });

  it('concurrent votes from many members are all counted', async () => {
    const author = await member(net, ed25519());
    const id = await proposalBy(author);
    const voters = await Promise.all(Array.from({ length: 8 }, () => member(net, ed25519())));
    await Promise.all(
      voters.map(async (v, i) =>
        ok(await v.actor.voteProposal(id, [i % 4 === 0 ? { Down: null } : { Up: null }])),
      ),
    );
    const [detail] = await visitor.getProposal(id);
    // Six up-votes and the author's own.
    expect([detail?.proposal.up, detail?.proposal.down]).toEqual([7, 2]);
  });

  it.each([
    ['Declined', { Declined: 'Out of scope for the protocol.' }],
    ['Duplicate', 'duplicate'],
    ['Done', { Done: null }],
  ] as const)('voting is closed and the tally frozen once a proposal is %s', async (_n, status) => {
    const [author, a, b] = await Promise.all([
      member(net, ed25519()),
      member(net, ed25519()),
      member(net, ed25519()),
    ]);
    const id = await proposalBy(author);
    const original = await proposalBy(author, 'The original proposal');
    ok(await a.actor.voteProposal(id, [{ Up: null }]));
    // Under review is still open for votes.
    ok(await admin.setProposalStatus(id, { UnderReview: null }, []));
    ok(await b.actor.voteProposal(id, [{ Up: null }]));
    ok(
      await admin.setProposalStatus(id, status === 'duplicate' ? { Duplicate: original } : status, [
        'Thanks for the idea.',
      ]),
    );
    const before = await snapshot(a.actor, [id]);
    expect(err(await a.actor.voteProposal(id, [{ Down: null }]))).toHaveProperty('Conflict');
    expect(err(await a.actor.voteProposal(id, []))).toHaveProperty('Conflict');
    expect(err(await author.actor.voteProposal(id, [{ Up: null }]))).toHaveProperty('Conflict');
    expect(await snapshot(a.actor, [id])).toBe(before);
    const [detail] = await visitor.getProposal(id);
    expect([detail?.proposal.up, detail?.proposal.down]).toEqual([3, 0]);
    // Closed proposals cannot be edited either.
    const edit = { title: 'Edited after closing', body: '', tags: [], themeId: [] as [] };
    expect(err(await author.actor.editProposal(id, edit))).toHaveProperty('Conflict');
  });
});

describe('quadratic priority votes', () => {
  let items: Item[];
  const input = (item: Item, milestoneSlug: string, status: ItemInput['status']): ItemInput => ({
    milestoneSlug,
    slug: item.slug,
    title: item.title,
    description: item.description,
    status,
    links: item.links,
    order: item.order,
  });

  beforeAll(async () => {
    items = (await visitor.getRoadmap()).themes
      .flatMap((t) => t.milestones.flatMap((m) => m.items))
      .filter((i) => !('Deployed' in i.status));
  });

  it('n votes cost n²; the spend never exceeds the budget; lowering gives credits back', async () => {
    const a = await member(net, await p256());
    const [x, y, z] = items;
    expect(ok(await a.actor.setPriorityVotes(x!.id, 5))).toMatchObject({
      spent: 25,
      remaining: 75,
    });
    expect(ok(await a.actor.setPriorityVotes(y!.id, 7))).toMatchObject({
      spent: 74,
      remaining: 26,
    });
    // 6 votes would cost 36 > 26 left.
    const before = await snapshot(a.actor);
    expect(err(await a.actor.setPriorityVotes(z!.id, 6))).toEqual({
      Invalid: { field: 'votes', reason: expect.any(String) as string },
    });
    // Raising y from 7 to 9 would make the spend 74 - 49 + 81 = 106 > 100.
    expect(err(await a.actor.setPriorityVotes(y!.id, 9))).toHaveProperty('Invalid');
    expect(await snapshot(a.actor)).toBe(before);
    const full = ok(await a.actor.setPriorityVotes(z!.id, 5));
    expect(full).toMatchObject({ budget: 100, spent: 99, remaining: 1 });
    expect(full.votes).toHaveLength(3);
    const lowered = ok(await a.actor.setPriorityVotes(y!.id, 0));
    expect(lowered).toMatchObject({ spent: 50, remaining: 50 });
    expect(lowered.votes.map((v) => v.itemId)).not.toContain(y!.id);
    expect((await a.actor.whoami()).creditsLeft).toBe(50);
  });

  it('an item’s priority is the sum of its votes and the number of its supporters', async () => {
    const item = items[3]!;
    const [before] = await visitor.getItem(item.id);
    const a = await member(net, ed25519());
    const b = await member(net, ed25519());
    ok(await a.actor.setPriorityVotes(item.id, 4));
    ok(await b.actor.setPriorityVotes(item.id, 2));
    ok(await a.actor.setPriorityVotes(item.id, 3));
    const [after] = await visitor.getItem(item.id);
    expect(after?.item.priority).toEqual({
      votes: before!.item.priority.votes + 5,
      supporters: before!.item.priority.supporters + 2,
    });
  });

  it('marking an item Deployed releases its credits, keeps its final tally and closes it', async () => {
    const item = items[4]!;
    const [detail] = await visitor.getItem(item.id);
    const milestoneSlug = detail!.milestone.slug;
    const a = await member(net, ed25519());
    const b = await member(net, ed25519());
    ok(await a.actor.setPriorityVotes(item.id, 6));
    ok(await a.actor.setPriorityVotes(items[5]!.id, 2));
    ok(await b.actor.setPriorityVotes(item.id, 3));
    expect((await a.actor.getMyPriorities()).spent).toBe(40);

    ok(await admin.upsertItem(input(item, milestoneSlug, { Deployed: null })));

    const mine = await a.actor.getMyPriorities();
    expect(mine).toMatchObject({ spent: 4, remaining: 96 });
    expect(mine.votes).toEqual([{ itemId: items[5]!.id, votes: 2 }]);
    expect((await b.actor.getMyPriorities()).spent).toBe(0);
    expect((await a.actor.getItem(item.id))[0]?.myVotes).toBe(0);
    const [deployed] = await visitor.getItem(item.id);
    expect(deployed?.item.status).toEqual({ Deployed: null });
    expect(deployed?.item.priority).toEqual({
      votes: detail!.item.priority.votes + 9,
      supporters: detail!.item.priority.supporters + 2,
    });
    expect(err(await a.actor.setPriorityVotes(item.id, 1))).toHaveProperty('Conflict');
  });

  // Fails today: moving an item back out of Deployed keeps the released tally as the item's
  // priority, so it no longer equals the votes members hold on it (Σ votes, supporters), and
  // a member who voted before is counted twice as a supporter when voting again.
  it('an item moved back out of Deployed counts only the votes members hold on it', async () => {
    const item = items[8]!;
    const [detail] = await visitor.getItem(item.id);
    const milestoneSlug = detail!.milestone.slug;
    const a = await member(net, ed25519());
    ok(await a.actor.setPriorityVotes(item.id, 5));
    ok(await admin.upsertItem(input(item, milestoneSlug, { Deployed: null })));
    expect((await a.actor.getMyPriorities()).spent).toBe(0);
    ok(await admin.upsertItem(input(item, milestoneSlug, { InProgress: null })));
    ok(await a.actor.setPriorityVotes(item.id, 2));
    expect((await a.actor.getMyPriorities()).votes).toEqual([{ itemId: item.id, votes: 2 }]);
    expect((await visitor.getItem(item.id))[0]?.item.priority).toEqual({
      votes: detail!.item.priority.votes + 2,
      supporters: detail!.item.priority.supporters + 1,
    });
  });

  it('after an admin lowers the budget below a spend, votes can go down but not up', async () => {
    const a = await member(net, ed25519());
    ok(await a.actor.setPriorityVotes(items[6]!.id, 8));
    ok(await admin.setSettings({ ...defaults, creditBudget: 50 }));
    try {
      expect(await a.actor.getMyPriorities()).toMatchObject({
        budget: 50,
        spent: 64,
        remaining: 0,
      });
      expect(err(await a.actor.setPriorityVotes(items[7]!.id, 1))).toHaveProperty('Invalid');
      expect(ok(await a.actor.setPriorityVotes(items[6]!.id, 7))).toMatchObject({ spent: 49 });
    } finally {
      ok(await admin.setSettings(defaults));
    }
  });
});

describe('rate limits', () => {
  beforeEach(async () => {
    ok(await admin.setSettings(defaults));
  });
  afterAll(async () => {
    ok(await admin.setSettings(defaults));
  });

  const retryAfter = (result: Parameters<typeof err>[0]): number => {
    const e = err(result);
    if (!('RateLimited' in e)) throw new Error(`expected RateLimited, got ${Object.keys(e)[0]}`);
    return e.RateLimited.retryAfterSeconds;
  };

  it('the 6th proposal in a day is RateLimited with a retry time; others are unaffected', async () => {
    const a = await member(net, ed25519());
    for (let i = 1; i <= 5; i++) await proposalBy(a, `Proposal number ${i}`);
    const before = await snapshot(a.actor);
    const retry = retryAfter(
      await a.actor.submitProposal({ title: 'Proposal number 6', body: '', tags: [], themeId: [] }),
    );
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(24 * 3600);
    expect(retry).toBeGreaterThan(23 * 3600);
    expect(await snapshot(a.actor)).toBe(before);
    // The limit is per principal.
    await proposalBy(await member(net, ed25519()), 'Someone else');
  });

  it('admins are exempt', async () => {
    for (let i = 1; i <= 7; i++) {
      ok(await admin.submitProposal({ title: `Admin note ${i}`, body: '', tags: [], themeId: [] }));
    }
  });

  it('comments per hour (posts and edits) follow the admin setting', async () => {
    ok(await admin.setSettings({ ...defaults, commentsPerHour: 3 }));
    const a = await member(net, ed25519());
    const target = { Proposal: await proposalBy(await member(net, ed25519())) };
    const first = ok(await a.actor.postComment({ target, parentId: [], body: 'One' }));
    ok(await a.actor.postComment({ target, parentId: [], body: 'Two' }));
    ok(await a.actor.editComment(first.id, 'One, edited'));
    const retry = retryAfter(await a.actor.postComment({ target, parentId: [], body: 'Four' }));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(3600);
    expect(retryAfter(await a.actor.editComment(first.id, 'Again'))).toBeGreaterThan(0);
    expect((await visitor.getThread(target, [], 10)).comments).toHaveLength(2);
    // Raising the limit takes effect at once.
    ok(await admin.setSettings({ ...defaults, commentsPerHour: 4 }));
    ok(await a.actor.postComment({ target, parentId: [], body: 'Four' }));
  });

  it('votes per hour count proposal and priority votes together', async () => {
    ok(await admin.setSettings({ ...defaults, votesPerHour: 3 }));
    const a = await member(net, ed25519());
    const id = await proposalBy(await member(net, ed25519()));
    const item = (await visitor.getRoadmap()).themes
      .flatMap((t) => t.milestones.flatMap((m) => m.items))
      .find((i) => !('Deployed' in i.status))!;
    ok(await a.actor.voteProposal(id, [{ Up: null }]));
    ok(await a.actor.voteProposal(id, [{ Down: null }]));
    ok(await a.actor.setPriorityVotes(item.id, 1));
    const before = await snapshot(a.actor, [id]);
    expect(retryAfter(await a.actor.voteProposal(id, []))).toBeGreaterThan(0);
    expect(retryAfter(await a.actor.setPriorityVotes(item.id, 2))).toBeGreaterThan(0);
    expect(await snapshot(a.actor, [id])).toBe(before);
  });

  it('profile edits per hour', async () => {
    ok(await admin.setSettings({ ...defaults, profileEditsPerHour: 2 }));
    const a = await member(net, ed25519());
    const name = `limited-${Date.now() % 100000}`;
    ok(await a.actor.setProfile({ displayName: name, bio: '1' }));
    ok(await a.actor.setProfile({ displayName: name, bio: '2' }));
    expect(retryAfter(await a.actor.setProfile({ displayName: name, bio: '3' }))).toBeGreaterThan(
      0,
    );
    expect((await visitor.getProfile(a.principal))[0]?.bio).toBe('2');
  });
});
