/**
 * Serving a registered folder the way the IC asset canister serves a frontend: content types,
 * index.html for directories, the single-page-app fallback, and cache headers that let hashed
 * bundles be cached forever while index.html is always revalidated.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.xml': 'application/xml',
  '.pdf': 'application/pdf',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Bundlers put a content hash in file names (`index-3fA9b2c1.js`); those never change. */
const HASHED_NAME = /[.-][A-Za-z0-9_]{8,}\.[a-z0-9]+$/;

export function cacheControlFor(urlPath: string, filePath: string): string {
  if (extname(filePath).toLowerCase() === '.html') return 'no-cache';
  if (HASHED_NAME.test(urlPath)) return 'public, max-age=31536000, immutable';
  return 'no-cache';
}

export interface AssetResponse {
  status: number;
  /** A list value sends the header once per element (e.g. `set-cookie`). */
  headers: Record<string, string | string[]>;
  body: Uint8Array | string;
}

async function fileAt(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path);
    if (s.isFile()) return path;
    if (s.isDirectory()) {
      const index = join(path, 'index.html');
      return (await stat(index).catch(() => undefined))?.isFile() ? index : undefined;
    }
  } catch {
    // Missing files fall through to the SPA fallback or 404.
  }
  return undefined;
}

/** Resolves and reads the file for `urlPath` inside `root`. */
export async function serveAsset(root: string, urlPath: string): Promise<AssetResponse> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return text(400, 'malformed URL path');
  }
  const base = resolve(root);
  const target = resolve(base, '.' + (decoded.startsWith('/') ? decoded : '/' + decoded));
  if (target !== base && !target.startsWith(base + sep)) return text(404, 'not found');

  let file = await fileAt(target);
  const lastSegment = decoded.split('/').pop() ?? '';
  // Client-side routes (`/proposals/42`) have no extension; they all load the app shell.
  // `/.well-known/` files are fetched by other services and must 404 honestly.
  if (!file && extname(lastSegment) === '' && !decoded.startsWith('/.well-known/')) {
    file = await fileAt(join(base, 'index.html'));
  }
  if (!file) return text(404, 'not found');
  const body = await readFile(file);
  return {
    status: 200,
    headers: {
      'Content-Type': contentTypeFor(file),
      'Cache-Control': cacheControlFor(decoded, file),
      'X-Content-Type-Options': 'nosniff',
    },
    body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
  };
}

function text(status: number, body: string): AssetResponse {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body };
}
