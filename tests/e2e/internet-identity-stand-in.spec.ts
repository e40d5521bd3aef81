/**
 * Sign-in through the Internet Identity stand-in in real Chromium: a tiny dapp served as an
 * asset canister uses the unmodified @dfinity/auth-client (popup, postMessage, WebCrypto P-256
 * session key), then calls the replica with the delegation it received. The principal must be
 * the one `devUserPrincipal` computes in Node, and the HTTP interface must accept the
 * browser-made signatures.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devUserPrincipal, INTERNET_IDENTITY_CANISTER_ID } from '../../src/localnet/gateway';
import { startLocalnetServer, type LocalnetServer } from '../../src/localnet/http/server';
import { ECHO_ID, FakeReplica } from '../unit/localnet/http/fake-replica';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const DAPP = 'bkyz2-fmaaa-aaaaa-qaaaq-cai';

const DAPP_SCRIPT = `
import { AuthClient } from '@dfinity/auth-client';
import { Actor, HttpAgent } from '@dfinity/agent';

const idl = ({ IDL }) => IDL.Service({ whoami: IDL.Func([], [IDL.Principal], []) });
const out = document.getElementById('out');
const params = new URLSearchParams(location.search);
const provider = new URL('http://${INTERNET_IDENTITY_CANISTER_ID}.localhost:' + location.port + '/');
if (params.get('autoUser')) provider.searchParams.set('autoUser', params.get('autoUser'));

document.getElementById('login').addEventListener('click', async () => {
  const client = await AuthClient.create();
  await client.login({
    identityProvider: provider.toString(),
    onSuccess: async () => {
      try {
        const identity = client.getIdentity();
        const agent = await HttpAgent.create({ host: location.origin, identity, shouldFetchRootKey: true });
        const actor = Actor.createActor(idl, { agent, canisterId: '${ECHO_ID.toText()}' });
        const caller = await actor.whoami();
        out.textContent = 'ok ' + identity.getPrincipal().toText() + ' ' + caller.toText();
      } catch (e) {
        out.textContent = 'error ' + e;
      }
    },
    onError: (e) => { out.textContent = 'error ' + e; },
  });
});
`;

let server: LocalnetServer;
let stateDir: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}; install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  stateDir = mkdtempSync(join(tmpdir(), 'localnet-ii-browser-'));
  const site = join(stateDir, 'site');
  mkdirSync(site);
  const bundle = await build({
    stdin: { contents: DAPP_SCRIPT, resolveDir: resolve('.'), loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  writeFileSync(join(site, 'app.js'), bundle.outputFiles[0]?.text ?? '');
  writeFileSync(
    join(site, 'index.html'),
    '<!doctype html><html lang="en"><title>dapp</title><button id="login">Sign in</button><pre id="out"></pre><script src="/app.js"></script></html>',
  );
  server = await startLocalnetServer({ replica: new FakeReplica(), stateDir, port: 0 });
  server.gateway.registerAssetCanister(DAPP, site);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('Internet Identity stand-in in Chromium', () => {
  it('signs in with ?autoUser and the replica sees the same principal as devUserPrincipal', async () => {
    const page = await browser.newPage();
    const origin = `http://${DAPP}.localhost:${server.port}`;
    await page.goto(`${origin}/?autoUser=alice`);
    await page.click('#login');
    await page.waitForFunction(() => document.getElementById('out')?.textContent !== '', null, {
      timeout: 30_000,
    });
    const text = (await page.textContent('#out')) ?? '';
    const expected = devUserPrincipal('alice', origin).toText();
    expect(text).toBe(`ok ${expected} ${expected}`);
    await page.close();
  }, 60_000);

  it('lets a person create a named user through labelled controls', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const origin = `http://${DAPP}.localhost:${server.port}`;
    await page.goto(`${origin}/`);
    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#login')]);
    await popup.getByLabel('New user name').fill('carol');
    await popup.getByRole('button', { name: 'Create user and continue' }).click();
    await page.waitForFunction(() => document.getElementById('out')?.textContent !== '', null, {
      timeout: 30_000,
    });
    const expected = devUserPrincipal('carol', origin).toText();
    expect(await page.textContent('#out')).toBe(`ok ${expected} ${expected}`);
    await context.close();
  }, 60_000);
});
