import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalnetServer, type LocalnetServer } from '../../../../src/localnet/http/server';
import { FakeReplica } from '../http/fake-replica';
import { httpRequest } from '../../../support/http-request';

const APP = 'bkyz2-fmaaa-aaaaa-qaaaq-cai';
const UNREGISTERED = 'bd3sg-teaaa-aaaaa-qaaba-cai';

let server: LocalnetServer;
let stateDir: string;
let siteDir: string;

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  httpRequest({ port: server.port, path, headers, method });

const host = (id: string) => ({ Host: `${id}.localhost:${server.port}` });

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'localnet-gw-'));
  // The site sits next to a secret file that path traversal would reach.
  siteDir = join(stateDir, 'site');
  mkdirSync(join(siteDir, 'assets'), { recursive: true });
  writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(siteDir, 'assets', 'index-AbCd1234.js'), 'console.log(1)');
  writeFileSync(join(siteDir, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(siteDir, 'logo.svg'), '<svg/>');
  writeFileSync(join(stateDir, 'outside.txt'), 'secret');
  server = await startLocalnetServer({
    replica: new FakeReplica(),
    stateDir,
    port: 0,
    internetIdentity: false,
  });
  server.gateway.registerAssetCanister(APP, siteDir);
});

afterAll(async () => {
  await server.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('asset canisters', () => {
  it('serves index.html at / by Host header, revalidated on every load', async () => {
    const res = await get('/', host(APP));
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>app</title>');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['cross-origin-opener-policy']).toBeUndefined();
  });

  it('falls back to index.html for client-side routes but 404s missing files', async () => {
    const route = await get('/proposals/42', host(APP));
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>app</title>');
    expect((await get('/missing.png', host(APP))).status).toBe(404);
    expect((await get('/assets/missing.js', host(APP))).status).toBe(404);
  });

  it('sets content types and caches hashed bundles forever', async () => {
    const js = await get('/assets/index-AbCd1234.js', host(APP));
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = await get('/assets/style.css', host(APP));
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('no-cache');
    expect((await get('/logo.svg', host(APP))).headers['content-type']).toBe('image/svg+xml');
  });

  it('routes by ?canisterId= and, for sub-resources, by the Referer', async () => {
    const page = await get(`/?canisterId=${APP}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>app</title>');
    const script = await get('/assets/index-AbCd1234.js', {
      Referer: `http://127.0.0.1:${server.port}/?canisterId=${APP}`,
    });
    expect(script.body).toBe('console.log(1)');
  });

  it('never serves files outside the registered folder', async () => {
    for (const path of [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/..%2foutside.txt',
      '/assets/..%2f..%2foutside.txt',
    ]) {
      const res = await get(path, host(APP));
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('secret');
    }
  });

  it('answers HEAD without a body, refuses POST, and 404s unregistered canisters', async () => {
    const head = await get('/', host(APP), 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await get('/', host(APP), 'POST')).status).toBe(405);
    const other = await get('/', host(UNREGISTERED));
    expect(other.status).toBe(404);
    expect(other.body).toContain(UNREGISTERED);
    expect(other.headers['access-control-allow-origin']).toBe('*');
  });

  it('still routes /api/ to the IC interface on a canister host (the dapp’s agent uses it)', async () => {
    const res = await get('/api/v2/status', host(APP));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/cbor');
  });
});
