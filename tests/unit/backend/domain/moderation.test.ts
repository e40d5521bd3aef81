import { describe, expect, it } from 'vitest';

import { Commons } from '../../../../src/backend/domain/commons';
import {
  ANONYMOUS,
  principalIdFromBytes,
  type ActivityKind,
  type ListProposalsRequest,
  type ModerationRequest,
  type PrincipalId,
  type ReportInput,
  type ReportTarget,
} from '../../../../src/backend/domain/model';
import type { Result } from '../../../../src/backend/domain/result';
import {
  ADMIN,
  ALICE,
  BOB,
  CAROL,
  HOUR_NS,
  MOD,
  expectRejected,
  proposalInput,
  setup,
  unwrap,
  type Setup,
} from '../support';

const DAY_NS = 24n * HOUR_NS;
// Principal bytes may hold a '/' (0x2f), the separator of report record keys.
const reporters = [0x21, 0x2f, 0x23, 0x24, 0x25, 0x26].map((byte) =>
  principalIdFromBytes(new Uint8Array([byte, 0x2f])),
);

const listing = (overrides: Partial<ListProposalsRequest> = {}): ListProposalsRequest => ({
  sort: { New: null },
  needsResponse: [],
  status: [],
  themeId: [],
  tag: [],
  author: [],
  cursor: [],
  limit: 50,
  ...overrides,
});

/**
 * A board with new-member limits on (24 h), a moderator, and members who joined two days ago
 * (in good standing): ALICE, BOB, CAROL and the reporters.
 */
function board(): Setup {
  const app = setup({ newMemberHours: 24 });
  unwrap(app.commons.setRole(app.as(ADMIN), MOD, { Moderator: null }));
  for (const [i, member] of [ALICE, BOB, CAROL, ...reporters].entries()) {
    unwrap(app.commons.setProfile(app.as(member), { displayName: `member ${i}`, bio: '' }));
  }
  app.advance(2n * DAY_NS);
  return app;
}

const spam = (target: ReportTarget, note?: string): ReportInput => ({
  target,
  reason: { Spam: null },
  note: note === undefined ? [] : [note],
});

const hide = (target: ModerationRequest['action'], reason = 'spam'): ModerationRequest => ({
  action: target,
  reason,
});

function lastActivity(app: Setup): { actor: PrincipalId; kind: ActivityKind } {
  const entry = app.commons.getActivity([], 1).entries[0];
  if (entry === undefined) throw new Error('no activity');
  return entry;
}

describe('report', () => {
  it('records one open report per reporter and target, privately', () => {
    const app = board();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    const activityBefore = app.commons.getActivity([], 50).entries.length;
    unwrap(app.commons.report(app.as(BOB), spam({ Proposal: id }, 'an ad for a token')));
    expectRejected(app, () => app.commons.report(app.as(BOB), spam({ Proposal: id })), 'Conflict');
    // Reports are not activity: the log never names a reporter.
    expect(app.commons.getActivity([], 50).entries.length).toBe(activityBefore);
    const page = unwrap(app.commons.listReports(app.as(MOD), [], 20));
    expect(page.groups).toHaveLength(1);
    expect(page.groups[0]).toMatchObject({
      target: { Proposal: id },
      count: 1,
      reports: [{ reporter: BOB, reason: { Spam: null }, note: ['an ad for a token'] }],
      hidden: [],
      content: { Proposal: { id, author: ALICE, title: proposalInput().title } },
    });
  });

  it('refuses anonymous callers, unknown targets, oneself and long notes, changing nothing', () => {
    const app = board();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    expectRejected(
      app,
      () => app.commons.report(app.anonymous(), spam({ Proposal: id })),
      'NotAuthenticated',
    );
    expectRejected(app, () => app.commons.report(app.as(BOB), spam({ Proposal: 99n })), 'NotFound');
    expectRejected(app, () => app.commons.report(app.as(BOB), spam({ Comment: 1n })), 'NotFound');
    expectRejected(
      app,
      () =>
        app.commons.report(
          app.as(BOB),
          spam({ Member: principalIdFromBytes(new Uint8Array([99])) }),
        ),
      'NotFound',
    );
    expectRejected(
      app,
      () => app.commons.report(app.as(ALICE), spam({ Proposal: id })),
      'Invalid',
      'target',
    );
    expectRejected(
      app,
      () => app.commons.report(app.as(BOB), spam({ Proposal: id }, 'x'.repeat(501))),
      'Invalid',
      'note',
    );
  });

  it('is rate-limited like other writes', () => {
    const app = board();
    for (let i = 0; i < 11; i++) {
      unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
      app.advance(DAY_NS);
    }
    for (let id = 1n; id <= 10n; id++)
      unwrap(app.commons.report(app.as(BOB), spam({ Proposal: id })));
    expectRejected(
      app,
      () => app.commons.report(app.as(BOB), spam({ Proposal: 11n })),
      'RateLimited',
    );
    app.advance(HOUR_NS);
    unwrap(app.commons.report(app.as(BOB), spam({ Proposal: 11n })));
  });
});

