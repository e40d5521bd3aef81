/**
 * Nothing replied is ever lost: an explicit upgrade through the management canister, a clean
 * stop and restart on the same state folder, and `kill -9` of `npm start`'s process between
 * calls all keep every piece of data. The last part runs the issue's acceptance script (plain
 * Node + @dfinity/agent) against the restarted `npm start`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AnonymousIdentity, type Identity } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Proposal } from '../../src/declarations/backend';
import { loadOrCreateDeployer } from '../../src/localnet/launch/identity';
import { BACKEND_CANISTER_ID, FRONTEND_CANISTER_ID } from '../../src/localnet/launch/launch';
import { backendActor } from '../../src/localnet/launch/seed';
import {
  ROOT,
  delegated,
  ed25519,
  freePort,
  newStateDir,
  ok,
  p256,
  show,
  snapshot,
  startTestNet,
  uniqueName,
  type Backend,
  type TestNet,
} from './harness';

/** Writes data of every kind as several members; returns what to read back. */
async function populate(actorFor: (identity?: Identity) => Promise<Backend>, admin: Backend) {
  const aliceId = ed25519();
  const bobId = await p256();
  const carolId = await delegated();
  const [alice, bob, carol] = await Promise.all([
    actorFor(aliceId),
    actorFor(bobId),
    actorFor(carolId),
  ]);
  ok(await alice.setProfile({ displayName: uniqueName('alice'), bio: 'Persists' }));
  ok(await bob.setProfile({ displayName: uniqueName('bob'), bio: '' }));
  const proposals: Proposal[] = [];
  for (const [i, author] of [alice, bob, carol].entries()) {
    proposals.push(
      ok(
        await author.submitProposal({
          title: `Durable proposal ${i}`,
          body: `Body ${i}`,
          tags: ['durable'],
          themeId: [],
        }),
      ),
    );
  }
  const [first, second] = proposals as [Proposal, Proposal, Proposal];
  ok(
    await alice.editProposal(first.id, {
      title: 'Durable, edited',
      body: 'v2',
      tags: [],
      themeId: [],
    }),
  );
  ok(await bob.voteProposal(first.id, [{ Up: null }]));
  ok(await carol.voteProposal(first.id, [{ Down: null }]));
  ok(await alice.voteProposal(second.id, [{ Up: null }]));
  const top = ok(
    await alice.postComment({ target: { Proposal: first.id }, parentId: [], body: 'Top' }),
  );
  const reply = ok(
    await bob.postComment({ target: { Proposal: first.id }, parentId: [top.id], body: 'Reply' }),
  );
  ok(await bob.editComment(reply.id, 'Reply, edited'));
  ok(await alice.deleteComment(top.id));
  const item = (await alice.getRoadmap()).themes
    .flatMap((t) => t.milestones.flatMap((m) => m.items))
    .find((i) => !('Deployed' in i.status))!;
  ok(await carol.setPriorityVotes(item.id, 4));
  ok(await admin.setRole(bobId.getPrincipal(), { Moderator: null }));
  ok(await admin.setProposalStatus(second.id, { Declined: 'Not now' }, ['Maybe later.']));
  const settings = await admin.getSettings();
  ok(await admin.setSettings({ ...settings, creditBudget: 121 }));
  return {
    identities: [aliceId, bobId, carolId],
    proposalIds: proposals.map((p) => p.id),
    commentIds: [top.id, reply.id],
  };
}

type Written = Awaited<ReturnType<typeof populate>>;

/** Everything each member can read, including histories and profiles. */
async function readBack(actorFor: (identity?: Identity) => Promise<Backend>, written: Written) {
  const views: string[] = [];
  for (const identity of written.identities) {
    const actor = await actorFor(identity);
    views.push(await snapshot(actor, written.proposalIds));
    views.push(
      show({
        profile: await actor.getProfile(identity.getPrincipal()),
        comments: await actor.listCommentsByAuthor(identity.getPrincipal(), [], 50),
      }),
    );
  }
  const visitor = await actorFor(new AnonymousIdentity());
  for (const id of written.proposalIds) {
    views.push(show(await visitor.getProposalHistory(id, [], 50)));
  }
  for (const id of written.commentIds) {
    views.push(show([await visitor.getComment(id), await visitor.getCommentHistory(id)]));
  }
  return views;
}

