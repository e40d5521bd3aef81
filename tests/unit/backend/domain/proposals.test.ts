import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type {
  ListProposalsRequest,
  Proposal,
  ProposalSort,
} from '../../../../src/backend/domain/model';
import { hotRank } from '../../../../src/backend/domain/proposal-index';
import { MAX_PAGE } from '../../../../src/backend/domain/proposals';
import {
  ADMIN,
  ALICE,
  BOB,
  CAROL,
  HOUR_NS,
  expectRejected,
  proposalInput,
  seedRoadmap,
  setup,
  unwrap,
} from '../support';

function request(overrides: Partial<ListProposalsRequest> = {}): ListProposalsRequest {
  return {
    sort: { New: null },
    status: [],
    themeId: [],
    tag: [],
    author: [],
    cursor: [],
    limit: 10,
    ...overrides,
  };
}

describe('submitProposal', () => {
  it("stores a trimmed, open proposal that starts with its author's up-vote", () => {
    const app = setup();
    const proposal = unwrap(
      app.commons.submitProposal(app.as(ALICE), proposalInput({ title: '  Node shuffling  ' })),
    );
    expect(proposal).toMatchObject({
      id: 1n,
      author: ALICE,
      title: 'Node shuffling',
      status: { Open: null },
      up: 1,
      down: 0,
      commentCount: 0,
    });
    expect(app.commons.getProposal(app.as(BOB), 1n)[0]?.proposal).toEqual(proposal);
    expect(app.commons.getProposal(app.as(ALICE), 1n)[0]?.myVote).toEqual([{ Up: null }]);
  });

  it('rejects bad input with the field at fault and changes nothing', () => {
    const app = setup();
    const cases: Array<[Parameters<typeof proposalInput>[0], string]> = [
      [{ title: '' }, 'title'],
      [{ title: 'abc' }, 'title'],
      [{ title: 'x'.repeat(121) }, 'title'],
      [{ title: 'two\nlines' }, 'title'],
      [{ title: 'bell \u0007 here' }, 'title'],
      [{ body: 'x'.repeat(10_001) }, 'body'],
      [{ body: 'escape \u001b[31m' }, 'body'],
      [{ tags: ['a', 'b', 'c', 'd', 'e', 'f'] }, 'tags'],
      [{ tags: ['Not A Tag'] }, 'tags'],
    ];
    for (const [input, field] of cases) {
      expectRejected(
        app,
        () => app.commons.submitProposal(app.as(ALICE), proposalInput(input)),
        'Invalid',
        field,
      );
    }
  });

  it('rejects the anonymous caller and unknown themes', () => {
    const app = setup();
    expectRejected(
      app,
      () => app.commons.submitProposal(app.anonymous(), proposalInput()),
      'NotAuthenticated',
    );
    expectRejected(
      app,
      () => app.commons.submitProposal(app.as(ALICE), proposalInput({ themeId: [99n] })),
      'NotFound',
    );
  });

  it('accepts a body of exactly 10,000 characters and a title of 4 and of 120', () => {
    const app = setup();
    unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput({ body: 'x'.repeat(10_000) })));
    unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput({ title: 'abcd' })));
    unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput({ title: 'y'.repeat(120) })));
  });
});

describe('editProposal', () => {
  it('lets the author edit an open proposal and keeps the replaced text as history', () => {
    const app = setup();
    const original = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    app.advance(HOUR_NS);
    const edited = unwrap(
      app.commons.editProposal(
        app.as(ALICE),
        original.id,
        proposalInput({ title: 'Node shuffling v2', tags: [] }),
      ),
    );
    expect(edited).toMatchObject({ title: 'Node shuffling v2', tags: [], revisionCount: 1 });
    expect(edited.updatedAt).toBe(original.createdAt + HOUR_NS);
    expect(app.commons.getProposalHistory(app.anonymous(), original.id, [], 10)).toEqual([
      {
        title: original.title,
        body: original.body,
        tags: original.tags,
        replacedAt: edited.updatedAt,
      },
    ]);
  });

  it('returns a history longer than a listing page, and pages it by the number to skip', () => {
    const app = setup();
    const { id } = unwrap(app.commons.submitProposal(app.as(ADMIN), proposalInput({ body: 'v0' })));
    for (let v = 1; v <= 120; v++) {
      unwrap(app.commons.editProposal(app.as(ADMIN), id, proposalInput({ body: `v${v}` })));
    }
    const bodies = (cursor: [] | [string], limit: number) =>
      app.commons.getProposalHistory(app.anonymous(), id, cursor, limit).map((r) => r.body);
    const all = Array.from({ length: 120 }, (_, v) => `v${v}`);
    expect(bodies([], 1000)).toEqual(all.slice(0, 100));
    expect(bodies(['100'], 1000)).toEqual(all.slice(100));
    expect(bodies(['51'], 2)).toEqual(['v51', 'v52']);
    expect(bodies(['not a number'], 10)).toEqual([]);
  });

  it('refuses other members, anonymous callers, unknown ids and proposals that are no longer open', () => {
    const app = setup();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    expectRejected(
      app,
      () => app.commons.editProposal(app.as(BOB), id, proposalInput()),
      'Forbidden',
    );
    expectRejected(
      app,
      () => app.commons.editProposal(app.anonymous(), id, proposalInput()),
      'NotAuthenticated',
    );
    expectRejected(
      app,
      () => app.commons.editProposal(app.as(ALICE), 42n, proposalInput()),
      'NotFound',
    );
    expectRejected(
      app,
      () => app.commons.editProposal(app.as(ALICE), id, proposalInput({ title: '' })),
      'Invalid',
      'title',
    );
    unwrap(app.commons.setProposalStatus(app.as(ADMIN), id, { UnderReview: null }, []));
    expectRejected(
      app,
      () => app.commons.editProposal(app.as(ALICE), id, proposalInput()),
      'Conflict',
    );
  });
});