describe('auto-hide', () => {
  it('hides content reported by k distinct members in good standing, pending review', () => {
    const app = board();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    // A member who joined an hour ago and one without a profile are not in good standing.
    const newcomer = principalIdFromBytes(new Uint8Array([40]));
    unwrap(app.commons.setProfile(app.as(newcomer), { displayName: 'newcomer', bio: '' }));
    app.advance(HOUR_NS);
    unwrap(app.commons.report(app.as(newcomer), spam({ Proposal: id })));
    unwrap(
      app.commons.report(
        app.as(principalIdFromBytes(new Uint8Array([41]))),
        spam({ Proposal: id }),
      ),
    );
    unwrap(app.commons.report(app.as(reporters[0]!), spam({ Proposal: id })));
    unwrap(app.commons.report(app.as(reporters[1]!), spam({ Proposal: id })));
    expect(app.commons.getProposal(app.as(BOB), id)[0]?.hidden).toEqual([]);
    unwrap(app.commons.report(app.as(reporters[2]!), spam({ Proposal: id })));
    const detail = app.commons.getProposal(app.as(BOB), id)[0]!;
    expect(detail.hidden).toEqual([
      { reason: expect.stringContaining('reported by 3 members'), by: [], at: app.now() },
    ]);
    // The log says what happened without naming anyone: the actor is the anonymous principal.
    expect(lastActivity(app)).toMatchObject({
      actor: ANONYMOUS,
      kind: { ContentAutoHidden: { target: { Proposal: id }, reports: 5 } },
    });
  });

  it('needs one more report for every 10 up-votes, so a brigade cannot bury a popular idea', () => {
    const app = board();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    // The author's up-vote and 9 more: 10 up-votes, so 4 reports are needed.
    for (let i = 0; i < 9; i++) {
      unwrap(
        app.commons.voteProposal(app.as(principalIdFromBytes(new Uint8Array([60 + i]))), id, [
          { Up: null },
        ]),
      );
    }
    for (const reporter of reporters.slice(0, 3)) {
      unwrap(app.commons.report(app.as(reporter), spam({ Proposal: id })));
    }
    expect(app.commons.getProposal(app.as(BOB), id)[0]?.hidden).toEqual([]);
    unwrap(app.commons.report(app.as(reporters[3]!), spam({ Proposal: id })));
    expect(app.commons.getProposal(app.as(BOB), id)[0]?.hidden).toHaveLength(1);
  });

  it('follows the autoHideReports setting', () => {
    const app = board();
    unwrap(
      app.commons.setModerationSettings(app.as(ADMIN), {
        ...app.commons.getModerationSettings(),
        autoHideReports: 1,
      }),
    );
    const comment = unwrap(
      app.commons.postComment(app.as(ALICE), {
        target: { Proposal: unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput())).id },
        parentId: [],
        body: 'Buy tokens at example.com',
      }),
    );
    unwrap(app.commons.report(app.as(BOB), spam({ Comment: comment.id })));
    expect(app.commons.getComment(app.as(CAROL), comment.id)[0]?.hidden).toHaveLength(1);
  });
});

