// @vitest-environment jsdom
// (for DOMParser: the feeds are checked with a real, strict XML parser)
import { describe, expect, it } from 'vitest';

import type { Id, PrincipalId, Target } from '../../../../src/backend/domain/model';
import { Commons } from '../../../../src/backend/domain/commons';
import { FEED_LENGTH, xml, type OpenDataResponse } from '../../../../src/backend/domain/open-data';
import {
  ADMIN,
  ALICE,
  BOB,
  MOD,
  proposalInput,
  seedRoadmap,
  setup,
  unwrap,
  type Setup,
} from '../support';

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const ORIGINS = {
  self: 'https://board.example',
  app: 'https://app.example',
  boardId: 'bkyz2-fmaaa-aaaaa-qaaaq-cai',
};
/** Principals as the canister writes them would need its codec; hex is as unambiguous. */
const principalText = (member: PrincipalId) =>
  `p-${[...member].map((c) => c.charCodeAt(0).toString(16)).join('')}`;

function get(app: Setup, url: string): OpenDataResponse {
  const [path = '', search = ''] = url.split('?');
  const query = new Map(new URLSearchParams(search));
  const response = app.commons.openData(path, query, ORIGINS, app.now(), principalText);
  if (response === undefined) throw new Error(`${path} is not open data`);
  return response;
}

/** Parses XML strictly (a well-formedness error is a <parsererror> document). */
function parseXml(text: string): Document {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  if (error !== undefined) throw new Error(`not well-formed XML: ${error.textContent}`);
  return doc;
}

/** The Atom feed's entries, checked for what RFC 4287 requires of a feed and its entries. */
function atomEntries(response: OpenDataResponse) {
  expect(response.status).toBe(200);
  expect(response.contentType).toBe('application/atom+xml; charset=utf-8');
  const doc = parseXml(response.body);
  const feed = doc.documentElement;
  expect(feed.namespaceURI).toBe(ATOM_NS);
  expect(feed.localName).toBe('feed');
  const child = (el: Element, name: string) =>
    Array.from(el.children).filter((c) => c.namespaceURI === ATOM_NS && c.localName === name);
  for (const name of ['id', 'title', 'updated']) expect(child(feed, name)).toHaveLength(1);
  expect(child(feed, 'link').some((l) => l.getAttribute('rel') === 'self')).toBe(true);
  return child(feed, 'entry').map((e) => {
    for (const name of ['id', 'title', 'updated', 'author']) expect(child(e, name)).toHaveLength(1);
    expect(Number.isNaN(Date.parse(child(e, 'updated')[0]!.textContent!))).toBe(false);
    return {
      id: child(e, 'id')[0]!.textContent!,
      title: child(e, 'title')[0]!.textContent!,
      author: child(child(e, 'author')[0]!, 'name')[0]!.textContent!,
      link: child(e, 'link')[0]!.getAttribute('href'),
      content: child(e, 'content')[0]?.textContent,
      categories: child(e, 'category').map((c) => c.getAttribute('term')),
    };
  });
}

