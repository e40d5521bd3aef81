import { describe, expect, it } from 'vitest';

import type { ListProposalsRequest } from '../../../../src/backend/domain/model';
import { EXCERPT_LENGTH, MAX_PAGE, MAX_SCANNED } from '../../../../src/backend/domain/proposals';
import { countingSetup } from '../support-counting';
import { ADMIN, proposalInput, unwrap } from '../support';

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