describe('hidden content', () => {
  function hiddenProposal() {
    const app = board();
    const { id } = unwrap(
      app.commons.submitProposal(app.as(ALICE), proposalInput({ tags: ['spam'] })),
    );
    const other = unwrap(
      app.commons.submitProposal(app.as(BOB), proposalInput({ tags: ['spam'] })),
    );
    unwrap(app.commons.moderate(app.as(MOD), hide({ Hide: { Proposal: id } }, 'advertising')));
    return { app, id, other: other.id };
  }

  it('leaves every listing but its author’s, where others see a placeholder', () => {
    const { app, id, other } = hiddenProposal();
    for (const request of [
      listing(),
      listing({ sort: { Hot: null } }),
      listing({ sort: { Top: null } }),
      listing({ sort: { MostDiscussed: null } }),
      listing({ tag: ['spam'] }),
      listing({ status: [{ Open: null }] }),
    ]) {
      expect(app.commons.listProposals(app.as(CAROL), request).proposals.map((p) => p.id)).toEqual([
        other,
      ]);
    }
    const byAuthor = (viewer: PrincipalId) =>
      app.commons.listProposals(app.as(viewer), listing({ author: [ALICE] })).proposals;
    expect(byAuthor(CAROL)).toEqual([
      expect.objectContaining({
        id,
        title: '',
        excerpt: '',
        hidden: [expect.objectContaining({ reason: 'advertising', by: [MOD] })],
      }),
    ]);
    expect(byAuthor(ALICE)[0]).toMatchObject({ title: proposalInput().title });
    expect(byAuthor(MOD)[0]).toMatchObject({ title: proposalInput().title });
  });

  it('reads as a placeholder with its reason, except to its author and moderators', () => {
    const { app, id } = hiddenProposal();
    const seenBy = (viewer: PrincipalId) => app.commons.getProposal(app.as(viewer), id)[0]!;
    expect(seenBy(CAROL).proposal).toMatchObject({ title: '', body: '' });
    expect(app.commons.getProposal(app.anonymous(), id)[0]!.proposal.title).toBe('');
    expect(seenBy(CAROL).hidden).toEqual([{ reason: 'advertising', by: [MOD], at: app.now() }]);
    expect(seenBy(ALICE).proposal.title).toBe(proposalInput().title);
    expect(seenBy(MOD).proposal.body).toBe(proposalInput().body);
    expect(seenBy(ADMIN).proposal.body).toBe(proposalInput().body);
  });

  it('freezes its votes', () => {
    const { app, id } = hiddenProposal();
    expectRejected(
      app,
      () => app.commons.voteProposal(app.as(CAROL), id, [{ Up: null }]),
      'Conflict',
    );
    expectRejected(app, () => app.commons.voteProposal(app.as(ALICE), id, []), 'Conflict');
  });

  it('keeps its history for its author and moderators only', () => {
    const { app, id } = hiddenProposal();
    unwrap(app.commons.editProposal(app.as(ALICE), id, proposalInput({ title: 'Edited title' })));
    expect(app.commons.getProposalHistory(app.as(CAROL), id, [], 0)).toEqual([]);
    expect(app.commons.getProposalHistory(app.as(ALICE), id, [], 0)).toHaveLength(1);
    expect(app.commons.getProposalHistory(app.as(MOD), id, [], 0)).toHaveLength(1);
  });

  it('comes back everywhere when restored', () => {
    const { app, id, other } = hiddenProposal();
    unwrap(app.commons.moderate(app.as(MOD), hide({ Restore: { Proposal: id } }, 'on topic')));
    expect(app.commons.listProposals(app.as(CAROL), listing()).proposals.map((p) => p.id)).toEqual([
      other,
      id,
    ]);
    expect(app.commons.getProposal(app.as(CAROL), id)[0]).toMatchObject({
      hidden: [],
      proposal: { title: proposalInput().title },
    });
    unwrap(app.commons.voteProposal(app.as(CAROL), id, [{ Up: null }]));
  });

  it('keeps a hidden comment’s place in its thread, with readable replies', () => {
    const app = board();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    const target = { Proposal: id };
    const root = unwrap(
      app.commons.postComment(app.as(BOB), { target, parentId: [], body: 'Rude words' }),
    );
    unwrap(
      app.commons.postComment(app.as(CAROL), { target, parentId: [root.id], body: 'Calm down' }),
    );
    unwrap(app.commons.moderate(app.as(MOD), hide({ Hide: { Comment: root.id } }, 'abuse')));
    const thread = (viewer: PrincipalId) =>
      app.commons
        .getThread(app.as(viewer), target, [], 10)
        .comments.map((c) => [c.depth, c.comment.body, c.comment.hidden.length]);
    expect(thread(CAROL)).toEqual([
      [0, '', 1],
      [1, 'Calm down', 0],
    ]);
    expect(thread(BOB)[0]).toEqual([0, 'Rude words', 1]);
    expect(thread(MOD)[0]).toEqual([0, 'Rude words', 1]);
    expect(app.commons.getComment(app.anonymous(), root.id)[0]?.body).toBe('');
    expect(app.commons.listCommentsByAuthor(app.as(CAROL), BOB, [], 10).comments[0]?.body).toBe('');
    expect(app.commons.getComment(app.anonymous(), root.id)[0]?.hidden).toEqual([
      { reason: 'abuse', by: [MOD], at: app.now() },
    ]);
  });
});

