/**
 * A canister in use must not lose a record on upgrade. This installs the current release's
 * backend (the fixture built at 9024f46, see tests/fixtures/README.md), fills it through its
 * public API, reads everything back, upgrades it to the module built from the working tree
 * and reads everything again: every public read, for every argument that matters, as every
 * identity whose view differs, must be exactly what it was. Then it checks state that no read
 * shows (rate limits, the display-name index, slugs, per-item priority votes, id counters)
 * through the writes that depend on it.
 *
 * While the working tree's backend equals the release this passes trivially; it is the check
 * for a new stable-memory layout.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Actor, AnonymousIdentity, HttpAgent, type Identity } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Error as BackendError,
  ThreadComment,
  ThreadPage,
} from '../../src/declarations/backend';
import { idlFactory } from '../../src/declarations/backend';
import {
  ROOT,
  err,
  ok,
  settleNewMembers,
  startTestNet,
  type Backend,
  type TestNet,
} from './harness';
import {
  MEMBER_NAMES,
  fillBoard,
  plain,
  roadmapImport,
  opaqueCursors,
  snapshotBoard,
  type Board,
  type BoardSnapshot,
  type PersonName,
} from './support/board-snapshot';

/** The release's backend, gzipped, and the sha256 of both forms (tests/fixtures/README.md). */
const RELEASE = {
  path: join(ROOT, 'tests', 'fixtures', 'backend-9024f46.wasm.gz'),
  gzSha256: '285836fcba35643901fac12f772fbbf126617e4f27d0b0c8688f571582a93f7f',
  wasmSha256: 'c9d61be5e4895a9295bfcf7b639ac45e44fba08e372bda3507960a9c7c9d81df',
};
/** What `npm run build:backend` wrote from the working tree (the global setup builds it). */
const WORKING_TREE_WASM = join(ROOT, '.azle', 'backend', 'backend.wasm');

/**
 * Reply fields added since the release. Both snapshots read the board through the working
 * tree's interface without them, so that the release's replies decode and the two compare
 * field for field; the new fields have tests of their own.
 */
const ADDED_FIELDS = new Set([
  'itemPower',
  'supporterPower',
  'nns',
  'upPower',
  'downPower',
  'votingPower',
  'merge',
  'mergedFrom',
]);

const releaseInterface: IDL.InterfaceFactory = ({ IDL: real }) =>
  idlFactory({
    IDL: {
      ...real,
      Record: (fields: Record<string, IDL.Type>) =>
        real.Record(
          Object.fromEntries(Object.entries(fields).filter(([k]) => !ADDED_FIELDS.has(k))),
        ),
    },
  });

