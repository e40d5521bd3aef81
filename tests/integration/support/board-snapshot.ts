/**
 * A board with something of every kind in it, written through the public API, and a snapshot
 * of everything the public API can read back. Two snapshots are equal exactly when no public
 * read tells the two states apart, so an upgrade that loses or alters a record makes them
 * differ. The migration test uses both; a benchmark or another test can fill a fresh backend
 * with `fillBoard` and compare states with `snapshotBoard`.
 *
 * Neither function depends on vitest: failures are thrown errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnonymousIdentity, type Identity } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';
import type {
  Comment,
  Proposal,
  ProposalSort,
  ProposalStatus,
  ProposalStatusKind,
  Roadmap,
  Settings,
  Target,
} from '../../../src/declarations/backend';
import { roadmapImportFromFile, type RoadmapFile } from '../../../src/localnet/launch/seed';
import { ROOT, delegated, ed25519, ok, p256, type Backend } from '../harness';

export type ActorFor = (identity?: Identity) => Promise<Backend>;

/** Members that `fillBoard` creates, each with a different part to play. */
export const MEMBER_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace'] as const;
export type MemberName = (typeof MEMBER_NAMES)[number];
/** `deployer` is a controller; `devAdmin` an admin by the install argument. */
export type PersonName = 'anonymous' | 'deployer' | 'devAdmin' | MemberName;

export interface Board {
  /** Everyone who wrote, and the anonymous reader first. */
  people: Array<{ name: PersonName; identity: Identity }>;
  /**
   * Whose answers to getProposal, listProposals and getItem can differ from the anonymous
   * reader's (their own votes show there): everyone who voted. The two admins never vote.
   */
  voters: PersonName[];
  proposalIds: bigint[];
  commentIds: bigint[];
  tags: string[];
  /** Items that ever held priority votes: the only ones whose `myVotes` differs by caller. */
  votedItemIds: bigint[];
  /** An item with votes that was then Deployed: its credits were released, its tally kept. */
  deployedItemId: bigint;
  /** An item that still holds votes (bob's and grace's), to release after a migration. */
  heldItemId: bigint;
  /** Display names by member (grace has no profile). */
  displayNames: Partial<Record<MemberName, string>>;
  /** Has used up today's proposals under the final settings (rate-limit state is hidden). */
  rateLimitedAuthor: MemberName;
  /** The settings the board ends with. */
  settings: Settings;
}

/** What the roadmap file in `data/` imports to, as the candid argument. */
export function roadmapImport(path = join(ROOT, 'data', 'roadmap.json')) {
  return roadmapImportFromFile(JSON.parse(readFileSync(path, 'utf8')) as RoadmapFile);
}

const FINAL_SETTINGS: Settings = {
  creditBudget: 120,
  // alice writes exactly this many proposals, so she is rate limited when the fill ends.
  proposalsPerDay: 5,
  commentsPerHour: 100,
  votesPerHour: 500,
  profileEditsPerHour: 10,
};

function allItems(roadmap: Roadmap) {
  return roadmap.themes.flatMap((t) => t.milestones.flatMap((m) => m.items));
}

/**
 * Writes a board through the public API as several identities of every kind the agent
 * supports: the roadmap import, admin edits, profiles, proposals with edits, votes (changed
 * and withdrawn), every proposal status with official responses, threads several levels deep
 * on proposals, items and milestones with edits and tombstones (by author and by moderators),
 * quadratic priority votes (one item later Deployed), role grants and revocations, and
 * settings changes. About 170 update calls. Expects a backend with nothing in it.
 */