describe('moderate', () => {
  it('is for moderators and admins only; members and anonymous callers change nothing', () => {
    const app = board();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    unwrap(app.commons.report(app.as(BOB), spam({ Proposal: id })));
    const requests: ModerationRequest[] = [
      hide({ Hide: { Proposal: id } }),
      hide({ Restore: { Proposal: id } }),
      hide({ Dismiss: { Proposal: id } }),
      hide({ Suspend: { member: ALICE, days: [3] } }),
      hide({ Unsuspend: ALICE }),
    ];
    for (const request of requests) {
      expectRejected(app, () => app.commons.moderate(app.anonymous(), request), 'NotAuthenticated');
      expectRejected(app, () => app.commons.moderate(app.as(BOB), request), 'Forbidden');
    }
    expectRejected(app, () => app.commons.listReports(app.as(BOB), [], 20), 'Forbidden');
    expectRejected(app, () => app.commons.listReports(app.anonymous(), [], 20), 'NotAuthenticated');
    expectRejected(
      app,
      () => app.commons.setModerationSettings(app.as(MOD), app.commons.getModerationSettings()),
      'Forbidden',
    );
    unwrap(app.commons.moderate(app.as(ADMIN), hide({ Hide: { Proposal: id } })));
  });

  it('wants a reason to hide or suspend, and a target that exists', () => {
    const app = board();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    expectRejected(
      app,
      () => app.commons.moderate(app.as(MOD), hide({ Hide: { Proposal: id } }, '  ')),
      'Invalid',
      'reason',
    );
    expectRejected(
      app,
      () => app.commons.moderate(app.as(MOD), hide({ Suspend: { member: ALICE, days: [] } }, '')),
      'Invalid',
      'reason',
    );
    expectRejected(
      app,
      () => app.commons.moderate(app.as(MOD), hide({ Hide: { Comment: 5n } })),
      'NotFound',
    );
    expectRejected(
      app,
      () => app.commons.moderate(app.as(MOD), hide({ Restore: { Proposal: id } }, '')),
      'Conflict',
    );
    expectRejected(
      app,
      () => app.commons.moderate(app.as(MOD), hide({ Dismiss: { Proposal: id } }, '')),
      'NotFound',
    );
    expectRejected(
      app,
      () => app.commons.moderate(app.as(MOD), hide({ Suspend: { member: ALICE, days: [0] } })),
      'Invalid',
      'days',
    );
    expectRejected(
      app,
      () => app.commons.moderate(app.as(MOD), hide({ Suspend: { member: ADMIN, days: [] } })),
      'Forbidden',
    );
  });

  it('closes the reports of what it decides, and dismissing undoes an automatic hide', () => {
    const app = board();
    unwrap(
      app.commons.setModerationSettings(app.as(ADMIN), {
        ...app.commons.getModerationSettings(),
        autoHideReports: 1,
      }),
    );
    const a = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput())).id;
    const b = unwrap(app.commons.submitProposal(app.as(BOB), proposalInput())).id;
    unwrap(app.commons.report(app.as(CAROL), spam({ Proposal: a })));
    unwrap(app.commons.report(app.as(CAROL), spam({ Proposal: b })));
    unwrap(app.commons.moderate(app.as(MOD), hide({ Dismiss: { Proposal: a } }, 'not spam')));
    expect(app.commons.getProposal(app.as(CAROL), a)[0]?.hidden).toEqual([]);
    unwrap(app.commons.moderate(app.as(MOD), hide({ Hide: { Proposal: b } }, 'spam')));
    const groups = unwrap(app.commons.listReports(app.as(MOD), [], 20)).groups;
    expect(groups).toEqual([]);
    // A moderator's hide stands: new reports are refused, a dismissal finds nothing open.
    expectRejected(
      app,
      () => app.commons.report(app.as(reporters[0]!), spam({ Proposal: b })),
      'Conflict',
    );
    const log = app.commons.getActivity([], 4).entries.map((e) => [e.actor, e.kind]);
    expect(log).toEqual([
      [MOD, { ContentHidden: { target: { Proposal: b }, reason: 'spam' } }],
      [MOD, { ContentRestored: { target: { Proposal: a }, reason: 'not spam' } }],
      [MOD, { ReportsDismissed: { target: { Proposal: a }, reports: 1, reason: 'not spam' } }],
      [ANONYMOUS, { ContentAutoHidden: { target: { Proposal: b }, reports: 1 } }],
    ]);
  });
});

