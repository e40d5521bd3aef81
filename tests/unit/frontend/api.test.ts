import { Principal } from '@dfinity/principal';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CanisterError } from '../../../src/frontend/src/api/errors';

// A fake actor stands in for the canister: only the api layer's own conversions run.
const service = vi.hoisted(() => ({
  getProfile: vi.fn(),
  getProposal: vi.fn(),
  listProposals: vi.fn(),
  voteProposal: vi.fn(),
  setProfile: vi.fn(),
  report: vi.fn(),
  listReports: vi.fn(),
  moderate: vi.fn(),
  setProposalStatus: vi.fn(),
  getProposalFacets: vi.fn(),
  getResponseHistory: vi.fn(),
}));
vi.mock('../../../src/frontend/src/api/actor', async () => {
  const { fromThrown } = await import('../../../src/frontend/src/api/errors');
  const call = async <T>(fn: (s: typeof service) => Promise<T>) => {
    try {
      return await fn(service);
    } catch (e) {
      throw fromThrown(e);
    }
  };
  return { call, read: call };
});

const { api } = await import('../../../src/frontend/src/api/backend');
const alice = Principal.fromText('aaaaa-aa');

beforeEach(() => {
  for (const fn of Object.values(service)) fn.mockReset();
});

describe('api', () => {
  it('answers null (never undefined) for a missing profile or proposal', async () => {
    service.getProfile.mockResolvedValue([]);
    service.getProposal.mockResolvedValue([]);
    expect(await api.getProfile('aaaaa-aa')).toBeNull();
    expect(await api.getProposal('3')).toBeNull();
    expect(service.getProposal).toHaveBeenCalledWith(3n);
  });

  it('converts a proposal page: bigint ids, options, variants and nanosecond times', async () => {
    service.listProposals.mockResolvedValue({
      proposals: [
        {
          id: 12n,
          up: 3,
          down: 1,
          status: { Planned: 7n },
          title: 'T',
          excerpt: 'E',
          createdAt: 1_700_000_000_000_000_000n,
          updatedAt: 1_700_000_000_000_000_000n,
          tags: ['a'],
          authorName: ['Alice'],
          author: alice,
          myVote: [{ Down: null }],
          commentCount: 2,
          themeId: [],
          hidden: [],
        },
      ],
      nextCursor: ['next'],
    });
    const page = await api.listProposals({ sort: 'MostDiscussed', tags: ['a'] }, undefined);
    expect(service.listProposals).toHaveBeenCalledWith({
      sort: { MostDiscussed: null },
      status: [],
      themeId: [],
      tag: ['a'],
      author: [],
      cursor: [],
      limit: 20,
      needsResponse: [],
    });
    expect(page.nextCursor).toBe('next');
    expect(page.proposals[0]).toMatchObject({
      id: '12',
      status: { kind: 'Planned', itemId: '7' },
      authorName: 'Alice',
      author: 'aaaaa-aa',
      myVote: 'Down',
      themeId: undefined,
      createdAt: new Date(1_700_000_000_000),
      hidden: undefined,
    });
  });

  it('lists several statuses through one listProposals call per status, with the same filters', async () => {
    service.listProposals.mockResolvedValue({ proposals: [], nextCursor: [] });
    const page = await api.listProposals(
      { sort: 'Top', statuses: ['Open', 'UnderReview', 'Planned'], tags: ['security'] },
      undefined,
    );
    expect(page).toEqual({ proposals: [], nextCursor: undefined });
    expect(service.listProposals.mock.calls.map(([r]) => [r.status, r.tag, r.sort])).toEqual([
      [[{ Open: null }], ['security'], { Top: null }],
      [[{ UnderReview: null }], ['security'], { Top: null }],
      [[{ Planned: null }], ['security'], { Top: null }],
    ]);
  });

  it('sends several tags as one text, the needs-a-response queue and the oldest-first sort', async () => {
    service.listProposals.mockResolvedValue({ proposals: [], nextCursor: [] });
    await api.listProposals(
      { sort: 'Oldest', tags: ['security', 'consensus'], needsResponse: true },
      undefined,
    );
    expect(service.listProposals).toHaveBeenCalledWith(
      expect.objectContaining({
        sort: { Oldest: null },
        tag: ['security consensus'],
        needsResponse: [true],
      }),
    );
  });

  it('keeps, sets or removes the official response with a status change', async () => {
    service.setProposalStatus.mockResolvedValue({ Ok: {} });
    await api.setProposalStatus('4', { kind: 'UnderReview' }, 'keep');
    await api.setProposalStatus('4', { kind: 'Done' }, { set: '  Shipped.  ' });
    await api.setProposalStatus('4', { kind: 'Done' }, 'remove');
    expect(service.setProposalStatus.mock.calls).toEqual([
      [4n, { UnderReview: null }, []],
      [4n, { Done: null }, ['Shipped.']],
      // An empty text is how the backend is told to clear the response.
      [4n, { Done: null }, ['']],
    ]);
  });

  it('reads the facets with every status counted, and the response history', async () => {
    service.getProposalFacets.mockResolvedValue({
      statuses: [{ status: { Open: null }, count: 5 }],
      tags: [{ tag: 'security', count: 3 }],
      needsResponse: 4,
    });
    const facets = await api.getProposalFacets();
    expect(facets.statuses).toEqual({
      Open: 5,
      UnderReview: 0,
      Planned: 0,
      Declined: 0,
      Duplicate: 0,
      Done: 0,
    });
    expect(facets.tags).toEqual([{ tag: 'security', count: 3 }]);
    expect(facets.needsResponse).toBe(4);

    service.getResponseHistory.mockResolvedValue([
      {
        body: 'Looking at it.',
        by: alice,
        at: 1_000_000n,
        forStatus: [{ UnderReview: null }],
        replacedAt: 2_000_000n,
      },
    ]);
    expect(await api.getResponseHistory('4')).toEqual([
      {
        body: 'Looking at it.',
        by: 'aaaaa-aa',
        at: new Date(1),
        forStatus: { kind: 'UnderReview' },
        replacedAt: new Date(2),
      },
    ]);
    expect(service.getResponseHistory).toHaveBeenCalledWith(4n);
  });

  it('turns an Err result into a typed CanisterError', async () => {
    service.voteProposal.mockResolvedValue({ Err: { RateLimited: { retryAfterSeconds: 60 } } });
    const failure = api.voteProposal('1', 'Up');
    await expect(failure).rejects.toBeInstanceOf(CanisterError);
    await expect(failure).rejects.toMatchObject({
      info: { kind: 'RateLimited', retryAfterSeconds: 60 },
    });
    expect(service.voteProposal).toHaveBeenCalledWith(1n, [{ Up: null }]);
  });

  it('trims profile input before sending it', async () => {
    service.setProfile.mockResolvedValue({
      Ok: { bio: '', principal: alice, displayName: 'Al', joinedAt: 0n, role: { Member: null } },
    });
    const saved = await api.setProfile({ displayName: '  Al  ', bio: ' ' });
    expect(service.setProfile).toHaveBeenCalledWith({ displayName: 'Al', bio: '' });
    expect(saved.role).toBe('Member');
  });

  it('sends a report with its note trimmed, and an empty note as none', async () => {
    service.report.mockResolvedValue({ Ok: null });
    await api.report({
      target: { kind: 'Member', principal: 'aaaaa-aa' },
      reason: 'OffTopic',
      note: '  ',
    });
    await api.report({ target: { kind: 'Comment', id: '4' }, reason: 'Spam', note: ' shop ' });
    expect(service.report.mock.calls).toEqual([
      [{ target: { Member: alice }, reason: { OffTopic: null }, note: [] }],
      [{ target: { Comment: 4n }, reason: { Spam: null }, note: ['shop'] }],
    ]);
  });

  it('converts the moderation queue and encodes each moderation action', async () => {
    service.listReports.mockResolvedValue({
      Ok: {
        groups: [
          {
            target: { Proposal: 3n },
            count: 2,
            reports: [{ reporter: alice, reason: { Abuse: null }, note: ['rude'], at: 0n }],
            hidden: [{ reason: 'reported by 3 members', by: [], at: 0n }],
            content: {
              Proposal: {
                id: 3n,
                up: 1,
                down: 0,
                title: 'T',
                excerpt: 'E',
                authorName: [],
                author: alice,
              },
            },
            firstReportedAt: 0n,
          },
        ],
        nextCursor: [],
      },
    });
    const page = await api.listReports(undefined);
    expect(service.listReports).toHaveBeenCalledWith([], 20);
    expect(page.groups[0]).toMatchObject({
      target: { kind: 'Proposal', id: '3' },
      count: 2,
      reports: [{ reporter: 'aaaaa-aa', reason: 'Abuse', note: 'rude' }],
      hidden: { reason: 'reported by 3 members', by: undefined },
      content: { kind: 'Proposal', id: '3', title: 'T', authorName: undefined },
    });

    service.moderate.mockResolvedValue({ Ok: null });
    await api.moderate({ kind: 'Hide', target: { kind: 'Comment', id: '9' } }, ' spam ');
    await api.moderate({ kind: 'Suspend', member: 'aaaaa-aa', days: undefined }, 'abuse');
    await api.moderate({ kind: 'Suspend', member: 'aaaaa-aa', days: 7 }, 'abuse');
    await api.moderate({ kind: 'Dismiss', target: { kind: 'Member', principal: 'aaaaa-aa' } }, '');
    expect(service.moderate.mock.calls.map(([r]) => r)).toEqual([
      { action: { Hide: { Comment: 9n } }, reason: 'spam' },
      { action: { Suspend: { member: alice, days: [] } }, reason: 'abuse' },
      { action: { Suspend: { member: alice, days: [7] } }, reason: 'abuse' },
      { action: { Dismiss: { Member: alice } }, reason: '' },
    ]);
  });

  it('turns a mistyped principal into a field error before calling the canister', async () => {
    await expect(
      api.moderate({ kind: 'Unsuspend', member: 'not a principal' }, ''),
    ).rejects.toMatchObject({ info: { kind: 'Invalid', field: 'principal' } });
    expect(service.moderate).not.toHaveBeenCalled();
  });
});
