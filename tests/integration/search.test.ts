/**
 * Search through the compiled canister: proposals become searchable by the follow-up timer
 * message within seconds; ranking (title over body), stemming, prefixes and unicode folding as
 * the canister's own JavaScript engine runs them; edits, hiding and restoring; bad input; and an
 * upgrade, after which timers rebuild the index from stable memory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDL } from '@dfinity/candid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchPage, SearchRequest } from '../../src/declarations/backend';
import {
  ROOT,
  err,
  member,
  ok,
  startTestNet,
  type Backend,
  type Member,
  type TestNet,
} from './harness';

let net: TestNet;
let admin: Backend;
let moderator: Member;
let alice: Member;
let anonymous: Backend;

const request = (query: string, more: Partial<SearchRequest> = {}): SearchRequest => ({
  query,
  status: [],
  cursor: [],
  limit: [],
  ...more,
});

async function search(query: string, more: Partial<SearchRequest> = {}): Promise<SearchPage> {
  return ok(await anonymous.searchProposals(request(query, more)));
}

async function ids(query: string, more: Partial<SearchRequest> = {}): Promise<bigint[]> {
  return (await search(query, more)).proposals.map((p) => p.id);
}

/** Waits until the index has caught up (the timer runs in the next round). */
async function indexed(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await search('anything')).pending > 0) {
    if (Date.now() > deadline) throw new Error('the search backlog was not indexed in 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function submit(title: string, body = '', tags: string[] = []): Promise<bigint> {
  return ok(await alice.actor.submitProposal({ title, body, tags, themeId: [] })).id;
}

let inTitle: bigint;
let inBody: bigint;
let unicode: bigint;
let other: bigint;

beforeAll(async () => {
  net = await startTestNet();
  admin = await net.actor(net.deployer);
  anonymous = await net.actor();
  moderator = await member(net);
  alice = await member(net);
  ok(await admin.setRole(moderator.principal, { Moderator: null }));
  ok(await admin.setRole(alice.principal, { Admin: null })); // no rate limits for the setup
  inBody = await submit(
    'Faster state sync',
    'Shuffling nodes between subnets needs faster state sync; shuffling often makes it worse.',
  );
  inTitle = await submit('Shared security through node shuffling', 'Rotate members regularly.');
  unicode = await submit('Résumé des coûts: Straße und Ångström', 'Ротация узлов — 節點輪換.');
  other = await submit('Threshold Schnorr signatures', 'BIP-340 and Ed25519 keys.', ['schnorr']);
}, 180_000);

afterAll(async () => {
  await net?.dispose();
});

describe('searchProposals', () => {
  it('makes a new proposal searchable within seconds', async () => {
    await indexed();
    expect(await ids('schnorr')).toEqual([other]);
  });

  it('ranks a title match above a body-only match', async () => {
    expect(await ids('shuffling')).toEqual([inTitle, inBody]);
  });

  it('stems, so that other forms of a word find it', async () => {
    expect(await ids('shuffle')).toEqual([inTitle, inBody]);
    expect(await ids('signature ')).toEqual([other]);
  });

  it('completes the last word while it is typed', async () => {
    expect(await ids('shuf')).toEqual([inTitle, inBody]);
    expect(await ids('threshold schn')).toEqual([other]);
  });

  it('folds case and diacritics, and finds words in other scripts', async () => {
    expect(await ids('RESUME')).toEqual([unicode]);
    expect(await ids('strasse angstrom')).toEqual([unicode]);
    expect(await ids('ротация')).toEqual([unicode]);
    expect(await ids('節點')).toEqual([unicode]);
  });

  it('follows edits', async () => {
    ok(
      await alice.actor.editProposal(other, {
        title: 'Threshold EdDSA signatures',
        body: 'Ed25519 keys for Solana.',
        tags: [],
        themeId: [],
      }),
    );
    await indexed();
    expect(await ids('schnorr')).toEqual([]);
    expect(await ids('eddsa')).toEqual([other]);
  });

  it('never returns a hidden proposal; a restored one comes back', async () => {
    ok(await moderator.actor.moderate({ action: { Hide: { Proposal: inBody } }, reason: 'spam' }));
    // Left out at once, before the index has caught up, and for its author too.
    expect(await ids('shuffling')).toEqual([inTitle]);
    expect(
      ok(await alice.actor.searchProposals(request('shuffling'))).proposals.map((p) => p.id),
    ).toEqual([inTitle]);
    await indexed();
    expect(await ids('shuffling')).toEqual([inTitle]);
    ok(
      await moderator.actor.moderate({
        action: { Restore: { Proposal: inBody } },
        reason: 'on topic',
      }),
    );
    await indexed();
    expect(await ids('shuffling')).toEqual([inTitle, inBody]);
  });

  it('filters by status and pages with a cursor', async () => {
    ok(await admin.setProposalStatus(inTitle, { Done: null }, []));
    expect(await ids('shuffling', { status: [{ Done: null }] })).toEqual([inTitle]);
    const first = await search('shuffling', { limit: [1] });
    expect(first.proposals.map((p) => p.id)).toEqual([inTitle]);
    const second = await search('shuffling', { limit: [1], cursor: first.nextCursor });
    expect(second.proposals.map((p) => p.id)).toEqual([inBody]);
    expect(second.nextCursor).toEqual([]);
  });

  it('returns the summaries listProposals returns', async () => {
    const [found] = (await search('eddsa')).proposals;
    expect(found?.title).toBe('Threshold EdDSA signatures');
    expect(found?.excerpt).toBe('Ed25519 keys for Solana.');
    expect(found?.authorName).toEqual([]);
  });

  it('rejects bad input with a clear error', async () => {
    const invalid = async (more: Partial<SearchRequest>, query = 'shuffling') =>
      err(await anonymous.searchProposals(request(query, more)));
    expect(await invalid({}, '  ')).toEqual({
      Invalid: { field: 'query', reason: 'must not be empty' },
    });
    expect(await invalid({}, 'x'.repeat(201))).toMatchObject({ Invalid: { field: 'query' } });
    expect(await invalid({ limit: [0] })).toMatchObject({ Invalid: { field: 'limit' } });
    expect(await invalid({ limit: [51] })).toMatchObject({ Invalid: { field: 'limit' } });
    expect(await invalid({ cursor: ['not a cursor'] })).toMatchObject({
      Invalid: { field: 'cursor' },
    });
  });
});

describe('similarProposals', () => {
  it('offers open or planned proposals like a draft, up to five', async () => {
    const similar = await alice.actor.similarProposals({
      title: 'Threshold EdDSA keys',
      body: [],
    });
    expect(similar.map((p) => p.id)).toEqual([other]);
    // inTitle is Done now: not offered.
    const done = await alice.actor.similarProposals({ title: 'Node shuffling', body: [] });
    expect(done.map((p) => p.id)).not.toContain(inTitle);
  });
});

describe('after an upgrade', () => {
  it('rebuilds the index from stable memory and searches as before', async () => {
    const before = await ids('shuffling');
    const InitArg = IDL.Opt(IDL.Record({ admins: IDL.Vec(IDL.Principal) }));
    await net.localnet.replica.installCode({
      canisterId: net.localnet.backendId,
      wasm: new Uint8Array(readFileSync(join(ROOT, '.azle', 'backend', 'backend.wasm'))),
      arg: new Uint8Array(IDL.encode([InitArg], [[]])),
      mode: 'upgrade',
    });
    await indexed();
    expect(await ids('shuffling')).toEqual(before);
    expect(await ids('ротация')).toEqual([unicode]);
  });
});
