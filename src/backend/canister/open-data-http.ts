/**
 * The open-data paths over HTTP (domain/open-data.ts): `/feed.atom`,
 * `/proposals/<id>/comments.atom`, `/roadmap.json` and `/export/…`.
 *
 * They are answered by `http_request_update`: the `http_request` query answers `upgrade`, and
 * the gateway asks again as an update call, whose reply comes through consensus, so a gateway
 * or a client verifies it like any other update reply. Certifying them for the query path
 * instead (IC HTTP certification v2) means hashing each body with SHA-256 whenever it changes,
 * and SHA-256 in this runtime costs about a million instructions per 64-byte block: a feed of
 * 50 proposals (≈ 30 KB) would cost ≈ 0.5 B instructions after every new proposal, an export
 * page up to 2 MB far more, and the tallies in them change with every vote.
 *
 * Validators: the ETag says which state of the board the answer was made from (the heap's
 * start and the record writes since), so an unchanged board answers `If-None-Match` with 304
 * and no body. It is coarse, any write makes every answer new, and never stale.
 */
import { encodeUtf8, principalIdToText } from '../codec';
import type { Commons } from '../domain/commons';
import { isOpenDataPath } from '../domain/open-data';
import { appOrigin, headerOf } from './http';
import type { HttpResponse, HttpUpdateRequest } from './idl';
import { recordWrites } from './stable-records';

/** When this heap began; with the writes since, it names a state of the board. */
let heapStart: bigint | undefined;

/**
 * The answer for an open-data path, as an update (see above); undefined when `request` is
 * for another path. `now` is the message's time.
 */
export function openDataResponse(
  request: HttpUpdateRequest,
  commons: Commons,
  self: string,
  now: bigint,
): HttpResponse | undefined {
  const [path = '/', search = ''] = request.url.split('#', 1)[0]!.split('?', 2);
  if (!isOpenDataPath(path)) return undefined;
  const headers: Array<[string, string]> = [
    // Open data is for any site and tool to read.
    ['Access-Control-Allow-Origin', '*'],
    ['X-Content-Type-Options', 'nosniff'],
  ];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    headers.push(['Allow', 'GET, HEAD'], ['Content-Type', 'text/plain; charset=utf-8']);
    return { status_code: 405, headers, body: encodeUtf8('Method not allowed\n'), upgrade: [] };
  }
  heapStart ??= now;
  const etag = `W/"${heapStart.toString(36)}.${recordWrites().toString(36)}"`;
  headers.push(['ETag', etag]);
  const ifNoneMatch = headerOf(request, 'if-none-match');
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim() === etag)) {
    headers.push(['Cache-Control', 'public, max-age=60']);
    return { status_code: 304, headers, body: new Uint8Array(0), upgrade: [] };
  }
  const query = parseQuery(search);
  const host = headerOf(request, 'host');
  const answer =
    query === undefined
      ? undefined
      : commons.openData(
          path,
          query,
          {
            self: selfOrigin(host),
            app: appOrigin(host, self, commons.appCanister()),
            boardId: self,
          },
          now,
          principalIdToText,
        );
  if (answer === undefined) {
    headers.push(
      ['Content-Type', 'application/json; charset=utf-8'],
      ['Cache-Control', 'no-store'],
    );
    const body = encodeUtf8('{"error":"the query string is not valid percent-encoding"}\n');
    return { status_code: 400, headers, body, upgrade: [] };
  }
  headers.push(
    ['Content-Type', answer.contentType],
    ['Cache-Control', answer.maxAge > 0 ? `public, max-age=${answer.maxAge}` : 'no-store'],
    ...answer.headers,
  );
  const body = request.method === 'HEAD' ? new Uint8Array(0) : encodeUtf8(answer.body);
  return { status_code: answer.status, headers, body, upgrade: [] };
}

/** `a=1&b=x%20y` as a map; undefined when a part is not valid percent-encoding. */
function parseQuery(search: string): Map<string, string> | undefined {
  const query = new Map<string, string>();
  if (search === '') return query;
  try {
    for (const part of search.split('&')) {
      if (part === '') continue;
      const at = part.indexOf('=');
      const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
      query.set(
        decode(at < 0 ? part : part.slice(0, at)),
        at < 0 ? '' : decode(part.slice(at + 1)),
      );
    }
  } catch {
    return undefined;
  }
  return query;
}

/**
 * The origin the request reached this canister at, for the links an answer carries ('' makes
 * them relative, when the request named no host). Local hosts are served over plain HTTP.
 */
function selfOrigin(host: string | undefined): string {
  const name = host?.trim().toLowerCase() ?? '';
  if (name === '') return '';
  const bare = name.replace(/:[0-9]+$/, '');
  const local =
    bare === 'localhost' || bare.endsWith('.localhost') || bare === '127.0.0.1' || bare === '[::1]';
  return `${local ? 'http' : 'https'}://${name}`;
}
