/**
 * Serves the Internet Identity stand-in: a static page plus its script, bundled with esbuild
 * on first use and cached under the state folder (keyed by a hash of the sources, so an
 * edited script is rebuilt and an unchanged one costs nothing on restart).
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { AssetResponse } from '../assets';

const CLIENT_ENTRY = fileURLToPath(new URL('./client.ts', import.meta.url));
const SOURCES = [CLIENT_ENTRY, fileURLToPath(new URL('./dev-user.ts', import.meta.url))];

/** Read from the package folder: `@dfinity/identity` does not export its package.json. */
function packageVersion(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  while (dirname(dir) !== dir) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (parsed.name === name) return parsed.version ?? 'unknown';
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

export function standInPage(scriptUrl: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Internet Identity (localnet stand-in)</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
      .users { list-style: none; padding: 0; display: grid; gap: 0.5rem; }
      button { font: inherit; padding: 0.5rem 1rem; cursor: pointer; }
      form { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
      input { font: inherit; padding: 0.4rem; }
      .note { color: #555; font-size: 0.9rem; }
    </style>
  </head>
  <body>
    <h1>Internet Identity <small>(localnet stand-in)</small></h1>
    <p class="note">For local development only: no passkeys, anyone on this machine can pick any user.</p>
    <main id="app"><p>Loading…</p></main>
    <p id="status" role="status" aria-live="polite"></p>
    <script src="${scriptUrl}"></script>
  </body>
</html>
`;
}

export class InternetIdentityStandIn {
  #bundle: Promise<string> | undefined;

  constructor(private readonly cacheDir: string) {}

  /** Builds (or loads the cached) browser bundle; call early to warm the cache. */
  bundle(): Promise<string> {
    this.#bundle ??= this.#build().catch((e: unknown) => {
      this.#bundle = undefined;
      throw e;
    });
    return this.#bundle;
  }

  async #build(): Promise<string> {
    const { build, version } = await import('esbuild');
    const fingerprint = bytesToHex(
      sha256(
        utf8ToBytes(
          [
            version,
            packageVersion('@dfinity/identity'),
            ...SOURCES.map((f) => readFileSync(f, 'utf8')),
          ].join('\0'),
        ),
      ),
    ).slice(0, 16);
    const file = join(this.cacheDir, `ii-stand-in-${fingerprint}.js`);
    if (existsSync(file)) return readFileSync(file, 'utf8');
    const result = await build({
      entryPoints: [CLIENT_ENTRY],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text;
    if (code === undefined) throw new Error('esbuild produced no output for the II stand-in');
    mkdirSync(this.cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
    return code;
  }

  /** `query` is appended to the script URL so `?canisterId=` routing reaches it too. */
  async serve(pathname: string, query: string): Promise<AssetResponse> {
    const headers = { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
    if (pathname === '/stand-in.js') {
      return {
        status: 200,
        headers: { ...headers, 'Content-Type': 'text/javascript; charset=utf-8' },
        body: await this.bundle(),
      };
    }
    if (pathname === '/' || pathname === '/index.html' || pathname === '/authorize') {
      return {
        status: 200,
        headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' },
        body: standInPage(`/stand-in.js${query}`),
      };
    }
    return {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      body: 'not found',
    };
  }
}