export async function fillBoard(
  actorFor: ActorFor,
  admins: { deployer: Identity; devAdmin: Identity },
): Promise<Board> {
  const identities: Record<MemberName, Identity> = {
    alice: ed25519(),
    bob: await p256(),
    carol: await delegated(),
    dave: ed25519(),
    erin: ed25519(),
    frank: await p256(),
    grace: ed25519(),
  };
  const actors = new Map<PersonName, Backend>();
  const people: Board['people'] = [
    { name: 'anonymous', identity: new AnonymousIdentity() },
    { name: 'deployer', identity: admins.deployer },
    { name: 'devAdmin', identity: admins.devAdmin },
    ...MEMBER_NAMES.map((name) => ({ name, identity: identities[name] })),
  ];
  for (const { name, identity } of people) actors.set(name, await actorFor(identity));
  const as = (name: PersonName): Backend => actors.get(name)!;
  const principal = (name: MemberName): Principal => identities[name].getPrincipal();

  // ---- roadmap, settings and roles
  const deployer = as('deployer');
  ok(await deployer.importRoadmap(roadmapImport()));
  ok(
    await deployer.setSettings({
      creditBudget: 150,
      proposalsPerDay: 50,
      commentsPerHour: 200,
      votesPerHour: 1000,
      profileEditsPerHour: 20,
    }),
  );
  ok(await deployer.setRole(principal('dave'), { Moderator: null }));
  ok(await deployer.setRole(principal('erin'), { Admin: null }));
  ok(await deployer.setRole(principal('frank'), { Moderator: null }));

  const devAdmin = as('devAdmin');
  ok(
    await devAdmin.upsertTheme({
      slug: 'governance-ux',
      title: 'Governance UX',
      summary: 'Voting and *proposals* that read well.',
      order: 6,
    }),
  );
  ok(
    await devAdmin.upsertMilestone({
      slug: 'ballot',
      themeSlug: 'governance-ux',
      name: 'Ballot',
      summary: 'Clearer ballots.',
      status: { Upcoming: null },
      eta: ['2026'],
      order: 0,
    }),
  );
  for (const [order, slug] of ['ballot-preview', 'ballot-history'].entries()) {
    ok(
      await devAdmin.upsertItem({
        slug,
        milestoneSlug: 'ballot',
        title: `Ballot ${slug.split('-')[1]}`,
        description: `What **${slug}** means for voters.`,
        status: order === 0 ? { InProgress: null } : { Future: null },
        links: [{ label: 'Forum', url: `https://forum.dfinity.org/t/${slug}` }],
        order,
      }),
    );
  }

  const roadmap = await deployer.getRoadmap();
  const themeIds = roadmap.themes.map((t) => t.theme.id);
  const openItems = allItems(roadmap).filter((i) => !('Deployed' in i.status));
  const milestones = roadmap.themes.flatMap((t) => t.milestones.map((m) => m.milestone));
  const [i1, i2, i3, i4, i5] = openItems as [
    (typeof openItems)[0],
    (typeof openItems)[0],
    (typeof openItems)[0],
    (typeof openItems)[0],
    (typeof openItems)[0],
  ];
  // An admin edit of an imported item, by the admin who is revoked later.
  ok(
    await as('erin').upsertItem({
      slug: i5.slug,
      milestoneSlug: milestones.find((m) => m.id === i5.milestoneId)!.slug,
      title: i5.title,
      description: `${i5.description}\n\nUpdated by the roadmap team.`,
      status: i5.status,
      links: [...i5.links, { label: 'Design', url: 'https://example.org/design' }],
      order: i5.order,
    }),
  );

  // ---- profiles (grace never sets one: her name shows as none)
  const displayNames: Board['displayNames'] = {};
  const profiles: Array<[MemberName | 'devAdmin', string, string]> = [
    ['alice', 'Alice Anders', 'Builds on ICP since Genesis.'],
    ['bob', 'Bob Brandt', ''],
    ['carol', 'Carol Chen', 'Chain Fusion, *mostly*.'],
    ['dave', 'Dave Duarte', 'Moderator.'],
    ['erin', 'Erin Eze', 'Roadmap team.'],
    ['frank', 'Frank Fox', 'Was a moderator.'],
    ['devAdmin', 'Dev Admin', 'The dev admin.'],
  ];
  for (const [name, displayName, bio] of profiles) {
    ok(await as(name).setProfile({ displayName, bio }));
    if (name !== 'devAdmin') displayNames[name] = displayName;
  }
  // A rename frees the old name; joinedAt stays.
  ok(await as('alice').setProfile({ displayName: 'alice.a', bio: 'Builds on ICP since 2021.' }));
  displayNames.alice = 'alice.a';

  // ---- proposals: alice 5, bob 2, carol 2, dave 1, erin 1, frank 1
  const tags = ['ai', 'chain-fusion', 'privacy', 'ux', 'durable'];
  const authors = 'alice alice bob carol alice bob dave carol erin alice frank alice'.split(
    ' ',
  ) as MemberName[];
  const proposals: Proposal[] = [];
  for (const [n, author] of authors.entries()) {
    proposals.push(
      ok(
        await as(author).submitProposal({
          title: `Proposal ${n}: ${['Shared security through node shuffling', 'Threshold Schnorr for Taproot', 'vetKeys for private inboxes', 'Cheaper canister snapshots'][n % 4]}`,
          body: `Why **${n}** matters.\n\n- one\n- two\n\n${'Long text. '.repeat(n * 4)}`,
          tags: tags.filter((_, t) => (n + t) % 3 === 0).slice(0, 2),
          themeId: n % 3 === 2 ? [] : [themeIds[n % themeIds.length]!],
        }),
      ),
    );
  }
  const p = proposals.map((x) => x.id);
  const pid = (n: number): bigint => p[n]!;
  // Edits keep history: two by alice (tags and theme change too), one by bob, one by carol.
  ok(
    await as('alice').editProposal(pid(0), {
      title: 'Proposal 0: node shuffling, revised',
      body: 'Revised once.',
      tags: ['ai'],
      themeId: [themeIds[1]!],
    }),
  );
  ok(
    await as('alice').editProposal(pid(0), {
      title: 'Proposal 0: node shuffling, revised twice',
      body: 'Revised twice, with a [link](https://internetcomputer.org).',
      tags: ['ai', 'privacy'],
      themeId: [themeIds[1]!],
    }),
  );
  ok(
    await as('bob').editProposal(pid(5), {
      title: 'Proposal 5, clarified',
      body: 'Clarified.',
      tags: ['ux'],
      themeId: [],
    }),
  );
  ok(
    await as('carol').editProposal(pid(7), {
      title: 'Proposal 7, shorter',
      body: 'Short.',
      tags: [],
      themeId: [themeIds[0]!],
    }),
  );

  // ---- proposal votes, before statuses close voting on some
  // erin and frank never vote: the former admin and moderator are there for their roles.
  const voters: MemberName[] = ['alice', 'bob', 'carol', 'dave', 'grace'];
  for (const [v, voter] of voters.entries()) {
    for (let n = 0; n < 10; n++) {
      const kind = (v * 7 + n * 3) % 5;
      if (kind === 0 || kind === 3) ok(await as(voter).voteProposal(pid(n), [{ Up: null }]));
      else if (kind === 1) ok(await as(voter).voteProposal(pid(n), [{ Down: null }]));
    }
  }
  // Changed and withdrawn votes (each had voted the other way, or at all, above).
  ok(await as('alice').voteProposal(pid(1), [{ Down: null }]));
  ok(await as('carol').voteProposal(pid(2), [{ Down: null }]));
  ok(await as('grace').voteProposal(pid(1), [{ Up: null }]));
  ok(await as('bob').voteProposal(pid(1), []));
  ok(await as('dave').voteProposal(pid(4), []));

  // ---- threads: proposals, items and milestones; replies several levels deep
  const comments: Comment[] = [];
  const post = async (
    author: PersonName,
    target: Target,
    body: string,
    parent?: Comment,
  ): Promise<Comment> => {
    const comment = ok(
      await as(author).postComment({
        target,
        parentId: parent === undefined ? [] : [parent.id],
        body,
      }),
    );
    comments.push(comment);
    return comment;
  };
  const onP0: Target = { Proposal: pid(0) };
  const c1 = await post('alice', onP0, 'Top-level, **markdown**.');
  const c2 = await post('bob', onP0, 'A reply.', c1);
  const c3 = await post('carol', onP0, 'Deeper.', c2);
  const c4 = await post('alice', onP0, 'Deeper still.', c3);
  await post('dave', onP0, 'Depth four.', c4);
  await post('dave', onP0, 'Second reply to bob.', c2);
  await post('erin', onP0, 'Second reply to alice.', c1);
  const c8 = await post('bob', onP0, 'Another top-level comment.');
  await post('alice', onP0, 'Reply under a comment a moderator removes.', c8);
  const c10 = await post('carol', onP0, 'Third top-level.');
  const c11 = await post('grace', onP0, 'No profile, still a voice.');
  const c12 = await post('frank', onP0, 'Fifth top-level.');
  await post('alice', onP0, 'Reply to frank.', c12);

  const onP1: Target = { Proposal: pid(1) };
  const c14 = await post('carol', onP1, 'Under review soon?');
  await post('alice', onP1, 'Hope so.', c14);
  await post('bob', onP1, 'Tabs\tand\nnew lines.');
  const onP3: Target = { Proposal: pid(3) };
  const c17 = await post('dave', onP3, 'Before the decline.');
  await post('bob', onP3, 'Agreed.', c17);
  const onP5: Target = { Proposal: pid(5) };
  await post('alice', onP5, 'Nice.');
  await post('bob', onP5, 'Thanks.');

  const onI1: Target = { Item: i1.id };
  await post('alice', onI1, 'When does this ship?');
  const c20 = await post('carol', onI1, 'Next quarter.');
  const c21 = await post('bob', onI1, 'Source?', c20);
  await post('dave', onI1, 'The forum.', c21);
  const c23 = await post('erin', onI1, 'Roadmap team here.');
  await post('grace', { Item: i2.id }, 'Item two.');

  const m1 = milestones[0]!;
  const m2 = milestones[1]!;
  const onM1: Target = { Milestone: m1.id };
  await post('bob', onM1, 'Milestone talk.');
  const c26 = await post('alice', onM1, 'Replying.');
  const c27 = await post('carol', onM1, 'And deeper.', c26);
  await post('frank', onM1, 'Another one.');
  await post('devAdmin', { Milestone: m2.id }, 'From the admin.');
  const ballot = milestones.find((m) => m.slug === 'ballot')!;
  await post('erin', { Milestone: ballot.id }, 'Ballots!');

  // Edits keep history; deletes leave tombstones (and drop the history).
  ok(await as('alice').editComment(c1.id, 'Top-level, **markdown**, edited.'));
  ok(await as('alice').editComment(c4.id, 'Deeper still (1).'));
  ok(await as('alice').editComment(c4.id, 'Deeper still (2).'));
  ok(await as('carol').editComment(c10.id, 'Third top-level, edited.'));
  ok(await as('carol').editComment(c10.id, 'Third top-level, edited again.'));
  ok(await as('bob').editComment(c2.id, 'A reply, edited.'));
  ok(await as('bob').editComment(c21.id, 'Source, please?'));
  ok(await as('carol').editComment(c27.id, 'And deeper, edited.'));
  ok(await as('carol').editComment(c14.id, 'Under review soon, please?'));
  ok(await as('alice').deleteComment(c4.id)); // by its author, with a reply and a history
  ok(await as('dave').deleteComment(c8.id)); // by a moderator, with a reply
  ok(await as('frank').deleteComment(c11.id)); // by a moderator later revoked
  ok(await as('erin').deleteComment(c23.id)); // by its author
  ok(await as('deployer').deleteComment(c17.id)); // by an admin

  // ---- priority votes (quadratic), then one item is Deployed and releases them
  const priorities: Array<[MemberName, typeof i1, number]> = [
    ['alice', i1, 5],
    ['alice', i2, 3],
    ['bob', i1, 4],
    ['bob', i3, 6],
    ['carol', i1, 7],
    ['carol', i1, 2],
    ['carol', i4, 3],
    ['dave', i4, 3],
    ['grace', i2, 1],
    ['grace', i2, 0],
    ['dave', i5, 2],
    ['grace', i3, 1],
  ];
  for (const [name, item, votes] of priorities) {
    ok(await as(name).setPriorityVotes(item.id, votes));
  }
  const i1Milestone = milestones.find((m) => m.id === i1.milestoneId)!;
  ok(
    await devAdmin.upsertItem({
      slug: i1.slug,
      milestoneSlug: i1Milestone.slug,
      title: i1.title,
      description: i1.description,
      status: { Deployed: null },
      links: i1.links,
      order: i1.order,
    }),
  );

  // ---- statuses of every kind, with official responses, by three admins
  const statuses: Array<[PersonName, number, ProposalStatus, string | undefined]> = [
    ['deployer', 1, { UnderReview: null }, 'We are looking at it.'],
    ['erin', 2, { Planned: i2.id }, 'Planned as part of the roadmap.'],
    ['devAdmin', 3, { Declined: 'Out of scope this year.' }, 'Thanks, but not now.'],
    ['deployer', 4, { Duplicate: pid(0) }, 'Same as proposal 0.'],
    ['devAdmin', 6, { Done: null }, 'Shipped.'],
    ['erin', 7, { UnderReview: null }, undefined],
    ['deployer', 7, { Planned: i3.id }, 'Now planned.'],
    ['deployer', 8, { UnderReview: null }, 'Reviewing.'],
    ['devAdmin', 8, { Open: null }, 'Reopened for discussion.'],
  ];
  for (const [admin, n, status, response] of statuses) {
    ok(await as(admin).setProposalStatus(pid(n), status, response === undefined ? [] : [response]));
  }

  // ---- role changes, final settings
  ok(await deployer.setRole(principal('erin'), { Member: null }));
  ok(await devAdmin.setRole(principal('frank'), { Member: null }));
  ok(await deployer.setRole(principal('grace'), { Moderator: null }));
  ok(await deployer.setRole(principal('grace'), { Member: null }));
  ok(await deployer.setSettings(FINAL_SETTINGS));

  return {
    people,
    voters: ['anonymous', ...voters],
    proposalIds: p,
    commentIds: comments.map((c) => c.id),
    tags,
    votedItemIds: [i1.id, i2.id, i3.id, i4.id, i5.id],
    deployedItemId: i1.id,
    heldItemId: i3.id,
    displayNames,
    rateLimitedAuthor: 'alice',
    settings: FINAL_SETTINGS,
  };
}

