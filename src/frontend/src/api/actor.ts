/**
 * The one actor factory. Reads and writes go through the same actor: anonymous until sign-in,
 * then built on the signed-in identity (queries such as `whoami` and a proposal list's "my
 * vote" depend on the caller).
 */
import { Actor, AnonymousIdentity, HttpAgent, type Identity } from '@dfinity/agent';
import { idlFactory } from '../../../declarations/backend';
import type { AppConfig } from '../config';
import { CanisterError, fromThrown } from './errors';
import type { BackendService } from './backendTypes';

interface Current {
  identity: Identity;
  actor: Promise<BackendService>;
}

let config: AppConfig | undefined;
let current: Current | undefined;

export function configureBackend(appConfig: AppConfig): void {
  config = appConfig;
  current = undefined;
}

async function createActor(cfg: AppConfig, identity: Identity): Promise<BackendService> {
  if (!cfg.backendCanisterId) {
    throw new CanisterError({
      kind: 'Unexpected',
      detail: 'This build has no backend canister id (set VITE_BACKEND_CANISTER_ID).',
    });
  }
  const agent = await HttpAgent.create({
    identity,
    ...(cfg.host !== undefined ? { host: cfg.host } : {}),
    // Development networks have their own root key; mainnet's is built into the agent.
    shouldFetchRootKey: cfg.fetchRootKey,
  });
  return Actor.createActor<BackendService>(idlFactory, {
    agent,
    canisterId: cfg.backendCanisterId,
  });
}

/** Switches the caller for all following calls (sign-in, sign-out). */
export function setCaller(identity: Identity | undefined): void {
  if (!config) throw new Error('configureBackend() was not called');
  const next = identity ?? new AnonymousIdentity();
  const actor = createActor(config, next);
  // A failed agent creation (e.g. the network is down) must be retried on the next call.
  actor.catch(() => {
    if (current?.actor === actor) current = undefined;
  });
  current = { identity: next, actor };
}

export function currentPrincipal(): string {
  return (current?.identity ?? new AnonymousIdentity()).getPrincipal().toText();
}

export async function backend(): Promise<BackendService> {
  if (!current) setCaller(undefined);
  return (current as Current).actor;
}

/** Runs one backend call; every thrown failure leaves as a CanisterError. */
export async function call<T>(fn: (service: BackendService) => Promise<T>): Promise<T> {
  try {
    return await fn(await backend());
  } catch (error) {
    throw fromThrown(error);
  }
}
