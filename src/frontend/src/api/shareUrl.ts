/**
 * The address to share for a page of the app: the backend's page at the same path (README,
 * "Shared links"), which link previews can read without JavaScript and which sends people on
 * to the app. A comment (`#comment-12`) is shared as `/comments/12`. Where the app is not
 * served from a `<canister-id>.<domain>` host (a custom domain, `?canisterId=`), the backend's
 * host cannot be named and the app's own address is shared.
 */
const CANISTER_ID = /^[a-z0-9]{5}(-[a-z0-9]{5}){3}-[a-z0-9]{3}$/;

export function shareUrl(page: URL, backendCanisterId: string, hash?: string): string {
  const comment = /^comment-(\d+)$/.exec(hash ?? '');
  const labels = page.hostname.split('.');
  if (backendCanisterId === '' || labels.length < 2 || !CANISTER_ID.test(labels[0]!)) {
    const own = new URL(page.toString());
    own.hash = hash ?? '';
    return own.toString();
  }
  const shared = new URL(page.toString());
  shared.hostname = [backendCanisterId, ...labels.slice(labels[1] === 'raw' ? 2 : 1)].join('.');
  shared.pathname = comment ? `/comments/${comment[1]}` : page.pathname;
  shared.search = '';
  shared.hash = '';
  return shared.toString();
}
