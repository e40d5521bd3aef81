/**
 * Browser script of the localnet Internet Identity stand-in (bundled with esbuild when the
 * page is first served). It speaks the client authentication protocol that
 * `@dfinity/auth-client` uses with the real Internet Identity:
 *
 *   provider → opener   {kind: "authorize-ready"}
 *   opener   → provider {kind: "authorize-client", sessionPublicKey, maxTimeToLive, derivationOrigin?}
 *   provider → opener   {kind: "authorize-client-success", delegations, userPublicKey, authnMethod}
 *
 * Instead of passkeys, the person picks a named dev user; `?autoUser=<name>` picks one
 * without a click so browser tests can sign in unattended.
 */
import type { DerEncodedPublicKey, PublicKey } from '@dfinity/agent';
import { DelegationChain } from '@dfinity/identity';
import { devUserIdentity, normalizeOrigin, normalizeUserName } from './dev-user';

const USERS_KEY = 'localnet-ii-dev-users';
const DEFAULT_USERS = ['admin', 'alice', 'bob'];
/** The real Internet Identity caps delegations at 30 days. */
const MAX_TTL_NANOS = 30n * 24n * 3600n * 1_000_000_000n;
const DEFAULT_TTL_NANOS = 8n * 3600n * 1_000_000_000n;

interface AuthorizeRequest {
  sessionPublicKey: Uint8Array;
  maxTimeToLive: bigint;
  derivationOrigin: string | undefined;
  /** Where the request came from; the reply goes to exactly this origin. */
  origin: string;
}

function storedUsers(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(USERS_KEY) ?? '[]');
    const extra = Array.isArray(parsed) ? parsed.filter((u) => typeof u === 'string') : [];
    return [...new Set([...DEFAULT_USERS, ...(extra as string[])])];
  } catch {
    return [...DEFAULT_USERS];
  }
}

function rememberUser(name: string): void {
  const users = storedUsers();
  if (!users.includes(name)) {
    localStorage.setItem(
      USERS_KEY,
      JSON.stringify([...users.filter((u) => !DEFAULT_USERS.includes(u)), name]),
    );
  }
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

function setStatus(message: string): void {
  const status = document.getElementById('status');
  if (status) status.textContent = message;
}

function toBigInt(value: unknown, fallback: bigint): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.floor(value));
  return fallback;
}

async function authorize(request: AuthorizeRequest, userName: string): Promise<void> {
  const name = normalizeUserName(userName);
  if (name === '') {
    setStatus('Enter a user name.');
    return;
  }
  rememberUser(name);
  const origin = request.derivationOrigin ?? request.origin;
  const userIdentity = devUserIdentity(name, origin);
  const ttl = request.maxTimeToLive < MAX_TTL_NANOS ? request.maxTimeToLive : MAX_TTL_NANOS;
  const sessionKey: PublicKey = {
    toDer: () => request.sessionPublicKey as DerEncodedPublicKey,
  };
  const chain = await DelegationChain.create(
    userIdentity,
    sessionKey,
    new Date(Date.now() + Number(ttl / 1_000_000n)),
  );
  setStatus(`Signed in as ${name} (${userIdentity.getPrincipal().toText()}).`);
  // Targets are left out: auth-client 3.4.3 cannot rebuild structured-cloned principals.
  (window.opener as Window).postMessage(
    {
      kind: 'authorize-client-success',
      delegations: chain.delegations.map((d) => ({
        delegation: { pubkey: d.delegation.pubkey, expiration: d.delegation.expiration },
        signature: d.signature,
      })),
      userPublicKey: chain.publicKey,
      authnMethod: 'passkey',
    },
    request.origin,
  );
}

function renderPicker(request: AuthorizeRequest | undefined): void {
  const main = document.getElementById('app');
  if (!main) return;
  const origin = request ? (request.derivationOrigin ?? request.origin) : undefined;
  main.replaceChildren();
  main.append(
    element('p', {}, [
      request
        ? `${origin} asks you to sign in. Pick a dev user; each one has its own principal per app.`
        : 'This is the localnet Internet Identity stand-in. Apps open it to sign you in; it does not work on its own.',
    ]),
  );
  const list = element('ul', { className: 'users' });
  for (const name of storedUsers()) {
    const button = element('button', { type: 'button', disabled: !request }, [
      `Continue as ${name}`,
    ]);
    if (origin) button.title = devUserIdentity(name, origin).getPrincipal().toText();
    button.addEventListener('click', () => {
      if (request) void authorize(request, name);
    });
    list.append(element('li', {}, [button]));
  }
  main.append(element('h2', {}, ['Dev users']), list);

  const input = element('input', { id: 'new-user', name: 'new-user', autocomplete: 'off' });
  input.required = true;
  const form = element('form', { className: 'new-user' }, [
    element('label', { htmlFor: 'new-user' }, ['New user name']),
    input,
    element('button', { type: 'submit', disabled: !request }, ['Create user and continue']),
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (request) void authorize(request, input.value);
  });
  main.append(element('h2', {}, ['New user']), form);
}

function start(): void {
  const params = new URLSearchParams(location.search);
  const autoUser = params.get('autoUser');
  const opener = window.opener as Window | null;
  if (location.hash !== '#authorize' || !opener) {
    renderPicker(undefined);
    return;
  }
  setStatus('Waiting for the app…');
  window.addEventListener('message', (event: MessageEvent) => {
    // Only the window that opened us may ask for a delegation.
    if (event.source !== opener) return;
    const data = event.data as Record<string, unknown> | null;
    if (!data || data['kind'] !== 'authorize-client') return;
    const key = data['sessionPublicKey'];
    if (!(key instanceof Uint8Array)) {
      opener.postMessage(
        { kind: 'authorize-client-failure', text: 'sessionPublicKey must be DER bytes' },
        event.origin,
      );
      return;
    }
    const derivationOrigin = data['derivationOrigin'];
    const request: AuthorizeRequest = {
      sessionPublicKey: key,
      maxTimeToLive: toBigInt(data['maxTimeToLive'], DEFAULT_TTL_NANOS),
      derivationOrigin:
        typeof derivationOrigin === 'string' ? normalizeOrigin(derivationOrigin) : undefined,
      origin: event.origin,
    };
    setStatus('');
    if (autoUser) {
      void authorize(request, autoUser);
    } else {
      renderPicker(request);
    }
  });
  opener.postMessage({ kind: 'authorize-ready' }, '*');
}

start();
