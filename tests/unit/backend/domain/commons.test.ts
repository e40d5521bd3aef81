import { describe, it } from 'vitest';

import type { CallContext } from '../../../../src/backend/domain/context';
import type { Result } from '../../../../src/backend/domain/result';
import {
  ADMIN,
  ALICE,
  BOB,
  MOD,
  SAMPLE_ROADMAP,
  expectRejected,
  proposalInput,
  seedRoadmap,
  setup,
  unwrap,
} from '../support';

function board() {
  const app = setup();
  const ids = seedRoadmap(app);
  unwrap(app.commons.setRole(app.as(ADMIN), MOD, { Moderator: null }));
  const proposal = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
  const comment = unwrap(
    app.commons.postComment(app.as(ALICE), {
      target: { Proposal: proposal.id },
      parentId: [],
      body: 'Hi',
    }),
  );
  return { app, itemId: ids.get('gpu-node-spec')!, proposalId: proposal.id, commentId: comment.id };
}

type Board = ReturnType<typeof board>;

const memberUpdates: Record<string, (b: Board, ctx: CallContext) => Result<unknown>> = {
  setProfile: (b, ctx) => b.app.commons.setProfile(ctx, { displayName: 'Someone', bio: '' }),
  submitProposal: (b, ctx) => b.app.commons.submitProposal(ctx, proposalInput()),
  editProposal: (b, ctx) => b.app.commons.editProposal(ctx, b.proposalId, proposalInput()),
  voteProposal: (b, ctx) => b.app.commons.voteProposal(ctx, b.proposalId, [{ Up: null }]),
  postComment: (b, ctx) =>
    b.app.commons.postComment(ctx, { target: { Proposal: b.proposalId }, parentId: [], body: 'x' }),
  editComment: (b, ctx) => b.app.commons.editComment(ctx, b.commentId, 'x'),
  deleteComment: (b, ctx) => b.app.commons.deleteComment(ctx, b.commentId),
  setPriorityVotes: (b, ctx) => b.app.commons.setPriorityVotes(ctx, b.itemId, 1),
};

const adminUpdates: Record<string, (b: Board, ctx: CallContext) => Result<unknown>> = {
  importRoadmap: (b, ctx) => b.app.commons.importRoadmap(ctx, SAMPLE_ROADMAP),
  upsertTheme: (b, ctx) =>
    b.app.commons.upsertTheme(ctx, { slug: 'x', title: 'X', summary: '', order: 0 }),
  upsertMilestone: (b, ctx) =>
    b.app.commons.upsertMilestone(ctx, {
      themeSlug: 'chain-fusion',
      slug: 'x',
      name: 'X',
      summary: '',
      status: { Future: null },
      eta: [],
      order: 0,
    }),
  upsertItem: (b, ctx) =>
    b.app.commons.upsertItem(ctx, {
      milestoneSlug: 'helium',
      slug: 'x',
      title: 'X',
      description: '',
      status: { Future: null },
      links: [],
      order: 0,
    }),
  setProposalStatus: (b, ctx) =>
    b.app.commons.setProposalStatus(ctx, b.proposalId, { Done: null }, []),
  setRole: (b, ctx) => b.app.commons.setRole(ctx, BOB, { Moderator: null }),
  setSettings: (b, ctx) => b.app.commons.setSettings(ctx, b.app.commons.getSettings()),
};

describe('authorization', () => {
  it.each(Object.keys({ ...memberUpdates, ...adminUpdates }))(
    '%s refuses the anonymous principal and changes nothing',
    (name) => {
      const b = board();
      const call = memberUpdates[name] ?? adminUpdates[name]!;
      expectRejected(b.app, () => call(b, b.app.anonymous()), 'NotAuthenticated');
    },
  );

  it.each(Object.keys(adminUpdates))(
    '%s refuses members and moderators and changes nothing',
    (name) => {
      const b = board();
      expectRejected(b.app, () => adminUpdates[name]!(b, b.app.as(BOB)), 'Forbidden');
      expectRejected(b.app, () => adminUpdates[name]!(b, b.app.as(MOD)), 'Forbidden');
    },
  );

  it.each(Object.keys(adminUpdates))('%s is allowed for admins', (name) => {
    const b = board();
    unwrap(adminUpdates[name]!(b, b.app.as(ADMIN)));
  });
});
