/**
 * Bad input of every kind yields the specific Err (never a trap) and changes nothing a user
 * can read: each group compares a snapshot of everything readable before and after.
 */
import { AnonymousIdentity } from '@dfinity/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Comment,
  Error as BackendError,
  Item,
  Proposal,
  ProposalInput,
} from '../../src/declarations/backend';
import {
  ed25519,
  err,
  member,
  ok,
  p256,
  snapshot,
  settleNewMembers,
  startTestNet,
  uniqueName,
  type Backend,
  type Member,
  type TestNet,
} from './harness';

let net: TestNet;
let admin: Backend;
let visitor: Backend;
let alice: Member;
let bob: Member;
let aliceName: string;
let proposal: Proposal;
let other: Proposal;
let comment: Comment;
let deletedComment: Comment;
let openItem: Item;
let deployedItem: Item;

type Outcome = { Ok: unknown } | { Err: BackendError };
type Case = [name: string, call: () => Promise<Outcome>, expected: BackendError | string];

/** Runs every case; the Err must equal `expected` (or have that variant), state stays put. */
async function expectRejected(viewer: Backend, cases: Case[]): Promise<void> {
  const ids = [proposal.id, other.id];
  const before = await snapshot(viewer, ids);
  for (const [name, call, expected] of cases) {
    const error = err(await call());
    if (typeof expected === 'string') expect(error, name).toHaveProperty(expected);
    else expect(error, name).toEqual(expected);
  }
  expect(await snapshot(viewer, ids)).toBe(before);
}

const invalid = (field: string): BackendError => ({
  Invalid: { field, reason: expect.any(String) as string },
});

const input = (overrides: Partial<ProposalInput>): ProposalInput => ({
  title: 'A valid title',
  body: 'A valid body',
  tags: [],
  themeId: [],
  ...overrides,
});

beforeAll(async () => {
  net = await startTestNet();
  admin = await net.actor(net.deployer);
  visitor = await net.actor(new AnonymousIdentity());
  await settleNewMembers(admin);
  alice = await member(net, ed25519());
  bob = await member(net, await p256());
  aliceName = uniqueName('Alice');
  ok(await alice.actor.setProfile({ displayName: aliceName, bio: 'Bio' }));
  proposal = ok(await alice.actor.submitProposal(input({ title: 'Alice’s proposal' })));
  other = ok(await bob.actor.submitProposal(input({ title: 'Bob’s proposal' })));
  comment = ok(
    await alice.actor.postComment({
      target: { Proposal: proposal.id },
      parentId: [],
      body: 'Alive',
    }),
  );
  deletedComment = ok(
    await alice.actor.postComment({
      target: { Proposal: proposal.id },
      parentId: [],
      body: 'Going away',
    }),
  );
  ok(await alice.actor.deleteComment(deletedComment.id));
  const items = (await visitor.getRoadmap()).themes.flatMap((t) =>
    t.milestones.flatMap((m) => m.items),
  );
  openItem = items.find((i) => !('Deployed' in i.status))!;
  deployedItem = items.find((i) => 'Deployed' in i.status)!;
});

afterAll(async () => {
  await net?.dispose();
});

describe('profiles', () => {
  it('reject empty, short, long, multi-line and control-character names, long bios and taken names', async () => {
    ok(await bob.actor.setProfile({ displayName: uniqueName('Bob'), bio: '' }));
    const set =
      (displayName: string, bio = '') =>
      () =>
        alice.actor.setProfile({ displayName, bio });
    await expectRejected(alice.actor, [
      ['blank name', set('   '), invalid('displayName')],
      ['2 characters', set('ab'), invalid('displayName')],
      ['33 characters', set('x'.repeat(33)), invalid('displayName')],
      ['line break', set('two\nlines'), invalid('displayName')],
      ['tab', set('tab\there'), invalid('displayName')],
      ['bell character', set('ring\u0007bell'), invalid('displayName')],
      ['NUL character', set('nul\u0000name'), invalid('displayName')],
      ['281-character bio', set('Valid name', 'b'.repeat(281)), invalid('bio')],
      ['escape in bio', set('Valid name', 'esc\u001b[31m'), invalid('bio')],
      [
        'Bob takes Alice’s name in another case',
        () => bob.actor.setProfile({ displayName: aliceName.toUpperCase(), bio: '' }),
        'Conflict',
      ],
    ]);
    expect((await visitor.getProfile(alice.principal))[0]?.displayName).toBe(aliceName);
  });

  it('count 32 emoji as 32 characters, as a person would', async () => {
    const name = `${'🚀'.repeat(28)}${uniqueName('').slice(-4)}`;
    expect([...name]).toHaveLength(32);
    expect(ok(await alice.actor.setProfile({ displayName: name, bio: '' })).displayName).toBe(name);
    ok(await alice.actor.setProfile({ displayName: aliceName, bio: 'Bio' }));
  });
});