// ---------------------------------------------------------------- snapshot

/**
 * Page sizes below the data's size, so every listing is read across several pages and the
 * cursors themselves are compared: a client may hold one across an upgrade.
 */
export const SNAPSHOT_PAGES = {
  proposals: 5,
  /** One page: the per-caller listing is there for myVote, the paged ones for the cursors. */
  proposalsPerCaller: 50,
  thread: 4,
  commentsByAuthor: 3,
  activity: 10,
  history: 2,
};

const SORTS: Record<'Hot' | 'Top' | 'New' | 'MostDiscussed', ProposalSort> = {
  Hot: { Hot: null },
  Top: { Top: null },
  New: { New: null },
  MostDiscussed: { MostDiscussed: null },
};
const STATUS_KINDS: ProposalStatusKind[] = [
  { Open: null },
  { UnderReview: null },
  { Planned: null },
  { Declined: null },
  { Duplicate: null },
  { Done: null },
];

/** A read's result keyed by the call that made it, e.g. `getItem(12) as bob`. */
export type BoardSnapshot = Record<string, unknown>;

/**
 * Candid values as plain data: principals become their text so that a difference prints
 * readably. Nothing else changes: bigints, variants, empty opts stay as they are.
 */
export function plain(value: unknown): unknown {
  if (value instanceof Principal) return `principal ${value.toText()}`;
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Uint8Array) return Array.from(value);
  if (value !== null && typeof value === 'object') {
    if ('_isPrincipal' in value && typeof (value as Principal).toText === 'function') {
      return `principal ${(value as Principal).toText()}`;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/**
 * The same snapshot with every cursor's text replaced by a marker (its presence kept). Cursors
 * are opaque and name positions in the canister's listing keys, whose encoding belongs to the
 * stable layout; across a layout change only what the pages hold can be compared, and the
 * snapshot follows every cursor to the end, so that is compared in full.
 */
export function opaqueCursors<T>(value: T): T {
  if (Array.isArray(value)) return value.map(opaqueCursors) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === 'nextCursor' && Array.isArray(v) ? v.map(() => '<cursor>') : opaqueCursors(v),
      ]),
    ) as T;
  }
  return value;
}

