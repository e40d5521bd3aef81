import { describe, expect, it } from 'vitest';

import { ANONYMOUS } from '../../../../src/backend/domain/model';
import { DEFAULT_SETTINGS } from '../../../../src/backend/domain/db';
import { ADMIN, ALICE, BOB, CONTROLLER, MOD, expectRejected, setup, unwrap } from '../support';

describe('profiles', () => {
  it('are created on first save and keep their join time on later edits', () => {
    const app = setup();
    const created = unwrap(
      app.commons.setProfile(app.as(ALICE), { displayName: ' Alice ', bio: 'Builds canisters.' }),
    );
    expect(created).toEqual({
      principal: ALICE,
      displayName: 'Alice',
      bio: 'Builds canisters.',
      joinedAt: app.now(),
      role: { Member: null },
      votingPower: 0n,
    });
    app.advance(1_000_000_000n);
    const edited = unwrap(
      app.commons.setProfile(app.as(ALICE), { displayName: 'Alice B', bio: '' }),
    );
    expect(edited.joinedAt).toBe(created.joinedAt);
    expect(app.commons.getProfile(ALICE)).toEqual([edited]);
    expect(app.commons.getProfile(BOB)).toEqual([]);
  });

  it('have display names that are unique ignoring case, and free a name when it changes', () => {
    const app = setup();
    unwrap(app.commons.setProfile(app.as(ALICE), { displayName: 'Alice', bio: '' }));
    expectRejected(
      app,
      () => app.commons.setProfile(app.as(BOB), { displayName: 'ALICE', bio: '' }),
      'Conflict',
    );
    unwrap(app.commons.setProfile(app.as(ALICE), { displayName: 'alice', bio: '' }));
    unwrap(app.commons.setProfile(app.as(ALICE), { displayName: 'Wonderland', bio: '' }));
    unwrap(app.commons.setProfile(app.as(BOB), { displayName: 'Alice', bio: '' }));
  });

  it('reject bad names and bios and anonymous callers', () => {
    const app = setup();
    const cases: Array<[string, string, string]> = [
      ['ab', '', 'displayName'],
      ['x'.repeat(33), '', 'displayName'],
      ['two\nlines', '', 'displayName'],
      ['tab\tname', '', 'displayName'],
      ['   ', '', 'displayName'],
      ['Valid', 'x'.repeat(281), 'bio'],
      ['Valid', 'bell\u0007', 'bio'],
    ];
    for (const [displayName, bio, field] of cases) {
      expectRejected(
        app,
        () => app.commons.setProfile(app.as(ALICE), { displayName, bio }),
        'Invalid',
        field,
      );
    }
    expectRejected(
      app,
      () => app.commons.setProfile(app.anonymous(), { displayName: 'Nobody', bio: '' }),
      'NotAuthenticated',
    );
  });
});

describe('roles', () => {
  it('make init admins and controllers admins, and everyone else a member', () => {
    const app = setup();
    expect(app.commons.whoami(app.as(ADMIN)).role).toEqual({ Admin: null });
    expect(app.commons.whoami(app.as(CONTROLLER)).role).toEqual({ Admin: null });
    expect(app.commons.whoami(app.as(ALICE)).role).toEqual({ Member: null });
    expect(app.commons.whoami(app.anonymous())).toMatchObject({
      principal: ANONYMOUS,
      isAnonymous: true,
      profile: [],
    });
  });

  it('adding admins again (an upgrade argument) adds, never removes', () => {
    const app = setup();
    app.commons.addAdmins([BOB]);
    expect(
      app.commons
        .listRoles()
        .map((grant) => grant.principal)
        .sort(),
    ).toEqual([ADMIN, BOB].sort());
  });

  it('are granted and revoked by admins only, and logged', () => {
    const app = setup();
    expectRejected(
      app,
      () => app.commons.setRole(app.as(ALICE), BOB, { Admin: null }),
      'Forbidden',
    );
    expectRejected(
      app,
      () => app.commons.setRole(app.anonymous(), BOB, { Admin: null }),
      'NotAuthenticated',
    );
    expectRejected(
      app,
      () => app.commons.setRole(app.as(ADMIN), ANONYMOUS, { Moderator: null }),
      'Invalid',
      'principal',
    );
    expectRejected(
      app,
      () => app.commons.setRole(app.as(ADMIN), ADMIN, { Member: null }),
      'Conflict',
    );
    unwrap(app.commons.setRole(app.as(CONTROLLER), MOD, { Moderator: null }));
    expect(app.commons.whoami(app.as(MOD)).role).toEqual({ Moderator: null });
    expectRejected(
      app,
      () => app.commons.setRole(app.as(MOD), ALICE, { Moderator: null }),
      'Forbidden',
    );
    unwrap(app.commons.setRole(app.as(ADMIN), MOD, { Member: null }));
    expect(app.commons.whoami(app.as(MOD)).role).toEqual({ Member: null });
    expect(app.commons.getActivity([], 10).entries.map((e) => e.kind)).toEqual([
      { RoleChanged: { principal: MOD, role: { Member: null } } },
      { RoleChanged: { principal: MOD, role: { Moderator: null } } },
    ]);
  });
});

