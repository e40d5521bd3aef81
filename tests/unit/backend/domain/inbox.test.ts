import { describe, expect, it } from 'vitest';

import { Commons } from '../../../../src/backend/domain/commons';
import {
  COALESCE_FOLLOWERS,
  INBOX_SIZE,
  mentionedNames,
} from '../../../../src/backend/domain/inbox';
import { principalIdFromBytes } from '../../../../src/backend/domain/model';
import type { PrincipalId } from '../../../../src/backend/domain/model';
import {
  ADMIN,
  ALICE,
  BOB,
  CAROL,
  MOD,
  proposalInput,
  seedRoadmap,
  setup,
  unwrap,
  type Setup,
} from '../support';

/** Runs the follow-up messages' fan-outs to the end, as the canister's timer would. */
function deliver(commons: Commons): void {
  commons.runFanouts(() => false);
}

function kinds(app: Setup, member: PrincipalId): string[] {
  const page = app.commons.getNotifications(app.as(member), [], 50);
  return page.notifications.map((n) => Object.keys(n.kind)[0]!);
}

function board() {
  const app = setup();
  unwrap(app.commons.setRole(app.as(ADMIN), MOD, { Moderator: null }));
  for (const [member, name] of [
    [ALICE, 'Alice Ng'],
    [BOB, 'Bob'],
    [CAROL, 'Carol'],
  ] as const) {
    unwrap(app.commons.setProfile(app.as(member), { displayName: name, bio: '' }));
  }
  const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
  return { app, id };
}

describe('follows', () => {
  it('follows what a member writes on or votes for, unless they unfollowed it', () => {
    const { app, id } = board();
    const target = { Proposal: id };
    expect(app.commons.isFollowing(app.as(ALICE), target)).toBe(true);
    expect(app.commons.isFollowing(app.as(BOB), target)).toBe(false);
    unwrap(app.commons.voteProposal(app.as(BOB), id, [{ Up: null }]));
    expect(app.commons.isFollowing(app.as(BOB), target)).toBe(true);
    unwrap(app.commons.unfollow(app.as(BOB), target));
    unwrap(app.commons.voteProposal(app.as(BOB), id, []));
    unwrap(app.commons.voteProposal(app.as(BOB), id, [{ Up: null }]));
    expect(app.commons.isFollowing(app.as(BOB), target)).toBe(false);
    unwrap(app.commons.follow(app.as(BOB), target));
    expect(app.commons.isFollowing(app.as(BOB), target)).toBe(true);
    expect(app.commons.follow(app.anonymous(), target)).toEqual({
      Err: { NotAuthenticated: null },
    });
    expect(app.commons.follow(app.as(BOB), { Proposal: 999n })).toHaveProperty('Err.NotFound');
  });
});