describe('setProposalStatus', () => {
  it('is for admins only and records an official response and an activity entry', () => {
    const app = setup();
    const ids = seedRoadmap(app);
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    expectRejected(
      app,
      () => app.commons.setProposalStatus(app.as(ALICE), id, { Done: null }, []),
      'Forbidden',
    );
    expectRejected(
      app,
      () => app.commons.setProposalStatus(app.anonymous(), id, { Done: null }, []),
      'NotAuthenticated',
    );
    const itemId = ids.get('gpu-node-spec')!;
    const planned = unwrap(
      app.commons.setProposalStatus(app.as(ADMIN), id, { Planned: itemId }, [
        'Folded into Gyrotron.',
      ]),
    );
    expect(planned.status).toEqual({ Planned: itemId });
    expect(planned.officialResponse[0]).toMatchObject({ body: 'Folded into Gyrotron.', by: ADMIN });
    expect(app.commons.getActivity([], 1).entries[0]?.kind).toEqual({
      ProposalStatusChanged: { proposalId: id, status: { Planned: itemId } },
    });
  });

  it('checks the ids and reasons that statuses carry', () => {
    const app = setup();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    const admin = app.as(ADMIN);
    expectRejected(
      app,
      () => app.commons.setProposalStatus(admin, id, { Planned: 77n }, []),
      'NotFound',
    );
    expectRejected(
      app,
      () => app.commons.setProposalStatus(admin, id, { Duplicate: 77n }, []),
      'NotFound',
    );
    expectRejected(
      app,
      () => app.commons.setProposalStatus(admin, id, { Duplicate: id }, []),
      'Invalid',
      'status',
    );
    expectRejected(
      app,
      () => app.commons.setProposalStatus(admin, id, { Declined: '  ' }, []),
      'Invalid',
      'reason',
    );
    expectRejected(
      app,
      () => app.commons.setProposalStatus(admin, 77n, { Done: null }, []),
      'NotFound',
    );
    expectRejected(
      app,
      () => app.commons.setProposalStatus(admin, id, { Done: null }, ['\u0000']),
      'Invalid',
      'response',
    );
  });
});