describe('settings', () => {
  it('start at the documented defaults and change only through admins, within range', () => {
    const app = setup();
    expect(app.commons.getSettings()).toEqual({
      creditBudget: 100,
      proposalsPerDay: 5,
      commentsPerHour: 30,
      votesPerHour: 300,
      profileEditsPerHour: 10,
    });
    expectRejected(
      app,
      () => app.commons.setSettings(app.as(ALICE), DEFAULT_SETTINGS),
      'Forbidden',
    );
    expectRejected(
      app,
      () => app.commons.setSettings(app.as(ADMIN), { ...DEFAULT_SETTINGS, creditBudget: 0 }),
      'Invalid',
      'creditBudget',
    );
    expectRejected(
      app,
      () => app.commons.setSettings(app.as(ADMIN), { ...DEFAULT_SETTINGS, votesPerHour: 1.5 }),
      'Invalid',
      'votesPerHour',
    );
    unwrap(app.commons.setSettings(app.as(ADMIN), { ...DEFAULT_SETTINGS, creditBudget: 49 }));
    expect(app.commons.whoami(app.as(ALICE))).toMatchObject({ creditBudget: 49, creditsLeft: 49 });
  });
});

describe('activity log', () => {
  it('pages newest first with a cursor', () => {
    const app = setup();
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      unwrap(
        app.commons.upsertTheme(app.as(ADMIN), {
          slug: name,
          title: name.toUpperCase(),
          summary: '',
          order: 0,
        }),
      );
    }
    const first = app.commons.getActivity([], 3);
    const second = app.commons.getActivity(first.nextCursor, 3);
    const slugs = [...first.entries, ...second.entries].map((e) =>
      'ThemeUpserted' in e.kind ? e.kind.ThemeUpserted.slug : '',
    );
    expect(slugs).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(second.nextCursor).toEqual([]);
    expect(first.entries[0]).toMatchObject({ actor: ADMIN, at: app.now() });
  });
});

describe('display names that look alike', () => {
  const name = (displayName: string) => ({ displayName, bio: '' });

  it.each([
    ['in other letter case', 'Alice Ng', 'ALICE NG'],
    ['with a Cyrillic А', 'Alice Ng', '\u0410lice Ng'],
    ['with a capital I for the l', 'Alice Ng', 'AIice Ng'],
    ['with a digit 1 for the l', 'Alice Ng', 'A1ice Ng'],
    ['with a no-break space', 'Alice Ng', 'Alice\u00a0Ng'],
    ['with two spaces', 'Alice Ng', 'Alice  Ng'],
    ['with rn for m', 'Alice Nm', 'Alice Nrn'],
  ])('belong to whoever took the name first (%s)', (_how, first, lookalike) => {
    const app = setup();
    unwrap(app.commons.setProfile(app.as(ALICE), name(first)));
    expectRejected(app, () => app.commons.setProfile(app.as(BOB), name(lookalike)), 'Conflict');
  });

  it('refuses names made unique by an invisible character', () => {
    const app = setup();
    unwrap(app.commons.setProfile(app.as(ALICE), name('Alice Ng')));
    expectRejected(
      app,
      () => app.commons.setProfile(app.as(BOB), name('Alice Ng\u200b')),
      'Invalid',
      'displayName',
    );
  });

  it('let the owner change the shape of their own name, and free the old one', () => {
    const app = setup();
    unwrap(app.commons.setProfile(app.as(ALICE), name('Alice Ng')));
    unwrap(app.commons.setProfile(app.as(ALICE), name('ALICE NG')));
    unwrap(app.commons.setProfile(app.as(ALICE), name('Alice Wong')));
    unwrap(app.commons.setProfile(app.as(BOB), name('Alice Ng')));
    expectRejected(app, () => app.commons.setProfile(app.as(BOB), name('Alice Wong')), 'Conflict');
  });

  it('still tell different names apart', () => {
    const app = setup();
    unwrap(app.commons.setProfile(app.as(ALICE), name('Alice Ng')));
    unwrap(app.commons.setProfile(app.as(BOB), name('Alicia Ng')));
    unwrap(app.commons.setProfile(app.as(MOD), name('Алиса')));
  });
});
