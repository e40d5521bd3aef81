/**
 * Where the backend's open data is (docs/open-data.md): the Atom feeds, roadmap.json and the
 * export, which the backend canister serves over HTTP at its own host.
 */
import type { AppConfig } from '../config';
import { backendOrigin } from './shareUrl';

/** The open-data documents the app links to. */
export const OPEN_DATA = {
  feed: '/feed.atom',
  roadmap: '/roadmap.json',
  export: '/export',
  comments: (proposalId: bigint | string) => `/proposals/${proposalId}/comments.atom`,
} as const;

/**
 * The address of `path` on the backend's host for an app page at `page`: the same domain with
 * the backend's id (`<app>.icp0.io` → `<backend>.icp0.io`); on mainnet under a custom domain,
 * the backend's `icp0.io` host; elsewhere (`?canisterId=` on a local network) the page's own
 * origin with the backend's `canisterId`, which local gateways route by.
 */
export function openDataUrl(
  page: URL,
  config: Pick<AppConfig, 'network' | 'backendCanisterId'>,
  path: string,
): string {
  const backend = config.backendCanisterId;
  const origin = backendOrigin(page, backend);
  if (origin !== undefined) return `${origin}${path}`;
  if (config.network === 'ic') return `https://${backend}.icp0.io${path}`;
  return `${page.origin}${path}?canisterId=${backend}`;
}
