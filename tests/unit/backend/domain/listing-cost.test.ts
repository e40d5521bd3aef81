import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { ListProposalsRequest, Opt, Vote } from '../../../../src/backend/domain/model';
import { EXCERPT_LENGTH, MAX_PAGE, MAX_SCANNED } from '../../../../src/backend/domain/proposals';
import { countingSetup } from '../support-counting';
import { ADMIN, BOB, CAROL, MOD, proposalInput, unwrap } from '../support';

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

function seed(count: number, body = 'short body') {
  const app = countingSetup();
  const ids: bigint[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(
      unwrap(app.commons.submitProposal(app.as(ADMIN), proposalInput({ body, tags: ['gpu'] }))).id,
    );
  }
  return { app, ids };
}

describe('listProposals cost', () => {
  it('examines a bounded number of entries per call when several filters are combined, whatever the data size', () => {
    for (const size of [50, 600]) {
      const { app, ids } = seed(size);
      // The three oldest move to UnderReview: a tag + status listing must find them at the end.
      const reviewed = ids.slice(0, 3);
      for (const id of reviewed) {
        unwrap(app.commons.setProposalStatus(app.as(ADMIN), id, { UnderReview: null }, []));
      }
      const found: bigint[] = [];
      let cursor: [] | [string] = [];
      let calls = 0;
      do {
        app.reset();
        const page = app.commons.listProposals(
          app.as(ADMIN),
          request({ tag: ['gpu'], status: [{ UnderReview: null }], cursor, limit: MAX_PAGE }),
        );
        calls++;
        // Filters are checked on the heap cards: only the proposals returned are read, and
        // never with their bodies.
        expect(app.gets('proposalBodies')).toBe(0);
        expect(app.gets('proposalTexts')).toBe(page.proposals.length);
        found.push(...page.proposals.map((p) => p.id));
        cursor = page.nextCursor;
      } while (cursor.length > 0 && calls < 100);
      expect(found.sort()).toEqual([...reviewed].sort());
      expect(calls).toBe(Math.ceil(size / MAX_SCANNED));
    }
  });

  it('builds pages from list cards, never from stored proposals with their bodies', () => {
    const { app } = seed(60, 'x'.repeat(10_000));
    app.reset();
    const page = app.commons.listProposals(app.as(ADMIN), request({ limit: MAX_PAGE }));
    expect(page.proposals).toHaveLength(MAX_PAGE);
    expect(app.gets('proposalBodies')).toBe(0);
    expect(app.gets('proposalTexts')).toBe(MAX_PAGE);
    expect([...page.proposals[0]!.excerpt]).toHaveLength(EXCERPT_LENGTH);
  });
});

describe("a reader's own votes on a page", () => {
  it('cost a lookup per card only for a reader who voted on more than half a page', () => {
    // The admin wrote, and so up-voted, every proposal; Carol voted once; Bob never.
    const { app, ids } = seed(MAX_PAGE);
    unwrap(app.commons.voteProposal(app.as(CAROL), ids[3]!, [{ Down: null }]));
    for (const [reader, votes, lookups] of [
      [BOB, 0, 0],
      [CAROL, 1, 1],
      [ADMIN, MAX_PAGE, MAX_PAGE],
    ] as const) {
      app.reset();
      const page = app.commons.listProposals(app.as(reader), request({ limit: MAX_PAGE }));
      expect(page.proposals).toHaveLength(MAX_PAGE);
      expect(page.proposals.filter((p) => p.myVote.length > 0)).toHaveLength(votes);
      expect(app.gets('proposalVotes')).toBe(lookups);
      // Bob's list is read once to find it empty, Carol's whole (one entry), the admin's not.
      expect(app.gets('lensTargets')).toBeLessThanOrEqual(1);
    }
    const carols = app.commons.listProposals(app.as(CAROL), request({ limit: MAX_PAGE }));
    expect(carols.proposals.find((p) => p.id === ids[3])!.myVote).toEqual([{ Down: null }]);
  });

  it('are the votes each reader holds, whatever they voted, changed or withdrew', () => {
    const readers = [BOB, CAROL, MOD];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            reader: fc.integer({ min: 0, max: readers.length - 1 }),
            card: fc.integer({ min: 0, max: 11 }),
            vote: fc.constantFrom<Opt<Vote>>([], [{ Up: null }], [{ Down: null }]),
          }),
          { maxLength: 40 },
        ),
        (steps) => {
          const { app, ids } = seed(12);
          for (const { reader, card, vote } of steps) {
            app.commons.voteProposal(app.as(readers[reader]!), ids[card]!, vote);
          }
          for (const reader of readers) {
            const page = app.commons.listProposals(app.as(reader), request({ limit: 12 }));
            for (const summary of page.proposals) {
              const detail = app.commons.getProposal(app.as(reader), summary.id)[0]!;
              expect(summary.myVote).toEqual(detail.myVote);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('proposal excerpts', () => {
  it('are plain text with the markdown syntax stripped, cut to the excerpt length', () => {
    const { app } = seed(0);
    const body = [
      '## Why',
      '',
      'We need **faster** _queries_ and [better docs](https://example.com).',
      '',
      '```ts',
      'const x = 1;',
      '```',
      '',
      '- one item',
      '1. `code` span',
      '> quoted &amp; done',
    ].join('\n');
    const id = unwrap(app.commons.submitProposal(app.as(ADMIN), proposalInput({ body }))).id;
    const [summary] = app.commons.listProposals(app.as(ADMIN), request()).proposals;
    expect(summary?.id).toBe(id);
    expect(summary?.excerpt).toBe(
      'Why: We need faster queries and better docs. const x = 1; one item code span quoted & done',
    );
  });

  it('stay in step with edits, votes, status changes and comments', () => {
    const { app } = seed(0);
    const id = unwrap(app.commons.submitProposal(app.as(ADMIN), proposalInput())).id;
    unwrap(
      app.commons.editProposal(
        app.as(ADMIN),
        id,
        proposalInput({ title: 'Renamed title', body: 'New *body*' }),
      ),
    );
    unwrap(app.commons.voteProposal(app.as(ADMIN), id, [{ Up: null }]));
    unwrap(
      app.commons.postComment(app.as(ADMIN), {
        target: { Proposal: id },
        parentId: [],
        body: 'hi',
      }),
    );
    unwrap(app.commons.setProposalStatus(app.as(ADMIN), id, { UnderReview: null }, []));
    const [summary] = app.commons.listProposals(app.as(ADMIN), request()).proposals;
    const [detail] = app.commons.getProposal(app.as(ADMIN), id);
    expect(summary).toMatchObject({
      title: 'Renamed title',
      excerpt: 'New body',
      up: 1,
      down: 0,
      commentCount: 1,
      status: { UnderReview: null },
      updatedAt: detail!.proposal.updatedAt,
    });
  });
});
