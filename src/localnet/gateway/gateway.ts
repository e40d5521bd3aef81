/**
 * The HTTP gateway part of localnet: requests that are not for `/api/` are routed to a
 * canister by the Host header (`<canister-id>.localhost:<port>`), the `?canisterId=` query
 * parameter, or — for sub-resources of a page loaded with `?canisterId=` — the Referer.
 * Registered asset folders play the asset canister; the II canister id serves the stand-in.
 */
import type { IncomingMessage } from 'node:http';
import { join, resolve } from 'node:path';
import { Principal } from '@dfinity/principal';
import { serveAsset, type AssetResponse } from './assets';
import { INTERNET_IDENTITY_CANISTER_ID } from './internet-identity/dev-user';
import { InternetIdentityStandIn } from './internet-identity/stand-in';

export interface GatewayOptions {
  /** Cache folder for the stand-in's bundle lives under it. */
  stateDir: string;
  /** Serve the Internet Identity stand-in at `rdmx6-jaaaa-aaaaa-aaadq-cai` (default true). */
  internetIdentity?: boolean;
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

  constructor(options: GatewayOptions) {
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
    const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
    const match = /^([a-z0-9-]+)\.(?:raw\.)?localhost$/.exec(host);
    const fromHost = validCanisterId(match?.[1]);
    if (fromHost) return fromHost;
    const fromQuery = validCanisterId(url.searchParams.get('canisterId'));
    if (fromQuery) return fromQuery;
    const referer = req.headers.referer;
    if (referer) {
      try {
        return validCanisterId(new URL(referer).searchParams.get('canisterId'));
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  /** Answers a gateway request, or returns undefined when no canister is addressed. */
  async handle(req: IncomingMessage, url: URL): Promise<AssetResponse | undefined> {
    const canister = this.resolveCanister(req, url);
    if (!canister) return undefined;
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