describe('proposals', () => {
  it('reject bad titles, bodies, tags and unknown themes with the field that is wrong', async () => {
    const submit = (overrides: Partial<ProposalInput>) => () =>
      alice.actor.submitProposal(input(overrides));
    await expectRejected(alice.actor, [
      ['empty title', submit({ title: '' }), invalid('title')],
      ['3-character title', submit({ title: ' abc ' }), invalid('title')],
      ['121-character title', submit({ title: 't'.repeat(121) }), invalid('title')],
      ['multi-line title', submit({ title: 'one\ntwo' }), invalid('title')],
      ['control character in title', submit({ title: 'bad\u0008title' }), invalid('title')],
      ['10,001-character body', submit({ body: 'b'.repeat(10_001) }), invalid('body')],
      ['control character in body', submit({ body: 'zero\u0000byte' }), invalid('body')],
      ['DEL in body', submit({ body: 'del\u007f' }), invalid('body')],
      [
        'control character after 9,999 plain ones',
        submit({ body: `${'b'.repeat(9_999)}\u0001` }),
        invalid('body'),
      ],
      [
        'control character in the body, a plain title beside it',
        submit({ title: 'A plain title', body: `${'Plain text. '.repeat(500)}\u001b[0m` }),
        invalid('body'),
      ],
      ['six tags', submit({ tags: ['a', 'b', 'c', 'd', 'e', 'f'] }), invalid('tags')],
      ['upper-case tag', submit({ tags: ['Security'] }), invalid('tags')],
      ['tag with a space', submit({ tags: ['two words'] }), invalid('tags')],
      ['25-character tag', submit({ tags: ['t'.repeat(25)] }), invalid('tags')],
      ['empty tag', submit({ tags: [''] }), invalid('tags')],
      ['unknown theme', submit({ themeId: [987_654n] }), 'NotFound'],
      [
        'edit with a bad title',
        () => alice.actor.editProposal(proposal.id, input({ title: 'no' })),
        invalid('title'),
      ],
      ['edit an unknown proposal', () => alice.actor.editProposal(987_654n, input({})), 'NotFound'],
      [
        'vote on an unknown proposal',
        () => alice.actor.voteProposal(987_654n, [{ Up: null }]),
        'NotFound',
      ],
    ]);
  });

  it('accept markdown with line breaks and tabs in the body, trimmed, at the 10,000 limit', async () => {
    const body = `# Heading\n\n\tindented\n${'x'.repeat(10_000 - 21)}`;
    expect([...body]).toHaveLength(10_000);
    const created = ok(
      await alice.actor.submitProposal(input({ title: 'Limits', body: `  ${body}\n  ` })),
    );
    expect(created.body).toBe(body);
    expect((await visitor.getProposal(created.id))[0]?.proposal.body).toBe(body);
  });

  it('an argument over inspect_message’s size limit is rejected before it runs', async () => {
    const before = await snapshot(alice.actor, [proposal.id]);
    await expect(alice.actor.submitProposal(input({ body: 'b'.repeat(70_000) }))).rejects.toThrow(
      /rejected the message/,
    );
    expect(await snapshot(alice.actor, [proposal.id])).toBe(before);
  });
});

