/**
 * The canister's HTTP interface (the IC HTTP gateway protocol's `http_request`): the pages for
 * shared links (domain/share-pages.ts).
 *
 * They are served with certification skipped, the way `ic-http-certification` does it: the
 * certified data is the root of a fixed tree that says "no certification for any path", and
 * each response carries the IC certificate with that tree, so a gateway knows the canister
 * itself decided to skip (a boundary node could not fake it). The pages change with every vote
 * and only tell crawlers where to go; the app and its data are verified as usual.
 *
 * The same certified tree holds the certified tallies (domain/certification/tallies.ts) beside
 * `http_expr`; once they are built, the tree a response carries shows them pruned.
 */
import { encodeUtf8 } from '../codec';
import {
  ascii,
  encodeHashTree,
  labeled,
  leaf,
  pruned,
  type HashTree,
} from '../domain/certification/hash-tree';
import { sha256 } from '../domain/certification/sha256';
import { certifiedData, certifiedTree } from '../domain/certification/tallies';
import type { Commons } from '../domain/commons';
import type { HttpRequest, HttpResponse } from './idl';
import { isOpenDataPath } from '../domain/open-data';

/** `DefaultCelBuilder::skip_certification()` as text: the IC-CertificateExpression header. */
export const SKIP_CERTIFICATION_EXPRESSION =
  'default_certification(ValidationArgs{no_certification:Empty{}})';

/**
 * The tree `http_expr` → `<*>` → sha256(expression) → empty leaf, CBOR-encoded, in base64, and
 * the path to its wildcard entry (tests/unit/backend/canister/http.test.ts rebuilds both).
 */
export const SKIP_CERTIFICATION_TREE =
  '2dn3gwJJaHR0cF9leHBygwJDPCo+gwJYIMMautvQsFn51GT9bfTani3Ah659C0BGjTNyJtQTszcjggNA';
export const SKIP_CERTIFICATION_EXPR_PATH = '2dn3gmlodHRwX2V4cHJjPCo+';

/** The root hash of that tree: the canister's certified data. */
export const SKIP_CERTIFICATION_DATA = new Uint8Array([
  85, 236, 195, 28, 62, 128, 71, 252, 21, 143, 32, 234, 10, 160, 96, 154, 172, 199, 181, 126, 6,
  234, 64, 220, 65, 134, 2, 114, 167, 214, 66, 145,
]);

/** The tree of SKIP_CERTIFICATION_TREE as a value, to build the certified tree around it. */
export const SKIP_CERTIFICATION_SUBTREE: HashTree = labeled(
  ascii('http_expr'),
  labeled(
    ascii('<*>'),
    labeled(sha256(ascii(SKIP_CERTIFICATION_EXPRESSION)), leaf(new Uint8Array(0))),
  ),
);

/**
 * The canister's certified data: the skip-certification tree alone until the tallies are
 * built, then both (`talliesRoot` is the tallies subtree's hash).
 */
export function certifiedDataWith(talliesRoot: Uint8Array | undefined): Uint8Array {
  return talliesRoot === undefined
    ? SKIP_CERTIFICATION_DATA
    : certifiedData(SKIP_CERTIFICATION_DATA, talliesRoot);
}

/** The IC-Certificate header's tree (base64) for the certified data of `certifiedDataWith`. */
export function skipCertificationTree(talliesRoot: Uint8Array | undefined): string {
  if (talliesRoot === undefined) return SKIP_CERTIFICATION_TREE;
  return toBase64(
    encodeHashTree(certifiedTree(SKIP_CERTIFICATION_SUBTREE, pruned(talliesRoot.slice()))),
  );
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += BASE64[a >> 2]! + BASE64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : BASE64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : BASE64[c & 63]!;
  }
  return out;
}

/**
 * Where the app is, from the host this request came to: the same domain with the app's
 * canister id in place of this one's (`<self>.icp0.io` → `<app>.icp0.io`, `<self>.raw.icp0.io`
 * too, `<self>.localhost:4943` → `<app>.localhost:4943`). Undefined when the host does not
 * name this canister (a custom domain) or no app canister is known.
 */
export function appOrigin(
  host: string | undefined,
  self: string,
  app: string | undefined,
): string | undefined {
  if (host === undefined || app === undefined) return undefined;
  const [name = '', port] = host.trim().toLowerCase().split(':');
  const labels = name.split('.');
  if (labels[0] !== self || labels.length < 2) return undefined;
  const domain = labels.slice(labels[1] === 'raw' ? 2 : 1);
  if (domain.length === 0 || !/^[0-9]*$/.test(port ?? '')) return undefined;
  const scheme = domain.at(-1) === 'localhost' ? 'http' : 'https';
  return `${scheme}://${app}.${domain.join('.')}${port === undefined ? '' : `:${port}`}`;
}

/** A request header's value (`name` in lower case). */
export function headerOf(
  request: { headers: Array<[string, string]> },
  name: string,
): string | undefined {
  return request.headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

export function httpResponse(
  request: HttpRequest,
  commons: Commons,
  self: string,
  certificate: Uint8Array | undefined,
): HttpResponse {
  // Feeds and the export are answered as updates (open-data-http.ts says why).
  if (isOpenDataPath(request.url.split(/[?#]/, 1)[0] ?? '/')) {
    return { status_code: 200, headers: [], body: new Uint8Array(0), upgrade: [true] };
  }
  const headers: Array<[string, string]> = [];
  if (certificate !== undefined) {
    const tree = skipCertificationTree(commons.certifiedTalliesRoot());
    headers.push(
      [
        'IC-Certificate',
        `certificate=:${toBase64(certificate)}:, tree=:${tree}:, expr_path=:${SKIP_CERTIFICATION_EXPR_PATH}:, version=2`,
      ],
      ['IC-CertificateExpression', SKIP_CERTIFICATION_EXPRESSION],
    );
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    headers.push(['Allow', 'GET, HEAD'], ['Content-Type', 'text/plain; charset=utf-8']);
    return { status_code: 405, headers, body: encodeUtf8('Method not allowed\n'), upgrade: [] };
  }
  const path = request.url.split(/[?#]/, 1)[0] ?? '/';
  const origin = appOrigin(headerOf(request, 'host'), self, commons.appCanister());
  const page = commons.sharePage(path, origin);
  headers.push(
    ['Content-Type', 'text/html; charset=utf-8'],
    // Tallies in the description change with every vote: previews may keep a page a minute.
    ['Cache-Control', 'public, max-age=60'],
    ['X-Content-Type-Options', 'nosniff'],
  );
  const body = request.method === 'HEAD' ? new Uint8Array(0) : encodeUtf8(page.html);
  return { status_code: page.status, headers, body, upgrade: [] };
}