describe('listReports', () => {
  it('puts hidden content first, then the most reported, then the oldest, page by page', () => {
    const app = board();
    const ids: bigint[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(unwrap(app.commons.submitProposal(app.as(CAROL), proposalInput())).id);
      app.advance(DAY_NS);
    }
    const [p1, p2, p3, p4] = ids as [bigint, bigint, bigint, bigint];
    unwrap(app.commons.report(app.as(reporters[0]!), spam({ Proposal: p1 })));
    unwrap(app.commons.report(app.as(reporters[0]!), spam({ Proposal: p2 })));
    unwrap(app.commons.report(app.as(reporters[1]!), spam({ Proposal: p2 })));
    unwrap(app.commons.report(app.as(reporters[0]!), spam({ Proposal: p3 })));
    unwrap(app.commons.report(app.as(reporters[0]!), spam({ Member: CAROL })));
    for (const reporter of reporters.slice(0, 3)) {
      unwrap(app.commons.report(app.as(reporter), spam({ Proposal: p4 })));
    }
    const first = unwrap(app.commons.listReports(app.as(MOD), [], 2));
    const second = unwrap(app.commons.listReports(app.as(MOD), first.nextCursor, 2));
    const third = unwrap(app.commons.listReports(app.as(MOD), second.nextCursor, 2));
    const order = [...first.groups, ...second.groups, ...third.groups].map((g) => [
      g.target,
      g.count,
    ]);
    expect(order).toEqual([
      [{ Proposal: p4 }, 3],
      [{ Proposal: p2 }, 2],
      [{ Proposal: p1 }, 1],
      [{ Proposal: p3 }, 1],
      [{ Member: CAROL }, 1],
    ]);
    expect(third.nextCursor).toEqual([]);
    expect(first.groups[0]?.hidden).toHaveLength(1);
    expect(third.groups[0]?.content).toMatchObject({
      Member: { member: CAROL, profile: [{ displayName: 'member 2' }], suspension: [] },
    });
  });
});

