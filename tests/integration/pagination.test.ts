/**
 * Cursors: listProposals over more than 50 proposals returns every proposal exactly once
 * under each sort (and under each filter), getThread pages return the thread in pre-order
 * with depths, getActivity and listCommentsByAuthor page newest first.
 */
import { AnonymousIdentity } from '@dfinity/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ActivityPage,
  Comment,
  CommentPage,
  ListProposalsRequest,
  ProposalPage,
  ProposalSummary,
  Target,
  ThreadPage,
} from '../../src/declarations/backend';
import {
  SORT_NAMES,
  allActivity,
  allProposalPages,
  ed25519,
  member,
  ok,
  p256,
  settleNewMembers,
  startTestNet,
  type Backend,
  type Member,
  type TestNet,
} from './harness';

let net: TestNet;
let admin: Backend;
let visitor: Backend;
let members: Member[];
/** Every proposal, as the board should list it. */
const proposals: { id: bigint; author: Member; tags: string[]; themeId: bigint | undefined }[] = [];
const TOTAL = 56;
let themeId: bigint;

const ids = (pages: ProposalSummary[][]) => pages.flat().map((p) => p.id);
const sortedIds = (values: bigint[]) => [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

beforeAll(async () => {
  net = await startTestNet();
  admin = await net.actor(net.deployer);
  visitor = await net.actor(new AnonymousIdentity());
  await settleNewMembers(admin);
  const settings = await visitor.getSettings();
  ok(await admin.setSettings({ ...settings, proposalsPerDay: 20, commentsPerHour: 200 }));
  themeId = (await visitor.getRoadmap()).themes[1]!.theme.id;
  members = await Promise.all(
    Array.from({ length: 8 }, async (_, i) => member(net, i % 2 === 0 ? ed25519() : await p256())),
  );
  // Each member submits its share; members run side by side.
  await Promise.all(
    members.map(async (author, m) => {
      for (let k = 0; k < TOTAL / members.length; k++) {
        const n = m * 100 + k;
        const tags = n % 3 === 0 ? ['tri'] : [];
        const theme = n % 4 === 0 ? themeId : undefined;
        const created = ok(
          await author.actor.submitProposal({
            title: `Proposal ${m}-${k}`,
            body: `Body ${n}`,
            tags,
            themeId: theme === undefined ? [] : [theme],
          }),
        );
        proposals.push({ id: created.id, author, tags, themeId: theme });
      }
    }),
  );
  // Votes and comments so that Top, Hot and MostDiscussed differ from New.
  await Promise.all(
    members.map(async (voter, m) => {
      for (const [i, p] of proposals.entries()) {
        if ((i + m) % 17 === 0) ok(await voter.actor.voteProposal(p.id, [{ Up: null }]));
        // Authors cannot vote against their own proposals.
        else if ((i * 3 + m) % 23 === 0 && p.author !== voter) {
          ok(await voter.actor.voteProposal(p.id, [{ Down: null }]));
        }
      }
    }),
  );
  await Promise.all(
    proposals
      .filter((_, i) => i % 8 === 1)
      .map(async (p, j) => {
        for (let c = 0; c <= j % 4; c++) {
          ok(
            await members[c]!.actor.postComment({
              target: { Proposal: p.id },
              parentId: [],
              body: `Comment ${c}`,
            }),
          );
        }
      }),
  );
}, 240_000);

afterAll(async () => {
  await net?.dispose();
});

describe('listProposals', () => {
  it.each(SORT_NAMES)(
    'sorted %s, pages of 7 and of 50 return every proposal once',
    async (sort) => {
      const all = sortedIds(proposals.map((p) => p.id));
      expect(all).toHaveLength(TOTAL);
      for (const limit of [7, 50]) {
        const pages = await allProposalPages(visitor, sort, limit);
        expect(pages.length, `${sort} by ${limit}`).toBe(Math.ceil(TOTAL / limit));
        for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
        expect(sortedIds(ids(pages)), `${sort} by ${limit}`).toEqual(all);
      }
    },
  );

  it('orders New by id, Top by net votes and MostDiscussed by comments, descending', async () => {
    const descending = (values: number[]) =>
      values.every((value, i) => i === 0 || values[i - 1]! >= value);
    const newest = ids(await allProposalPages(visitor, 'New', 9));
    expect(newest).toEqual([...sortedIds(newest)].reverse());
    const top = (await allProposalPages(visitor, 'Top', 9)).flat();
    expect(descending(top.map((p) => p.up - p.down))).toBe(true);
    expect(top[0]!.up - top[0]!.down).toBeGreaterThan(0);
    const discussed = (await allProposalPages(visitor, 'MostDiscussed', 9)).flat();
    expect(descending(discussed.map((p) => p.commentCount))).toBe(true);
    expect(discussed[0]!.commentCount).toBe(4);
  });

  it('summaries carry the same tallies as getProposal and the caller’s own vote', async () => {
    const voter = members[0]!;
    const page = (await allProposalPages(voter.actor, 'Top', 50))[0]!;
    for (const summary of page.slice(0, 10)) {
      const [detail] = await voter.actor.getProposal(summary.id);
      expect([summary.up, summary.down, summary.commentCount]).toEqual([
        detail!.proposal.up,
        detail!.proposal.down,
        detail!.proposal.commentCount,
      ]);
      expect(summary.myVote).toEqual(detail!.myVote);
    }
  });

  it('clamps the page size: 0 means 20, more than 50 means 50', async () => {
    const request: Omit<ListProposalsRequest, 'limit'> = {
      needsResponse: [],
      sort: { New: null },
      cursor: [],
      status: [],
      tag: [],
      themeId: [],
      author: [],
    };
    expect((await visitor.listProposals({ ...request, limit: 0 })).proposals).toHaveLength(20);
    expect((await visitor.listProposals({ ...request, limit: 1000 })).proposals).toHaveLength(50);
  });

  it('filters by tag, theme and author across pages, each match once', async () => {
    for (const sort of SORT_NAMES) {
      const tagged = ids(await allProposalPages(visitor, sort, 4, { tag: 'tri' }));
      expect(sortedIds(tagged), sort).toEqual(
        sortedIds(proposals.filter((p) => p.tags.includes('tri')).map((p) => p.id)),
      );
      const themed = ids(await allProposalPages(visitor, sort, 4, { themeId }));
      expect(sortedIds(themed), sort).toEqual(
        sortedIds(proposals.filter((p) => p.themeId === themeId).map((p) => p.id)),
      );
    }
    const author = members[3]!;
    const byAuthor = ids(await allProposalPages(visitor, 'Hot', 3, { author: author.principal }));
    expect(sortedIds(byAuthor)).toEqual(
      sortedIds(proposals.filter((p) => p.author === author).map((p) => p.id)),
    );
  });

  it('filters by status; a status change moves the proposal between listings', async () => {
    const reviewed = proposals.slice(0, 3).map((p) => p.id);
    for (const id of reviewed) ok(await admin.setProposalStatus(id, { UnderReview: null }, []));
    const list = async (status: 'UnderReview' | 'Open') => {
      const found: bigint[] = [];
      let cursor: [] | [string] = [];
      do {
        const page: ProposalPage = await visitor.listProposals({
          needsResponse: [],
          sort: { Top: null },
          cursor,
          limit: 10,
          status: [status === 'Open' ? { Open: null } : { UnderReview: null }],
          tag: [],
          themeId: [],
          author: [],
        });
        found.push(...page.proposals.map((p) => p.id));
        cursor = page.nextCursor;
      } while (cursor.length > 0);
      return found;
    };
    expect(sortedIds(await list('UnderReview'))).toEqual(sortedIds(reviewed));
    const open = await list('Open');
    expect(open).toHaveLength(TOTAL - 3);
    expect(open.filter((id) => reviewed.includes(id))).toEqual([]);
  });
});

describe('getThread', () => {
  it('pages by comments in pre-order (a page may start inside a subtree) with their depth', async () => {
    const [alice, bob] = members;
    const target: Target = { Proposal: proposals[0]!.id };
    const post = async (who: Member, parent?: Comment) =>
      ok(
        await who.actor.postComment({
          target,
          parentId: parent === undefined ? [] : [parent.id],
          body: `reply to ${parent?.id ?? 'none'}`,
        }),
      );
    // 12 top-level comments; some with nested replies posted out of order.
    const expected: [bigint, number][] = [];
    const tree: { top: Comment; replies: Comment[] }[] = [];
    for (let i = 0; i < 12; i++) tree.push({ top: await post(i % 2 ? alice! : bob!), replies: [] });
    const r1 = await post(alice!, tree[0]!.top);
    const r2 = await post(bob!, tree[5]!.top);
    const r11 = await post(bob!, r1);
    const r3 = await post(alice!, tree[0]!.top);
    const r111 = await post(alice!, r11);
    const r4 = await post(alice!, tree[11]!.top);
    ok(await alice!.actor.deleteComment(r1.id)); // a tombstone keeps its place and its replies
    for (const [i, { top }] of tree.entries()) {
      expected.push([top.id, 0]);
      if (i === 0) expected.push([r1.id, 1], [r11.id, 2], [r111.id, 3], [r3.id, 1]);
      if (i === 5) expected.push([r2.id, 1]);
      if (i === 11) expected.push([r4.id, 1]);
    }

    const seen: [bigint, number][] = [];
    let cursor: [] | [string] = [];
    let pages = 0;
    do {
      const page: ThreadPage = await visitor.getThread(target, cursor, 5);
      pages++;
      expect(page.comments.length).toBeLessThanOrEqual(5);
      seen.push(...page.comments.map((c): [bigint, number] => [c.comment.id, c.depth]));
      cursor = page.nextCursor;
    } while (cursor.length > 0 && pages < 20);
    // 17 comments, 5 a page: the page size bounds every page, replies included.
    expect(pages).toBe(4);
    expect(seen).toEqual(expected);
    const [tombstone] = await visitor.getComment(r1.id);
    expect(tombstone?.deleted.length).toBe(1);
  });
});

describe('listCommentsByAuthor', () => {
  it('pages a member’s comments newest first', async () => {
    const author = await member(net, ed25519());
    const posted: bigint[] = [];
    for (let i = 0; i < 7; i++) {
      const target = { Proposal: proposals[i]!.id };
      posted.push(ok(await author.actor.postComment({ target, parentId: [], body: `#${i}` })).id);
    }
    const seen: bigint[] = [];
    let cursor: [] | [string] = [];
    do {
      const page: CommentPage = await visitor.listCommentsByAuthor(author.principal, cursor, 3);
      seen.push(...page.comments.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor.length > 0);
    expect(seen).toEqual([...posted].reverse());
  });
});

describe('getActivity', () => {
  it('pages the whole log newest first, each entry once', async () => {
    for (let i = 0; i < 12; i++) {
      ok(
        await admin.upsertTheme({
          slug: `paged-${i}`,
          title: `Paged ${i}`,
          summary: '',
          order: 50 + i,
        }),
      );
    }
    const all = await allActivity(visitor);
    expect(all.length).toBeGreaterThanOrEqual(16);
    const entryIds = all.map((e) => e.id);
    expect(entryIds).toEqual([...sortedIds(entryIds)].reverse());
    const paged: bigint[] = [];
    let cursor: [] | [string] = [];
    do {
      const page: ActivityPage = await visitor.getActivity(cursor, 4);
      expect(page.entries.length).toBeLessThanOrEqual(4);
      paged.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor.length > 0);
    expect(paged).toEqual(entryIds);
    expect(all[0]?.kind).toMatchObject({ ThemeUpserted: { slug: 'paged-11' } });
    expect(all.at(-1)?.kind).toHaveProperty('RoadmapImported');
  });
});

describe('getProposalHistory', () => {
  // Fails today: the method takes a cursor but returns a bare `vec ProposalRevision`, never a
  // next cursor, and clamps the page to 50, so revisions after the 50th cannot be reached
  // through the API (the cursor format is private to the canister).
  it('the whole history of a proposal edited more than 50 times can be read', async () => {
    // Admins are exempt from rate limits, so the deployer can edit quickly.
    const proposal = ok(
      await admin.submitProposal({ title: 'Edited often', body: 'v0', tags: [], themeId: [] }),
    );
    for (let v = 1; v <= 51; v++) {
      ok(
        await admin.editProposal(proposal.id, {
          title: 'Edited often',
          body: `v${v}`,
          tags: [],
          themeId: [],
        }),
      );
    }
    const [detail] = await visitor.getProposal(proposal.id);
    expect(detail?.proposal.revisionCount).toBe(51);
    // Read as a client can: ask for everything the method allows.
    const history = await visitor.getProposalHistory(proposal.id, [], 1000);
    expect(history.map((r) => r.body)).toEqual(Array.from({ length: 51 }, (_, v) => `v${v}`));
  }, 120_000);
});