describe('listProposals', () => {
  type Spec = {
    author: 0 | 1 | 2;
    tags: string[];
    up: number;
    down: number;
    comments: number;
    status: 0 | 1 | 2;
  };
  const authors = [ALICE, BOB, CAROL];
  const specArb: fc.Arbitrary<Spec> = fc.record({
    author: fc.constantFrom(0 as const, 1 as const, 2 as const),
    tags: fc.subarray(['ai', 'gpu', 'privacy']),
    up: fc.nat({ max: 4 }),
    down: fc.nat({ max: 4 }),
    comments: fc.nat({ max: 3 }),
    status: fc.constantFrom(0 as const, 1 as const, 2 as const),
  });
  const sortArb = fc.constantFrom<ProposalSort>(
    { New: null },
    { Top: null },
    { Hot: null },
    { MostDiscussed: null },
  );
  const voters = Array.from({ length: 8 }, (_, i) => `voter-${i}` as never);

  function expectedOrder(sort: ProposalSort, proposals: Proposal[]): bigint[] {
    const key = (p: Proposal): number | bigint =>
      'Top' in sort
        ? p.up - p.down
        : 'Hot' in sort
          ? hotRank(p.up, p.down, p.createdAt)
          : 'MostDiscussed' in sort
            ? p.commentCount
            : 0;
    return [...proposals]
      .sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        if (ka !== kb) return ka > kb ? -1 : 1;
        return a.id > b.id ? -1 : 1;
      })
      .map((p) => p.id);
  }

  it('pages through every matching proposal exactly once, in the requested order, for any filter', () => {
    fc.assert(
      fc.property(
        fc.array(specArb, { minLength: 0, maxLength: 25 }),
        sortArb,
        fc.integer({ min: 1, max: 7 }),
        fc.record({
          author: fc.option(fc.constantFrom(0, 1, 2)),
          tag: fc.option(fc.constantFrom('ai', 'gpu', 'privacy')),
          status: fc.option(fc.constantFrom(0, 1, 2)),
        }),
        (specs, sort, limit, filter) => {
          const app = setup();
          app.commons.setSettings(app.as(ADMIN), {
            ...app.commons.getSettings(),
            proposalsPerDay: 1000,
          });
          for (const spec of specs) {
            app.advance(HOUR_NS);
            const { id } = unwrap(
              app.commons.submitProposal(
                app.as(authors[spec.author]!),
                proposalInput({ tags: spec.tags }),
              ),
            );
            for (let v = 0; v < spec.up + spec.down; v++) {
              unwrap(
                app.commons.voteProposal(app.as(voters[v]!), id, [
                  v < spec.up ? { Up: null } : { Down: null },
                ]),
              );
            }
            for (let c = 0; c < spec.comments; c++) {
              unwrap(
                app.commons.postComment(app.as(BOB), {
                  target: { Proposal: id },
                  parentId: [],
                  body: 'yes',
                }),
              );
            }
            if (spec.status === 1)
              unwrap(app.commons.setProposalStatus(app.as(ADMIN), id, { UnderReview: null }, []));
            if (spec.status === 2)
              unwrap(app.commons.setProposalStatus(app.as(ADMIN), id, { Done: null }, []));
          }
          const statuses = [{ Open: null }, { UnderReview: null }, { Done: null }] as const;
          const all = specs.map(
            (_, i) => app.commons.getProposal(app.as(ALICE), BigInt(i + 1))[0]!.proposal,
          );
          const matching = all.filter(
            (p) =>
              (filter.author === null || p.author === authors[filter.author]) &&
              (filter.tag === null || p.tags.includes(filter.tag)) &&
              (filter.status === null ||
                Object.keys(p.status)[0] === Object.keys(statuses[filter.status]!)[0]),
          );
          const seen: bigint[] = [];
          let cursor: [] | [string] = [];
          for (let pages = 0; pages < 100; pages++) {
            const page = app.commons.listProposals(
              app.as(ALICE),
              request({
                sort,
                limit,
                cursor,
                author: filter.author === null ? [] : [authors[filter.author]!],
                tag: filter.tag === null ? [] : [filter.tag],
                status: filter.status === null ? [] : [statuses[filter.status]!],
              }),
            );
            expect(page.proposals.length).toBeLessThanOrEqual(limit);
            seen.push(...page.proposals.map((p) => p.id));
            if (page.nextCursor.length === 0) break;
            cursor = page.nextCursor;
          }
          expect(seen).toEqual(expectedOrder(sort, matching));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('clamps the page size to 50 and treats 0 as the default of 20', () => {
    const app = setup();
    app.commons.setSettings(app.as(ADMIN), { ...app.commons.getSettings(), proposalsPerDay: 1000 });
    for (let i = 0; i < 60; i++) unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    expect(
      app.commons.listProposals(app.as(ALICE), request({ limit: 1000 })).proposals,
    ).toHaveLength(MAX_PAGE);
    expect(app.commons.listProposals(app.as(ALICE), request({ limit: 0 })).proposals).toHaveLength(
      20,
    );
  });

  it('returns an empty page for a cursor it did not issue', () => {
    const app = setup();
    unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    expect(app.commons.listProposals(app.as(ALICE), request({ cursor: ['zz'] }))).toEqual({
      proposals: [],
      nextCursor: [],
    });
  });

  it("shows the caller's own vote in each summary", () => {
    const app = setup();
    const { id } = unwrap(app.commons.submitProposal(app.as(ALICE), proposalInput()));
    unwrap(app.commons.voteProposal(app.as(BOB), id, [{ Down: null }]));
    expect(app.commons.listProposals(app.as(BOB), request()).proposals[0]?.myVote).toEqual([
      { Down: null },
    ]);
    expect(app.commons.listProposals(app.as(ALICE), request()).proposals[0]?.myVote).toEqual([
      { Up: null },
    ]);
    expect(app.commons.listProposals(app.anonymous(), request()).proposals[0]?.myVote).toEqual([]);
  });
});