describe('the inbox', () => {
  it('tells followers of a new comment once, the parent’s author of a reply, the mentioned of a mention, never the writer', () => {
    const { app, id } = board();
    unwrap(app.commons.voteProposal(app.as(BOB), id, [{ Up: null }])); // Bob follows
    const first = unwrap(
      app.commons.postComment(app.as(BOB), {
        target: { Proposal: id },
        parentId: [],
        body: 'Nice',
      }),
    );
    deliver(app.commons);
    expect(kinds(app, ALICE)).toEqual(['NewComment']);
    expect(kinds(app, BOB)).toEqual([]);
    unwrap(
      app.commons.postComment(app.as(CAROL), {
        target: { Proposal: id },
        parentId: [first.id],
        body: 'Agreed, and @Alice_Ng should see this.',
      }),
    );
    deliver(app.commons);
    // Bob: a reply (not also a new comment); Alice: a mention (not also a new comment).
    expect(kinds(app, BOB)).toEqual(['Reply']);
    expect(kinds(app, ALICE)).toEqual(['Mention', 'NewComment']);
    expect(kinds(app, CAROL)).toEqual([]);
    expect(app.commons.getUnreadCount(app.as(ALICE))).toBe(2);
  });

  it('tells followers of a status change and whether it came with a response, not the admin', () => {
    const { app, id } = board();
    unwrap(
      app.commons.setProposalStatus(app.as(ADMIN), id, { UnderReview: null }, ['Looking at it']),
    );
    deliver(app.commons);
    const [notice] = app.commons.getNotifications(app.as(ALICE), [], 10).notifications;
    expect(notice?.kind).toEqual({
      StatusChanged: { proposalId: id, status: { UnderReview: null }, response: true },
    });
    expect(kinds(app, ADMIN)).toEqual([]);
  });

  it('tells the supporters of an item when it is deployed, and an author when moderators hide their content', () => {
    const { app, id } = board();
    const items = seedRoadmap(app);
    const itemId = [...items.values()].at(-1)!;
    unwrap(app.commons.setPriorityVotes(app.as(BOB), itemId, 2));
    const item = app.commons.getItem(app.anonymous(), itemId)[0]!;
    unwrap(
      app.commons.upsertItem(app.as(ADMIN), {
        ...item.item,
        milestoneSlug: item.milestone.slug,
        status: { Deployed: null },
      }),
    );
    unwrap(
      app.commons.moderate(app.as(MOD), { action: { Hide: { Proposal: id } }, reason: 'spam' }),
    );
    deliver(app.commons);
    expect(kinds(app, BOB)).toEqual(['ItemDeployed']);
    expect(kinds(app, ALICE)).toEqual(['ContentHidden']);
  });

  it('counts unread notices, marks them read, and keeps the latest ones', () => {
    const { app, id } = board();
    unwrap(app.commons.setRole(app.as(ADMIN), BOB, { Admin: null })); // no rate limit
    for (let i = 0; i < INBOX_SIZE + 5; i++) {
      unwrap(
        app.commons.postComment(app.as(BOB), {
          target: { Proposal: id },
          parentId: [],
          body: `Comment ${i}`,
        }),
      );
    }
    deliver(app.commons);
    expect(app.commons.getUnreadCount(app.as(ALICE))).toBe(INBOX_SIZE);
    const first = app.commons.getNotifications(app.as(ALICE), [], 50);
    expect(first.notifications[0]?.seq).toBe(BigInt(INBOX_SIZE + 4));
    let seen = first.notifications.length;
    let cursor = first.nextCursor;
    while (cursor.length === 1) {
      const page = app.commons.getNotifications(app.as(ALICE), cursor, 50);
      seen += page.notifications.length;
      cursor = page.nextCursor;
    }
    expect(seen).toBe(INBOX_SIZE);
    unwrap(app.commons.markNotificationsRead(app.as(ALICE), [BigInt(INBOX_SIZE)]));
    expect(app.commons.getUnreadCount(app.as(ALICE))).toBe(5);
    unwrap(app.commons.markNotificationsRead(app.as(ALICE), []));
    expect(app.commons.getUnreadCount(app.as(ALICE))).toBe(0);
    expect(app.commons.getNotifications(app.as(ALICE), [], 1).notifications[0]?.read).toBe(true);
  });

  it('fans out in bounded steps that carry on after an upgrade', () => {
    const { app, id } = board();
    for (const member of [BOB, CAROL, MOD]) {
      unwrap(app.commons.voteProposal(app.as(member), id, [{ Up: null }]));
    }
    unwrap(app.commons.setProposalStatus(app.as(ADMIN), id, { UnderReview: null }, []));
    let steps = 0;
    expect(app.commons.runFanouts(() => steps++ >= 2)).toBe(1);
    const upgraded = new Commons(app.stores);
    expect(upgraded.pendingFanouts()).toBe(1);
    deliver(upgraded);
    for (const member of [ALICE, BOB, CAROL, MOD]) {
      expect(upgraded.getNotifications(app.as(member), [], 10).notifications).toHaveLength(1);
    }
  });
});

