/**
 * DFINITY's icp-cli end to end against a fresh localnet: `icp deploy` of this project (icp.yaml),
 * calls and status through icp, the backend it deployed answering @dfinity/agent alike, the app
 * served for that backend and talking to it in Chromium, and cycles and ICP through localnet's
 * system canisters — balances that survive a restart.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { Actor, AnonymousIdentity, HttpAgent } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, newStateDir } from './harness';
import { IcpCli, icpBinary, projectForPort } from './support/icp-cli';
import { startLocalnet, type RunningLocalnet } from '../../src/localnet/launch/launch';
import { backendActor } from '../../src/localnet/launch/seed';
import { CYCLES_LEDGER_ID, ICP_LEDGER_ID } from '../../src/localnet/system/ids';

const CHROMIUM = '/usr/bin/chromium';

const binary = icpBinary();
if ('missing' in binary) {
  console.warn(`\n*** icp-cli tests NOT RUN: ${binary.missing} ***\n`);
}

/** ICRC-1 balances read with @dfinity/agent, independently of icp-cli. */
async function icrcBalance(apiUrl: string, ledger: Principal, owner: Principal): Promise<bigint> {
  const agent = await HttpAgent.create({
    host: apiUrl,
    identity: new AnonymousIdentity(),
    shouldFetchRootKey: true,
  });
  const actor = Actor.createActor<{
    icrc1_balance_of: (a: { owner: Principal; subaccount: [] }) => Promise<bigint>;
  }>(
    () =>
      IDL.Service({
        icrc1_balance_of: IDL.Func(
          [IDL.Record({ owner: IDL.Principal, subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)) })],
          [IDL.Nat],
          ['query'],
        ),
      }),
    { agent, canisterId: ledger },
  );
  return actor.icrc1_balance_of({ owner, subaccount: [] });
}

