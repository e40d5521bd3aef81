/**
 * Who may do what: anonymous callers read but never write (inspect_message rejects their
 * updates before they run, so the agent throws), members cannot call admin methods,
 * only authors edit, authors and moderators delete, admins grant roles.
 */
import { AnonymousIdentity } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Comment,
  Error as BackendError,
  Item,
  Proposal,
} from '../../src/declarations/backend';
import {
  delegated,
  ed25519,
  err,
  member,
  ok,
  p256,
  snapshot,
  startTestNet,
  uniqueName,
  type Backend,
  type Member,
  type TestNet,
} from './harness';

let net: TestNet;
let admin: Backend;
let anonymous: Backend;
let alice: Member;
let bob: Member;
let moderator: Member;
let proposal: Proposal;
let comment: Comment;
let item: Item;

beforeAll(async () => {
  net = await startTestNet();
  admin = await net.actor(net.deployer);
  anonymous = await net.actor(new AnonymousIdentity());
  alice = await member(net, ed25519());
  bob = await member(net, await p256());
  moderator = await member(net, await delegated());
  ok(await alice.actor.setProfile({ displayName: uniqueName('alice'), bio: '' }));
  ok(await admin.setRole(moderator.principal, { Moderator: null }));
  proposal = ok(
    await alice.actor.submitProposal({
      title: 'Alice’s proposal',
      body: 'Body',
      tags: [],
      themeId: [],
    }),
  );
  comment = ok(
    await alice.actor.postComment({
      target: { Proposal: proposal.id },
      parentId: [],
      body: 'Alice’s comment',
    }),
  );
  const roadmap = await anonymous.getRoadmap();
  item = roadmap.themes
    .flatMap((t) => t.milestones.flatMap((m) => m.items))
    .find((i) => !('Deployed' in i.status))!;
});

afterAll(async () => {
  await net?.dispose();
});

describe('the anonymous principal', () => {
  const calls: [string, (actor: Backend) => Promise<unknown>][] = [
    ['setProfile', (a) => a.setProfile({ displayName: 'Nobody', bio: '' })],
    [
      'submitProposal',
      (a) => a.submitProposal({ title: 'Anonymous idea', body: '', tags: [], themeId: [] }),
    ],
    [
      'editProposal',
      (a) => a.editProposal(proposal.id, { title: 'Hijacked', body: '', tags: [], themeId: [] }),
    ],
    ['voteProposal', (a) => a.voteProposal(proposal.id, [{ Up: null }])],
    [
      'postComment',
      (a) => a.postComment({ target: { Proposal: proposal.id }, parentId: [], body: 'Hi' }),
    ],
    ['editComment', (a) => a.editComment(comment.id, 'Hijacked')],
    ['deleteComment', (a) => a.deleteComment(comment.id)],
    ['setPriorityVotes', (a) => a.setPriorityVotes(item.id, 1)],
    ['importRoadmap', (a) => a.importRoadmap({ themes: [] })],
    ['upsertTheme', (a) => a.upsertTheme({ slug: 'anon', title: 'Anon', summary: '', order: 0 })],
    [
      'upsertMilestone',
      (a) =>
        a.upsertMilestone({
          themeSlug: 'privacy',
          slug: 'anon',
          name: 'Anon',
          summary: '',
          status: { Future: null },
          eta: [],
          order: 0,
        }),
    ],
    [
      'upsertItem',
      (a) =>
        a.upsertItem({
          milestoneSlug: 'vetkeys',
          slug: 'anon',
          title: 'Anon',
          description: '',
          status: { Future: null },
          links: [],
          order: 0,
        }),
    ],
    ['setProposalStatus', (a) => a.setProposalStatus(proposal.id, { Done: null }, [])],
    ['setRole', (a) => a.setRole(Principal.anonymous(), { Admin: null })],
    [
      'setSettings',
      (a) =>
        a.setSettings({
          creditBudget: 1,
          proposalsPerDay: 1,
          commentsPerHour: 1,
          votesPerHour: 1,
          profileEditsPerHour: 1,
        }),
    ],
  ];

  it('cannot call any update method: inspect_message rejects it, the agent throws, nothing changes', async () => {
    const before = await snapshot(admin, [proposal.id]);
    for (const [method, call] of calls) {
      await expect(call(anonymous), method).rejects.toThrow(/rejected the message/);
    }
    expect(await snapshot(admin, [proposal.id])).toBe(before);
  });

  it('can read everything', async () => {
    expect((await anonymous.getProposal(proposal.id))[0]?.proposal.title).toBe('Alice’s proposal');
    const thread = await anonymous.getThread({ Proposal: proposal.id }, [], 10);
    expect(thread.comments.map((c) => c.comment.id)).toEqual([comment.id]);
    expect((await anonymous.getProfile(alice.principal)).length).toBe(1);
    expect(await anonymous.getMyPriorities()).toMatchObject({ spent: 0, votes: [] });
  });
});