describe('busy targets', () => {
  /** A proposal of ALICE's with `voters` more followers (their votes follow it). */
  function busy(voters: number) {
    const { app, id } = board();
    const crowd = Array.from({ length: voters }, (_, i) =>
      principalIdFromBytes(new Uint8Array([0x80, i >> 8, i & 0xff])),
    );
    for (const member of crowd)
      unwrap(app.commons.voteProposal(app.as(member), id, [{ Up: null }]));
    deliver(app.commons);
    return { app, id, crowd };
  }
  const comment = (app: Setup, id: bigint, by: PrincipalId, parentId: [] | [bigint] = []) =>
    unwrap(app.commons.postComment(app.as(by), { target: { Proposal: id }, parentId, body: 'Hi' }));
  const newComments = (app: Setup, member: PrincipalId) =>
    app.commons
      .getNotifications(app.as(member), [], 50)
      .notifications.filter((n) => 'NewComment' in n.kind)
      .map((n) => ('NewComment' in n.kind ? n.kind.NewComment.commentId : undefined));

  it('tells each follower once of the newest comment of a burst, still telling replies at once', () => {
    const { app, id, crowd } = busy(COALESCE_FOLLOWERS);
    const first = comment(app, id, BOB);
    comment(app, id, CAROL, [first.id]);
    const last = comment(app, id, crowd[0]!);
    expect(app.commons.pendingFanouts()).toBe(1);
    deliver(app.commons);
    // Followers hear of the newest comment only, once; its writer hears nothing of it.
    expect(newComments(app, crowd[1]!)).toEqual([last.id]);
    expect(newComments(app, ALICE)).toEqual([last.id]);
    expect(newComments(app, crowd[0]!)).toEqual([]);
    // BOB and CAROL wrote earlier comments of the burst: the newest is news to them.
    expect(newComments(app, BOB)).toEqual([last.id]);
    expect(newComments(app, CAROL)).toEqual([last.id]);
    // The reply reached its parent's author at once, beside the burst.
    expect(kinds(app, BOB)).toEqual(['NewComment', 'Reply']);
  });

  it('starts a new burst once a fan-out has begun, and tells quiet targets every comment', () => {
    const { app, id, crowd } = busy(COALESCE_FOLLOWERS);
    const first = comment(app, id, BOB);
    let steps = 0;
    app.commons.runFanouts(() => steps++ >= 10);
    const second = comment(app, id, CAROL);
    const third = comment(app, id, CAROL);
    expect(app.commons.pendingFanouts()).toBe(2);
    deliver(app.commons);
    expect(newComments(app, crowd[50]!)).toEqual([third.id, first.id]);

    const quiet = busy(COALESCE_FOLLOWERS - 2);
    const a = comment(quiet.app, quiet.id, BOB);
    const b = comment(quiet.app, quiet.id, CAROL);
    deliver(quiet.app.commons);
    expect(newComments(quiet.app, quiet.crowd[5]!)).toEqual([b.id, a.id]);
    expect(second.id).toBeLessThan(third.id);
  });

  it('keeps a waiting burst across an upgrade', () => {
    const { app, id, crowd } = busy(COALESCE_FOLLOWERS);
    comment(app, id, BOB);
    const upgraded = new Commons(app.stores);
    const last = unwrap(
      upgraded.postComment(app.as(CAROL), { target: { Proposal: id }, parentId: [], body: 'Yo' }),
    );
    expect(upgraded.pendingFanouts()).toBe(1);
    deliver(upgraded);
    expect(
      upgraded
        .getNotifications(app.as(crowd[7]!), [], 50)
        .notifications.map((n) => ('NewComment' in n.kind ? n.kind.NewComment.commentId : 0n)),
    ).toEqual([last.id]);
  });
});

describe('mentions', () => {
  it('reads @names with underscores for spaces, at most five, not e-mail addresses', () => {
    expect(mentionedNames('Hi @Alice_Ng and @bob. Mail me at x@example.org')).toEqual([
      'Alice Ng',
      'bob',
    ]);
  });
});
