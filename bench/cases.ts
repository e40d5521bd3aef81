/**
 * The calls the benchmark times, one per method and variant the app relies on. Arguments are
 * built per repetition so that every repeated update really changes state (a repeated vote
 * with the same value is a no-op and would under-report the cost).
 */
import type { Principal } from '@dfinity/principal';
import type {
  ListProposalsRequest,
  ProposalPage,
  ReportPage,
  SearchRequest,
} from '../src/declarations/backend';
import { randomMember, type BackendClient } from './canister';
import type { Loader } from './load';

export interface BenchCase {
  label: string;
  method: string;
  kind: 'query' | 'update';
  /**
   * `member`: the phase's bench member (a profile, priority votes, a comment of its own);
   * `fresh`: a new member per repetition, for actions whose rate limit is per member per day;
   * `typicalAuthor`: the author of the context's typical proposal (edits).
   */
  sender: 'member' | 'fresh' | 'typicalAuthor';
  args(rep: number): unknown[];
  /**
   * The arguments of one more, unmeasured call after `reps` measured ones, when they left
   * state that later loading must not meet (a hidden proposal takes no votes).
   */
  settle?(reps: number): unknown[] | undefined;
}

export interface CaseContext {
  loader: Loader;
  /** The bench member's own comment, for editComment. */
  ownComment: bigint;
  /** Proposals the bench member has not voted on yet, one per voteProposal repetition. */
  unvoted: bigint[];
  /** A proposal of the same shape at every size (the loaded ones vary in length). */
  typicalProposal: bigint;
  /** The typical proposal's author, who may edit it. */
  typicalAuthor: Principal;
  /** Comments of the bench member's, one per deleteComment repetition. */
  deletable: bigint[];
  cursorHotPage2: string;
  busiestProposal: bigint;
  busiestItem: bigint;
  prolificAuthor: Principal;
  commenter: Principal;
  tag: string;
  themeId: bigint;
  /** Proposals with an open report each, more than a page of the moderation queue. */
  reported: bigint[];
  /** A proposal the bench member (a moderator) hides and restores in turn. */
  moderated: bigint;
}

function request(overrides: Partial<ListProposalsRequest>): ListProposalsRequest {
  return {
    sort: { Hot: null },
    needsResponse: [],
    status: [],
    themeId: [],
    tag: [],
    author: [],
    cursor: [],
    limit: 20,
    ...overrides,
  };
}