describe('suspension', () => {
  it('refuses every write with the end and the reason, while reads go on, until it ends', () => {
    const app = board();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    unwrap(app.commons.report(app.as(BOB), spam({ Member: CAROL })));
    unwrap(
      app.commons.moderate(
        app.as(MOD),
        hide({ Suspend: { member: CAROL, days: [3] } }, 'spam links'),
      ),
    );
    const end = new Date(Number((app.now() + 3n * DAY_NS) / 1_000_000n)).toISOString().slice(0, 19);
    const refusal = { Forbidden: `suspended until ${end}Z: spam links` };
    const writes: Array<() => Result<unknown>> = [
      () => app.commons.setProfile(app.as(CAROL), { displayName: 'carol', bio: '' }),
      () => app.commons.submitProposal(app.as(CAROL), proposalInput()),
      () => app.commons.editProposal(app.as(CAROL), id, proposalInput()),
      () => app.commons.voteProposal(app.as(CAROL), id, [{ Up: null }]),
      () =>
        app.commons.postComment(app.as(CAROL), {
          target: { Proposal: id },
          parentId: [],
          body: 'hi',
        }),
      () => app.commons.editComment(app.as(CAROL), 1n, 'hi'),
      () => app.commons.deleteComment(app.as(CAROL), 1n),
      () => app.commons.setPriorityVotes(app.as(CAROL), 1n, 1),
      () => app.commons.report(app.as(CAROL), spam({ Proposal: id })),
    ];
    for (const write of writes) {
      expectRejected(app, write, 'Forbidden');
      expect(write()).toEqual({ Err: refusal });
    }
    expect(app.commons.getProposal(app.as(CAROL), id)).toHaveLength(1);
    expect(app.commons.whoami(app.as(CAROL)).suspension).toEqual([
      expect.objectContaining({ reason: 'spam links', by: MOD }),
    ]);
    // Suspending closes the reports on the member.
    expect(unwrap(app.commons.listReports(app.as(MOD), [], 20)).groups).toEqual([]);
    app.advance(3n * DAY_NS);
    unwrap(app.commons.voteProposal(app.as(CAROL), id, [{ Up: null }]));
    expect(app.commons.whoami(app.as(CAROL)).suspension).toEqual([]);
  });

  it('lasts until lifted when it has no end, and is logged both ways', () => {
    const app = board();
    unwrap(
      app.commons.moderate(app.as(MOD), hide({ Suspend: { member: CAROL, days: [] } }, 'bot')),
    );
    expect(app.commons.submitProposal(app.as(CAROL), proposalInput())).toEqual({
      Err: { Forbidden: 'suspended until a moderator lifts it: bot' },
    });
    app.advance(1000n * DAY_NS);
    expectRejected(
      app,
      () => app.commons.submitProposal(app.as(CAROL), proposalInput()),
      'Forbidden',
    );
    unwrap(app.commons.moderate(app.as(MOD), hide({ Unsuspend: CAROL }, 'appeal accepted')));
    unwrap(app.commons.submitProposal(app.as(CAROL), proposalInput()));
    expectRejected(
      app,
      () => app.commons.moderate(app.as(MOD), hide({ Unsuspend: CAROL }, '')),
      'Conflict',
    );
    const log = app.commons.getActivity([], 2).entries.map((e) => [e.actor, e.kind]);
    expect(log).toEqual([
      [MOD, { SuspensionLifted: { member: CAROL, reason: 'appeal accepted' } }],
      [MOD, { MemberSuspended: { member: CAROL, until: [], reason: 'bot' } }],
    ]);
  });
});