function initArg(admins: Principal[]): Uint8Array {
  const InitArg = IDL.Opt(IDL.Record({ admins: IDL.Vec(IDL.Principal) }));
  return new Uint8Array(IDL.encode([InitArg], [[{ admins }]]));
}

describe('upgrades', () => {
  let net: TestNet;
  let written: Written;
  let before: string[];
  /** The module localnet installed, read once: upgrades below install it again. */
  let wasm: Uint8Array;

  beforeAll(async () => {
    net = await startTestNet();
    wasm = new Uint8Array(readFileSync(join(ROOT, '.azle', 'backend', 'backend.wasm')));
    written = await populate(net.actor, await net.actor(net.deployer));
    before = await readBack(net.actor, written);
    // The fixture wrote something of every kind.
    expect(before.join()).toContain('Durable, edited');
    expect(before.join()).toContain('Reply, edited');
  });

  afterAll(async () => {
    await net?.dispose();
  });

  it('an explicit upgrade (install_code mode upgrade) keeps all data', async () => {
    await net.localnet.replica.installCode({
      canisterId: net.localnet.backendId,
      wasm,
      arg: initArg([]),
      mode: 'upgrade',
    });
    expect(await readBack(net.actor, written)).toEqual(before);
  });

  it('a clean stop and a start on the same state folder keep all data and the root key', async () => {
    // An agent made before the restart keeps working: the network's keys persist.
    const longLived = await net.actor(written.identities[0]);
    const port = net.localnet.port;
    await net.stop();
    net = await startTestNet(net.stateDir, port);
    expect(await readBack(net.actor, written)).toEqual(before);
    expect((await longLived.getProposal(written.proposalIds[0]!))[0]?.proposal.title).toBe(
      'Durable, edited',
    );
  }, 180_000);

  it('an upgrade argument adds admins and keeps the existing ones', async () => {
    const newcomer = ed25519();
    await net.localnet.replica.installCode({
      canisterId: net.localnet.backendId,
      wasm,
      arg: initArg([newcomer.getPrincipal()]),
      mode: 'upgrade',
    });
    const actor = await net.actor(newcomer);
    expect((await actor.whoami()).role).toEqual({ Admin: null });
    expect((await (await net.actor(net.devAdmin)).whoami()).role).toEqual({ Admin: null });
    ok(await actor.upsertTheme({ slug: 'after-upgrade', title: 'After', summary: '', order: 99 }));
  });

  it('ids keep counting after upgrades: nothing is overwritten', async () => {
    const actor = await net.actor(ed25519());
    const next = ok(
      await actor.submitProposal({ title: 'After the upgrade', body: '', tags: [], themeId: [] }),
    );
    const maxBefore = written.proposalIds.reduce((a, b) => (a > b ? a : b));
    expect(next.id).toBe(maxBefore + 1n);
    for (const id of written.proposalIds) {
      expect((await actor.getProposal(id))[0]?.proposal.title).toMatch(/^Durable/);
    }
  });

  it("a member's votes and a proposal's followers keep their order and count across upgrades", async () => {
    // Lists of votes and of followers are appended one record per entry and their lengths
    // written only every few entries: 11 entries (and 13 after the upgrade) cross that step.
    const voterId = ed25519();
    const voter = await net.actor(voterId);
    const authors = await Promise.all(Array.from({ length: 13 }, () => net.actor(ed25519())));
    const ids: bigint[] = [];
    for (let i = 0; i < 13; i++) {
      const author = authors[i % authors.length]!;
      const input = {
        title: `Listed proposal ${i}`,
        body: '',
        tags: [] as string[],
        themeId: [] as [],
      };
      ids.push(ok(await author.submitProposal(input)).id);
    }
    const followers = await Promise.all(Array.from({ length: 10 }, () => net.actor(ed25519())));
    for (const follower of followers) ok(await follower.voteProposal(ids[0]!, [{ Up: null }]));
    for (const id of ids.slice(0, 11)) ok(await voter.voteProposal(id, [{ Up: null }]));
    await net.localnet.replica.installCode({
      canisterId: net.localnet.backendId,
      wasm,
      arg: initArg([]),
      mode: 'upgrade',
    });
    for (const id of ids.slice(11)) ok(await voter.voteProposal(id, [{ Up: null }]));
    const page = await voter.listVotesByMember(voterId.getPrincipal(), [], 20);
    expect(page.votes.map((v) => v.proposal.id)).toEqual([...ids].reverse());
    // Every follower listed before the upgrade hears of a comment made after it.
    ok(
      await authors[0]!.postComment({ target: { Proposal: ids[0]! }, parentId: [], body: 'News' }),
    );
    await expect
      .poll(async () => Promise.all(followers.map((f) => f.getUnreadCount())), {
        timeout: 20_000,
      })
      .toEqual(followers.map(() => 1));
    expect(await voter.getUnreadCount()).toBe(1);
  });
});

