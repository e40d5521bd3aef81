import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hotRank as backendHotRank } from '../../../src/backend/domain/proposal-index';
import {
  hotRank,
  listingOrder,
  mergedPage,
  type MergedCursor,
  type StatusPage,
} from '../../../src/frontend/src/api/mergedListing';
import {
  PROPOSAL_SORTS,
  type ProposalSort,
  type ProposalStatusKind,
  type ProposalSummary,
} from '../../../src/frontend/src/api/models';

function proposal(id: number, status: ProposalStatusKind, patch: Partial<ProposalSummary> = {}) {
  const kindOnly = { kind: status } as ProposalSummary['status'];
  return {
    id: String(id),
    author: 'a',
    authorName: undefined,
    title: `p${id}`,
    excerpt: '',
    themeId: undefined,
    tags: [],
    status: kindOnly,
    createdAt: new Date(1_700_000_000_000 + id * 3_600_000),
    updatedAt: new Date(0),
    up: 0,
    down: 0,
    commentCount: 0,
    myVote: undefined,
    ...patch,
  } satisfies ProposalSummary;
}

/** A stand-in for listProposals with one status: pages of `size` in the backend's order. */
function backend(all: ProposalSummary[], sort: ProposalSort, size: number) {
  const calls: string[] = [];
  const fetchPage = async (status: ProposalStatusKind, cursor: string | undefined) => {
    calls.push(`${status}@${cursor ?? 0}`);
    const listed = all.filter((p) => p.status.kind === status).sort(listingOrder(sort));
    const from = cursor ? Number(cursor) : 0;
    const page: StatusPage = {
      proposals: listed.slice(from, from + size),
      nextCursor: from + size < listed.length ? String(from + size) : undefined,
    };
    return Promise.resolve(page);
  };
  return { fetchPage, calls };
}

async function readAll(
  statuses: ProposalStatusKind[],
  sort: ProposalSort,
  limit: number,
  fetchPage: ReturnType<typeof backend>['fetchPage'],
) {
  const pages: ProposalSummary[][] = [];
  let cursor: MergedCursor | undefined;
  do {
    const page = await mergedPage(statuses, sort, limit, cursor, fetchPage);
    pages.push(page.proposals);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

describe('hotRank', () => {
  it('matches the backend formula: log10 of the score plus age in 12.5 hour steps', () => {
    const at = new Date(45_000_000); // 45,000 s after the epoch: one step
    expect(hotRank(0, 0, at)).toBe(1_000);
    expect(hotRank(10, 0, at)).toBe(2_000);
    expect(hotRank(0, 10, at)).toBe(0);
  });

  it('ranks like the backend index for any tally and creation time', () => {
    fc.assert(
      fc.property(
        fc.nat(100_000),
        fc.nat(100_000),
        fc.bigInt({ min: 0n, max: 4_000_000_000_000_000_000n }),
        (up, down, nanos) => {
          const createdAt = new Date(Number(nanos / 1_000_000n));
          expect(hotRank(up, down, createdAt)).toBe(backendHotRank(up, down, nanos));
        },
      ),
    );
  });
});

describe('mergedPage', () => {
  it('lists open, under review and planned proposals as one list, page by page, in order', async () => {
    const all = [
      proposal(1, 'Open', { up: 5 }),
      proposal(2, 'Planned', { up: 9 }),
      proposal(3, 'Declined', { up: 50 }),
      proposal(4, 'UnderReview', { up: 5 }),
      proposal(5, 'Open', { up: 1 }),
      proposal(6, 'Done', { up: 7 }),
      proposal(7, 'Open', { up: 2, down: 4 }),
    ];
    const { fetchPage } = backend(all, 'Top', 2);
    const pages = await readAll(['Open', 'UnderReview', 'Planned'], 'Top', 2, fetchPage);
    expect(pages.map((p) => p.map((x) => x.id))).toEqual([['2', '4'], ['1', '5'], ['7']]);
  });

  it('shows every proposal of the chosen statuses once, in the backend order, for every sort', async () => {
    const statuses: ProposalStatusKind[] = ['Open', 'UnderReview', 'Planned', 'Declined'];
    const arb = fc.array(
      fc.record({
        status: fc.constantFrom(...statuses),
        up: fc.nat(30),
        down: fc.nat(30),
        comments: fc.nat(6),
        hours: fc.nat(2000),
      }),
      { maxLength: 40 },
    );
    await fc.assert(
      fc.asyncProperty(
        arb,
        fc.constantFrom(...PROPOSAL_SORTS),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        async (specs, sort, backendPage, limit) => {
          const all = specs.map((s, i) =>
            proposal(i + 1, s.status, {
              up: s.up,
              down: s.down,
              commentCount: s.comments,
              createdAt: new Date(1_700_000_000_000 + s.hours * 3_600_000),
            }),
          );
          const chosen: ProposalStatusKind[] = ['Open', 'UnderReview', 'Planned'];
          const { fetchPage } = backend(all, sort, backendPage);
          const pages = await readAll(chosen, sort, limit, fetchPage);
          const expected = all
            .filter((p) => chosen.includes(p.status.kind))
            .sort(listingOrder(sort))
            .map((p) => p.id);
          expect(pages.flat().map((p) => p.id)).toEqual(expected);
          for (const page of pages.slice(0, -1)) expect(page.length).toBe(limit);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('fetches a status again only when its fetched proposals have all been shown', async () => {
    const all = [...[1, 2, 3, 4, 5, 6].map((i) => proposal(i, 'Open')), proposal(7, 'Planned')];
    const { fetchPage, calls } = backend(all, 'New', 20);
    const first = await mergedPage(['Open', 'Planned'], 'New', 3, undefined, fetchPage);
    expect(first.proposals.map((p) => p.id)).toEqual(['7', '6', '5']);
    expect(calls).toEqual(['Open@0', 'Planned@0']);
    const second = await mergedPage(['Open', 'Planned'], 'New', 3, first.nextCursor, fetchPage);
    expect(second.proposals.map((p) => p.id)).toEqual(['4', '3', '2']);
    expect(calls).toHaveLength(2);
  });
});
