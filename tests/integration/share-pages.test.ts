/**
 * Shared links unfurl: the backend's HTTP interface answers a proposal's, an item's and a
 * comment's address with a page whose title, description and OpenGraph tags a link preview
 * reads without JavaScript, and which sends people on to the app. Fetched through localnet's
 * HTTP gateway at the backend's host, which verifies the response's certificate (the
 * canister certifies that it skips certification for these pages).
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getUrl } from '../support/http-request';
import { ed25519, ok, startTestNet, type TestNet } from './harness';

/** GET through the gateway with the Host header a browser sends for `<canister>.localhost`. */
const get = (net: TestNet, canister: string, path: string) =>
  getUrl(`http://${canister}.localhost:${net.localnet.port}${path}`);

/** The part of jsdom's document this reads (jsdom ships no types of its own). */
type ParsedPage = {
  title: string;
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }>;
};
const { JSDOM } = createRequire(import.meta.url)('jsdom') as {
  JSDOM: new (html: string) => { window: { document: ParsedPage } };
};

function tags(html: string) {
  const doc = new JSDOM(html).window.document;
  const meta = (selector: string) => doc.querySelector(selector)?.getAttribute('content');
  return {
    title: doc.title,
    description: meta('meta[name="description"]'),
    ogTitle: meta('meta[property="og:title"]'),
    ogDescription: meta('meta[property="og:description"]'),
    ogUrl: meta('meta[property="og:url"]'),
    twitterCard: meta('meta[name="twitter:card"]'),
    canonical: doc.querySelector('link[rel="canonical"]')?.getAttribute('href'),
    refresh: meta('meta[http-equiv="refresh"]'),
    scripts: doc.querySelectorAll('script').length,
    feeds: Array.from(doc.querySelectorAll('link[rel="alternate"]')).map((link) => [
      link.getAttribute('type'),
      link.getAttribute('href'),
    ]),
  };
}

describe('pages for shared links', () => {
  let net: TestNet;
  let backend: string;
  let app: string;

  beforeAll(async () => {
    net = await startTestNet();
    backend = net.localnet.backendId.toText();
    app = `http://${net.localnet.frontendId.toText()}.localhost:${net.localnet.port}`;
  });

  afterAll(async () => {
    await net?.dispose();
  });

  it("a proposal's link shows its title, status, tallies and excerpt, and leads to the app", async () => {
    const alice = await net.actor(ed25519());
    const title = 'Shared security through <node> "shuffling" & more';
    const proposal = ok(
      await alice.submitProposal({
        title,
        body: 'Rotate **nodes** between subnets so that no fixed group can collude.',
        tags: ['security'],
        themeId: [],
      }),
    );
    const page = await get(net, backend, `/proposals/${proposal.id}?utm_source=chat`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    // The gateway verified the certificate; an uncertified answer would be marked.
    expect(page.headers['x-localnet-uncertified']).toBeUndefined();
    const found = tags(page.body);
    expect(found.ogTitle).toBe(title);
    expect(found.title).toBe(`${title} · Roadmap Commons`);
    expect(found.ogDescription).toBe(
      'Open · 1 up-vote, 0 down-votes, 0 comments. Rotate nodes between subnets so that no fixed group can collude.',
    );
    expect(found.description).toBe(found.ogDescription);
    // Feed readers find the board's feed and the proposal's comments feed from the link.
    expect(found.feeds).toEqual([
      ['application/atom+xml', '/feed.atom'],
      ['application/atom+xml', `/proposals/${proposal.id}/comments.atom`],
    ]);
    expect(found.twitterCard).toBe('summary');
    expect(found.ogUrl).toBe(`${app}/proposals/${proposal.id}`);
    expect(found.canonical).toBe(`${app}/proposals/${proposal.id}`);
    expect(found.refresh).toBe(`0; url=${app}/proposals/${proposal.id}`);
    expect(found.scripts).toBe(0);
    expect(page.body).not.toContain('<node>');
  });

  it("a comment's link names who wrote it on what, and lands on the comment", async () => {
    const bob = await net.actor(ed25519());
    ok(await bob.setProfile({ displayName: 'Bob Builder', bio: '' }));
    const proposal = ok(
      await bob.submitProposal({ title: 'Query charts', body: '', tags: [], themeId: [] }),
    );
    const comment = ok(
      await bob.postComment({
        target: { Proposal: proposal.id },
        parentId: [],
        body: 'Charts of query latency per subnet would help.',
      }),
    );
    const page = await get(net, backend, `/comments/${comment.id}`);
    expect(page.status, page.body).toBe(200);
    const found = tags(page.body);
    expect(found.ogTitle).toBe('Bob Builder on “Query charts”');
    expect(found.ogDescription).toBe('Charts of query latency per subnet would help.');
    expect(found.ogUrl).toBe(`${app}/proposals/${proposal.id}#comment-${comment.id}`);
  });

  it("a roadmap item's link shows its status and supporters", async () => {
    const admin = await net.actor(net.deployer);
    ok(await admin.upsertTheme({ slug: 'share', title: 'Sharing', summary: '', order: 90 }));
    ok(
      await admin.upsertMilestone({
        slug: 'share-m1',
        themeSlug: 'share',
        name: 'Previews',
        summary: '',
        status: { Upcoming: null },
        eta: [],
        order: 1,
      }),
    );
    const item = ok(
      await admin.upsertItem({
        slug: 'share-previews',
        milestoneSlug: 'share-m1',
        title: 'Link previews',
        description: 'Shared links show what they point to.',
        status: { InProgress: null },
        links: [],
        order: 1,
      }),
    );
    ok(await (await net.actor(ed25519())).setPriorityVotes(item.id, 2));
    const found = tags((await get(net, backend, `/roadmap/items/${item.id}`)).body);
    expect(found.ogTitle).toBe('Link previews');
    expect(found.ogDescription).toBe(
      'In progress · 1 supporter. Shared links show what they point to.',
    );
    expect(found.ogUrl).toBe(`${app}/roadmap/items/${item.id}`);
  });

  it('hidden proposals stay hidden, and unknown addresses are 404 pages', async () => {
    const carol = await net.actor(ed25519());
    const proposal = ok(
      await carol.submitProposal({
        title: 'Something moderators will hide',
        body: 'Not for previews.',
        tags: [],
        themeId: [],
      }),
    );
    const admin = await net.actor(net.deployer);
    ok(await admin.moderate({ action: { Hide: { Proposal: proposal.id } }, reason: 'Off topic' }));
    const hidden = await get(net, backend, `/proposals/${proposal.id}`);
    expect(tags(hidden.body).ogTitle).toBe('Hidden proposal');
    expect(hidden.body).not.toContain('Something moderators will hide');
    expect(hidden.body).not.toContain('Not for previews');

    const missing = await get(net, backend, '/proposals/999999');
    expect(missing.status).toBe(404);
    expect(tags(missing.body).refresh).toBeUndefined();
    expect((await get(net, backend, '/nothing/here')).status).toBe(404);
  });
});
