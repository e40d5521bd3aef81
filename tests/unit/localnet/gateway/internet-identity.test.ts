import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERNET_IDENTITY_CANISTER_ID, devUserPrincipal } from '../../../../src/localnet/gateway';
import { startLocalnetServer, type LocalnetServer } from '../../../../src/localnet/http/server';
import { FakeReplica } from '../http/fake-replica';
import { httpRequest } from '../../../support/http-request';

let server: LocalnetServer;
let stateDir: string;

const get = (path: string, headers: Record<string, string> = {}) =>
  httpRequest({ port: server.port, path, headers });

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'localnet-ii-'));
  server = await startLocalnetServer({ replica: new FakeReplica(), stateDir, port: 0 });
});

afterAll(async () => {
  await server.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('dev users', () => {
  it('derive one stable principal per (user, origin), like Internet Identity', () => {
    const origin = 'http://bkyz2-fmaaa-aaaaa-qaaaq-cai.localhost:4943';
    const admin = devUserPrincipal('admin', origin);
    expect(devUserPrincipal('admin', origin).toText()).toBe(admin.toText());
    expect(devUserPrincipal('admin', origin + '/').toText()).toBe(admin.toText());
    expect(devUserPrincipal(' admin ', origin).toText()).toBe(admin.toText());
    expect(devUserPrincipal('alice', origin).toText()).not.toBe(admin.toText());
    expect(devUserPrincipal('admin', 'http://localhost:5173').toText()).not.toBe(admin.toText());
  });
});

describe('Internet Identity stand-in', () => {
  it('serves its page at the II canister id without Cross-Origin-Opener-Policy', async () => {
    const page = await get('/', {
      Host: `${INTERNET_IDENTITY_CANISTER_ID}.localhost:${server.port}`,
    });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cross-origin-opener-policy']).toBeUndefined();
    expect(page.body).toContain('<script src="/stand-in.js"></script>');
    const viaQuery = await get(`/?canisterId=${INTERNET_IDENTITY_CANISTER_ID}&autoUser=bob`);
    expect(viaQuery.body).toContain(`/stand-in.js?canisterId=${INTERNET_IDENTITY_CANISTER_ID}"`);
  });

  it('serves its script bundled with @dfinity/identity and caches the bundle on disk', async () => {
    const script = await get(`/stand-in.js?canisterId=${INTERNET_IDENTITY_CANISTER_ID}`);
    expect(script.body.slice(0, 300)).not.toMatch(/error/);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toContain('authorize-client-success');
    expect(script.body).not.toMatch(/\bimport\s*[{*]/);
    const cache = join(stateDir, 'cache');
    expect(existsSync(cache)).toBe(true);
    expect(readdirSync(cache).filter((f) => f.startsWith('ii-stand-in-'))).toHaveLength(1);
  }, 60_000);
});