/** Prepares the bench member of one phase and the arguments that depend on the loaded data. */
export async function prepareCases(
  client: BackendClient,
  loader: Loader,
  member: Principal,
  phase: string,
  reps: number,
  /** Writes and edits the typical proposal; over HTTP it must be an identity that signs. */
  typicalAuthor: Principal = loader.freshMember(),
): Promise<CaseContext> {
  // The bench member writes many times within minutes of joining, and moderates: the lower
  // limits of new members are off, and the member is a moderator (moderators are not exempt
  // from rate limits, so every other case measures what a member pays).
  await loader.settleNewMembers();
  await searchIndexed(client, member);
  await talliesCertified(client, member);
  await client.ok('setRole', [member, { Moderator: null }], loader.admin);
  await client.ok(
    'setProfile',
    [{ displayName: `bench-${phase}`.slice(0, 32), bio: 'benchmark member' }],
    member,
  );
  const [itemA, itemB] = loader.openItemIds;
  if (itemA !== undefined) await client.ok('setPriorityVotes', [itemA, 3], member);
  if (itemB !== undefined) await client.ok('setPriorityVotes', [itemB, 2], member);
  const busiestProposal = 1n;
  const own = await client.ok<{ id: bigint }>(
    'postComment',
    [{ target: { Proposal: busiestProposal }, parentId: [], body: 'A comment to edit.' }],
    member,
  );
  const typical = await client.ok<{ id: bigint }>(
    'submitProposal',
    [
      {
        title: `A typical proposal (${phase})`,
        body: 'Rotate nodes between subnets so that no fixed group can collude. '.repeat(6),
        tags: ['consensus', 'tooling'],
        themeId: loader.themeIds[0] === undefined ? [] : [loader.themeIds[0]],
      },
    ],
    typicalAuthor,
  );
  const deletable: bigint[] = [];
  for (let i = 0; i < reps; i++) {
    const c = await client.ok<{ id: bigint }>(
      'postComment',
      [{ target: { Proposal: busiestProposal }, parentId: [], body: `Soon deleted ${i}.` }],
      member,
    );
    deletable.push(c.value.id);
  }
  await fillThread(client, { Item: loader.openItemIds[0] ?? 1n }, 21, loader);
  const page1 = await client.call<ProposalPage>('listProposals', [request({})], member);
  const cursor = page1.value.nextCursor[0];
  if (cursor === undefined) throw new Error('listProposals returned a single page');
  const total = BigInt(loader.counts.proposals);
  const unvoted = Array.from({ length: reps }, (_, i) => total - BigInt(i));
  const commenter = loader.comments[0]?.author;
  if (commenter === undefined) throw new Error('no comments were loaded');
  // Replies to the bench member's comment fill a page of their inbox.
  for (let i = 0; i < 25; i++) {
    await client.ok(
      'postComment',
      [{ target: { Proposal: busiestProposal }, parentId: [own.value.id], body: `Reply ${i}.` }],
      randomMember(),
    );
  }
  // Moderators work through the queue: what an earlier phase or size left open is dismissed,
  // so that every listReports page holds the same groups (one report each) at every size.
  await dismissOpenReports(client, loader.admin);
  // Reports from members without a profile never hide anything automatically.
  const reported = Array.from({ length: 25 }, (_, i) => total - BigInt(reps + i));
  for (const id of reported) {
    await client.ok(
      'report',
      [{ target: { Proposal: id }, reason: { Spam: null }, note: ['An advertisement.'] }],
      randomMember(),
    );
  }
  const moderated = total - BigInt(reps + reported.length);
  for (const id of [...reported, moderated]) loader.mayBeHidden.add(id);
  return {
    loader,
    ownComment: own.value.id,
    unvoted,
    typicalProposal: typical.value.id,
    typicalAuthor,
    deletable,
    cursorHotPage2: cursor,
    busiestProposal,
    busiestItem: loader.openItemIds[0] ?? 1n,
    prolificAuthor: loader.members[0]!,
    commenter,
    tag: 'consensus',
    themeId: loader.themeIds[0] ?? 1n,
    reported,
    moderated,
  };
}

async function dismissOpenReports(client: BackendClient, moderator: Principal): Promise<void> {
  for (;;) {
    const page = await client.ok<ReportPage>('listReports', [[], 50], moderator);
    if (page.value.groups.length === 0) return;
    for (const group of page.value.groups) {
      await client.ok(
        'moderate',
        [{ action: { Dismiss: group.target }, reason: 'Benchmark: handled' }],
        moderator,
      );
    }
  }
}

/**
 * Waits until the search index has caught up: after the state folder is reopened (an upgrade)
 * timer messages rebuild it, and a search measured meanwhile would read a partial index.
 */