function ndjson(response: OpenDataResponse): Array<Record<string, unknown>> {
  expect(response.status).toBe(200);
  expect(response.contentType).toBe('application/x-ndjson; charset=utf-8');
  if (response.body === '') return [];
  expect(response.body.endsWith('\n')).toBe(true);
  return response.body
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Every line of an export collection, following the Link header from page to page. */
function readAll(
  app: Setup,
  first: string,
): { lines: Array<Record<string, unknown>>; pages: number } {
  const lines: Array<Record<string, unknown>> = [];
  let url: string | undefined = first;
  let pages = 0;
  while (url !== undefined) {
    const response = get(app, url);
    lines.push(...ndjson(response));
    pages++;
    const link = response.headers.find(([name]) => name === 'Link')?.[1];
    const next = link === undefined ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
    url = next?.slice(ORIGINS.self.length);
    if (pages > 100) throw new Error('the export never ended');
  }
  return { lines, pages };
}

function propose(app: Setup, title: string, author: PrincipalId = ALICE, more = {}): Id {
  app.advance(1_000_000_000n);
  return unwrap(app.commons.submitProposal(app.as(author), proposalInput({ title, ...more }))).id;
}

function comment(app: Setup, target: Target, body: string, parentId?: Id, author = BOB): Id {
  app.advance(1_000_000_000n);
  return unwrap(
    app.commons.postComment(app.as(author), {
      target,
      parentId: parentId === undefined ? [] : [parentId],
      body,
    }),
  ).id;
}

const hide = (app: Setup, target: { Proposal: Id } | { Comment: Id }) =>
  unwrap(app.commons.moderate(app.as(MOD), { action: { Hide: target }, reason: 'spam' }));

function withModerator(): Setup {
  const app = setup();
  unwrap(app.commons.setRole(app.as(ADMIN), MOD, { Moderator: null }));
  return app;
}

describe('open data: Atom feeds', () => {
  it('/feed.atom lists the newest visible proposals, newest first, escaped, never a hidden one', () => {
    const app = withModerator();
    unwrap(app.commons.setProfile(app.as(ALICE), { displayName: 'Alice', bio: '' }));
    const first = propose(app, 'Shuffle <nodes> & "subnets"', ALICE, {
      body: 'Rotate nodes so that <b>no</b> group colludes & stays.',
      tags: ['security', 'nodes'],
    });
    const hidden = propose(app, 'Buy cheap watches here', BOB);
    const newest = propose(app, 'Canister logs', BOB);
    hide(app, { Proposal: hidden });

    const entries = atomEntries(get(app, '/feed.atom'));
    expect(entries.map((e) => e.id)).toEqual([
      `urn:icp:${ORIGINS.boardId}:proposal:${newest}`,
      `urn:icp:${ORIGINS.boardId}:proposal:${first}`,
    ]);
    const shuffle = entries[1]!;
    expect(shuffle.title).toBe('Shuffle <nodes> & "subnets"');
    expect(shuffle.content).toBe('Rotate nodes so that <b>no</b> group colludes & stays.');
    expect(shuffle.author).toBe('Alice');
    expect(shuffle.link).toBe(`https://app.example/proposals/${first}`);
    expect(shuffle.categories).toEqual(['security', 'nodes', 'status:Open']);
    // A member without a profile is named by their principal.
    expect(entries[0]!.author).toBe(principalText(BOB));
    expect(get(app, '/feed.atom').body).not.toContain('watches');
  });

  it('a proposal comment feed has its visible comments, newest first; hidden proposals have none', () => {
    const app = withModerator();
    const id = propose(app, 'Node shuffling');
    const root = comment(app, { Proposal: id }, 'First <thought>');
    const reply = comment(app, { Proposal: id }, 'A reply', root);
    const removed = comment(app, { Proposal: id }, 'Changed my mind');
    const abusive = comment(app, { Proposal: id }, 'Something abusive');
    unwrap(app.commons.deleteComment(app.as(BOB), removed));
    hide(app, { Comment: abusive });

    const entries = atomEntries(get(app, `/proposals/${id}/comments.atom`));
    expect(entries.map((e) => e.id.split(':').pop())).toEqual([String(reply), String(root)]);
    expect(entries[1]!.content).toBe('First <thought>');
    expect(entries[1]!.link).toBe(`https://app.example/proposals/${id}#comment-${root}`);

    hide(app, { Proposal: id });
    expect(get(app, `/proposals/${id}/comments.atom`).status).toBe(404);
    expect(get(app, '/proposals/999/comments.atom').status).toBe(404);
  });

  it("a long thread's feed has its newest comments, late replies to early comments included", () => {
    const app = withModerator();
    const id = propose(app, 'Node shuffling');
    const posted: Id[] = [];
    const post = (parent?: Id) => {
      app.advance(200_000_000_000n); // under the hourly comment limit
      posted.push(comment(app, { Proposal: id }, `Comment ${posted.length}`, parent));
    };
    for (let i = 0; i < 40; i++) post();
    for (let i = 0; i < 30; i++) post(posted[i % 3]); // replies to the first comments
    const newest = posted.slice(-FEED_LENGTH).reverse().map(String);
    const feedIds = () =>
      atomEntries(get(app, `/proposals/${id}/comments.atom`)).map((e) => e.id.split(':').pop());
    expect(feedIds()).toEqual(newest);
    // The same after the heap is rebuilt from the records (an upgrade).
    const reopened = { ...app, commons: new Commons(app.stores) };
    expect(
      atomEntries(get(reopened, `/proposals/${id}/comments.atom`)).map((e) =>
        e.id.split(':').pop(),
      ),
    ).toEqual(newest);
  });

  it('an empty board has a valid, empty feed', () => {
    expect(atomEntries(get(setup(), '/feed.atom'))).toEqual([]);
  });
});

describe('open data: roadmap.json', () => {
  it("has data/roadmap.json's shape with each item's tallies", () => {
    const app = setup();
    seedRoadmap(app);
    const open = app.commons
      .getRoadmap()
      .themes.flatMap((t) => t.milestones)
      .flatMap((m) => m.items)
      .find((i) => !('Deployed' in i.status))!;
    const [itemSlug, itemId] = [open.slug, open.id];
    unwrap(app.commons.setPriorityVotes(app.as(ALICE), itemId, 3));
    unwrap(app.commons.setPriorityVotes(app.as(BOB), itemId, 1));

    const response = get(app, '/roadmap.json');
    expect(response.contentType).toBe('application/json; charset=utf-8');
    const doc = JSON.parse(response.body) as {
      themes: Array<{
        slug: string;
        milestones: Array<{ slug: string; items: Array<Record<string, unknown>> }>;
      }>;
    };
    const roadmap = app.commons.getRoadmap();
    expect(doc.themes.map((t) => t.slug)).toEqual(roadmap.themes.map((t) => t.theme.slug));
    const item = doc.themes
      .flatMap((t) => t.milestones)
      .flatMap((m) => m.items)
      .find((i) => i.slug === itemSlug)!;
    expect(item).toMatchObject({
      id: String(itemId),
      priority: { votes: 4, supporters: 2 },
      supporterPowerE8s: '0',
    });
    for (const key of ['title', 'description', 'status', 'links']) expect(item).toHaveProperty(key);
    expect(get(app, '/export/roadmap.json').body).toBe(response.body);
  });
});

describe('open data: the export', () => {
  it('pages through every proposal once, oldest first, marking hidden ones without their content', () => {
    const app = withModerator();
    const ids: Id[] = [];
    for (let i = 0; i < 7; i++) ids.push(propose(app, `Proposal number ${i}`, i % 2 ? ALICE : BOB));
    hide(app, { Proposal: ids[3]! });
    unwrap(app.commons.voteProposal(app.as(ALICE), ids[0]!, [{ Down: null }]));
    unwrap(
      app.commons.setProposalStatus(app.as(ADMIN), ids[1]!, { Declined: 'out of scope' }, [
        'Not for now',
      ]),
    );

    const { lines, pages } = readAll(app, '/export/proposals.ndjson?limit=3');
    expect(pages).toBe(3);
    expect(lines.map((l) => l.id)).toEqual(ids.map(String));
    expect(lines[3]).toEqual({ type: 'proposal', id: String(ids[3]), hidden: true });
    expect(JSON.stringify(lines)).not.toContain('Proposal number 3');
    expect(lines[0]).toMatchObject({ up: 1, down: 1, status: 'Open', author: principalText(BOB) });
    expect(lines[1]).toMatchObject({
      status: 'Declined',
      declinedBecause: 'out of scope',
      officialResponse: { body: 'Not for now', forStatus: 'Declined', by: principalText(ADMIN) },
    });
  });

  it('lists revisions, visible comments and the activity log, resuming from any cursor', () => {
    const app = withModerator();
    const id = propose(app, 'First title');
    for (let n = 0; n < 3; n++) {
      app.advance(1_000_000_000n);
      unwrap(
        app.commons.editProposal(app.as(ALICE), id, proposalInput({ title: `Title ${n + 2}` })),
      );
    }
    propose(app, 'Never edited', BOB);
    const edited = propose(app, 'Edited once', BOB);
    const secret = propose(app, 'Hidden, with a revision', BOB);
    for (const proposal of [edited, secret]) {
      unwrap(app.commons.editProposal(app.as(BOB), proposal, proposalInput({ title: 'Changed' })));
    }
    hide(app, { Proposal: secret });
    const revisions = readAll(app, '/export/revisions.ndjson?limit=2');
    // Two full pages, then one that finds nothing more (a full page cannot know it was last).
    expect(revisions.pages).toBe(3);
    expect(revisions.lines.map((l) => [l.proposalId, l.version, l.title])).toEqual([
      [String(id), 0, 'First title'],
      [String(id), 1, 'Title 2'],
      [String(id), 2, 'Title 3'],
      [String(edited), 0, 'Edited once'],
    ]);

    const kept = comment(app, { Proposal: id }, 'Kept');
    const removed = comment(app, { Proposal: id }, 'Removed');
    const hidden = comment(app, { Proposal: id }, 'Hidden');
    const reply = comment(app, { Proposal: id }, 'A reply', kept, ALICE);
    unwrap(app.commons.deleteComment(app.as(BOB), removed));
    hide(app, { Comment: hidden });
    const comments = readAll(app, '/export/comments.ndjson').lines;
    expect(comments).toEqual([
      expect.objectContaining({
        id: String(kept),
        body: 'Kept',
        parentId: null,
        on: { proposal: String(id) },
      }),
      { type: 'comment', id: String(removed), deleted: true },
      { type: 'comment', id: String(hidden), hidden: true },
      expect.objectContaining({
        id: String(reply),
        parentId: String(kept),
        author: principalText(ALICE),
      }),
    ]);
    // Resuming after the first comment gives the rest.
    expect(ndjson(get(app, `/export/comments.ndjson?after=${kept}`)).map((l) => l.id)).toEqual(
      [removed, hidden, reply].map(String),
    );

    unwrap(app.commons.setProposalStatus(app.as(ADMIN), id, { UnderReview: null }, []));
    const activity = readAll(app, '/export/activity.ndjson').lines;
    const last = activity[activity.length - 1]!;
    expect(last).toMatchObject({
      type: 'activity',
      actor: principalText(ADMIN),
      kind: 'ProposalStatusChanged',
      details: { proposalId: String(id), status: { UnderReview: true } },
    });
    expect(activity.map((l) => Number(l.id))).toEqual(activity.map((_, i) => i + 1));
  });

  it('refuses bad paging parameters and unknown collections with a clear error', () => {
    const app = setup();
    for (const url of [
      '/export/proposals.ndjson?limit=0',
      '/export/proposals.ndjson?limit=abc',
      '/export/comments.ndjson?after=-1',
      '/export/revisions.ndjson?after=12',
    ]) {
      const response = get(app, url);
      expect(response.status, url).toBe(400);
      expect(JSON.parse(response.body)).toHaveProperty('error');
    }
    expect(get(app, '/export/votes.ndjson').status).toBe(404);
    const index = JSON.parse(get(app, '/export').body) as { collections: Record<string, string> };
    expect(Object.keys(index.collections)).toEqual([
      'proposals',
      'revisions',
      'comments',
      'activity',
    ]);
    expect(app.commons.openData('/proposals/1', new Map(), ORIGINS, app.now(), principalText)).toBe(
      undefined,
    );
  });
});

describe('XML text', () => {
  it('escapes markup, keeps every character XML can carry and drops the ones it cannot', () => {
    expect(xml('a < b && "c" > d')).toBe('a &lt; b &amp;&amp; &quot;c&quot; &gt; d');
    expect(xml('Ротация узлов — 節點輪換 😀\tok\n')).toBe('Ротация узлов — 節點輪換 😀\tok\n');
    expect(xml('bell\u0007 and \uffff')).toBe('bell and ');
    expect(xml('lone \ud800 high, lone \udc00 low, pair \ud83d\ude00')).toBe(
      'lone  high, lone  low, pair 😀',
    );
  });
});