describe('comments', () => {
  it('reject bad bodies, unknown targets and parents, foreign parents and deleted comments', async () => {
    const post =
      (body: string, target = { Proposal: proposal.id } as const, parentId: [] | [bigint] = []) =>
      () =>
        alice.actor.postComment({ body, target, parentId });
    await expectRejected(alice.actor, [
      ['empty body', post('  \n '), invalid('body')],
      ['5,001 characters', post('c'.repeat(5001)), invalid('body')],
      ['control character', post('form\u000cfeed'), invalid('body')],
      [
        'control character after 4,999 plain ones',
        post(`${'c'.repeat(4_999)}\u0007`),
        invalid('body'),
      ],
      [
        'unknown proposal',
        () => alice.actor.postComment({ body: 'Hi', target: { Proposal: 987_654n }, parentId: [] }),
        'NotFound',
      ],
      [
        'unknown item',
        () => alice.actor.postComment({ body: 'Hi', target: { Item: 987_654n }, parentId: [] }),
        'NotFound',
      ],
      [
        'unknown milestone',
        () =>
          alice.actor.postComment({ body: 'Hi', target: { Milestone: 987_654n }, parentId: [] }),
        'NotFound',
      ],
      ['unknown parent', post('Hi', { Proposal: proposal.id }, [987_654n]), 'NotFound'],
      [
        'parent in another thread',
        () =>
          alice.actor.postComment({
            body: 'Hi',
            target: { Proposal: other.id },
            parentId: [comment.id],
          }),
        invalid('parentId'),
      ],
      [
        'reply to a deleted comment',
        post('Hi', { Proposal: proposal.id }, [deletedComment.id]),
        'Conflict',
      ],
      ['edit an unknown comment', () => alice.actor.editComment(987_654n, 'Hi'), 'NotFound'],
      ['edit to empty', () => alice.actor.editComment(comment.id, ''), invalid('body')],
      [
        'edit to too long',
        () => alice.actor.editComment(comment.id, 'c'.repeat(5001)),
        invalid('body'),
      ],
      [
        'edit a deleted comment',
        () => alice.actor.editComment(deletedComment.id, 'Back'),
        'Conflict',
      ],
      ['delete an unknown comment', () => alice.actor.deleteComment(987_654n), 'NotFound'],
    ]);
  });
});

describe('priority votes', () => {
  it('reject unknown and Deployed items and spending over the budget', async () => {
    await expectRejected(alice.actor, [
      ['unknown item', () => alice.actor.setPriorityVotes(987_654n, 1), 'NotFound'],
      ['deployed item', () => alice.actor.setPriorityVotes(deployedItem.id, 1), 'Conflict'],
      [
        '11 votes cost 121 > 100',
        () => alice.actor.setPriorityVotes(openItem.id, 11),
        invalid('votes'),
      ],
    ]);
  });
});