async function searchIndexed(client: BackendClient, member: Principal): Promise<void> {
  const started = Date.now();
  for (;;) {
    const page = await client.call<{ Ok?: { pending: number } }>(
      'searchProposals',
      [search('anything')],
      member,
    );
    if ((page.value.Ok?.pending ?? 0) === 0) return;
    if (Date.now() - started > 60 * 60 * 1000) throw new Error('the search index was not rebuilt');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * Waits until the certified tallies are built again (after the reopening, as the search
 * index): until then getTallyProof answers an error at no cost.
 */
async function talliesCertified(client: BackendClient, member: Principal): Promise<void> {
  const started = Date.now();
  for (;;) {
    const proof = await client.call<{ Ok?: unknown }>(
      'getTallyProof',
      [{ proposals: [], items: [] }],
      member,
    );
    if (proof.value.Ok !== undefined) return;
    if (Date.now() - started > 60 * 60 * 1000) throw new Error('the tallies were not certified');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** 20 proposal ids spread over the whole board, as a Hot or Top page has them. */
function spreadIds(total: bigint): bigint[] {
  return Array.from({ length: 20 }, (_, i) => 1n + (BigInt(i) * total) / 20n);
}

function search(query: string, status: SearchRequest['status'] = []): SearchRequest {
  return { query, status, cursor: [], limit: [20] };
}

/**
 * Gives a thread at least `topLevel` top-level comments, each from a fresh member, so that a
 * 20-comment page is full at every size and its cost compares across sizes.
 */
async function fillThread(
  client: BackendClient,
  target: { Item: bigint } | { Proposal: bigint },
  topLevel: number,
  loader: Loader,
): Promise<void> {
  const page = await client.call<{ comments: unknown[] }>(
    'getThread',
    [target, [], topLevel],
    loader.admin,
  );
  for (let i = page.value.comments.length; i < topLevel; i++) {
    await client.ok(
      'postComment',
      [{ target, parentId: [], body: `A comment that fills the thread, number ${i + 1}.` }],
      loader.freshMember(),
    );
  }
}

export function benchCases(ctx: CaseContext): BenchCase[] {
  /** A top-level comment on the busiest proposal with the longest body allowed (5,000). */
  const longComment = (label: string, text: (rep: number) => string): BenchCase => ({
    label,
    method: 'postComment',
    kind: 'update',
    sender: 'fresh',
    args: (rep) => [
      { target: { Proposal: ctx.busiestProposal }, parentId: [], body: text(rep).slice(0, 5_000) },
    ],
  });
  const q = (label: string, method: string, args: (rep: number) => unknown[]): BenchCase => ({
    label,
    method,
    kind: 'query',
    sender: 'member',
    args,
  });
  /** The backend's open data over HTTP (docs/open-data.md), as a gateway asks for it. */
  const openData = (label: string, url: string, kind: 'query' | 'update' = 'update'): BenchCase => {
    const request = {
      method: 'GET',
      url,
      headers: [['Host', 'bench.localhost']],
      body: new Uint8Array(0),
    };
    return {
      label,
      method: kind === 'query' ? 'http_request' : 'http_request_update',
      kind,
      sender: 'member',
      args: () => [kind === 'query' ? { ...request, certificate_version: [2] } : request],
    };
  };
  const list = (label: string, overrides: Partial<ListProposalsRequest>): BenchCase =>
    q(`listProposals ${label}`, 'listProposals', () => [request(overrides)]);
  return [
    q('whoami', 'whoami', () => []),
    q('getRoadmap', 'getRoadmap', () => []),
    list('Hot', { sort: { Hot: null } }),
    list('Top', { sort: { Top: null } }),
    list('New', { sort: { New: null } }),
    list('MostDiscussed', { sort: { MostDiscussed: null } }),
    list('Hot page 2 (cursor)', { sort: { Hot: null }, cursor: [ctx.cursorHotPage2] }),
    list('Hot limit 50', { sort: { Hot: null }, limit: 50 }),
    list('Top tag', { sort: { Top: null }, tag: [ctx.tag] }),
    list('New theme', { sort: { New: null }, themeId: [ctx.themeId] }),
    list('Hot status UnderReview', { sort: { Hot: null }, status: [{ UnderReview: null }] }),
    list('New author', { sort: { New: null }, author: [ctx.prolificAuthor] }),
    list('Hot tag+status (rare combination: scans at most 150 cards)', {
      sort: { Hot: null },
      tag: [ctx.tag],
      status: [{ Planned: null }],
    }),
    q('searchProposals "shuffling" (one word)', 'searchProposals', () => [search('shuffling')]),
    q('searchProposals "node shuffling subnet" (three common words)', 'searchProposals', () => [
      search('node shuffling subnet'),
    ]),
    q('searchProposals "subnet shuf" (a word, and one being typed)', 'searchProposals', () => [
      search('subnet shuf'),
    ]),
    q('searchProposals "canister" status Planned', 'searchProposals', () => [
      search('canister', [{ Planned: null }]),
    ]),
    q('similarProposals (a draft title and body)', 'similarProposals', () => [
      {
        title: 'Shuffle nodes between subnets',
        body: ['Rotate nodes so that no fixed group can collude; measure latency and cycles.'],
      },
    ]),
    q('getProposal', 'getProposal', () => [ctx.typicalProposal]),
    q('getProposal (busiest)', 'getProposal', () => [ctx.busiestProposal]),
    q('getThread busiest proposal, 20 top-level', 'getThread', () => [
      { Proposal: ctx.busiestProposal },
      [],
      20,
    ]),
    q('getThread item, 20 top-level', 'getThread', () => [{ Item: ctx.busiestItem }, [], 20]),
    q('getActivity 20', 'getActivity', () => [[], 20]),
    q('listCommentsByAuthor 20', 'listCommentsByAuthor', () => [ctx.commenter, [], 20]),
    // A member's own up-votes on their proposals and about 20 votes of their own.
    q('listVotesByMember 20', 'listVotesByMember', () => [ctx.prolificAuthor, [], 20]),
    q('getMyPriorities', 'getMyPriorities', () => []),
    q('getUnreadCount', 'getUnreadCount', () => []),
    q('getNotifications 20', 'getNotifications', () => [[], 20]),
    q('getSettings', 'getSettings', () => []),
    openData('http_request /feed.atom (the query asks for an update)', '/feed.atom', 'query'),
    openData('http_request_update /feed.atom (50 proposals)', '/feed.atom'),
    openData(
      'http_request_update comments.atom of the busiest proposal (50 comments)',
      `/proposals/${ctx.busiestProposal}/comments.atom`,
    ),
    openData('http_request_update /roadmap.json', '/roadmap.json'),
    openData(
      'http_request_update /export/proposals.ndjson (50 proposals)',
      '/export/proposals.ndjson',
    ),
    openData(
      'http_request_update /export/comments.ndjson (100 comments)',
      '/export/comments.ndjson',
    ),
    q('getItem', 'getItem', () => [ctx.busiestItem]),
    q('getProfile', 'getProfile', () => [ctx.prolificAuthor]),
    q('getModerationSettings', 'getModerationSettings', () => []),
    q('listReports 20', 'listReports', () => [[], 20]),
    q('getTallyProof 20 proposals (spread over the board)', 'getTallyProof', () => [
      { proposals: spreadIds(BigInt(ctx.loader.counts.proposals)), items: [] },
    ]),
    q('getTallyProof 20 proposals and every open roadmap item', 'getTallyProof', () => [
      {
        proposals: spreadIds(BigInt(ctx.loader.counts.proposals)),
        items: ctx.loader.openItemIds,
      },
    ]),
    {
      label: 'submitProposal',
      method: 'submitProposal',
      kind: 'update',
      sender: 'fresh',
      args: (rep) => [
        {
          title: `Benchmark idea ${rep}: faster queries`,
          body: 'Measure every method at growing data sizes. '.repeat(12),
          tags: ['tooling', 'consensus'],
          themeId: [ctx.themeId],
        },
      ],
    },
    {
      label: 'submitProposal, 10,000-character body',
      method: 'submitProposal',
      kind: 'update',
      sender: 'fresh',
      args: (rep) => [
        {
          title: `Benchmark idea ${rep}: the longest body allowed`,
          body: `${'Every word of a long proposal is text the canister checks and stores. '.repeat(142)}end.`.slice(
            0,
            10_000,
          ),
          tags: ['tooling'],
          themeId: [ctx.themeId],
        },
      ],
    },
    {
      label: 'submitProposal, 10,000-character non-ASCII body',
      method: 'submitProposal',
      kind: 'update',
      sender: 'fresh',
      args: (rep) => [
        {
          title: `Benchmark idea ${rep}: a long body in other scripts`,
          body: 'Ротация узлов между подсетями — 節點輪換 — rotation des nœuds. '
            .repeat(200)
            .slice(0, 10_000),
          tags: ['tooling'],
          themeId: [ctx.themeId],
        },
      ],
    },
    {
      label: 'editProposal',
      method: 'editProposal',
      kind: 'update',
      sender: 'typicalAuthor',
      args: (rep) => [
        ctx.typicalProposal,
        {
          title: `A typical proposal, revision ${rep + 1}`,
          body: `Revision ${rep + 1}. ${'Rotate nodes between subnets so that no fixed group can collude. '.repeat(6)}`,
          tags: ['consensus', 'tooling'],
          themeId: [ctx.themeId],
        },
      ],
    },
    {
      label: 'editProposal, 10,000-character body',
      method: 'editProposal',
      kind: 'update',
      sender: 'typicalAuthor',
      args: (rep) => [
        ctx.typicalProposal,
        {
          title: `A typical proposal, long revision ${rep + 1}`,
          body: `Revision ${rep + 1}. ${'Every word of a long proposal is text the canister checks and stores. '.repeat(142)}`.slice(
            0,
            10_000,
          ),
          tags: ['consensus'],
          themeId: [ctx.themeId],
        },
      ],
    },
    longComment(
      'postComment, 5,000-character body',
      (rep) =>
        `Long comment ${rep}. ${'A thread is where people work an idea out together. '.repeat(100)}`,
    ),
    longComment(
      'postComment, 5,000-character non-ASCII body',
      (rep) =>
        `Комментарий ${rep}. ${'Ротация узлов между подсетями — 節點輪換 — rotation des nœuds. '.repeat(100)}`,
    ),
    {
      label: 'deleteComment',
      method: 'deleteComment',
      kind: 'update',
      sender: 'member',
      args: (rep) => [ctx.deletable[rep % ctx.deletable.length]],
    },
    {
      label: 'setProfile',
      method: 'setProfile',
      kind: 'update',
      sender: 'member',
      args: (rep) => [
        {
          displayName: `Bench ${rep} ${Math.random().toString(36).slice(2, 8)}`,
          bio: `Bio ${rep}.`,
        },
      ],
    },
    {
      label: 'voteProposal',
      method: 'voteProposal',
      kind: 'update',
      sender: 'member',
      args: (rep) => [ctx.unvoted[rep % ctx.unvoted.length], [{ Up: null }]],
    },
    {
      label: 'setPriorityVotes',
      method: 'setPriorityVotes',
      kind: 'update',
      sender: 'member',
      // Alternating 3 → 4 → 3 … really moves credits on every repetition.
      args: (rep) => [ctx.busiestItem, rep % 2 === 0 ? 4 : 3],
    },
    {
      label: 'postComment',
      method: 'postComment',
      kind: 'update',
      sender: 'member',
      args: (rep) => [
        {
          target: { Proposal: ctx.busiestProposal },
          parentId: [],
          body: `Benchmark comment ${rep}: the thread keeps growing.`,
        },
      ],
    },
    {
      label: 'report',
      method: 'report',
      kind: 'update',
      sender: 'fresh',
      args: (rep) => [
        {
          target: { Proposal: ctx.reported[rep % ctx.reported.length] },
          reason: { OffTopic: null },
          note: [`Benchmark report ${rep}: not about the roadmap.`],
        },
      ],
    },
    {
      label: 'moderate (hide, restore in turn)',
      method: 'moderate',
      kind: 'update',
      sender: 'member',
      args: (rep) => [
        {
          action:
            rep % 2 === 0
              ? { Hide: { Proposal: ctx.moderated } }
              : { Restore: { Proposal: ctx.moderated } },
          reason: rep % 2 === 0 ? 'Benchmark: advertising' : 'Benchmark: on topic after all',
        },
      ],
      // An odd number of repetitions ends hidden: restore it, so the next size can vote on it.
      settle: (reps) =>
        reps % 2 === 1
          ? [{ action: { Restore: { Proposal: ctx.moderated } }, reason: 'Benchmark: done' }]
          : undefined,
    },
    {
      label: 'editComment',
      method: 'editComment',
      kind: 'update',
      sender: 'member',
      args: (rep) => [ctx.ownComment, `Edited comment, revision ${rep + 1}.`],
    },
  ];
}
