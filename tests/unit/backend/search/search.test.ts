import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

import { Commons } from '../../../../src/backend/domain/commons';
import { SearchIndex } from '../../../../src/backend/domain/search/search-index';
import type { Id, ModerationRequest } from '../../../../src/backend/domain/model';
import {
  POSTING_BUDGET,
  SIMILAR_CANDIDATES,
  type SearchRequest,
} from '../../../../src/backend/domain/search/search';
import {
  ADMIN,
  ALICE,
  BOB,
  MOD,
  expectRejected,
  proposalInput,
  setup,
  unwrap,
  type Setup,
} from '../support';

function board() {
  const app = setup();
  unwrap(app.commons.setRole(app.as(ADMIN), MOD, { Moderator: null }));
  const submit = (title: string, body = '', tags: string[] = []): Id => {
    const id = unwrap(
      app.commons.submitProposal(app.as(ADMIN), proposalInput({ title, body, tags })),
    ).id;
    return id;
  };
  const index = () => app.commons.indexSearchBacklog(() => false);
  const search = (query: string, more: Partial<SearchRequest> = {}) =>
    unwrap(
      app.commons.searchProposals(app.as(BOB), {
        query,
        status: [],
        cursor: [],
        limit: [],
        ...more,
      }),
    );
  const ids = (query: string, more: Partial<SearchRequest> = {}) =>
    search(query, more).proposals.map((p) => p.id);
  return { app, submit, index, search, ids };
}

const moderation = (action: ModerationRequest['action']): ModerationRequest => ({
  action,
  reason: 'spam',
});