describe('admin input', () => {
  it('rejects bad slugs, names, links, unknown parents, statuses and settings', async () => {
    const theme = { slug: 'valid-theme', title: 'Valid', summary: '', order: 0 };
    const milestone = {
      themeSlug: 'privacy',
      slug: 'valid-milestone',
      name: 'Valid',
      summary: '',
      status: { Future: null },
      eta: [] as [],
      order: 0,
    };
    const item = {
      milestoneSlug: 'vetkeys',
      slug: 'valid-item',
      title: 'Valid',
      description: '',
      status: { Future: null },
      links: [] as { label: string; url: string }[],
      order: 0,
    };
    const settings = await visitor.getSettings();
    await expectRejected(admin, [
      [
        'slug with a space',
        () => admin.upsertTheme({ ...theme, slug: 'bad slug' }),
        invalid('theme.slug'),
      ],
      [
        'upper-case slug',
        () => admin.upsertTheme({ ...theme, slug: 'Bad' }),
        invalid('theme.slug'),
      ],
      ['empty slug', () => admin.upsertTheme({ ...theme, slug: '' }), invalid('theme.slug')],
      [
        'empty theme title',
        () => admin.upsertTheme({ ...theme, title: ' ' }),
        invalid('theme.title'),
      ],
      [
        'control character in summary',
        () => admin.upsertTheme({ ...theme, summary: 'a\u0001' }),
        invalid('theme.summary'),
      ],
      [
        'unknown theme slug',
        () => admin.upsertMilestone({ ...milestone, themeSlug: 'no-such-theme' }),
        'NotFound',
      ],
      [
        'empty milestone name',
        () => admin.upsertMilestone({ ...milestone, name: '' }),
        invalid('milestone.name'),
      ],
      [
        'multi-line eta',
        () => admin.upsertMilestone({ ...milestone, eta: ['Q1\nQ2'] }),
        invalid('milestone.eta'),
      ],
      [
        'unknown milestone slug',
        () => admin.upsertItem({ ...item, milestoneSlug: 'no-such-milestone' }),
        'NotFound',
      ],
      [
        'http link',
        () =>
          admin.upsertItem({
            ...item,
            links: [{ label: 'Forum', url: 'http://forum.dfinity.org' }],
          }),
        invalid('item.links.url'),
      ],
      [
        'javascript link',
        () => admin.upsertItem({ ...item, links: [{ label: 'x', url: 'javascript:alert(1)' }] }),
        invalid('item.links.url'),
      ],
      [
        'eleven links',
        () =>
          admin.upsertItem({
            ...item,
            links: Array.from({ length: 11 }, (_, i) => ({
              label: `L${i}`,
              url: `https://e.org/${i}`,
            })),
          }),
        invalid('item.links'),
      ],
      [
        'import with a bad item deep inside: nothing is written',
        () =>
          admin.importRoadmap({
            themes: [
              { slug: 'import-ok', title: 'Fine', summary: '', milestones: [] },
              {
                slug: 'import-bad',
                title: 'Bad inside',
                summary: '',
                milestones: [
                  {
                    slug: 'import-bad-m',
                    name: 'M',
                    summary: '',
                    status: { Future: null },
                    eta: [],
                    items: [
                      {
                        slug: 'Not A Slug',
                        title: 'I',
                        description: '',
                        status: { Future: null },
                        links: [],
                      },
                    ],
                  },
                ],
              },
            ],
          }),
        invalid('themes[1].milestones[0].items[0].slug'),
      ],
      [
        'import with a duplicated slug',
        () =>
          admin.importRoadmap({
            themes: [
              { slug: 'dup', title: 'One', summary: '', milestones: [] },
              { slug: 'dup', title: 'Two', summary: '', milestones: [] },
            ],
          }),
        invalid('themes[1].slug'),
      ],
      [
        'status of an unknown proposal',
        () => admin.setProposalStatus(987_654n, { Done: null }, []),
        'NotFound',
      ],
      [
        'planned as an unknown item',
        () => admin.setProposalStatus(proposal.id, { Planned: 987_654n }, []),
        'NotFound',
      ],
      [
        'duplicate of itself',
        () => admin.setProposalStatus(proposal.id, { Duplicate: proposal.id }, []),
        invalid('status'),
      ],
      [
        'duplicate of an unknown proposal',
        () => admin.setProposalStatus(proposal.id, { Duplicate: 987_654n }, []),
        'NotFound',
      ],
      [
        'declined without a reason',
        () => admin.setProposalStatus(proposal.id, { Declined: '  ' }, []),
        invalid('reason'),
      ],
      [
        // An empty response clears it; an overlong one is refused.
        'official response over 5,000 characters',
        () => admin.setProposalStatus(proposal.id, { UnderReview: null }, ['x'.repeat(5001)]),
        invalid('response'),
      ],
      [
        'zero credit budget',
        () => admin.setSettings({ ...settings, creditBudget: 0 }),
        invalid('creditBudget'),
      ],
      [
        'zero proposals per day',
        () => admin.setSettings({ ...settings, proposalsPerDay: 0 }),
        invalid('proposalsPerDay'),
      ],
      [
        'absurd votes per hour',
        () => admin.setSettings({ ...settings, votesPerHour: 4_000_000_000 }),
        invalid('votesPerHour'),
      ],
    ]);
  });
});

describe('queries with bad arguments', () => {
  it('return nothing rather than trapping', async () => {
    expect(await visitor.getProposal(987_654n)).toEqual([]);
    expect(await visitor.getComment(987_654n)).toEqual([]);
    expect(await visitor.getItem(987_654n)).toEqual([]);
    expect(await visitor.getCommentHistory(987_654n)).toEqual([]);
    expect(await visitor.getProposalHistory(987_654n, [], 10)).toEqual([]);
    expect(await visitor.getThread({ Milestone: 987_654n }, [], 10)).toEqual({
      comments: [],
      nextCursor: [],
    });
    for (const cursor of ['not-a-cursor', 'zz', '00', 'ab'.repeat(600)]) {
      expect(await visitor.getThread({ Proposal: proposal.id }, [cursor], 10), cursor).toEqual({
        comments: [],
        nextCursor: [],
      });
      expect(
        await visitor.listProposals({
          needsResponse: [],
          sort: { New: null },
          cursor: [cursor],
          limit: 10,
          status: [],
          tag: [],
          themeId: [],
          author: [],
        }),
        cursor,
      ).toEqual({ proposals: [], nextCursor: [] });
      expect(await visitor.getActivity([cursor], 10), cursor).toMatchObject({ nextCursor: [] });
    }
  });
});
