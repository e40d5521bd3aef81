/**
 * The HTTP gateway part of localnet: requests that are not for `/api/` are routed to a
 * canister by the Host header (`<canister-id>.localhost:<port>`), the `?canisterId=` query
 * parameter, or — for sub-resources of a page loaded with `?canisterId=` — the Referer.
 * A canister with a module installed is asked through its `http_request` (the IC HTTP gateway
 * protocol); where no module is installed, a registered asset folder plays the asset canister;
 * the II canister id serves the stand-in.
 */
import type { IncomingMessage } from 'node:http';
import { join, resolve } from 'node:path';
import { Principal } from '@dfinity/principal';
import { serveAsset, type AssetResponse } from './assets';
import { serveCanisterHttp, type CanisterHttpContext } from './canister-http';
import { INTERNET_IDENTITY_CANISTER_ID } from './internet-identity/dev-user';
import { InternetIdentityStandIn } from './internet-identity/stand-in';

export interface GatewayOptions {
  /** Cache folder for the stand-in's bundle lives under it. */
  stateDir: string;
  /** Serve the Internet Identity stand-in at `rdmx6-jaaaa-aaaaa-aaadq-cai` (default true). */
  internetIdentity?: boolean;
  /** The replica whose canisters answer `http_request`; without it only folders are served. */
  canisterHttp?: CanisterHttpContext;
}

export interface GatewayTarget {
  canisterId: string;
  /** Addressed as `<id>.raw.localhost`, where responses are not verified. */
  raw: boolean;
}

function canisterText(id: Principal | string): string {
  return typeof id === 'string' ? Principal.fromText(id).toText() : id.toText();
}

function validCanisterId(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  try {
    return Principal.fromText(text).toText();
  } catch {
    return undefined;
  }
}

export class Gateway {
  readonly #assets = new Map<string, string>();
  readonly standIn: InternetIdentityStandIn | undefined;
  readonly #canisterHttp: CanisterHttpContext | undefined;

  constructor(options: GatewayOptions) {
    this.#canisterHttp = options.canisterHttp;
    this.standIn =
      options.internetIdentity === false
        ? undefined
        : new InternetIdentityStandIn(join(options.stateDir, 'cache'));
  }

  /** Serves `dir` as the asset canister `id`; registering again replaces the folder. */
  registerAssetCanister(id: Principal | string, dir: string): void {
    this.#assets.set(canisterText(id), resolve(dir));
  }

  unregisterAssetCanister(id: Principal | string): void {
    this.#assets.delete(canisterText(id));
  }

  assetCanisters(): Map<string, string> {
    return new Map(this.#assets);
  }

  /** Which canister a request is for, if any. */
  resolveCanister(req: IncomingMessage, url: URL): string | undefined {
    return this.resolveTarget(req, url)?.canisterId;
  }

  resolveTarget(req: IncomingMessage, url: URL): GatewayTarget | undefined {
    const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
    const match = /^([a-z0-9-]+)\.(raw\.)?localhost$/.exec(host);
    const fromHost = validCanisterId(match?.[1]);
    if (fromHost) return { canisterId: fromHost, raw: match?.[2] !== undefined };
    const fromQuery = validCanisterId(url.searchParams.get('canisterId'));
    if (fromQuery) return { canisterId: fromQuery, raw: false };
    const referer = req.headers.referer;
    if (referer) {
      try {
        const fromReferer = validCanisterId(new URL(referer).searchParams.get('canisterId'));
        return fromReferer ? { canisterId: fromReferer, raw: false } : undefined;
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  /** Whether the replica holds a module at `id`, so that its `http_request` answers. */
  #hasModule(id: string): boolean {
    return this.#canisterHttp?.replica.canister(Principal.fromText(id))?.moduleHash !== undefined;
  }

  /**
   * Answers a gateway request, or returns undefined when no canister is addressed. `body` is
   * the request body, passed on to a canister's `http_request`.
   */
  async handle(
    req: IncomingMessage,
    url: URL,
    body: Uint8Array = new Uint8Array(0),
  ): Promise<AssetResponse | undefined> {
    const target = this.resolveTarget(req, url);
    if (!target) return undefined;
    const canister = target.canisterId;
    if (this.#canisterHttp && this.#hasModule(canister)) {
      return serveCanisterHttp(this.#canisterHttp, Principal.fromText(canister), {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: requestHeaders(req),
        body,
        raw: target.raw,
      });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return {
        status: 405,
        headers: { Allow: 'GET, HEAD, OPTIONS', 'Content-Type': 'text/plain; charset=utf-8' },
        body: 'the gateway serves GET and HEAD only',
      };
    }
    if (canister === INTERNET_IDENTITY_CANISTER_ID && this.standIn) {
      const viaQuery = url.searchParams.get('canisterId') === canister;
      return this.standIn.serve(url.pathname, viaQuery ? `?canisterId=${canister}` : '');
    }
    const dir = this.#assets.get(canister);
    if (!dir) {
      return {
        status: 404,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: `canister ${canister} has no registered assets on this localnet`,
      };
    }
    return serveAsset(dir, url.pathname);
  }
}

/** Request headers in arrival order, names in lower case; repeated headers stay separate. */
function requestHeaders(req: IncomingMessage): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    out.push([(req.rawHeaders[i] as string).toLowerCase(), req.rawHeaders[i + 1] as string]);
  }
  return out;
}
