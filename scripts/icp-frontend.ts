/**
 * `npm run icp:frontend`: the app for the backend that icp-cli deployed to localnet, where
 * icp-cli cannot install the asset canister itself (its module and upload plugin come from
 * GitHub). Run it in the project folder after `icp deploy backend -e local` and
 * `icp canister create frontend -e local`, with `npm start` running. It
 *
 *  1. reads both canister ids from icp-cli's `.icp/data/mappings/local.ids.json`;
 *  2. imports `data/roadmap.json` into the backend if its roadmap is empty, as `npm start` does
 *     for its own backend, through `icp canister call` (so as the icp-cli identity that
 *     deployed it, which the backend takes for an admin);
 *  3. upgrades the backend once with the `frontend` canister in its install argument, so that
 *     its share pages lead to the app (icp.yaml's `(null)` cannot name it);
 *  4. builds the app for that backend (`VITE_BACKEND_CANISTER_ID`), exactly as icp.yaml's
 *     sync step would, into `dist/icp-frontend`;
 *  5. registers the build with localnet (`<state dir>/asset-folders.json`), which then serves
 *     it at the `frontend` canister, where the asset canister would have served it, and waits
 *     until it does.
 *
 * Where GitHub is reachable, `icp deploy -e local` installs the asset canister and none of this
 * is needed: the script says so and stops.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { idlFactory, type ResultImportReport, type Roadmap } from '../src/declarations/backend';
import { registerAssetFolder } from '../src/localnet/launch/asset-folders';
import { roadmapImportFromFile, type RoadmapFile } from '../src/localnet/launch/seed';

const USAGE = `Usage: npm run icp:frontend -- [--state-dir <dir>] [--no-import]

Serves the app, built for the backend icp-cli deployed, at icp-cli's frontend canister on a
running localnet. Before it, with npm start running:

  icp deploy backend -e local
  icp canister create frontend -e local

  --state-dir <dir>   the state folder of the running localnet (default .localnet, as npm start)
  --no-import         leave an empty roadmap empty (default: import data/roadmap.json)`;

/** The app's build for icp-cli's backend, beside npm start's own `dist/frontend`. */
const OUT_DIR = join('dist', 'icp-frontend');
const ENVIRONMENT = 'local';

class UsageError extends Error {}

function icpBinary(): string {
  const pkg = '@icp-sdk/icp-cli-linux-x64';
  try {
    const path = join(
      dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)),
      'bin',
      'icp',
    );
    if (existsSync(path)) return path;
  } catch {
    // reported below
  }
  throw new Error(`${pkg} (icp-cli) is not installed for this machine: run npm ci`);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs `icp <args>` in the project folder and returns its stdout; fails with its output. */
async function icp(args: string[]): Promise<string> {
  const result = await run(icpBinary(), args, { RUST_BACKTRACE: '0' });
  if (result.code !== 0) {
    throw new Error(`icp ${args.join(' ')} failed:\n${result.stderr || result.stdout}`.trim());
  }
  return result.stdout;
}

function method(name: string): IDL.FuncClass {
  const service = idlFactory({ IDL });
  const found = service._fields.find(([field]) => field === name);
  if (!found) throw new Error(`the backend's candid has no method ${name}`);
  return found[1];
}