/** GET `path` from localnet with a Host header of our choosing (fetch() does not send one). */
function getWithHost(apiUrl: string, path: string, host: string): Promise<string> {
  const api = new URL(apiUrl);
  return new Promise((resolve, reject) => {
    httpGet({ host: api.hostname, port: api.port, path, headers: { host } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

/** The app's page and the scripts it loads, fetched through localnet's gateway. */
async function fetchApp(apiUrl: string, app: Principal): Promise<{ html: string; code: string }> {
  const html = await (await fetch(`${apiUrl}/?canisterId=${app.toText()}`)).text();
  const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  expect(scripts.length, html).toBeGreaterThan(0);
  const code = await Promise.all(
    scripts.map(async (path) => {
      const response = await fetch(`${apiUrl}${path}?canisterId=${app.toText()}`);
      expect(response.status, path).toBe(200);
      return response.text();
    }),
  );
  return { html, code: code.join('\n') };
}

describe.skipIf('missing' in binary)('icp-cli against localnet', () => {
  let icp: IcpCli;
  let localnet: RunningLocalnet;
  let stateDir: string;
  let project: string;
  let dev: Principal;
  let backendId: Principal;
  let frontendId: Principal | undefined;
  let appHtml: string | undefined;

  const mappings = (): Record<string, string | undefined> =>
    JSON.parse(
      readFileSync(join(project, '.icp', 'data', 'mappings', 'local.ids.json'), 'utf8'),
    ) as Record<string, string | undefined>;

  const start = (port: number): Promise<RunningLocalnet> =>
    startLocalnet({
      root: ROOT,
      port,
      stateDir,
      frontend: false,
      demo: false,
      logMessages: false,
      log: () => undefined,
      icpCliDataDir: icp.home,
    });

  beforeAll(async () => {
    icp = new IcpCli((binary as { path: string }).path, ROOT);
    // An identity of icp-cli's own making, created before localnet starts, which funds it.
    await icp.ok(['identity', 'new', 'dev', '--storage', 'plaintext']);
    await icp.ok(['identity', 'default', 'dev']);
    dev = Principal.fromText((await icp.ok(['identity', 'principal'])).trim());
    stateDir = newStateDir();
    localnet = await start(0);
    project = projectForPort(ROOT, localnet.port);
    icp.cwd = project;
  });

  afterAll(async () => {
    await localnet?.stop();
    for (const dir of [stateDir, project, icp?.home]) {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });

  it("funds icp-cli identities at start, as icp-cli's own local network does", async () => {
    expect(await icp.ok(['cycles', 'balance', '-e', 'local'])).toContain(
      'Balance: 1_000_000_000_000_000 cycles',
    );
    expect(await icp.ok(['token', 'balance', '-e', 'local'])).toContain(
      'Balance: 1000000.00000000 ICP',
    );
  });

  it('deploys the project with `icp deploy`', async () => {
    const all = await icp.run(['deploy', '-e', 'local', '--yes']);
    if (all.code !== 0) {
      const output = `${all.stdout}\n${all.stderr}`;
      // The asset canister module and its upload plugin come from GitHub, out of reach here.
      expect(output).toMatch(/github\.com|download|fetch/i);
      console.warn(
        '\n*** icp-cli: the frontend asset canister was NOT deployed on this machine: icp-cli downloads its module ' +
          '(github.com/dfinity/sdk … assetstorage.wasm.gz) and upload plugin (github.com/dfinity/certified-assets … ' +
          'sync_plugin.wasm), which this machine cannot reach. Deploying the backend alone; the app is served ' +
          'for it by `npm run icp:frontend` (next test). ***\n' +
          output
            .split('\n')
            .filter((l) => /error|fail/i.test(l))
            .slice(0, 5)
            .join('\n'),
      );
      await icp.ok(['deploy', 'backend', '-e', 'local', '--yes']);
    }
    const ids = mappings();
    expect(ids.backend).toBeDefined();
    backendId = Principal.fromText(ids.backend as string);
  }, 300_000);

  it("serves the app built for icp-cli's backend, and the app talks to that backend", async () => {
    if (mappings().frontend === undefined) {
      // The canister the asset canister would have gone into (`icp deploy` stops before it).
      await icp.ok(['canister', 'create', 'frontend', '-e', 'local']);
    }
    const app = Principal.fromText(mappings().frontend as string);
    frontendId = app;
    const status = JSON.parse(
      await icp.ok(['canister', 'status', 'frontend', '-e', 'local', '--json']),
    ) as { module_hash: string | null };
    const port = localnet.port;
    if (status.module_hash === null) {
      // No asset canister module: the README's command builds the app for icp-cli's backend and
      // has localnet serve it at that canister, as the asset canister would.
      const script = await icp.exec('npm', [
        'run',
        '--silent',
        'icp:frontend',
        '--',
        '--state-dir',
        stateDir,
      ]);
      expect(script.code, `${script.stdout}\n${script.stderr}`).toBe(0);
      expect(script.stdout).toContain(`http://${app.toText()}.localhost:${port}/`);
      // The data npm start would import, imported into icp-cli's (empty) backend.
      expect(script.stdout).toMatch(/imported data\/roadmap\.json into backend/);
      // Its share pages lead to this app, as npm start's backend's lead to npm start's app.
      expect(
        await getWithHost(localnet.apiUrl, '/proposals', `${backendId.toText()}.localhost:${port}`),
      ).toContain(`url=http://${app.toText()}.localhost:${port}/proposals`);
    }

    // The build served there is configured for icp-cli's backend, not for npm start's (which
    // this localnet also runs, with the same roadmap imported).
    const { html, code } = await fetchApp(localnet.apiUrl, app);
    appHtml = html;
    // (Booleans, so that a failure does not print a megabyte of minified JavaScript.)
    expect(code.includes(backendId.toText()), `the app's scripts name ${backendId.toText()}`).toBe(
      true,
    );
    expect(
      code.includes(localnet.backendId.toText()),
      `the app's scripts name npm start's backend ${localnet.backendId.toText()}`,
    ).toBe(false);

    if (!existsSync(CHROMIUM)) {
      console.warn(`\n*** ${CHROMIUM} is missing: the app was NOT opened in a browser ***\n`);
      return;
    }
    // A theme title that only icp-cli's backend has, set by the identity that deployed it.
    const title = `Decentralized AI, deployed with icp-cli ${Date.now().toString(36)}`;
    expect(
      await icp.ok([
        'canister',
        'call',
        'backend',
        'upsertTheme',
        `(record { slug = "decentralized-ai"; title = "${title}"; order = 0 : nat32; summary = "" })`,
        '-e',
        'local',
      ]),
    ).toContain('Ok');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const called = new Set<string>();
      page.on('request', (request) => {
        const match = /^\/api\/v\d+\/canister\/([a-z0-9-]+)\//.exec(
          new URL(request.url()).pathname,
        );
        if (match?.[1]) called.add(match[1]);
      });
      await page.goto(`http://${app.toText()}.localhost:${port}/`);
      await page
        .getByRole('heading', { name: title, level: 2 })
        .waitFor({ timeout: 30_000 })
        .catch((error: unknown) => {
          throw new Error(
            `the app did not show the theme "${title}" of ${backendId.toText()}; it called ` +
              `canisters ${[...called].join(', ') || '(none)'}: ${String(error)}`,
          );
        });
      expect([...called]).toContain(backendId.toText());
      expect([...called]).not.toContain(localnet.backendId.toText());
    } finally {
      await browser.close();
    }
  }, 300_000);

  it('calls the backend with `icp canister call` and it answers @dfinity/agent the same way', async () => {
    const viaIcp = await icp.ok([
      'canister',
      'call',
      'backend',
      'getSettings',
      '()',
      '-e',
      'local',
    ]);
    const settings = await (await backendActor(localnet.apiUrl, backendId)).getSettings();
    for (const [field, value] of Object.entries(settings)) {
      expect(viaIcp).toMatch(new RegExp(`${field} = ${String(value)}`));
    }

    const name = `icp-${Date.now().toString(36)}`;
    const set = await icp.ok([
      'canister',
      'call',
      'backend',
      'setProfile',
      `(record { displayName = "${name}"; bio = "deployed with icp-cli" })`,
      '-e',
      'local',
    ]);
    expect(set).toContain('Ok');
    const profile = await (await backendActor(localnet.apiUrl, backendId)).getProfile(dev);
    expect(profile[0]?.displayName).toBe(name);
    // The deploying identity controls the backend, so the backend takes it for an admin.
    const me = await icp.ok(['canister', 'call', 'backend', 'whoami', '()', '-e', 'local']);
    expect(me).toContain(dev.toText());
    expect(me).toMatch(/role = variant \{ Admin \}/);
  });

  it('reports the backend with `icp canister status`', async () => {
    const status = await icp.ok(['canister', 'status', 'backend', '-e', 'local']);
    expect(status).toContain('Status: Running');
    expect(status).toContain(dev.toText());
    const wasm = readFileSync(join(ROOT, '.azle', 'backend', 'backend.wasm'));
    expect(status).toContain(createHash('sha256').update(wasm).digest('hex'));
  });

  it('mints cycles from ICP and transfers ICP, through the system canisters', async () => {
    const cyclesBefore = await icrcBalance(localnet.apiUrl, CYCLES_LEDGER_ID, dev);
    // The exchange rate of icp-cli's local networks: 1 ICP = 3.52 T cycles, less the ledger fee.
    expect(await icp.ok(['cycles', 'mint', '--icp', '1', '-e', 'local'])).toContain(
      'Minted 3_519_900_000_000 cycles to your account',
    );
    expect(await icrcBalance(localnet.apiUrl, CYCLES_LEDGER_ID, dev)).toBe(
      cyclesBefore + 3_519_900_000_000n,
    );

    const friend = Principal.selfAuthenticating(new Uint8Array(32).fill(7));
    const icpBefore = await icrcBalance(localnet.apiUrl, ICP_LEDGER_ID, dev);
    expect(await icp.ok(['token', 'transfer', '2.5', friend.toText(), '-e', 'local'])).toContain(
      `Transferred 2.50000000 ICP to ${friend.toText()}`,
    );
    expect(await icrcBalance(localnet.apiUrl, ICP_LEDGER_ID, friend)).toBe(250_000_000n);
    expect(await icrcBalance(localnet.apiUrl, ICP_LEDGER_ID, dev)).toBe(
      icpBefore - 250_000_000n - 10_000n,
    );
    expect(await icp.ok(['token', 'balance', '-e', 'local'])).toContain(
      `Balance: ${(Number(icpBefore - 250_010_000n) / 1e8).toFixed(8)} ICP`,
    );
  });

  it('keeps balances and the deployed backend across a localnet restart', async () => {
    const cycles = await icrcBalance(localnet.apiUrl, CYCLES_LEDGER_ID, dev);
    const icpE8s = await icrcBalance(localnet.apiUrl, ICP_LEDGER_ID, dev);
    const port = localnet.port;
    await localnet.stop();
    localnet = await start(port);
    expect(await icrcBalance(localnet.apiUrl, CYCLES_LEDGER_ID, dev)).toBe(cycles);
    expect(await icrcBalance(localnet.apiUrl, ICP_LEDGER_ID, dev)).toBe(icpE8s);
    expect(await icp.ok(['canister', 'call', 'backend', 'whoami', '()', '-e', 'local'])).toContain(
      dev.toText(),
    );
    // localnet serves the app at icp-cli's frontend canister again.
    if (frontendId && appHtml !== undefined) {
      expect((await fetchApp(localnet.apiUrl, frontendId)).html).toBe(appHtml);
    }
    // A restart upgrades every canister (post_upgrade re-runs the backend's JavaScript).
  }, 180_000);
});