describe('searchProposals', () => {
  it('finds a proposal once the backlog is indexed, not before', () => {
    const { submit, index, ids, search } = board();
    const id = submit('Shared security through node shuffling');
    expect(search('shuffling').pending).toBe(1);
    expect(ids('shuffling')).toEqual([]);
    index();
    expect(ids('shuffling')).toEqual([id]);
    expect(search('shuffling').pending).toBe(0);
  });

  it('stems, folds case and accents, and completes the last word', () => {
    const { submit, index, ids } = board();
    const id = submit('Shared security through node shuffling', 'A résumé of the costs.');
    index();
    expect(ids('SHUFFLE')).toEqual([id]);
    expect(ids('shuffles')).toEqual([id]);
    expect(ids('resume')).toEqual([id]);
    expect(ids('Résumés')).toEqual([id]);
    expect(ids('shuf')).toEqual([id]);
    expect(ids('node shuff')).toEqual([id]);
    // A finished word (followed by a space) is not completed.
    expect(ids('shuf ')).toEqual([]);
  });

  it('ranks a title match above a body-only match, and a tag above the body', () => {
    const { submit, index, ids } = board();
    const body = submit(
      'Faster finality',
      'Shuffling nodes between subnets, shuffling often, shuffling everywhere.',
    );
    const title = submit('Node shuffling', 'Rotate the members of subnets.');
    const tag = submit('Rotate subnet members', 'Rotate them often.', ['shuffling']);
    index();
    expect(ids('shuffling')).toEqual([title, tag, body]);
  });

  it('puts proposals matching every word before those matching some', () => {
    const { submit, index, ids } = board();
    const one = submit('Node rotation for subnets');
    const both = submit('Threshold keys and node shuffling');
    const other = submit('Shuffling the NNS proposal queue');
    index();
    const found = ids('node shuffling');
    expect(found[0]).toBe(both);
    expect(new Set(found.slice(1))).toEqual(new Set([one, other]));
  });

  it('never returns hidden proposals, and returns them again once restored', () => {
    const { app, submit, index, ids } = board();
    const id = submit('Node shuffling for everyone');
    index();
    unwrap(app.commons.moderate(app.as(MOD), moderation({ Hide: { Proposal: id } })));
    // Hidden at once, before the index catches up.
    expect(ids('shuffling')).toEqual([]);
    index();
    expect(ids('shuffling')).toEqual([]);
    unwrap(app.commons.moderate(app.as(MOD), moderation({ Restore: { Proposal: id } })));
    index();
    expect(ids('shuffling')).toEqual([id]);
  });

  it('follows edits', () => {
    const { app, submit, index, ids } = board();
    const id = submit('Node shuffling for everyone');
    index();
    unwrap(
      app.commons.editProposal(
        app.as(ADMIN),
        id,
        proposalInput({ title: 'Threshold Schnorr signatures' }),
      ),
    );
    index();
    expect(ids('shuffling')).toEqual([]);
    expect(ids('schnorr')).toEqual([id]);
  });

  it('filters by status', () => {
    const { app, submit, index, ids } = board();
    const open = submit('Node shuffling, open');
    const done = submit('Node shuffling, done');
    unwrap(app.commons.setProposalStatus(app.as(ADMIN), done, { Done: null }, []));
    index();
    expect(ids('shuffling', { status: [{ Done: null }] })).toEqual([done]);
    expect(ids('shuffling', { status: [{ Open: null }] })).toEqual([open]);
  });

  it('pages with a cursor through the whole ranking', () => {
    const { submit, index, search } = board();
    const all: Id[] = [];
    for (let i = 0; i < 7; i++)
      all.push(submit(`Node shuffling idea ${i}`, 'shuffling '.repeat(i)));
    index();
    const seen: Id[] = [];
    let cursor: [] | [string] = [];
    for (;;) {
      const page = search('shuffling', { limit: [3], cursor });
      seen.push(...page.proposals.map((p) => p.id));
      if (page.nextCursor.length === 0) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(search('shuffling', { limit: [50] }).proposals.map((p) => p.id));
    expect(new Set(seen)).toEqual(new Set(all));
  });

  it('rejects bad input with a clear error and changes nothing', () => {
    const { app, submit, index } = board();
    submit('Node shuffling');
    index();
    const request = (more: Partial<SearchRequest>): SearchRequest => ({
      query: 'shuffling',
      status: [],
      cursor: [],
      limit: [],
      ...more,
    });
    const reject = (more: Partial<SearchRequest>, field: string) =>
      expectRejected(
        app,
        () => app.commons.searchProposals(app.as(BOB), request(more)),
        'Invalid',
        field,
      );
    reject({ query: '   ' }, 'query');
    reject({ query: 'x'.repeat(201) }, 'query');
    reject({ query: 'a\u0000b' }, 'query');
    reject({ limit: [0] }, 'limit');
    reject({ limit: [51] }, 'limit');
    reject({ cursor: ['zz'] }, 'cursor');
    const page = unwrap(app.commons.searchProposals(app.as(BOB), request({ limit: [1] })));
    expect(page.nextCursor).toEqual([]);
    // A cursor of another query is refused rather than misread.
    submit('Node shuffling again');
    index();
    const first = unwrap(app.commons.searchProposals(app.as(BOB), request({ limit: [1] })));
    expect(first.nextCursor).toHaveLength(1);
    reject({ query: 'node', cursor: first.nextCursor }, 'cursor');
  });

  it('answers a query of stop words or unknown words with an empty page', () => {
    const { submit, index, search } = board();
    submit('Node shuffling');
    index();
    expect(search('the of and').proposals).toEqual([]);
    expect(search('zyxwvut').proposals).toEqual([]);
  });
});

describe('similarProposals', () => {
  it('offers open, under-review and planned proposals that share words with the draft', () => {
    const { app, submit, index } = board();
    const open = submit('Shared security through node shuffling');
    const declined = submit('Node shuffling between all subnets');
    unwrap(app.commons.setProposalStatus(app.as(ADMIN), declined, { Declined: 'no' }, []));
    submit('Threshold Schnorr signatures');
    index();
    const similar = app.commons.similarProposals(app.as(ALICE), {
      title: 'Shuffle nodes between subnets',
      body: [],
    });
    expect(similar.map((p) => p.id)).toEqual([open]);
    expect(app.commons.similarProposals(app.as(ALICE), { title: '', body: [] })).toEqual([]);
  });

  it('finds the proposals with two of the words even where a common word has too many to read', () => {
    const { app, submit, index } = board();
    const duplicate = submit('Node shuffling');
    for (let i = 0; i < SIMILAR_CANDIDATES / 2; i++) submit(`Shuffling schedule ${i}`);
    // Newer proposals with "node" in the title come first in its postings, more of them than a
    // query reads: the duplicate's "node" posting is never reached.
    for (let i = 0; i < 2 * POSTING_BUDGET; i++) submit(`Node upgrades ${i}`);
    index();
    const similar = app.commons.similarProposals(app.as(ALICE), {
      title: 'Node shuffling',
      body: [],
    });
    expect(similar.map((p) => p.id)).toEqual([duplicate]);
  });

  it('returns at most five', () => {
    const { app, submit, index } = board();
    for (let i = 0; i < 8; i++) submit(`Node shuffling plan ${i}`);
    index();
    const similar = app.commons.similarProposals(app.as(ALICE), {
      title: 'Node shuffling',
      body: ['More about node shuffling.'],
    });
    expect(similar).toHaveLength(5);
  });
});

describe('the index', () => {
  const WORDS = [
    'node',
    'nodes',
    'shuffling',
    'subnet',
    'résumé',
    'key',
    'keys',
    'threshold',
    'the',
    'ai',
  ];
  const text = fc
    .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 })
    .map((w) => w.join(' '));
  const action = fc.oneof(
    fc.record({ kind: fc.constant('submit' as const), title: text, body: text }),
    fc.record({ kind: fc.constant('edit' as const), which: fc.nat(), title: text, body: text }),
    fc.record({ kind: fc.constant('hide' as const), which: fc.nat() }),
    fc.record({ kind: fc.constant('restore' as const), which: fc.nat() }),
    fc.record({ kind: fc.constant('index' as const) }),
  );

  const QUERIES = ['node', 'shuffl', 'key thresh', 'resume subnet', 'ai', 'no'];
  const answer = (app: Setup, query: string) =>
    unwrap(
      app.commons.searchProposals(app.as(BOB), { query, status: [], cursor: [], limit: [50] }),
    ).proposals.map((p) => p.id);
  /** Every query over the index, one after the other, with the scores' order. */
  const answers = (app: Setup) => QUERIES.map((query) => answer(app, query));

  it('kept up one write at a time equals the index a rebuild makes', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 25 }), (actions) => {
        const app = setup();
        unwrap(app.commons.setRole(app.as(ADMIN), MOD, { Moderator: null }));
        const ids: Id[] = [];
        for (const a of actions) {
          const pick = (n: number) => ids[n % ids.length]!;
          if (a.kind === 'submit') {
            ids.push(
              unwrap(
                app.commons.submitProposal(
                  app.as(ADMIN), // exempt from rate limits
                  proposalInput({ title: `t ${a.title}`.slice(0, 120), body: a.body }),
                ),
              ).id,
            );
          } else if (ids.length === 0) continue;
          else if (a.kind === 'edit') {
            // An edit the rules refuse changes nothing, and neither may the index.
            app.commons.editProposal(
              app.as(ADMIN),
              pick(a.which),
              proposalInput({ title: `e ${a.title}`, body: a.body }),
            );
          } else if (a.kind === 'hide' || a.kind === 'restore') {
            const target = { Proposal: pick(a.which) };
            app.commons.moderate(
              app.as(MOD),
              moderation(a.kind === 'hide' ? { Hide: target } : { Restore: target }),
            );
          } else app.commons.indexSearchBacklog(() => false);
        }
        app.commons.indexSearchBacklog(() => false);
        const reopened = new Commons(app.stores);
        reopened.indexSearchBacklog(() => false);
        expect(answers({ ...app, commons: reopened })).toEqual(answers(app));
        // Ranking reuses its score arrays: no query may see what an earlier one left there.
        const alone = QUERIES.map((query) => {
          const fresh = new Commons(app.stores);
          fresh.indexSearchBacklog(() => false);
          return answer({ ...app, commons: fresh }, query);
        });
        expect(answers(app)).toEqual(alone);
      }),
      { numRuns: 60 },
    );
  });

  it('scores a proposal from its own terms exactly as the ranking does from the postings', () => {
    const doc = fc.record({ title: text, tags: fc.constant([]), body: text });
    // A query word: one term, or a prefix standing for its completions.
    const word = fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom('no', 'ke', 'sh', 'th'));
    fc.assert(
      fc.property(
        fc.array(doc, { minLength: 1, maxLength: 30 }),
        fc.uniqueArray(word, { minLength: 2, maxLength: 4 }),
        (docs, query) => {
          const index = new SearchIndex();
          docs.forEach((d, i) => index.add(BigInt(i), d));
          const slots = query
            .map((w) =>
              w.length === 2 ? index.completions(w) : [index.postings(index.termOf(w) ?? '')],
            )
            .map((slot) => slot.filter((list) => list !== undefined))
            .filter((slot) => slot.length > 0);
          // A budget that reads every posting: the ranking then sees every match.
          const ranking = index.rank(slots, 1_000_000);
          // One term's ranking is its postings, with keys of another kind.
          fc.pre(ranking.kind === 's');
          const ids = Array.from({ length: ranking.size }, (_, i) => ranking.id(i));
          const rescored = index.rescore([...ids].reverse(), slots);
          expect(Array.from({ length: rescored.size }, (_, i) => rescored.key(i))).toEqual(
            Array.from({ length: ranking.size }, (_, i) => ranking.key(i)),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ranks without allocating per-proposal arrays once the backlog is indexed', () => {
    // On the IC a query's heap changes are dropped: arrays a query allocates, every query
    // allocates again, at a cost that grows with the board. Indexing (an update) makes them.
    const { submit, index, search } = board();
    for (let i = 0; i < 30; i++) submit(`Node shuffling idea ${i}`, 'subnet keys threshold');
    index();
    let large = 0;
    class Counted extends Float64Array {
      // Counts arrays made from a length of 1024 or more: any other form passes through.
      constructor(length: number) {
        super(length);
        if (length >= 1024) large++;
      }
    }
    vi.stubGlobal('Float64Array', Counted);
    try {
      expect(search('node subnet threshold').proposals.length).toBe(20);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(large).toBe(0);
  });

  it('indexes the backlog in bounded steps', () => {
    const { app, submit } = board();
    for (let i = 0; i < 5; i++) submit(`Proposal number ${i}`);
    let calls = 0;
    expect(app.commons.indexSearchBacklog(() => calls++ >= 2)).toBe(3);
    expect(app.commons.searchBacklog()).toBe(3);
    expect(app.commons.indexSearchBacklog(() => false)).toBe(0);
  });
});