// ---- npm start as a child process

const READY = 'Roadmap Commons is running on localnet';

interface Cli {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `npm start -- --port <port> --state-dir <dir> --no-demo --quiet`, run as `node --import tsx`
 * so that the child is the localnet process itself and SIGKILL reaches it, not a wrapper.
 */
function startCli(port: number, stateDir: string): Promise<Cli> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/localnet/cli.ts',
      '--port',
      String(port),
      '--state-dir',
      stateDir,
      '--no-demo',
      '--quiet',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npm start did not get ready in 170 s:\n${output}`));
    }, 170_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(READY)) {
        clearTimeout(timer);
        resolve({ child, output: () => output, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
}

function runNode(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm start killed with SIGKILL between calls', () => {
  const stateDir = newStateDir();
  let port: number;
  let apiUrl: string;
  let cli: Cli | undefined;

  beforeAll(async () => {
    port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (cli && cli.child.exitCode === null && cli.child.signalCode === null) {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('loses nothing that was replied, and the acceptance script works on the restarted network', async () => {
    cli = await startCli(port, stateDir);
    const actorFor = (identity?: Identity) =>
      backendActor(apiUrl, BACKEND_CANISTER_ID, identity ?? new AnonymousIdentity());
    const written = await populate(actorFor, await actorFor(loadOrCreateDeployer(stateDir)));
    const expected = await readBack(actorFor, written);
    // One more update whose reply arrives just before the kill, by a member the views above
    // do not show, so they must read back unchanged.
    const latecomer = ed25519();
    const lastName = uniqueName('last');
    ok(await (await actorFor(latecomer)).setProfile({ displayName: lastName, bio: 'Last' }));
    cli.child.kill('SIGKILL');
    expect((await cli.exited).signal).toBe('SIGKILL');

    cli = await startCli(port, stateDir);
    const visitor = await actorFor();
    expect((await visitor.getProfile(latecomer.getPrincipal()))[0]?.displayName).toBe(lastName);
    expect(await readBack(actorFor, written)).toEqual(expected);

    // The acceptance: plain Node, @dfinity/agent, the generated idlFactory.
    const script = await runNode([
      'tests/integration/acceptance/agent-script.mjs',
      apiUrl,
      BACKEND_CANISTER_ID.toText(),
    ]);
    expect(script.stderr).toBe('');
    expect(script.code).toBe(0);
    const result = JSON.parse(script.stdout.trim()) as Record<string, unknown>;
    expect(result).toMatchObject({
      isAnonymous: false,
      tallyUp: 1,
      title: 'Shared security through node shuffling',
      up: 1,
      myVote: ['Up'],
    });
    expect(result.whoami).toBe(result.principal);
    expect(result.author).toBe(result.principal);
    const [readBackByVisitor] = await visitor.getProposal(BigInt(result.id as string));
    expect(readBackByVisitor?.proposal.up).toBe(1);

    // The app is served too (what `curl` of the printed URL gets).
    const page = await fetch(`${apiUrl}/?canisterId=${FRONTEND_CANISTER_ID.toText()}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/<div id="root"|<!doctype html>/i);

    // Ctrl-C (SIGTERM) stops cleanly.
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
    expect(Principal.fromText(result.principal as string).isAnonymous()).toBe(false);
  }, 420_000);
});
