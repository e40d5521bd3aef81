/**
 * The address to share for a page of the app: the backend's page at the same path (README,
 * "Shared links"), which link previews can read without JavaScript and which sends people on
 * to the app. A comment (`#comment-12`) is shared as `/comments/12`. Where the app is not
 * served from a `<canister-id>.<domain>` host (a custom domain, `?canisterId=`), the backend's
 * host cannot be named and the app's own address is shared.
 */
const CANISTER_ID = /^[a-z0-9]{5}(-[a-z0-9]{5}){3}-[a-z0-9]{3}$/;

/**
 * The backend's origin on the app page's domain (`https://<app>.icp0.io` →
 * `https://<backend>.icp0.io`; `.raw.` dropped, since the backend's pages are certified), or
 * undefined where the page is not served from a `<canister-id>.<domain>` host.
 */
export function backendOrigin(page: URL, backendCanisterId: string): string | undefined {
  const labels = page.hostname.split('.');
  if (backendCanisterId === '' || labels.length < 2 || !CANISTER_ID.test(labels[0]!)) {
    return undefined;
  }
  const host = [backendCanisterId, ...labels.slice(labels[1] === 'raw' ? 2 : 1)].join('.');
  return `${page.protocol}//${host}${page.port === '' ? '' : `:${page.port}`}`;
}

export function shareUrl(page: URL, backendCanisterId: string, hash?: string): string {
  const comment = /^comment-(\d+)$/.exec(hash ?? '');
  const origin = backendOrigin(page, backendCanisterId);
  if (origin === undefined) {
    const own = new URL(page.toString());
    own.hash = hash ?? '';
    return own.toString();
  }
  return `${origin}${comment ? `/comments/${comment[1]}` : page.pathname}`;
}
