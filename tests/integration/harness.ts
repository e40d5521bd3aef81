/**
 * Shared plumbing for the integration tests: a fresh localnet per test file (backend only,
 * no demo content, quiet), actors for identities of every kind the agent supports, and small
 * helpers to unwrap the backend's `Result` values.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnonymousIdentity, type Identity } from '@dfinity/agent';
import {
  DelegationChain,
  DelegationIdentity,
  ECDSAKeyIdentity,
  Ed25519KeyIdentity,
} from '@dfinity/identity';
import type { Principal } from '@dfinity/principal';
import type {
  ActivityEntry,
  ActivityPage,
  Error as BackendError,
  ProposalPage,
  ProposalSort,
  ProposalSummary,
  RoadmapImport,
  _SERVICE,
} from '../../src/declarations/backend';
import { devUserIdentity } from '../../src/localnet/gateway';
import { loadOrCreateDeployer } from '../../src/localnet/launch/identity';
import { startLocalnet, type RunningLocalnet } from '../../src/localnet/launch/launch';
import { backendActor } from '../../src/localnet/launch/seed';

export type Backend = _SERVICE;

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface TestNet {
  localnet: RunningLocalnet;
  stateDir: string;
  /** The deployer: a controller of the backend, hence an admin. */
  deployer: Ed25519KeyIdentity;
  /** The II stand-in's dev user `admin` for this app's origin (an admin on localnet). */
  devAdmin: Ed25519KeyIdentity;
  /** An actor for `identity` (anonymous when omitted) through the real HTTP interface. */
  actor(identity?: Identity): Promise<Backend>;
  /** Stops localnet cleanly; the state folder stays (see `dispose`). */
  stop(): Promise<void>;
  /** Stops localnet and deletes the state folder. */
  dispose(): Promise<void>;
}

export function newStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'roadmap-commons-it-'));
}

