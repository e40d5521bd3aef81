import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { principalId } from '../../../../src/backend/domain/model';
import {
  ADMIN,
  ALICE,
  BOB,
  expectRejected,
  seedRoadmap,
  setup,
  SAMPLE_ROADMAP,
  unwrap,
} from '../support';

const members = ['m1', 'm2', 'm3'].map(principalId);

describe('setPriorityVotes', () => {
  it('never lets a member spend more than the budget, and item tallies equal the stored votes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat({ max: 2 }),
            fc.constantFrom('gpu-node-spec', 'ai-subnets', 'threshold-eddsa'),
            fc.nat({ max: 12 }),
          ),
          {
            maxLength: 50,
          },
        ),
        (actions) => {
          const app = setup();
          const ids = seedRoadmap(app);
          const expected = new Map<string, number>();
          for (const [member, slug, votes] of actions) {
            const ctx = app.as(members[member]!);
            const result = app.commons.setPriorityVotes(ctx, ids.get(slug)!, votes);
            const key = `${member}/${slug}`;
            const others = [...expected].filter(([k]) => k.startsWith(`${member}/`) && k !== key);
            const wouldSpend = others.reduce((sum, [, n]) => sum + n * n, 0) + votes * votes;
            const previous = expected.get(key) ?? 0;
            if (wouldSpend <= 100 || votes <= previous) {
              expect(unwrap(result).spent).toBe(wouldSpend);
              expected.set(key, votes);
            } else {
              expect(result).toMatchObject({ Err: { Invalid: { field: 'votes' } } });
            }
            const allocation = app.commons.getMyPriorities(ctx);
            expect(allocation.spent).toBeLessThanOrEqual(allocation.budget);
            expect(allocation.spent).toBe(
              allocation.votes.reduce((sum, v) => sum + v.votes * v.votes, 0),
            );
          }
          for (const slug of ['gpu-node-spec', 'ai-subnets', 'threshold-eddsa']) {
            const item = app.commons.getItem(app.as(ALICE), ids.get(slug)!)[0]!.item;
            const counts = [...expected]
              .filter(([k, n]) => k.endsWith(`/${slug}`) && n > 0)
              .map(([, n]) => n);
            expect(item.priority).toEqual({
              votes: counts.reduce((a, b) => a + b, 0),
              supporters: counts.length,
            });
          }
        },
      ),
    );
  });

  it('costs n² credits: 10 votes use the whole default budget of 100', () => {
    const app = setup();
    const ids = seedRoadmap(app);
    expect(
      unwrap(app.commons.setPriorityVotes(app.as(ALICE), ids.get('gpu-node-spec')!, 10)),
    ).toMatchObject({
      budget: 100,
      spent: 100,
      remaining: 0,
    });
    expectRejected(
      app,
      () => app.commons.setPriorityVotes(app.as(ALICE), ids.get('ai-subnets')!, 1),
      'Invalid',
      'votes',
    );
    expect(app.commons.whoami(app.as(ALICE)).creditsLeft).toBe(0);
  });

  it('follows the budget setting', () => {
    const app = setup();
    const ids = seedRoadmap(app);
    unwrap(
      app.commons.setSettings(app.as(ADMIN), { ...app.commons.getSettings(), creditBudget: 400 }),
    );
    expect(
      unwrap(app.commons.setPriorityVotes(app.as(ALICE), ids.get('gpu-node-spec')!, 20)).remaining,
    ).toBe(0);
  });

  it('refuses Deployed items, unknown items and anonymous callers', () => {
    const app = setup();
    const ids = seedRoadmap(app);
    expectRejected(
      app,
      () => app.commons.setPriorityVotes(app.as(ALICE), ids.get('on-chain-face-recognition')!, 1),
      'Conflict',
    );
    expectRejected(app, () => app.commons.setPriorityVotes(app.as(ALICE), 999n, 1), 'NotFound');
    expectRejected(
      app,
      () => app.commons.setPriorityVotes(app.anonymous(), ids.get('gpu-node-spec')!, 1),
      'NotAuthenticated',
    );
  });

  it('releases the credits when an item becomes Deployed and keeps its final tally', () => {
    const app = setup();
    const ids = seedRoadmap(app);
    const spec = ids.get('gpu-node-spec')!;
    unwrap(app.commons.setPriorityVotes(app.as(ALICE), spec, 6));
    unwrap(app.commons.setPriorityVotes(app.as(ALICE), ids.get('ai-subnets')!, 2));
    unwrap(app.commons.setPriorityVotes(app.as(BOB), spec, 3));
    const deployed = structuredClone(SAMPLE_ROADMAP);
    deployed.themes[0]!.milestones[1]!.items[0]!.status = { Deployed: null };
    unwrap(app.commons.importRoadmap(app.as(ADMIN), deployed));
    expect(app.commons.getMyPriorities(app.as(ALICE))).toEqual({
      budget: 100,
      spent: 4,
      remaining: 96,
      votes: [{ itemId: ids.get('ai-subnets')!, votes: 2 }],
    });
    expect(app.commons.getMyPriorities(app.as(BOB)).spent).toBe(0);
    expect(app.commons.getItem(app.as(ALICE), spec)[0]).toMatchObject({
      item: { status: { Deployed: null }, priority: { votes: 9, supporters: 2 } },
      myVotes: 0,
    });
  });

  it('starts a new tally when an item leaves Deployed, counting only votes placed after', () => {
    const app = setup();
    const ids = seedRoadmap(app);
    const spec = ids.get('gpu-node-spec')!;
    unwrap(app.commons.setPriorityVotes(app.as(ALICE), spec, 5));
    const input = {
      milestoneSlug: 'gyrotron',
      slug: 'gpu-node-spec',
      title: 'Public specification for GPU-enabled nodes',
      description: '',
      links: [],
      order: 0,
    };
    unwrap(app.commons.upsertItem(app.as(ADMIN), { ...input, status: { Deployed: null } }));
    unwrap(app.commons.upsertItem(app.as(ADMIN), { ...input, status: { InProgress: null } }));
    unwrap(app.commons.setPriorityVotes(app.as(ALICE), spec, 2));
    expect(app.commons.getItem(app.as(ALICE), spec)[0]?.item.priority).toEqual({
      votes: 2,
      supporters: 1,
    });
    expect(app.commons.getMyPriorities(app.as(ALICE)).spent).toBe(4);
  });
});
