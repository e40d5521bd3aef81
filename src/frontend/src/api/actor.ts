/**
 * The one agent and actor. Reads and writes go through the same actor: anonymous until
 * sign-in, then the signed-in identity (queries such as `whoami` and a proposal list's "my
 * vote" depend on the caller).
 *
 * The agent lives as long as the page. Sign-in and sign-out swap its identity instead of
 * building a new agent, because an agent's setup is the slow part of a first call: the root key
 * (development networks) and the subnet's node keys, whose certificate costs a BLS
 * verification, are fetched once per agent. A new agent per caller paid for both again.
 */
import { Actor, AnonymousIdentity, HttpAgent, type Identity } from '@dfinity/agent';
import { idlFactory } from '../../../declarations/backend';
import type { AppConfig } from '../config';
import { preloadBlsVerifier } from './blsOnDemand';
import { withDeadline } from './deadline';
import { CanisterError, fromThrown } from './errors';
import type { BackendService } from './backendTypes';

interface Connection {
  agent: HttpAgent;
  actor: BackendService;
  /** Resolves once the agent can sign and send (the root key is known). */
  ready: Promise<void>;
}

let config: AppConfig | undefined;
let connection: Connection | undefined;
let identity: Identity = new AnonymousIdentity();

export function configureBackend(appConfig: AppConfig): void {
  config = appConfig;
  connection = undefined;
  identity = new AnonymousIdentity();
}

function connect(cfg: AppConfig): Connection {
  if (!cfg.backendCanisterId) {
    throw new CanisterError({
      kind: 'Unexpected',
      detail: 'This build has no backend canister id (set VITE_BACKEND_CANISTER_ID).',
    });
  }
  const agent = HttpAgent.createSync({
    identity,
    ...(cfg.host !== undefined ? { host: cfg.host } : {}),
    // Development networks have their own root key; mainnet's is built into the agent.
    shouldFetchRootKey: cfg.fetchRootKey,
    verifyQuerySignatures: cfg.verifyQuerySignatures,
    // One quick resend covers a dropped connection; the default three, with back-off, kept a
    // failed page spinning for seconds, and the query client decides about further attempts.
    retryTimes: 1,
  });
  const ready = cfg.fetchRootKey ? agent.fetchRootKey().then(() => undefined) : Promise.resolve();
  // Where query replies are checked, the first query needs the BLS verifier (for the node keys'
  // certificate), so its download overlaps with that query's round trip.
  if (cfg.verifyQuerySignatures) preloadBlsVerifier();
  const actor = Actor.createActor<BackendService>(idlFactory, {
    agent,
    canisterId: cfg.backendCanisterId,
  });
  const created: Connection = { agent, actor, ready };
  // A failed root-key fetch (e.g. the network is down) must be retried on the next call.
  ready.catch(() => {
    if (connection === created) connection = undefined;
  });
  return created;
}

function current(): Connection {
  if (!config) throw new Error('configureBackend() was not called');
  connection ??= connect(config);
  return connection;
}

/**
 * Starts the agent's setup (the root-key fetch on development networks) without waiting for
 * it, so it overlaps with loading the rest of the app instead of delaying the first call.
 */
export function warmUpBackend(): void {
  try {
    void current().ready.catch(() => undefined);
  } catch {
    // A missing canister id is reported by the first call that needs it.
  }
}

/**
 * Switches the caller for all following calls (sign-in, sign-out) and says whether that is a
 * different principal, i.e. whether caller-specific answers read so far are now someone else's.
 */
export function setCaller(next: Identity | undefined): 'changed' | 'unchanged' {
  const before = identity.getPrincipal().toText();
  identity = next ?? new AnonymousIdentity();
  connection?.agent.replaceIdentity(identity);
  // A signed-in member's updates are verified through their certificates; loading the verifier
  // now keeps its download out of the first vote or comment.
  if (next) preloadBlsVerifier();
  return identity.getPrincipal().toText() === before ? 'unchanged' : 'changed';
}

export function currentPrincipal(): string {
  return identity.getPrincipal().toText();
}

/** The root key the agent checks certificates with (fetched on development networks). */
export async function networkRootKey(): Promise<Uint8Array> {
  const { agent, ready } = current();
  await ready;
  if (agent.rootKey === null) throw new Error('the agent has no root key');
  return agent.rootKey;
}

export async function backend(): Promise<BackendService> {
  const { actor, ready } = current();
  await ready;
  return actor;
}

/** Runs one backend call; every thrown failure leaves as a CanisterError. */
export async function call<T>(fn: (service: BackendService) => Promise<T>): Promise<T> {
  try {
    return await fn(await backend());
  } catch (error) {
    throw fromThrown(error);
  }
}

/**
 * How long a read may take, the agent's own retry included. A query answers in well under a
 * second; one that has not answered after this is not going to, and the reader is better
 * served by an error with "Try again" than by a spinner. An unreachable network fails much
 * sooner (see the query client); this bounds a server that accepts and never answers, with room
 * for a slow development machine.
 */
export const READ_TIMEOUT_MS = 10_000;

/**
 * Runs one query. Unlike an update, a query changes nothing, so giving up on it is always
 * safe; updates are never timed out here (one that was sent may still be executed).
 */
export function read<T>(fn: (service: BackendService) => Promise<T>): Promise<T> {
  return withDeadline(call(fn), READ_TIMEOUT_MS);
}
