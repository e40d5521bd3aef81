import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type {
  ListProposalsRequest,
  Proposal,
  ProposalSort,
} from '../../../../src/backend/domain/model';
import { hotRank } from '../../../../src/backend/domain/proposal-index';
import { Commons } from '../../../../src/backend/domain/commons';
import { MAX_PAGE, parseTagFilter } from '../../../../src/backend/domain/proposals';
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
    needsResponse: [],
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

describe('triage: tags, oldest first, responses', () => {
  function board() {
    const app = setup();
    const ids: bigint[] = [];
    for (const [author, tags] of [
      [ALICE, ['security', 'consensus']],
      [BOB, ['security']],
      [CAROL, ['consensus']],
      [ALICE, ['security', 'consensus', 'tooling']],
    ] as const) {
      app.advance(HOUR_NS);
      const input = proposalInput({ title: `Idea with ${tags.join(' and ')}`, tags: [...tags] });
      ids.push(unwrap(app.commons.submitProposal(app.as(author), input)).id);
    }
    return { app, ids };
  }

  it('reads a tag filter with #, commas, spaces and capitals, and requires every tag', () => {
    expect(parseTagFilter(' #Security, consensus  #security ')).toEqual(['security', 'consensus']);
    const { app, ids } = board();
    const listed = (tag: string) =>
      app.commons
        .listProposals(app.anonymous(), request({ tag: [tag] }))
        .proposals.map((p) => p.id);
    expect(listed('#security #consensus')).toEqual([ids[3], ids[0]]);
    expect(listed('#SECURITY')).toEqual([ids[3], ids[1], ids[0]]);
    expect(listed('tooling, security')).toEqual([ids[3]]);
    expect(listed('#unknown security')).toEqual([]);
  });

  it('lists oldest first, page after page', () => {
    const { app, ids } = board();
    const first = app.commons.listProposals(
      app.anonymous(),
      request({ sort: { Oldest: null }, limit: 3 }),
    );
    expect(first.proposals.map((p) => p.id)).toEqual(ids.slice(0, 3));
    const second = app.commons.listProposals(
      app.anonymous(),
      request({ sort: { Oldest: null }, limit: 3, cursor: first.nextCursor }),
    );
    expect(second.proposals.map((p) => p.id)).toEqual(ids.slice(3));
    expect(second.nextCursor).toEqual([]);
  });

  it('keeps every version of a response, with the status it was written for, and can clear it', () => {
    const { app, ids } = board();
    const [id] = ids as [bigint];
    const detail = () => app.commons.getProposal(app.anonymous(), id)[0]!;
    const respond = (status: Parameters<typeof app.commons.setProposalStatus>[2], text: string) =>
      unwrap(app.commons.setProposalStatus(app.as(ADMIN), id, status, [text]));

    respond({ UnderReview: null }, 'We are looking into it.');
    expect(detail().response).toEqual([{ forStatus: { UnderReview: null }, revisions: 0 }]);
    // A status change that keeps the response leaves it written for the earlier status.
    unwrap(app.commons.setProposalStatus(app.as(ADMIN), id, { Declined: 'Not now' }, []));
    expect(detail().response).toEqual([{ forStatus: { UnderReview: null }, revisions: 0 }]);
    expect(detail().proposal.officialResponse[0]?.body).toBe('We are looking into it.');

    respond({ Declined: 'Not now' }, 'Declined: node shuffling needs a new protocol first.');
    expect(detail().response).toEqual([{ forStatus: { Declined: 'Not now' }, revisions: 1 }]);
    respond({ Open: null }, '  ');
    expect(detail().proposal.officialResponse).toEqual([]);
    expect(detail().response).toEqual([]);
    const history = app.commons.getResponseHistory(app.anonymous(), id);
    expect(history.map((r) => [r.body, r.forStatus])).toEqual([
      ['We are looking into it.', [{ UnderReview: null }]],
      ['Declined: node shuffling needs a new protocol first.', [{ Declined: 'Not now' }]],
    ]);
    expect(history.every((r) => r.by === ADMIN)).toBe(true);
  });

  it('queues the open and under-review proposals that have no response, and counts the board', () => {
    const { app, ids } = board();
    const waiting = () =>
      app.commons
        .listProposals(app.anonymous(), request({ sort: { Oldest: null }, needsResponse: [true] }))
        .proposals.map((p) => p.id);
    expect(waiting()).toEqual(ids);
    unwrap(app.commons.setProposalStatus(app.as(ADMIN), ids[0]!, { UnderReview: null }, ['Soon.']));
    unwrap(app.commons.setProposalStatus(app.as(ADMIN), ids[1]!, { Done: null }, []));
    unwrap(app.commons.setProposalStatus(app.as(ADMIN), ids[2]!, { UnderReview: null }, []));
    expect(waiting()).toEqual([ids[2], ids[3]]);

    const facets = app.commons.getProposalFacets();
    expect(facets.needsResponse).toBe(2);
    expect(
      Object.fromEntries(facets.statuses.map((s) => [Object.keys(s.status)[0], s.count])),
    ).toEqual({ Open: 1, UnderReview: 2, Planned: 0, Declined: 0, Duplicate: 0, Done: 1 });
    expect(facets.tags).toEqual(
      [
        { tag: 'security', count: 3 },
        { tag: 'consensus', count: 3 },
        { tag: 'tooling', count: 1 },
      ].sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : 1)),
    );
  });

  it('finds responses written before they had records of their own (layout 2)', () => {
    const { app, ids } = board();
    unwrap(app.commons.setProposalStatus(app.as(ADMIN), ids[1]!, { UnderReview: null }, ['Yes.']));
    // Layout 2 had the response in the body record only.
    const responses = app.stores<unknown>('responses');
    responses.forEach((_record, key) => responses.delete(key));
    app.stores<{ Layout: number }>('meta').set('layout', { Layout: 2 });
    const reopened = Commons.open(app.stores);
    expect(reopened.getProposal(app.anonymous(), ids[1]!)[0]?.response).toEqual([
      { forStatus: { UnderReview: null }, revisions: 0 },
    ]);
    expect(reopened.getProposalFacets().needsResponse).toBe(3);
    expect(app.stores<{ Layout: number }>('meta').get('layout')).toEqual({ Layout: 3 });
  });
});