describe('admin methods', () => {
  const adminCalls: [
    string,
    (actor: Backend) => Promise<{ Ok: unknown } | { Err: BackendError }>,
  ][] = [
    ['importRoadmap', (a) => a.importRoadmap({ themes: [] })],
    [
      'upsertTheme',
      (a) => a.upsertTheme({ slug: 'member-theme', title: 'Mine', summary: '', order: 0 }),
    ],
    [
      'upsertMilestone',
      (a) =>
        a.upsertMilestone({
          themeSlug: 'privacy',
          slug: 'member-milestone',
          name: 'Mine',
          summary: '',
          status: { Future: null },
          eta: [],
          order: 0,
        }),
    ],
    [
      'upsertItem',
      (a) =>
        a.upsertItem({
          milestoneSlug: 'vetkeys',
          slug: 'member-item',
          title: 'Mine',
          description: '',
          status: { Deployed: null },
          links: [],
          order: 0,
        }),
    ],
    ['setProposalStatus', (a) => a.setProposalStatus(proposal.id, { Declined: 'No' }, ['Because'])],
    ['setRole', (a) => a.setRole(bob.principal, { Admin: null })],
    [
      'setSettings',
      (a) =>
        a.setSettings({
          creditBudget: 1_000_000,
          proposalsPerDay: 10_000,
          commentsPerHour: 10_000,
          votesPerHour: 100_000,
          profileEditsPerHour: 10_000,
        }),
    ],
  ];

  it('are Forbidden to members and moderators, and change nothing', async () => {
    const before = await snapshot(admin, [proposal.id]);
    for (const [method, call] of adminCalls) {
      expect(err(await call(bob.actor)), method).toHaveProperty('Forbidden');
      expect(err(await call(moderator.actor)), method).toHaveProperty('Forbidden');
    }
    expect(await snapshot(admin, [proposal.id])).toBe(before);
  });

  it('the deployer is an admin because it controls the canister, without any grant', async () => {
    expect((await admin.whoami()).role).toEqual({ Admin: null });
    const roles = await anonymous.listRoles();
    expect(roles.map((r) => r.principal.toText())).not.toContain(
      net.deployer.getPrincipal().toText(),
    );
  });
});

describe('authorship', () => {
  it('only the author edits a proposal, even an admin cannot', async () => {
    const input = { title: 'Taken over', body: '', tags: [], themeId: [] as [] };
    expect(err(await bob.actor.editProposal(proposal.id, input))).toHaveProperty('Forbidden');
    expect(err(await admin.editProposal(proposal.id, input))).toHaveProperty('Forbidden');
    expect((await anonymous.getProposal(proposal.id))[0]?.proposal.title).toBe('Alice’s proposal');
  });

  it('only the author edits a comment, even a moderator cannot', async () => {
    expect(err(await bob.actor.editComment(comment.id, 'Bob was here'))).toHaveProperty(
      'Forbidden',
    );
    expect(err(await moderator.actor.editComment(comment.id, 'Mod was here'))).toHaveProperty(
      'Forbidden',
    );
    expect((await anonymous.getComment(comment.id))[0]?.body).toBe('Alice’s comment');
  });
});

