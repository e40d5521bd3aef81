import { describe, expect, it } from 'vitest';

import type { RoadmapImport } from '../../../../src/backend/domain/model';
import { ADMIN, ALICE, MOD, SAMPLE_ROADMAP, expectRejected, setup, unwrap } from '../support';

function withChange(change: (file: RoadmapImport) => void): RoadmapImport {
  const file = structuredClone(SAMPLE_ROADMAP);
  change(file);
  return file;
}

describe('importRoadmap', () => {
  it('creates themes, milestones and items in file order, then updates them in place by slug', () => {
    const app = setup();
    expect(unwrap(app.commons.importRoadmap(app.as(ADMIN), SAMPLE_ROADMAP))).toEqual({
      themesCreated: 2,
      themesUpdated: 0,
      milestonesCreated: 3,
      milestonesUpdated: 0,
      itemsCreated: 4,
      itemsUpdated: 0,
    });
    const before = app.commons.getRoadmap();
    expect(before.themes.map((t) => t.theme.slug)).toEqual(['decentralized-ai', 'chain-fusion']);
    expect(before.themes[0]!.milestones.map((m) => m.milestone.name)).toEqual([
      'Cyclotron',
      'Gyrotron',
    ]);
    expect(before.themes[0]!.milestones[1]!.items.map((i) => i.slug)).toEqual([
      'gpu-node-spec',
      'ai-subnets',
    ]);

    const renamed = withChange((file) => {
      file.themes[0]!.milestones[1]!.items[0]!.title = 'GPU node specification';
      file.themes[0]!.milestones[1]!.items.push({
        slug: 'wasm64',
        title: 'Wasm64',
        description: '',
        status: { Future: null },
        links: [],
      });
    });
    expect(unwrap(app.commons.importRoadmap(app.as(ADMIN), renamed))).toEqual({
      themesCreated: 0,
      themesUpdated: 2,
      milestonesCreated: 0,
      milestonesUpdated: 3,
      itemsCreated: 1,
      itemsUpdated: 4,
    });
    const after = app.commons.getRoadmap();
    const gyrotron = after.themes[0]!.milestones[1]!;
    expect(gyrotron.items[0]).toMatchObject({
      id: before.themes[0]!.milestones[1]!.items[0]!.id,
      title: 'GPU node specification',
    });
    expect(gyrotron.items.map((i) => i.slug)).toEqual(['gpu-node-spec', 'ai-subnets', 'wasm64']);
    expect(app.commons.getActivity([], 1).entries[0]?.kind).toHaveProperty('RoadmapImported');
  });

  it('is for admins only', () => {
    const app = setup();
    unwrap(app.commons.setRole(app.as(ADMIN), MOD, { Moderator: null }));
    expectRejected(
      app,
      () => app.commons.importRoadmap(app.as(ALICE), SAMPLE_ROADMAP),
      'Forbidden',
    );
    expectRejected(app, () => app.commons.importRoadmap(app.as(MOD), SAMPLE_ROADMAP), 'Forbidden');
    expectRejected(
      app,
      () => app.commons.importRoadmap(app.anonymous(), SAMPLE_ROADMAP),
      'NotAuthenticated',
    );
  });

  it('writes nothing when any part of the file is invalid', () => {
    const app = setup();
    const cases: Array<[(file: RoadmapImport) => void, string]> = [
      [(f) => void (f.themes[1]!.slug = 'Not A Slug'), 'themes[1].slug'],
      [(f) => void (f.themes[1]!.slug = f.themes[0]!.slug), 'themes[1].slug'],
      [(f) => void (f.themes[0]!.title = ''), 'themes[0].title'],
      [
        (f) => void (f.themes[0]!.milestones[0]!.eta = ['two\nlines']),
        'themes[0].milestones[0].eta',
      ],
      [
        (f) => void (f.themes[1]!.milestones[0]!.items[0]!.title = 'x'.repeat(161)),
        'themes[1].milestones[0].items[0].title',
      ],
      [
        (f) =>
          void (f.themes[1]!.milestones[0]!.items[0]!.links = [
            { label: 'x', url: 'http://insecure.example' },
          ]),
        'themes[1].milestones[0].items[0].links.url',
      ],
      [
        (f) => void (f.themes[1]!.milestones[0]!.items[0]!.slug = 'gpu-node-spec'),
        'themes[1].milestones[0].items[0].slug',
      ],
    ];
    for (const [change, field] of cases) {
      expectRejected(
        app,
        () => app.commons.importRoadmap(app.as(ADMIN), withChange(change)),
        'Invalid',
        field,
      );
    }
  });
});

describe('upserts', () => {
  it('create and update single themes, milestones and items by slug', () => {
    const app = setup();
    const admin = app.as(ADMIN);
    const theme = unwrap(
      app.commons.upsertTheme(admin, { slug: 'privacy', title: 'Privacy', summary: '', order: 2 }),
    );
    const milestone = unwrap(
      app.commons.upsertMilestone(admin, {
        themeSlug: 'privacy',
        slug: 'vetkeys',
        name: 'vetKeys',
        summary: '',
        status: { InProgress: null },
        eta: [],
        order: 0,
      }),
    );
    expect(milestone.themeId).toBe(theme.id);
    const item = unwrap(
      app.commons.upsertItem(admin, {
        milestoneSlug: 'vetkeys',
        slug: 'sev-snp',
        title: 'SEV-SNP for HTTP gateways',
        description: 'Then replicas.',
        status: { Upcoming: null },
        links: [],
        order: 0,
      }),
    );
    const moved = unwrap(
      app.commons.upsertItem(admin, {
        ...itemInput(),
        title: 'SEV-SNP',
        status: { InProgress: null },
      }),
    );
    expect(moved).toMatchObject({ id: item.id, title: 'SEV-SNP', status: { InProgress: null } });
    expect(app.commons.getActivity([], 10).entries.map((e) => Object.keys(e.kind)[0])).toEqual([
      'ItemUpserted',
      'ItemUpserted',
      'MilestoneUpserted',
      'ThemeUpserted',
    ]);
  });

  it('reject unknown parents and non-admins', () => {
    const app = setup();
    expectRejected(app, () => app.commons.upsertItem(app.as(ADMIN), itemInput()), 'NotFound');
    expectRejected(
      app,
      () =>
        app.commons.upsertMilestone(app.as(ADMIN), {
          themeSlug: 'nope',
          slug: 'x',
          name: 'X',
          summary: '',
          status: { Future: null },
          eta: [],
          order: 0,
        }),
      'NotFound',
    );
    expectRejected(
      app,
      () =>
        app.commons.upsertTheme(app.as(ALICE), { slug: 'x', title: 'X', summary: '', order: 0 }),
      'Forbidden',
    );
  });
});

function itemInput() {
  return {
    milestoneSlug: 'vetkeys',
    slug: 'sev-snp',
    title: 'SEV-SNP for HTTP gateways',
    description: 'Then replicas.',
    status: { Upcoming: null } as const,
    links: [],
    order: 0,
  };
}