/** An actor of the board as the release's interface shows it (see ADDED_FIELDS). */
async function releaseActor(net: TestNet, identity?: Identity): Promise<Backend> {
  const agent = await HttpAgent.create({
    host: net.localnet.apiUrl,
    identity: identity ?? new AnonymousIdentity(),
    shouldFetchRootKey: true,
  });
  return Actor.createActor<Backend>(releaseInterface, {
    agent,
    canisterId: net.localnet.backendId,
  });
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The fixture, after checking that it is byte for byte the module the README describes. */
function releaseModule(): Uint8Array {
  const gz = new Uint8Array(readFileSync(RELEASE.path));
  if (sha256(gz) !== RELEASE.gzSha256) {
    throw new Error(`${RELEASE.path}: sha256 ${sha256(gz)}, expected ${RELEASE.gzSha256}`);
  }
  const wasm = new Uint8Array(gunzipSync(gz));
  if (sha256(wasm) !== RELEASE.wasmSha256) {
    throw new Error(`${RELEASE.path} unzips to sha256 ${sha256(wasm)}, not the release's`);
  }
  return gz;
}

const InitArg = IDL.Opt(IDL.Record({ admins: IDL.Vec(IDL.Principal) }));
const initArg = (admins: Principal[] | undefined): Uint8Array =>
  new Uint8Array(IDL.encode([InitArg], [admins === undefined ? [] : [{ admins }]]));

const errKind = (error: BackendError): string => Object.keys(error)[0]!;

describe('migrating a board from the release (9024f46) to the working tree', () => {
  let net: TestNet;
  const asRelease = (identity?: Identity): Promise<Backend> => releaseActor(net, identity);
  let board: Board;
  let before: BoardSnapshot;
  let afterFirstUpgrade: BoardSnapshot;
  let hiddenBefore: Record<string, string>;
  const actorOf = (name: PersonName): Promise<Backend> =>
    asRelease(board.people.find((p) => p.name === name)!.identity);

  const installedHash = (): string | undefined => {
    const hash = net.localnet.replica.canister(net.localnet.backendId)?.moduleHash;
    return hash === undefined ? undefined : Buffer.from(hash).toString('hex');
  };

  /**
   * An upgrade as a deploy does it, through the management canister's install_code. The
   * argument adds no admin, so admins the old state knew must come from the old state.
   */
  const upgradeToWorkingTree = async (): Promise<void> => {
    const wasm = new Uint8Array(readFileSync(WORKING_TREE_WASM));
    await net.localnet.replica.installCode({
      canisterId: net.localnet.backendId,
      wasm,
      arg: initArg(undefined),
      mode: 'upgrade',
    });
    expect(installedHash()).toBe(sha256(wasm));
  };

  /**
   * State that no query shows, read through updates that fail on it and so change nothing.
   * Only the kind of error is kept: a retry-after in seconds moves with the clock.
   */
  const hiddenState = async (): Promise<Record<string, string>> => {
    const limited = await actorOf(board.rateLimitedAuthor);
    const grace = await actorOf('grace');
    const frank = await actorOf('frank');
    const takenName = board.displayNames.alice!.toUpperCase();
    return {
      // rateLimits: the author used up today's proposals.
      rateLimit: errKind(
        err(
          await limited.submitProposal({ title: 'One too many', body: '', tags: [], themeId: [] }),
        ),
      ),
      // displayNames: names are unique ignoring case.
      displayName: errKind(err(await grace.setProfile({ displayName: takenName, bio: '' }))),
      // roles: a revoked moderator stays revoked.
      revokedModerator: errKind(err(await frank.deleteComment(board.commentIds[0]!))),
    };
  };

  beforeAll(async () => {
    const started = Date.now();
    net = await startTestNet();
    // Replace what localnet deployed with the release, installed the way localnet installs
    // it (same install argument), from the gzipped fixture as a deploy would send it.
    await net.localnet.replica.installCode({
      canisterId: net.localnet.backendId,
      wasm: releaseModule(),
      arg: initArg([net.localnet.adminPrincipal]),
      mode: 'reinstall',
    });
    expect(installedHash()).toBe(RELEASE.wasmSha256);
    board = await fillBoard(asRelease, { deployer: net.deployer, devAdmin: net.devAdmin });
    const filled = Date.now();
    let calls = 0;
    const counting = net.localnet.replica.onMessage(() => calls++);
    before = await snapshotBoard(asRelease, board);
    counting();
    hiddenBefore = await hiddenState();
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `[migration] filled the release in ${seconds(filled - started)}; snapshot: ${calls} calls in ${seconds(Date.now() - filled)}`,
    );
  }, 240_000);

  afterAll(async () => {
    await net?.dispose();
  });

  it('the release holds something of every kind, over several pages', () => {
    const text = JSON.stringify(before, (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
    for (const kind of ['UnderReview', 'Planned', 'Declined', 'Duplicate', 'Done', 'Open']) {
      expect(text).toContain(`"${kind}"`);
    }
    expect(text).toContain('Out of scope this year.');
    expect(text).toContain('"officialResponse":[{');
    expect(text).toContain('"deleted":[{');
    expect(text).toContain('"myVote":[{"Down":null}]');
    expect(text).toContain('"RoleChanged"');
    expect(text).toContain('"CommentRemoved"');
    expect(text).toContain('"SettingsChanged"');
    const pages = (key: string) => (before[key] as unknown[]).length;
    expect(pages('listProposals(New, no filter) as grace')).toBeGreaterThan(2);
    expect(pages('getActivity')).toBeGreaterThan(1);
    expect(pages(`getThread(Proposal ${board.proposalIds[0]})`)).toBeGreaterThan(2);
    const thread = (
      before[`getThread(Proposal ${board.proposalIds[0]})`] as { comments: ThreadComment[] }[]
    )
      .flatMap((page) => page.comments)
      .map((c) => c.depth);
    expect(Math.max(...thread)).toBeGreaterThanOrEqual(4);
    expect(hiddenBefore).toEqual({
      rateLimit: 'RateLimited',
      displayName: 'Conflict',
      revokedModerator: 'Forbidden',
    });
  });

  it("upgrading to the working tree's module keeps every record", async () => {
    await upgradeToWorkingTree();
    // Ids, timestamps (canister time at each write), order and page boundaries must be
    // exactly as the release served them; only the text of the opaque cursors may differ,
    // since it encodes listing keys of the stable layout (see opaqueCursors).
    afterFirstUpgrade = await snapshotBoard(asRelease, board);
    expect(opaqueCursors(threadsAsListed(responsesAsReleased(afterFirstUpgrade)))).toEqual(
      opaqueCursors(threadsAsListed(before)),
    );
  }, 120_000);

  it('a second upgrade to the same module keeps every record too', async () => {
    await upgradeToWorkingTree();
    // Same layout on both sides: nothing at all may differ, cursors included.
    expect(await snapshotBoard(asRelease, board)).toEqual(afterFirstUpgrade);
    expect(await hiddenState()).toEqual(hiddenBefore);
  }, 120_000);

  it('writes after the migration build on the old state', async () => {
    // The board's members joined minutes ago: their new-member limits are not what this checks.
    await settleNewMembers(await actorOf('deployer'));
    const [p0] = board.proposalIds as [bigint];
    const nextProposal = board.proposalIds.reduce((a, b) => (a > b ? a : b)) + 1n;
    const nextComment = board.commentIds.reduce((a, b) => (a > b ? a : b)) + 1n;

    // Id counters: a new proposal and a new comment take the next ids.
    const bob = await actorOf('bob');
    const proposal = ok(
      await bob.submitProposal({ title: 'After the migration', body: '', tags: [], themeId: [] }),
    );
    expect(proposal.id).toBe(nextProposal);
    const newest = await bob.listProposals({
      needsResponse: [],
      sort: { New: null },
      cursor: [],
      limit: 1,
      status: [],
      tag: [],
      author: [],
      themeId: [],
    });
    expect(newest.proposals[0]?.id).toBe(nextProposal);

    // Proposal votes: a new vote and a changed one move the tally from where it was.
    const tally = (await bob.getProposal(p0))[0]!.proposal;
    const votes = await Promise.all(
      MEMBER_NAMES.map(async (name) => {
        const actor = await actorOf(name);
        const principal = board.people.find((p) => p.name === name)!.identity.getPrincipal();
        const isAuthor = principal.toText() === tally.author.toText();
        return { actor, isAuthor, vote: (await actor.getProposal(p0))[0]!.myVote };
      }),
    );
    const newVoter = votes.find((v) => v.vote.length === 0)!.actor;
    // Not the author, who may no longer vote against their own proposal.
    const upVoter = votes.find(
      (v) => !v.isAuthor && v.vote.length === 1 && 'Up' in v.vote[0],
    )!.actor;
    const added = ok(await newVoter.voteProposal(p0, [{ Up: null }]));
    expect([added.up, added.down]).toEqual([tally.up + 1, tally.down]);
    const changed = ok(await upVoter.voteProposal(p0, [{ Down: null }]));
    expect([changed.up, changed.down]).toEqual([tally.up, tally.down + 1]);

    // Threads: a reply to the deepest comment lands right after it, one level deeper.
    const thread = async () => {
      const all: ThreadComment[] = [];
      let cursor: [] | [string] = [];
      do {
        const page: ThreadPage = await bob.getThread({ Proposal: p0 }, cursor, 4);
        all.push(...page.comments);
        cursor = page.nextCursor;
      } while (cursor.length === 1);
      return all;
    };
    const deepest = (await thread()).reduce((a, b) => (b.depth > a.depth ? b : a));
    const reply = ok(
      await bob.postComment({
        target: { Proposal: p0 },
        parentId: [deepest.comment.id],
        body: 'After the migration.',
      }),
    );
    expect(reply.id).toBe(nextComment);
    const after = await thread();
    const at = after.findIndex((c) => c.comment.id === deepest.comment.id);
    expect(after[at + 1]).toMatchObject({ comment: { id: reply.id }, depth: deepest.depth + 1 });

    // Comment history: an edit appends to what the release had.
    const alice = await actorOf('alice');
    const edited = board.commentIds[0]!;
    const history = before[`getCommentHistory(${edited})`] as unknown[];
    expect(history.length).toBeGreaterThan(0);
    ok(await alice.editComment(edited, 'Edited after the migration.'));
    const longer = plain(await alice.getCommentHistory(edited)) as unknown[];
    expect(longer.slice(0, history.length)).toEqual(history);
    expect(longer).toHaveLength(history.length + 1);

    // Roles: the moderator still moderates (board.commentIds[1] is bob's, live).
    const dave = await actorOf('dave');
    const removed = board.commentIds[1]!;
    expect((await bob.getComment(removed))[0]?.deleted).toEqual([]);
    ok(await dave.deleteComment(removed));
    const tombstone = (await bob.getComment(removed))[0]!;
    expect(tombstone.deleted[0]?.by.toText()).toBe((await dave.whoami()).principal.toText());

    // Slugs: importing the same roadmap again updates everything in place.
    const deployer = await actorOf('deployer');
    const file = roadmapImport();
    const report = ok(await deployer.importRoadmap(file));
    expect(report).toMatchObject({ themesCreated: 0, milestonesCreated: 0, itemsCreated: 0 });
    expect(report.itemsUpdated).toBe(
      file.themes.flatMap((t) => t.milestones.flatMap((m) => m.items)).length,
    );

    // Per-item priority votes: deploying an item that holds votes gives the credits back.
    const members = await Promise.all(MEMBER_NAMES.map((name) => actorOf(name)));
    const spentOn = async (actor: Backend) =>
      (await actor.getMyPriorities()).votes.find((v) => v.itemId === board.heldItemId)?.votes ?? 0;
    const held = await Promise.all(members.map(spentOn));
    const left = await Promise.all(members.map(async (m) => (await m.whoami()).creditsLeft));
    expect(held.some((votes) => votes > 0)).toBe(true);
    const item = (await deployer.getItem(board.heldItemId))[0]!;
    ok(
      await deployer.upsertItem({
        slug: item.item.slug,
        milestoneSlug: item.milestone.slug,
        title: item.item.title,
        description: item.item.description,
        status: { Deployed: null },
        links: item.item.links,
        order: item.item.order,
      }),
    );
    const leftAfter = await Promise.all(members.map(async (m) => (await m.whoami()).creditsLeft));
    expect(leftAfter).toEqual(left.map((credits, i) => credits + held[i]! ** 2));
  }, 60_000);

  it('a merge after the migration finds the votes cast in the release', async () => {
    const deployer = await actorOf('deployer');
    const votable: Array<{ id: bigint; votes: number; author: string }> = [];
    for (const id of board.proposalIds) {
      const detail = (await deployer.getProposal(id))[0]!;
      const { status, up, down, author } = detail.proposal;
      if (detail.hidden.length === 0 && ('Open' in status || 'UnderReview' in status)) {
        votable.push({ id, votes: up + down, author: author.toText() });
      }
    }
    votable.sort((a, b) => b.votes - a.votes);
    const [duplicate, target] = votable as [(typeof votable)[0], (typeof votable)[0]];
    expect(duplicate.votes).toBeGreaterThan(0);
    // Each voter's vote on the target afterwards: their own if they had one, else the
    // duplicate's; the duplicate's author gets an up-vote.
    const voters = await Promise.all(
      [...new Set([...board.voters, 'deployer' as const])].map(async (name) => {
        const actor = await actorOf(name);
        const principal = board.people.find((p) => p.name === name)!.identity.getPrincipal();
        const onTarget = (await actor.getProposal(target.id))[0]!.myVote;
        const onDuplicate = (await actor.getProposal(duplicate.id))[0]!.myVote;
        const expected =
          onTarget.length === 1
            ? onTarget
            : principal.toText() === duplicate.author
              ? [{ Up: null }]
              : onTarget.length === 0 && principal.toText() === target.author
                ? onDuplicate.filter((vote) => 'Up' in vote)
                : onDuplicate;
        return { actor, expected };
      }),
    );
    // The release's interface has no merges: the working tree's reads them.
    const current = await net.actor(board.people.find((p) => p.name === 'deployer')!.identity);
    ok(await current.mergeProposal({ duplicate: duplicate.id, into: target.id, note: [] }));
    const deadline = Date.now() + 15_000;
    while (!('Merged' in (await current.getProposal(target.id))[0]!.mergedFrom[0]!.state)) {
      if (Date.now() > deadline) throw new Error('the merge did not finish in 15 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const { actor, expected } of voters) {
      expect((await actor.getProposal(target.id))[0]!.myVote).toEqual(expected);
    }
    const merged = (await current.getProposal(target.id))[0]!;
    expect(merged.mergedFrom[0]!.votesMoved).toBeGreaterThan(0);
  });
});

/**
 * The release had no `ProposalDetail.response` (read back as `[]`): the migration records each
 * official response with the status it was written for, taken as the proposal's status at the
 * upgrade, and no earlier versions. Checks exactly that wherever a proposal is read, and
 * returns the snapshot as the release would have read it.
 */
function responsesAsReleased<T>(value: T): T {
  if (Array.isArray(value)) return value.map(responsesAsReleased) as T;
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const record = value as Record<string, unknown>;
  if ('proposal' in record && 'response' in record) {
    const proposal = record.proposal as { status: unknown; officialResponse: unknown[] };
    expect(record.response).toEqual(
      proposal.officialResponse.length === 1 ? [{ forStatus: proposal.status, revisions: 0 }] : [],
    );
    return { ...record, response: [] } as T;
  }
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, responsesAsReleased(v)]),
  ) as T;
}

type ThreadEntry = { comment: { deleted: unknown[] }; depth: number };

/**
 * Threads as one list each, without the deleted comments that have no reply left under them:
 * the release listed those tombstones, this layout leaves them out (so its pages end at other
 * comments). Everything else in a thread must be as the release listed it, in the same order.
 */
function threadsAsListed<T>(snapshot: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(snapshot as Record<string, unknown>)) {
    if (!key.startsWith('getThread(')) {
      out[key] = value;
      continue;
    }
    const entries = (value as Array<{ comments: ThreadEntry[] }>).flatMap((page) => page.comments);
    out[key] = entries.filter((entry, i) => {
      if (entry.comment.deleted.length === 0) return true;
      // Its subtree: the entries after it, up to the next one at its depth or above.
      for (let j = i + 1; j < entries.length && entries[j]!.depth > entry.depth; j++) {
        if (entries[j]!.comment.deleted.length === 0) return true;
      }
      return false;
    });
  }
  return out as T;
}
