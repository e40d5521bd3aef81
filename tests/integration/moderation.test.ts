/**
 * Moderation through the compiled canister: report → automatic hide → a moderator's restore or
 * hide → suspension → refused writes → lifted, who may call each moderation method, and the
 * text rules (NFC, invisible characters, lookalike display names) as the canister's own
 * JavaScript engine runs them.
 */
import { AnonymousIdentity } from '@dfinity/agent';
import type { Principal } from '@dfinity/principal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ActivityEntry,
  Error as BackendError,
  ModerationRequest,
  ModerationSettings,
  Proposal,
  ReportInput,
  ReportTarget,
} from '../../src/declarations/backend';
import {
  allActivity,
  ed25519,
  err,
  member,
  ok,
  settleNewMembers,
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
let moderator: Member;
let alice: Member;
let bob: Member;
let carol: Member;
let reporters: Member[];
let defaults: ModerationSettings;

const spam = (target: ReportTarget, note?: string): ReportInput => ({
  target,
  reason: { Spam: null },
  note: note === undefined ? [] : [note],
});

const request = (action: ModerationRequest['action'], reason = ''): ModerationRequest => ({
  action,
  reason,
});

async function listedIds(actor: Backend, author: Principal | undefined = undefined) {
  const page = await actor.listProposals({
    needsResponse: [],
    sort: { New: null },
    status: [],
    themeId: [],
    tag: [],
    author: author === undefined ? [] : [author],
    cursor: [],
    limit: 50,
  });
  return page.proposals.map((p) => p.id);
}

async function joined(): Promise<Member> {
  const m = await member(net, ed25519());
  ok(await m.actor.setProfile({ displayName: uniqueName('member'), bio: '' }));
  return m;
}

beforeAll(async () => {
  net = await startTestNet();
  admin = await net.actor(net.deployer);
  anonymous = await net.actor(new AnonymousIdentity());
  defaults = await anonymous.getModerationSettings();
  // The clock cannot be moved here: nobody is new, so every member with a profile is in good
  // standing (the new-member limits have their own test below, with the defaults).
  await settleNewMembers(admin);
  moderator = await joined();
  ok(await admin.setRole(moderator.principal, { Moderator: null }));
  const people = await Promise.all(Array.from({ length: 6 }, () => joined()));
  [alice, bob, carol] = people as [Member, Member, Member];
  reporters = people.slice(3);
});

afterAll(async () => {
  await net?.dispose();
});

describe('a report’s way through moderation', () => {
  let proposal: Proposal;
  let commentId: bigint;
  let replyId: bigint;

  it('starts a proposal with its author’s up-vote, which cannot become a down-vote', async () => {
    proposal = ok(
      await alice.actor.submitProposal({
        title: 'Free tokens for everyone',
        body: 'Visit my site.',
        tags: ['tokens'],
        themeId: [],
      }),
    );
    expect(proposal.up).toBe(1);
    expect((await alice.actor.getProposal(proposal.id))[0]?.myVote).toEqual([{ Up: null }]);
    expect(err(await alice.actor.voteProposal(proposal.id, [{ Down: null }]))).toHaveProperty(
      'Conflict',
    );
    const comment = ok(
      await bob.actor.postComment({
        target: { Proposal: proposal.id },
        parentId: [],
        body: 'You are all idiots',
      }),
    );
    commentId = comment.id;
    replyId = ok(
      await carol.actor.postComment({
        target: { Proposal: proposal.id },
        parentId: [commentId],
        body: 'Please keep it civil',
      }),
    ).id;
  });

  it('hides the proposal once three members in good standing report it', async () => {
    ok(await reporters[0]!.actor.report(spam({ Proposal: proposal.id }, 'token scam')));
    expect(err(await reporters[0]!.actor.report(spam({ Proposal: proposal.id })))).toHaveProperty(
      'Conflict',
    );
    ok(await reporters[1]!.actor.report(spam({ Proposal: proposal.id })));
    expect(await listedIds(anonymous)).toContain(proposal.id);
    ok(await reporters[2]!.actor.report(spam({ Proposal: proposal.id })));

    expect(await listedIds(anonymous)).not.toContain(proposal.id);
    expect(await listedIds(anonymous, alice.principal)).toEqual([proposal.id]);
    const seen = (await anonymous.getProposal(proposal.id))[0]!;
    expect(seen.proposal.title).toBe('');
    expect(seen.hidden[0]?.reason).toMatch(/reported by 3 members/);
    expect(seen.hidden[0]?.by).toEqual([]);
    expect((await alice.actor.getProposal(proposal.id))[0]?.proposal.title).toBe(
      'Free tokens for everyone',
    );
    expect(err(await bob.actor.voteProposal(proposal.id, [{ Up: null }]))).toHaveProperty(
      'Conflict',
    );
    const [entry] = (await anonymous.getActivity([], 1)).entries;
    expect(entry?.actor.isAnonymous()).toBe(true);
    expect(entry?.kind).toEqual({
      ContentAutoHidden: { target: { Proposal: proposal.id }, reports: 3 },
    });
  });

  it('puts it first in the moderators’ queue, with the content inline', async () => {
    const page = ok(await moderator.actor.listReports([], 20));
    expect(page.groups[0]).toMatchObject({
      target: { Proposal: proposal.id },
      count: 3,
      content: { Proposal: { id: proposal.id, title: 'Free tokens for everyone' } },
    });
    expect(page.groups[0]?.hidden).toHaveLength(1);
    expect(page.groups[0]?.reports.map((r) => r.note)).toContainEqual(['token scam']);
  });

  it('brings it back when a moderator restores it', async () => {
    ok(await moderator.actor.moderate(request({ Restore: { Proposal: proposal.id } }, 'on topic')));
    expect(await listedIds(anonymous)).toContain(proposal.id);
    expect((await anonymous.getProposal(proposal.id))[0]?.hidden).toEqual([]);
    expect(ok(await moderator.actor.listReports([], 20)).groups).toEqual([]);
    ok(await bob.actor.voteProposal(proposal.id, [{ Up: null }]));
  });

  it('hides a comment with a public reason, keeping its replies readable', async () => {
    ok(
      await reporters[0]!.actor.report({
        ...spam({ Comment: commentId }),
        reason: { Abuse: null },
      }),
    );
    ok(
      await moderator.actor.moderate(request({ Hide: { Comment: commentId } }, 'personal attack')),
    );
    const thread = await anonymous.getThread({ Proposal: proposal.id }, [], 10);
    expect(
      thread.comments.map((c) => [c.comment.id, c.depth, c.comment.body, c.comment.hidden.length]),
    ).toEqual([
      [commentId, 0, '', 1],
      [replyId, 1, 'Please keep it civil', 0],
    ]);
    expect(thread.comments[0]?.comment.hidden[0]?.reason).toBe('personal attack');
    expect((await bob.actor.getComment(commentId))[0]?.body).toBe('You are all idiots');
  });

  it('suspends a member: every write is refused with the end and the reason, reads go on', async () => {
    ok(
      await moderator.actor.moderate(
        request({ Suspend: { member: bob.principal, days: [2] } }, 'repeated abuse'),
      ),
    );
    const refusals: Array<{ Ok: unknown } | { Err: BackendError }> = [
      await bob.actor.postComment({ target: { Proposal: proposal.id }, parentId: [], body: 'hi' }),
      await bob.actor.voteProposal(proposal.id, []),
      await bob.actor.setProfile({ displayName: uniqueName('bob'), bio: '' }),
      await bob.actor.submitProposal({ title: 'Another idea', body: '', tags: [], themeId: [] }),
      await bob.actor.report(spam({ Proposal: proposal.id })),
    ];
    for (const result of refusals) {
      const error = err(result);
      expect(error).toHaveProperty('Forbidden');
      expect((error as { Forbidden: string }).Forbidden).toMatch(
        /^suspended until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: repeated abuse$/,
      );
    }
    expect((await bob.actor.getProposal(proposal.id)).length).toBe(1);
    expect((await bob.actor.whoami()).suspension[0]?.reason).toBe('repeated abuse');
  });

  it('lets the member write again once the suspension is lifted', async () => {
    ok(await moderator.actor.moderate(request({ Unsuspend: bob.principal }, 'apologised')));
    expect((await bob.actor.whoami()).suspension).toEqual([]);
    ok(await bob.actor.voteProposal(proposal.id, []));
  });

  it('logged every decision with who, what, which target and why', async () => {
    const log = (await allActivity(anonymous))
      .filter((e: ActivityEntry) => e.actor.toText() === moderator.principal.toText())
      .map((e) => e.kind);
    expect(log).toEqual([
      { SuspensionLifted: { member: bob.principal, reason: 'apologised' } },
      {
        MemberSuspended: {
          member: bob.principal,
          until: [expect.any(BigInt)],
          reason: 'repeated abuse',
        },
      },
      { ContentHidden: { target: { Comment: commentId }, reason: 'personal attack' } },
      { ContentRestored: { target: { Proposal: proposal.id }, reason: 'on topic' } },
    ]);
  });
});

describe('who may moderate', () => {
  it('refuses members and anonymous callers every moderation method, changing nothing', async () => {
    const target = ok(
      await carol.actor.submitProposal({ title: 'Carol’s idea', body: '', tags: [], themeId: [] }),
    );
    ok(await reporters[0]!.actor.report(spam({ Proposal: target.id })));
    const before = await snapshot(admin, [target.id]);
    const queueBefore = ok(await moderator.actor.listReports([], 50));
    const actions: ModerationRequest[] = [
      request({ Hide: { Proposal: target.id } }, 'spam'),
      request({ Restore: { Proposal: target.id } }),
      request({ Dismiss: { Proposal: target.id } }),
      request({ Suspend: { member: carol.principal, days: [] } }, 'spam'),
      request({ Unsuspend: carol.principal }),
    ];
    for (const action of actions) {
      expect(err(await alice.actor.moderate(action))).toEqual({ Forbidden: 'moderators only' });
      await expect(anonymous.moderate(action)).rejects.toThrow(/rejected the message/);
    }
    expect(err(await alice.actor.listReports([], 20))).toEqual({ Forbidden: 'moderators only' });
    expect(err(await anonymous.listReports([], 20))).toEqual({ NotAuthenticated: null });
    expect(err(await moderator.actor.setModerationSettings(defaults))).toEqual({
      Forbidden: 'admins only',
    });
    await expect(anonymous.setModerationSettings(defaults)).rejects.toThrow(/rejected the message/);
    await expect(anonymous.report(spam({ Proposal: target.id }))).rejects.toThrow(
      /rejected the message/,
    );
    expect(await snapshot(admin, [target.id])).toBe(before);
    expect(ok(await moderator.actor.listReports([], 50))).toEqual(queueBefore);
    // An admin moderates too.
    ok(await admin.moderate(request({ Dismiss: { Proposal: target.id } }, 'fine')));
  });
});

describe('text that cannot deceive', () => {
  it('refuses invisible-only and direction-changing text, and stores NFC', async () => {
    const invalid = async (result: Promise<{ Ok: unknown } | { Err: unknown }>, field: string) =>
      expect(err((await result) as never)).toMatchObject({ Invalid: { field } });
    await invalid(
      carol.actor.submitProposal({
        title: '\u200b\u200b\u200b\u200b',
        body: '',
        tags: [],
        themeId: [],
      }),
      'title',
    );
    await invalid(
      carol.actor.submitProposal({ title: 'Evil \u202eelttit', body: '', tags: [], themeId: [] }),
      'title',
    );
    const target = { Proposal: (await listedIds(anonymous))[0]! };
    await invalid(
      carol.actor.postComment({ target, parentId: [], body: '\u200b\u2060\u200d' }),
      'body',
    );
    const stored = ok(
      await carol.actor.submitProposal({
        title: 'Cafe\u0301 ideas',
        body: 'Line \u202eone\nline two',
        tags: [],
        themeId: [],
      }),
    );
    expect(stored.title).toBe('Café ideas');
    expect(stored.body).toBe('Line \u202eone\u202c\nline two');
    expect((await anonymous.getProposal(stored.id))[0]?.proposal.title).toBe('Café ideas');
  });

  it('keeps display names unique by how they look', async () => {
    const [first, second] = [await member(net), await member(net)];
    const name = `Alice ${uniqueName('ng').slice(-4)}`;
    ok(await first.actor.setProfile({ displayName: name, bio: '' }));
    expect(
      err(await second.actor.setProfile({ displayName: `${name}\u200b`, bio: '' })),
    ).toMatchObject({ Invalid: { field: 'displayName' } });
    for (const lookalike of [
      name.replace('A', '\u0410'),
      name.toUpperCase(),
      name.replace('l', 'I'),
    ]) {
      expect(err(await second.actor.setProfile({ displayName: lookalike, bio: '' }))).toEqual({
        Conflict: 'that display name is taken',
      });
    }
  });
});

describe('new members', () => {
  it('get one proposal a day by default for their first 24 hours', async () => {
    ok(await admin.setModerationSettings(defaults));
    const newcomer = await joined();
    ok(
      await newcomer.actor.submitProposal({
        title: 'My first idea',
        body: '',
        tags: [],
        themeId: [],
      }),
    );
    expect(
      err(
        await newcomer.actor.submitProposal({
          title: 'My next idea',
          body: '',
          tags: [],
          themeId: [],
        }),
      ),
    ).toHaveProperty('RateLimited');
    await settleNewMembers(admin);
  });
});
