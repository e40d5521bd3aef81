/**
 * The board as open data, fetched as a feed reader or a mirror fetches it: through localnet's
 * HTTP gateway at the backend's host, which asks the canister's `http_request`, is told to
 * upgrade, and takes the answer from `http_request_update` (an update reply, through consensus).
 * The Atom is parsed by a strict XML parser, the JSON and NDJSON by JSON.parse.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getUrl, httpRequest } from '../support/http-request';
import { ed25519, ok, startTestNet, type TestNet } from './harness';

type XmlElement = {
  localName: string;
  namespaceURI: string | null;
  textContent: string | null;
  children: ArrayLike<XmlElement>;
  getAttribute(name: string): string | null;
};
/** The part of jsdom this reads (jsdom ships no types of its own). */
const { JSDOM } = createRequire(import.meta.url)('jsdom') as {
  JSDOM: new (html: string) => {
    window: {
      DOMParser: new () => {
        parseFromString(
          text: string,
          type: string,
        ): {
          documentElement: XmlElement;
          getElementsByTagName(name: string): ArrayLike<XmlElement>;
        };
      };
    };
  };
};

const ATOM = 'http://www.w3.org/2005/Atom';

function atomEntries(xml: string): Array<{ title: string; content: string; link: string }> {
  const doc = new new JSDOM('').window.DOMParser().parseFromString(xml, 'application/xml');
  expect(doc.getElementsByTagName('parsererror').length, 'well-formed XML').toBe(0);
  const feed = doc.documentElement;
  expect([feed.namespaceURI, feed.localName]).toEqual([ATOM, 'feed']);
  const children = (el: XmlElement, name: string) =>
    Array.from(el.children).filter((c) => c.namespaceURI === ATOM && c.localName === name);
  return children(feed, 'entry').map((entry) => ({
    title: children(entry, 'title')[0]!.textContent ?? '',
    content: children(entry, 'content')[0]!.textContent ?? '',
    link: children(entry, 'link')[0]!.getAttribute('href') ?? '',
  }));
}

describe('open data over HTTP', () => {
  let net: TestNet;
  let base: string;
  let proposalIds: bigint[];

  const get = (path: string) => getUrl(`${base}${path}`);

  beforeAll(async () => {
    net = await startTestNet();
    base = `http://${net.localnet.backendId.toText()}.localhost:${net.localnet.port}`;
    const alice = await net.actor(ed25519());
    const bob = await net.actor(ed25519());
    proposalIds = [];
    // Two authors: a new member may propose once a day.
    for (const [author, title] of [
      [alice, 'Shuffle nodes <between> subnets & more'],
      [bob, 'Canister logs for everyone'],
    ] as const) {
      const proposal = ok(
        await author.submitProposal({ title, body: `Why: ${title}.`, tags: ['ops'], themeId: [] }),
      );
      proposalIds.push(proposal.id);
    }
    ok(
      await bob.postComment({
        target: { Proposal: proposalIds[0]! },
        parentId: [],
        body: 'Yes — «and» fast.',
      }),
    );
  });

  afterAll(async () => {
    await net?.dispose();
  });

  it('serves /feed.atom as valid Atom with the newest proposals, with validators', async () => {
    const reply = await get('/feed.atom');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('public, max-age=60');
    expect(reply.headers['access-control-allow-origin']).toBe('*');
    const entries = atomEntries(reply.body);
    expect(entries.map((e) => e.title)).toEqual([
      'Canister logs for everyone',
      'Shuffle nodes <between> subnets & more',
    ]);
    const app = `http://${net.localnet.frontendId.toText()}.localhost:${net.localnet.port}`;
    expect(entries[1]!.link).toBe(`${app}/proposals/${proposalIds[0]}`);

    // Unchanged board: 304 without a body. A vote changes it.
    const etag = reply.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    const conditional = () =>
      httpRequest({
        port: net.localnet.port,
        path: '/feed.atom',
        headers: { host: new URL(base).host, 'if-none-match': etag },
      });
    const unchanged = await conditional();
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBe('');
    const carol = await net.actor(ed25519());
    ok(await carol.voteProposal(proposalIds[1]!, [{ Up: null }]));
    expect((await conditional()).status).toBe(200);
  });

  it("serves a proposal's comments as Atom, and 404 for a proposal that does not exist", async () => {
    const reply = await get(`/proposals/${proposalIds[0]}/comments.atom`);
    expect(reply.status).toBe(200);
    expect(atomEntries(reply.body).map((e) => e.content)).toEqual(['Yes — «and» fast.']);
    expect((await get('/proposals/4242/comments.atom')).status).toBe(404);
  });

  it('serves /roadmap.json with the tallies getRoadmap has', async () => {
    const reply = await get('/roadmap.json');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    const doc = JSON.parse(reply.body) as {
      themes: Array<{ milestones: Array<{ items: Array<{ id: string; priority: unknown }> }> }>;
    };
    const roadmap = await (await net.actor(ed25519())).getRoadmap();
    const expected = roadmap.themes
      .flatMap((t) => t.milestones)
      .flatMap((m) => m.items)
      .map((i) => ({ id: String(i.id), priority: i.priority }));
    const served = doc.themes
      .flatMap((t) => t.milestones)
      .flatMap((m) => m.items)
      .map((i) => ({ id: i.id, priority: i.priority }));
    expect(expected.length).toBeGreaterThan(0);
    expect(served).toEqual(expected);
  });

  it('exports every proposal across pages by following the Link header', async () => {
    const ids: string[] = [];
    let path: string | undefined = '/export/proposals.ndjson?limit=1';
    let pages = 0;
    while (path !== undefined && pages < 10) {
      const reply = await get(path);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
      for (const line of reply.body.trimEnd().split('\n')) {
        const proposal = JSON.parse(line) as { type: string; id: string; up: number };
        expect(proposal.type).toBe('proposal');
        ids.push(proposal.id);
      }
      pages++;
      const next = /<([^>]+)>; rel="next"/.exec(String(reply.headers.link ?? ''))?.[1];
      path = next === undefined ? undefined : new URL(next).pathname + new URL(next).search;
    }
    expect(ids).toEqual(proposalIds.map(String));
    expect(pages).toBe(2);
    expect((await get('/export/proposals.ndjson?limit=0')).status).toBe(400);
    expect((await get('/export/proposals.ndjson?after=%zz')).status).toBe(400);
  });
});
