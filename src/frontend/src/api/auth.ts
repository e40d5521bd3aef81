/**
 * Internet Identity sign-in through @dfinity/auth-client (see docs/internet-identity.md).
 *
 * - `identityProvider` is always passed explicitly: the library default is an old domain.
 * - After `logout()` a fresh AuthClient is created, as 3.4.3 requires before the next login.
 * - The library's default idle callback (logout + page reload) would throw away unsaved
 *   drafts, so it is disabled; the app is told instead and asks the person to sign in again.
 */
import type { AuthClient } from '@dfinity/auth-client';
import type { Identity } from '@dfinity/agent';
import type { DelegationIdentity } from '@dfinity/identity';
import type { AppConfig } from '../config';

/** 8 hours, in nanoseconds. */
export const SESSION_TTL_NS = 8n * 3_600_000_000_000n;
/** Ask again after 30 minutes without interaction. */
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;

const DEV_USER_PARAM = 'devUser';
const DEV_USER_STORAGE_KEY = 'roadmap-commons.devUser';

/**
 * Dev-only sign-in hint for browser tests on localnet: opening the app with `?devUser=alice`
 * (or setting localStorage `roadmap-commons.devUser`) makes sign-in ask the stand-in for
 * `?autoUser=alice`, which signs in without clicks. Ignored on every other network.
 */
export function devAutoUser(
  config: AppConfig,
  location: Location = window.location,
): string | undefined {
  if (!config.supportsDevAutoUser) return undefined;
  const fromUrl = new URLSearchParams(location.search).get(DEV_USER_PARAM)?.trim();
  try {
    if (fromUrl) {
      window.sessionStorage.setItem(DEV_USER_STORAGE_KEY, fromUrl);
      return fromUrl;
    }
    return (
      window.sessionStorage.getItem(DEV_USER_STORAGE_KEY) ??
      window.localStorage.getItem(DEV_USER_STORAGE_KEY) ??
      undefined
    );
  } catch {
    return fromUrl || undefined;
  }
}

export function identityProviderUrl(config: AppConfig, autoUser: string | undefined): string {
  if (!autoUser || !config.supportsDevAutoUser) return config.identityProviderUrl;
  const url = new URL(config.identityProviderUrl);
  url.searchParams.set('autoUser', autoUser);
  return url.toString();
}

/** When the delegation chain of a signed-in identity stops being valid, in ms since epoch. */
export function sessionExpiresAt(identity: Identity): number | undefined {
  // Checked by shape: the identity library is loaded with the auth client, on demand.
  if (!('getDelegation' in identity) || typeof identity.getDelegation !== 'function') {
    return undefined;
  }
  const chain = (identity as DelegationIdentity).getDelegation();
  const expirations = chain.delegations.map((d) => d.delegation.expiration);
  if (expirations.length === 0) return undefined;
  const earliest = expirations.reduce((a, b) => (a < b ? a : b));
  return Number(earliest / 1_000_000n);
}

export interface AuthCallbacks {
  onIdle: () => void;
}

export class AuthSession {
  private client: AuthClient | undefined;
  private readonly config: AppConfig;
  private readonly callbacks: AuthCallbacks;

  constructor(config: AppConfig, callbacks: AuthCallbacks) {
    this.config = config;
    this.callbacks = callbacks;
  }

  private async createClient(): Promise<AuthClient> {
    // Loaded on demand: the auth client (and its identity and IndexedDB libraries) is not
    // needed to show a page, so it stays out of the scripts that every first visit waits for.
    const { AuthClient } = await import('@dfinity/auth-client');
    this.client = await AuthClient.create({
      idleOptions: {
        idleTimeout: IDLE_TIMEOUT_MS,
        disableDefaultIdleCallback: true,
        onIdle: () => this.callbacks.onIdle(),
      },
    });
    return this.client;
  }

  /** Restores a stored session; returns its identity when it is still valid. */
  async restore(): Promise<Identity | undefined> {
    const client = this.client ?? (await this.createClient());
    if (!(await client.isAuthenticated())) return undefined;
    const identity = client.getIdentity();
    const expiresAt = sessionExpiresAt(identity);
    if (expiresAt !== undefined && expiresAt <= Date.now()) return undefined;
    return identity;
  }

  login(): Promise<Identity> {
    const autoUser = devAutoUser(this.config);
    return (async () => {
      const client = this.client ?? (await this.createClient());
      return new Promise<Identity>((resolve, reject) => {
        void client.login({
          identityProvider: identityProviderUrl(this.config, autoUser),
          maxTimeToLive: SESSION_TTL_NS,
          onSuccess: () => resolve(client.getIdentity()),
          onError: (reason) => reject(new Error(reason ?? 'Sign-in was cancelled.')),
        });
      });
    })();
  }

  async logout(): Promise<void> {
    const client = this.client;
    if (client) {
      client.idleManager?.exit();
      await client.logout();
    }
    this.client = undefined;
    await this.createClient();
  }
}