const sortIds = (ids: Iterable<bigint>): bigint[] =>
  [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

const GUARD = 1000;

/** Follows a cursor to the end; returns every page as returned. */
async function pages<P extends { nextCursor: [] | [string] }>(
  read: (cursor: [] | [string]) => Promise<P>,
): Promise<P[]> {
  const all: P[] = [];
  let cursor: [] | [string] = [];
  for (let guard = 0; guard < GUARD; guard++) {
    const page = await read(cursor);
    all.push(page);
    if (page.nextCursor.length === 0) return all;
    cursor = page.nextCursor;
  }
  throw new Error('a listing never ended');
}

/**
 * Every public read for every relevant argument, as each identity where the answer depends on
 * the caller. Ids come from the board and from what the reads themselves list, so a record
 * the board did not write is covered too; one id past the last of each kind is read as well,
 * to catch records that appear from nowhere. About 600 query calls for a filled board.
 *
 * Which reads depend on the caller: whoami and getMyPriorities (read as everyone), and
 * getProposal, listProposals (myVote) and getItem (myVotes), read as each voter. The rest
 * take no caller into account and are read once, anonymously.
 */
export async function snapshotBoard(actorFor: ActorFor, board: Board): Promise<BoardSnapshot> {
  const snap: BoardSnapshot = {};
  const put = (key: string, value: unknown): void => {
    if (key in snap) throw new Error(`snapshot key ${key} read twice`);
    snap[key] = plain(value);
  };
  const views: Array<{ name: PersonName; actor: Backend }> = [];
  for (const { name, identity } of board.people) {
    views.push({ name, actor: await actorFor(identity) });
  }
  const visitor = views[0]!.actor;
  const voters = views.filter((v) => board.voters.includes(v.name));

  // ---- board-wide reads
  const roadmap = await visitor.getRoadmap();
  put('getRoadmap', roadmap);
  put('getSettings', await visitor.getSettings());
  // The grants are a set: their order is the canister's key order, which belongs to the stable
  // layout (principal text in the release, principal bytes since), so compare them sorted.
  const grants = await visitor.listRoles();
  put(
    'listRoles',
    [...grants].sort((a, b) => (a.principal.toText() < b.principal.toText() ? -1 : 1)),
  );
  put('getActivity', await pages((cursor) => visitor.getActivity(cursor, SNAPSHOT_PAGES.activity)));

  // ---- listings: every sort × no filter and × each filter, in pages, as a member with
  // votes; and every proposal in one page as each voter, for their myVote
  const proposalIds = new Set(board.proposalIds);
  const tags = new Set(board.tags);
  const authors = new Map<string, Principal>();
  for (const { name, identity } of board.people) {
    if (name !== 'anonymous')
      authors.set(identity.getPrincipal().toText(), identity.getPrincipal());
  }
  type Filter = {
    label: string;
    status?: ProposalStatusKind;
    themeId?: bigint;
    tag?: string;
    author?: Principal;
  };
  const list = (actor: Backend, sort: ProposalSort, filter: Filter, limit: number) =>
    pages(async (cursor) => {
      const page = await actor.listProposals({
        needsResponse: [],
        sort,
        cursor,
        limit,
        status: filter.status === undefined ? [] : [filter.status],
        themeId: filter.themeId === undefined ? [] : [filter.themeId],
        tag: filter.tag === undefined ? [] : [filter.tag],
        author: filter.author === undefined ? [] : [filter.author],
      });
      for (const summary of page.proposals) {
        proposalIds.add(summary.id);
        for (const tag of summary.tags) tags.add(tag);
        authors.set(summary.author.toText(), summary.author);
      }
      return page;
    });
  for (const { name, actor } of voters) {
    put(
      `listProposals(New, limit ${SNAPSHOT_PAGES.proposalsPerCaller}) as ${name}`,
      await list(actor, SORTS.New, { label: 'all' }, SNAPSHOT_PAGES.proposalsPerCaller),
    );
  }
  const themeIds = roadmap.themes.map((t) => t.theme.id);
  const filters: Filter[] = [
    { label: 'no filter' },
    ...STATUS_KINDS.map((status) => ({ label: `status=${Object.keys(status)[0]}`, status })),
    ...themeIds.map((themeId) => ({ label: `theme=${themeId}`, themeId })),
    ...[...tags].sort().map((tag) => ({ label: `tag=${tag}`, tag })),
    ...[...authors.entries()].sort().map(([text, author]) => ({ label: `author=${text}`, author })),
    // Two filters at once: one picks the index, the other is checked per entry.
    { label: `status=Open,tag=${board.tags[0]}`, status: { Open: null }, tag: board.tags[0]! },
  ];
  const lister = voters[voters.length - 1]!;
  for (const [sortName, sort] of Object.entries(SORTS)) {
    for (const filter of filters) {
      put(
        `listProposals(${sortName}, ${filter.label}) as ${lister.name}`,
        await list(lister.actor, sort, filter, SNAPSHOT_PAGES.proposals),
      );
    }
  }

  // ---- proposals: detail as each voter, history once (it does not depend on the caller)
  const proposals = sortIds(proposalIds);
  const lastProposal = proposals[proposals.length - 1] ?? 0n;
  for (const id of [...proposals, lastProposal + 1n]) {
    for (const { name, actor } of voters) {
      put(`getProposal(${id}) as ${name}`, await actor.getProposal(id));
    }
    const history = [];
    // The history's cursor is the number of versions to skip.
    for (let skip = 0; skip < GUARD; skip += SNAPSHOT_PAGES.history) {
      const cursor: [] | [string] = skip === 0 ? [] : [String(skip)];
      const page = await visitor.getProposalHistory(id, cursor, SNAPSHOT_PAGES.history);
      history.push(page);
      if (page.length < SNAPSHOT_PAGES.history) break;
    }
    put(`getProposalHistory(${id})`, history);
  }

  // ---- roadmap items: every item anonymously; as each voter, the items that ever held votes
  // (myVotes is the caller's part; getMyPriorities below shows any vote on another item)
  const items = sortIds(
    roadmap.themes.flatMap((t) => t.milestones.flatMap((m) => m.items.map((i) => i.id))),
  );
  const lastItem = items[items.length - 1] ?? 0n;
  for (const id of [...items, lastItem + 1n]) put(`getItem(${id})`, await visitor.getItem(id));
  for (const id of sortIds(board.votedItemIds)) {
    for (const { name, actor } of voters.slice(1)) {
      put(`getItem(${id}) as ${name}`, await actor.getItem(id));
    }
  }

  // ---- threads of every target, every page
  const commentIds = new Set(board.commentIds);
  const milestoneIds = sortIds(
    roadmap.themes.flatMap((t) => t.milestones.map((m) => m.milestone.id)),
  );
  const targets: Array<[string, Target]> = [
    ...proposals.map((id): [string, Target] => [`Proposal ${id}`, { Proposal: id }]),
    ...items.map((id): [string, Target] => [`Item ${id}`, { Item: id }]),
    ...milestoneIds.map((id): [string, Target] => [`Milestone ${id}`, { Milestone: id }]),
  ];
  for (const [label, target] of targets) {
    const thread = await pages(async (cursor) => {
      const page = await visitor.getThread(target, cursor, SNAPSHOT_PAGES.thread);
      for (const c of page.comments) commentIds.add(c.comment.id);
      return page;
    });
    put(`getThread(${label})`, thread);
  }

  // ---- people: profiles, whoami, priorities, comments by author
  for (const { name, actor } of views) {
    put(`whoami as ${name}`, await actor.whoami());
    put(`getMyPriorities as ${name}`, await actor.getMyPriorities());
  }
  for (const [text, author] of [...authors.entries()].sort()) {
    put(`getProfile(${text})`, await visitor.getProfile(author));
    const byAuthor = await pages(async (cursor) => {
      const page = await visitor.listCommentsByAuthor(
        author,
        cursor,
        SNAPSHOT_PAGES.commentsByAuthor,
      );
      for (const c of page.comments) commentIds.add(c.id);
      return page;
    });
    put(`listCommentsByAuthor(${text})`, byAuthor);
  }

  // ---- every comment and its history
  const allComments = sortIds(commentIds);
  const lastComment = allComments[allComments.length - 1] ?? 0n;
  for (const id of [...allComments, lastComment + 1n]) {
    put(`getComment(${id})`, await visitor.getComment(id));
    put(`getCommentHistory(${id})`, await visitor.getCommentHistory(id));
  }
  return snap;
}