describe('new members', () => {
  it('have lower limits for their first 24 hours', () => {
    const app = setup({ newMemberHours: 24 });
    unwrap(app.commons.setProfile(app.as(ALICE), { displayName: 'alice', bio: '' }));
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    expectRejected(
      app,
      () => app.commons.submitProposal(app.as(ALICE), proposalInput()),
      'RateLimited',
    );
    const comment = () =>
      app.commons.postComment(app.as(ALICE), {
        target: { Proposal: id },
        parentId: [],
        body: 'more',
      });
    for (let i = 0; i < 10; i++) unwrap(comment());
    expectRejected(app, comment, 'RateLimited');
    app.advance(24n * HOUR_NS);
    unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    for (let i = 0; i < 30; i++) unwrap(comment());
    expectRejected(app, comment, 'RateLimited');
  });

  it('include principals without a profile, and follow the settings', () => {
    const app = setup({ newMemberHours: 24 });
    unwrap(app.commons.submitProposal(app.as(BOB), proposalInput()));
    expectRejected(
      app,
      () => app.commons.submitProposal(app.as(BOB), proposalInput()),
      'RateLimited',
    );
    unwrap(
      app.commons.setModerationSettings(app.as(ADMIN), {
        ...app.commons.getModerationSettings(),
        newMemberProposalsPerDay: 2,
      }),
    );
    unwrap(app.commons.submitProposal(app.as(BOB), proposalInput()));
  });
});

describe('moderation settings', () => {
  it('are admin-only, checked and logged', () => {
    const app = board();
    const settings = app.commons.getModerationSettings();
    expect(settings).toEqual({
      autoHideReports: 3,
      upVotesPerExtraReport: 10,
      newMemberHours: 24,
      newMemberProposalsPerDay: 1,
      newMemberCommentsPerHour: 10,
      reportsPerHour: 10,
    });
    expectRejected(
      app,
      () => app.commons.setModerationSettings(app.as(ADMIN), { ...settings, autoHideReports: 0 }),
      'Invalid',
      'autoHideReports',
    );
    const next = { ...settings, newMemberHours: 0 };
    unwrap(app.commons.setModerationSettings(app.as(ADMIN), next));
    expect(lastActivity(app)).toEqual(
      expect.objectContaining({ actor: ADMIN, kind: { ModerationSettingsChanged: next } }),
    );
  });
});

describe('after an upgrade', () => {
  it('rebuilds the queue, hidden content and suspensions from the records', () => {
    const app = board();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    unwrap(app.commons.submitProposal(app.as(BOB), proposalInput()));
    for (const reporter of reporters.slice(0, 3)) {
      unwrap(app.commons.report(app.as(reporter), spam({ Proposal: id }, 'ad')));
    }
    unwrap(app.commons.report(app.as(reporters[0]!), spam({ Member: reporters[1]! })));
    unwrap(
      app.commons.moderate(app.as(MOD), hide({ Suspend: { member: CAROL, days: [] } }, 'bot')),
    );
    const reads = (commons: Commons) => [
      commons.listReports(app.as(MOD), [], 50),
      commons.listProposals(app.as(CAROL), listing()),
      commons.listProposals(app.as(CAROL), listing({ author: [ALICE] })),
      commons.getProposal(app.as(CAROL), id),
      commons.whoami(app.as(CAROL)),
    ];
    const reopened = new Commons(app.stores);
    expect(reads(reopened)).toEqual(reads(app.commons));
    // The rebuilt queue still knows who reported: a second report is refused.
    expect(reopened.report(app.as(reporters[0]!), spam({ Proposal: id }))).toMatchObject({
      Err: { Conflict: expect.any(String) },
    });
  });
});