/** A backend method called through icp-cli, its argument and reply as candid bytes. */
async function callBackend(name: string, args: unknown[], query: boolean): Promise<unknown> {
  const func = method(name);
  const dir = mkdtempSync(join(tmpdir(), 'icp-frontend-'));
  try {
    const argsFile = join(dir, 'args.bin');
    writeFileSync(argsFile, IDL.encode(func.argTypes, args));
    const hex = await icp([
      'canister',
      'call',
      'backend',
      name,
      '--args-file',
      argsFile,
      '--args-format',
      'bin',
      '--output',
      'hex',
      ...(query ? ['--query'] : []),
      '-e',
      ENVIRONMENT,
    ]);
    // A copy: a small Buffer is a view into Node's shared pool, and candid reads the whole
    // underlying ArrayBuffer, not the view.
    const bytes = new Uint8Array(Buffer.from(hex.trim(), 'hex'));
    const [reply] = IDL.decode(func.retTypes, bytes);
    return reply;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function canisterIds(): { backend: Principal; frontend: Principal } {
  const file = join('.icp', 'data', 'mappings', `${ENVIRONMENT}.ids.json`);
  const ids = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string | undefined>)
    : {};
  if (ids.backend === undefined) {
    throw new UsageError(`${file} names no backend: run \`icp deploy backend -e local\` first`);
  }
  if (ids.frontend === undefined) {
    throw new UsageError(
      `${file} names no frontend canister: run \`icp canister create frontend -e local\` first`,
    );
  }
  return { backend: Principal.fromText(ids.backend), frontend: Principal.fromText(ids.frontend) };
}

interface NetworkStatus {
  api_url: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'state-dir': { type: 'string', default: '.localnet' },
      'no-import': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!existsSync('icp.yaml')) throw new UsageError('run this in the project folder (icp.yaml)');
  const stateDir = resolve(values['state-dir']);
  if (!existsSync(stateDir)) {
    throw new UsageError(
      `${stateDir} does not exist: is npm start running with this state folder?`,
    );
  }
  const { backend, frontend } = canisterIds();
  const network = JSON.parse(
    await icp(['network', 'status', '-e', ENVIRONMENT, '--json']),
  ) as NetworkStatus;
  const apiUrl = network.api_url.replace(/\/$/, '');

  const status = JSON.parse(
    await icp(['canister', 'status', 'frontend', '-e', ENVIRONMENT, '--json']),
  ) as { module_hash: string | null };
  if (status.module_hash !== null) {
    console.log(
      `frontend (${frontend.toText()}) runs a module (the asset canister icp deploy installed), ` +
        `which serves the app itself: nothing to do.\nApp: ${appUrl(apiUrl, frontend)}`,
    );
    return;
  }

  if (!values['no-import']) {
    const roadmap = (await callBackend('getRoadmap', [], true)) as Roadmap;
    if (roadmap.themes.length === 0) {
      const file = JSON.parse(readFileSync(join('data', 'roadmap.json'), 'utf8')) as RoadmapFile;
      const result = (await callBackend(
        'importRoadmap',
        [roadmapImportFromFile(file)],
        false,
      )) as ResultImportReport;
      if ('Err' in result) {
        throw new Error(
          `importing data/roadmap.json into ${backend.toText()} failed: ${JSON.stringify(result.Err)}`,
        );
      }
      console.log(
        `imported data/roadmap.json into backend ${backend.toText()}: ${result.Ok.themesCreated} themes, ` +
          `${result.Ok.milestonesCreated} milestones, ${result.Ok.itemsCreated} items`,
      );
    }
  }

  // The backend's share pages lead to the app canister of its install argument, which
  // icp.yaml cannot name (`(null)`: the id is not known before the first deploy).
  if (!(await sharePageLeadsTo(apiUrl, backend, frontend))) {
    console.log(`upgrading backend ${backend.toText()} so that its share pages lead to the app…`);
    await icp([
      'canister',
      'install',
      'backend',
      '--mode',
      'upgrade',
      '--args',
      `(opt record { admins = vec {}; frontend = opt principal "${frontend.toText()}" })`,
      '--yes',
      '-e',
      ENVIRONMENT,
    ]);
  }

  // The same build icp.yaml's sync step makes for the `local` environment, into a folder of its
  // own so that npm start's build (for npm start's backend) stays as it is.
  const outDir = resolve(OUT_DIR);
  console.log(`building the app for backend ${backend.toText()} into ${OUT_DIR}…`);
  const build = await run('npm', ['run', '--silent', 'build:frontend', '--', '--outDir', outDir], {
    VITE_NETWORK: 'localnet',
    VITE_BACKEND_CANISTER_ID: backend.toText(),
  });
  if (build.code !== 0) {
    throw new Error(`building the app failed:\n${build.stdout}${build.stderr}`);
  }

  registerAssetFolder(stateDir, frontend, outDir);
  await waitUntilServed(
    apiUrl,
    frontend,
    readFileSync(join(outDir, 'index.html'), 'utf8'),
    stateDir,
  );
  console.log(
    `\nThe app for icp-cli's backend ${backend.toText()}:\n  ${appUrl(apiUrl, frontend)}\n` +
      `  (or ${apiUrl}/?canisterId=${frontend.toText()})`,
  );
}

/** Whether the backend's page for `/` refers to the app at `frontend` (see README, "Shared links"). */
function sharePageLeadsTo(
  apiUrl: string,
  backend: Principal,
  frontend: Principal,
): Promise<boolean> {
  const api = new URL(apiUrl);
  return new Promise((resolvePromise, reject) => {
    const request = httpGet(
      {
        host: api.hostname,
        port: api.port,
        path: '/',
        // The backend finds the app by putting its id in place of its own in this host.
        headers: { host: `${backend.toText()}.localhost:${api.port}` },
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolvePromise(body.includes(`${frontend.toText()}.localhost`)));
      },
    );
    request.on('error', reject);
  });
}

function appUrl(apiUrl: string, frontend: Principal): string {
  const url = new URL(apiUrl);
  return `${url.protocol}//${frontend.toText()}.localhost:${url.port}/`;
}

/** localnet checks the registrations once a second; this waits until it serves this build. */
async function waitUntilServed(
  apiUrl: string,
  frontend: Principal,
  indexHtml: string,
  stateDir: string,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  const url = `${apiUrl}/?canisterId=${frontend.toText()}`;
  while (Date.now() < deadline) {
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok && (await response.text()) === indexHtml) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(
    `${apiUrl} does not serve the build at ${frontend.toText()} after 15 s: is the localnet there ` +
      `the one whose state folder is ${stateDir} (npm start -- --state-dir <dir>)?`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