/** Starts localnet on a free port; `stateDir` defaults to a fresh temporary folder. */
export async function startTestNet(stateDir = newStateDir(), port = 0): Promise<TestNet> {
  const localnet = await startLocalnet({
    root: ROOT,
    port,
    stateDir,
    frontend: false,
    demo: false,
    logMessages: false,
    log: () => undefined,
  });
  const appOrigin = `http://${localnet.frontendId.toText()}.localhost:${localnet.port}`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await localnet.stop();
  };
  return {
    localnet,
    stateDir,
    deployer: loadOrCreateDeployer(stateDir),
    devAdmin: devUserIdentity('admin', appOrigin),
    actor: (identity) =>
      backendActor(localnet.apiUrl, localnet.backendId, identity ?? new AnonymousIdentity()),
    stop,
    async dispose() {
      await stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * Turns the lower limits of new members off (`newMemberHours: 0`), for tests about other rules
 * whose members write many times within minutes of joining. `admin` must be an admin.
 */
export async function settleNewMembers(admin: Backend): Promise<void> {
  const settings = await admin.getModerationSettings();
  const result = await admin.setModerationSettings({ ...settings, newMemberHours: 0 });
  if ('Err' in result) throw new Error(`setModerationSettings failed: ${show(result.Err)}`);
}

// ---- identities

/** A roadmap of one theme, one milestone and one item in progress (subnet rotation). */
export const ONE_ITEM_ROADMAP: RoadmapImport = {
  themes: [
    {
      slug: 'security',
      title: 'Security',
      summary: '',
      milestones: [
        {
          slug: 'shuffling',
          name: 'Node shuffling',
          summary: '',
          status: { InProgress: null },
          eta: [],
          items: [
            {
              slug: 'subnet-rotation',
              title: 'Rotate nodes between subnets',
              description: '',
              status: { InProgress: null },
              links: [],
            },
          ],
        },
      ],
    },
  ],
};

export function ed25519(): Ed25519KeyIdentity {
  return Ed25519KeyIdentity.generate();
}

export function p256(): Promise<ECDSAKeyIdentity> {
  return ECDSAKeyIdentity.generate();
}

/**
 * What Internet Identity hands a dapp: a session key plus a delegation chain from the user's
 * root key. The caller the canister sees is the root's principal.
 */
export async function delegated(root: Ed25519KeyIdentity = ed25519()): Promise<DelegationIdentity> {
  const session = Ed25519KeyIdentity.generate();
  const chain = await DelegationChain.create(
    root,
    session.getPublicKey(),
    new Date(Date.now() + 60 * 60 * 1000),
  );
  return DelegationIdentity.fromDelegation(session, chain);
}

// ---- results

export function show(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `bytes(${v.length})` : v,
  );
}

/** The Ok value; fails the test with the Err when there is one. */
export function ok<T>(result: { Ok: T } | { Err: BackendError }): T {
  if ('Err' in result) throw new Error(`expected Ok, got Err ${show(result.Err)}`);
  return result.Ok;
}

/** The Err value; fails the test when the call succeeded. */
export function err<T>(result: { Ok: T } | { Err: BackendError }): BackendError {
  if ('Ok' in result) throw new Error(`expected Err, got Ok ${show(result.Ok)}`);
  return result.Err;
}

let nameCounter = 0;
/** A display name no other test uses (names are unique case-insensitively). */
export function uniqueName(prefix = 'user'): string {
  nameCounter += 1;
  return `${prefix}-${process.pid % 1000}-${nameCounter}-${Math.random().toString(36).slice(2, 6)}`.slice(
    0,
    32,
  );
}

export interface Member {
  identity: Identity;
  principal: Principal;
  actor: Backend;
}

/** A signed-in member (Ed25519 unless another identity is given). */
export async function member(net: TestNet, identity: Identity = ed25519()): Promise<Member> {
  return { identity, principal: identity.getPrincipal(), actor: await net.actor(identity) };
}

// ---- reading everything back

const SORTS: Record<string, ProposalSort> = {
  Hot: { Hot: null },
  Top: { Top: null },
  New: { New: null },
  MostDiscussed: { MostDiscussed: null },
};
export const SORT_NAMES = Object.keys(SORTS) as ('Hot' | 'Top' | 'New' | 'MostDiscussed')[];

/** Follows `nextCursor` to the end; returns every page. */
export async function allProposalPages(
  actor: Backend,
  sort: keyof typeof SORTS,
  limit = 50,
  filters: Partial<{ tag: string; author: Principal; themeId: bigint }> = {},
): Promise<ProposalSummary[][]> {
  const pages: ProposalSummary[][] = [];
  let cursor: [] | [string] = [];
  for (let guard = 0; guard < 1000; guard++) {
    const page: ProposalPage = await actor.listProposals({
      needsResponse: [],
      sort: SORTS[sort]!,
      cursor,
      limit,
      status: [],
      tag: filters.tag === undefined ? [] : [filters.tag],
      author: filters.author === undefined ? [] : [filters.author],
      themeId: filters.themeId === undefined ? [] : [filters.themeId],
    });
    pages.push(page.proposals);
    if (page.nextCursor.length === 0) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('listProposals never ended');
}

export async function allActivity(actor: Backend): Promise<ActivityEntry[]> {
  const entries: ActivityEntry[] = [];
  let cursor: [] | [string] = [];
  for (let guard = 0; guard < 1000; guard++) {
    const page: ActivityPage = await actor.getActivity(cursor, 50);
    entries.push(...page.entries);
    if (page.nextCursor.length === 0) return entries;
    cursor = page.nextCursor;
  }
  throw new Error('getActivity never ended');
}

/**
 * Everything a visitor and the given member can read, as plain data: two snapshots are equal
 * exactly when no call in between changed anything visible.
 */
export async function snapshot(actor: Backend, proposalIds: bigint[] = []): Promise<string> {
  const [roadmap, settings, roles, me, priorities, activity, proposals] = await Promise.all([
    actor.getRoadmap(),
    actor.getSettings(),
    actor.listRoles(),
    actor.whoami(),
    actor.getMyPriorities(),
    allActivity(actor),
    allProposalPages(actor, 'New'),
  ]);
  const details = await Promise.all(proposalIds.map((id) => actor.getProposal(id)));
  const threads = await Promise.all(
    proposalIds.map((id) => actor.getThread({ Proposal: id }, [], 50)),
  );
  return show({ roadmap, settings, roles, me, priorities, activity, proposals, details, threads });
}

/** A free TCP port on 127.0.0.1 (for child processes that must be told their port). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