describe('deleting comments', () => {
  const post = (body: string) =>
    alice.actor.postComment({ target: { Proposal: proposal.id }, parentId: [], body });

  it('a member cannot delete someone else’s comment', async () => {
    const target = ok(await post('Keep me'));
    expect(err(await bob.actor.deleteComment(target.id))).toHaveProperty('Forbidden');
    expect((await anonymous.getComment(target.id))[0]?.deleted).toEqual([]);
  });

  it('a moderator deletes any comment; the tombstone names them and the log records it', async () => {
    const target = ok(await post('Off topic'));
    ok(await moderator.actor.deleteComment(target.id));
    const [tombstone] = await anonymous.getComment(target.id);
    expect(tombstone?.body).toBe('');
    expect(tombstone?.deleted[0]?.by.toText()).toBe(moderator.principal.toText());
    const [latest] = (await anonymous.getActivity([], 1)).entries;
    expect(latest?.kind).toEqual({ CommentRemoved: { commentId: target.id } });
    expect(latest?.actor.toText()).toBe(moderator.principal.toText());
  });

  it('an admin deletes any comment', async () => {
    const target = ok(await post('Spam'));
    ok(await admin.deleteComment(target.id));
    expect((await anonymous.getComment(target.id))[0]?.deleted[0]?.by.toText()).toBe(
      net.deployer.getPrincipal().toText(),
    );
  });

  it('deleting twice is a Conflict', async () => {
    const target = ok(await post('Twice'));
    ok(await alice.actor.deleteComment(target.id));
    expect(err(await alice.actor.deleteComment(target.id))).toHaveProperty('Conflict');
  });
});

describe('granting roles with setRole', () => {
  it('an admin makes a member an admin, who can then maintain the roadmap, and revokes it', async () => {
    const carol = await member(net, ed25519());
    const theme = { slug: 'carol-theme', title: 'Carol’s theme', summary: '', order: 20 };
    expect(err(await carol.actor.upsertTheme(theme))).toHaveProperty('Forbidden');

    ok(await admin.setRole(carol.principal, { Admin: null }));
    expect((await carol.actor.whoami()).role).toEqual({ Admin: null });
    ok(await carol.actor.upsertTheme(theme));
    // A granted admin grants roles too.
    ok(await carol.actor.setRole(bob.principal, { Moderator: null }));
    expect((await bob.actor.whoami()).role).toEqual({ Moderator: null });
    ok(await carol.actor.setRole(bob.principal, { Member: null }));

    ok(await admin.setRole(carol.principal, { Member: null }));
    expect((await carol.actor.whoami()).role).toEqual({ Member: null });
    expect(err(await carol.actor.upsertTheme(theme))).toHaveProperty('Forbidden');
    const roles = await anonymous.listRoles();
    expect(roles.map((r) => r.principal.toText())).not.toContain(carol.principal.toText());

    const changes = (await anonymous.getActivity([], 10)).entries.filter(
      (e) => 'RoleChanged' in e.kind,
    );
    expect(changes[0]?.kind).toEqual({
      RoleChanged: { principal: carol.principal, role: { Member: null } },
    });
  });

  it('an admin cannot revoke their own admin role (Conflict), another admin can', async () => {
    const dave = await member(net, await p256());
    ok(await admin.setRole(dave.principal, { Admin: null }));
    expect(err(await dave.actor.setRole(dave.principal, { Member: null }))).toHaveProperty(
      'Conflict',
    );
    expect((await dave.actor.whoami()).role).toEqual({ Admin: null });
    ok(await admin.setRole(dave.principal, { Member: null }));
    expect((await dave.actor.whoami()).role).toEqual({ Member: null });
  });

  it('the anonymous principal cannot be given a role', async () => {
    const e = err(await admin.setRole(Principal.anonymous(), { Moderator: null }));
    expect(e).toEqual({ Invalid: { field: 'principal', reason: expect.any(String) as string } });
  });
});
