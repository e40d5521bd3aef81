import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { LocalReplica } from '../core/replica';
import type { MessageLog } from '../core/replica-api';
import { createCertifier } from '../certification/certifier';
import { startLocalnetServer, type LocalnetServer } from '../http/server';
import { INTERNET_IDENTITY_CANISTER_ID, devUserPrincipal } from '../gateway';
import { watchAssetFolders } from './asset-folders';
import { buildIfStale, type Artefact } from './build';
import { icpCliIdentities } from './icp-identities';
import { loadOrCreateDeployer } from './identity';
import { defaultLaunchOptions, type LaunchOptions } from './options';
import { seedBackend } from './seed';

/**
 * Fixed canister ids, the first ids a fresh dfx replica hands out, so that a frontend build
 * is valid for every localnet state folder and port.
 */
export const BACKEND_CANISTER_ID = Principal.fromText('bkyz2-fmaaa-aaaaa-qaaaq-cai');
export const FRONTEND_CANISTER_ID = Principal.fromText('bd3sg-teaaa-aaaaa-qaaba-cai');

export interface RunningLocalnet {
  /** The app, served by the frontend asset canister. */
  appUrl: string;
  /** The HTTP interface, for `HttpAgent({ host })`. */
  apiUrl: string;
  iiUrl: string;
  backendId: Principal;
  frontendId: Principal;
  port: number;
  replica: LocalReplica;
  server: LocalnetServer;
  /** Principal of the stand-in's dev user `admin` for this app's origin. */
  adminPrincipal: Principal;
  /** Runs pre_upgrade on every canister, persists, and closes the port. */
  stop(): Promise<void>;
}

export interface StartOptions extends LaunchOptions {
  /** Project root (where package.json lives); default: the current folder. */
  root: string;
  /** Build the frontend and register it (tests of the backend alone skip it). */
  frontend: boolean;
  /** icp-cli's data folder, whose identities are funded at start (default: icp-cli's own). */
  icpCliDataDir?: string;
  log: (line: string) => void;
}

export function backendArtefact(): Artefact {
  return {
    name: 'backend',
    inputs: ['src/backend', 'dfx.json', 'package-lock.json'],
    exclude: ['src/backend/backend.did'],
    output: '.azle/backend/backend.wasm',
    command: ['npm', 'run', '--silent', 'build:backend'],
  };
}

export function frontendArtefact(): Artefact {
  const env = {
    VITE_NETWORK: 'localnet',
    VITE_BACKEND_CANISTER_ID: BACKEND_CANISTER_ID.toText(),
  };
  return {
    name: 'frontend',
    inputs: ['src/frontend', 'src/declarations', 'package-lock.json'],
    salt: env,
    output: 'dist/frontend/index.html',
    command: ['npm', 'run', '--silent', 'build:frontend'],
    env,
  };
}

/** Starts localnet, deploys the project's canisters and seeds an empty backend. */
export async function startLocalnet(
  overrides: Partial<StartOptions> = {},
): Promise<RunningLocalnet> {
  const options: StartOptions = {
    ...defaultLaunchOptions,
    root: process.cwd(),
    frontend: true,
    log: (line) => console.log(line),
    ...overrides,
  };
  const root = resolve(options.root);
  const stateDir = resolve(root, options.stateDir);
  const log = options.log;
  if (options.clean) rmSync(stateDir, { recursive: true, force: true });

  await buildIfStale(root, backendArtefact(), log);
  if (options.frontend) await buildIfStale(root, frontendArtefact(), log);

  const certifier = createCertifier(stateDir);
  const replica = await LocalReplica.open({
    stateDir: join(stateDir, 'replica'),
    metering: options.metering,
    // A served network answers queries between updates, and every query and inspect_message
    // rolls the heap back: without tracking each one copies the whole heap (about a quarter of
    // the server's CPU per update with a 12 MB Azle heap). Rewritten modules are cached by
    // content for every state folder of the project, so the rewrite runs once per build.
    dirtyTracking: process.env.LOCALNET_DIRTY_TRACKING !== '0',
    preparedCacheDir: join(root, 'node_modules', '.cache', 'roadmap-commons', 'prepared'),
    dataCertificateProvider: certifier.dataCertificate,
    network: { subnetId: certifier.subnetId, rootKeyDer: certifier.rootKeyDer },
    // The stand-in answers at this id, so no canister may be created there.
    reservedCanisterIds: [Principal.fromText(INTERNET_IDENTITY_CANISTER_ID)],
    systemCanisters: true,
  });
  const funded = fundIcpCliIdentities(replica, options.icpCliDataDir);
  if (funded.length > 0) {
    log(
      `funded icp-cli identities ${funded.join(', ')} with 1,000,000 ICP and 1,000 T cycles each`,
    );
  }
  const names = new Map([
    [BACKEND_CANISTER_ID.toText(), 'backend'],
    [FRONTEND_CANISTER_ID.toText(), 'frontend'],
  ]);
  if (options.logMessages) {
    replica.onMessage((entry) => log(formatMessageLog(entry, names)));
  }
  let server: LocalnetServer;
  try {
    server = await startLocalnetServer({
      replica,
      stateDir,
      port: options.port,
      host: options.host,
      certifier,
      log,
    });
  } catch (error) {
    await replica.shutdown();
    throw error;
  }
  const port = server.port;
  const appOrigin = `http://${FRONTEND_CANISTER_ID.toText()}.localhost:${port}`;
  const adminPrincipal = devUserPrincipal('admin', appOrigin);

  try {
    const deployer = loadOrCreateDeployer(stateDir);
    const admins = [adminPrincipal, ...options.admins];
    await deployBackend(root, stateDir, replica, deployer.getPrincipal(), admins, log);
    if (options.frontend) {
      if (!replica.canister(FRONTEND_CANISTER_ID)) {
        replica.createCanister({
          specifiedId: FRONTEND_CANISTER_ID,
          controllers: [deployer.getPrincipal()],
        });
      }
      server.gateway.registerAssetCanister(FRONTEND_CANISTER_ID, join(root, 'dist', 'frontend'));
    }
    await seedBackend({
      root,
      apiUrl: server.url,
      backendId: BACKEND_CANISTER_ID,
      deployer,
      appOrigin,
      demo: options.demo,
      log,
    });
  } catch (error) {
    await server.close();
    await replica.shutdown();
    throw error;
  }
  // Builds of the app that scripts/icp-frontend.ts made for a backend icp-cli deployed, served
  // at the canister icp-cli created for them (asset-folders.ts says why).
  const stopWatchingAssetFolders = watchAssetFolders(
    stateDir,
    {
      canisterExists: (id) => replica.canister(id) !== undefined,
      register: (id, dir) => server.gateway.registerAssetCanister(id, dir),
      unregister: (id) => server.gateway.unregisterAssetCanister(id),
    },
    log,
  );

  return {
    appUrl: `${appOrigin}/`,
    apiUrl: server.url,
    iiUrl: `http://${INTERNET_IDENTITY_CANISTER_ID}.localhost:${port}/`,
    backendId: BACKEND_CANISTER_ID,
    frontendId: FRONTEND_CANISTER_ID,
    port,
    replica,
    server,
    adminPrincipal,
    async stop() {
      stopWatchingAssetFolders();
      await server.close();
      await replica.shutdown();
    },
  };
}

/** Funds the icp-cli identities that this state folder has not funded yet; returns their names. */
function fundIcpCliIdentities(replica: LocalReplica, dataDir: string | undefined): string[] {
  const identities = icpCliIdentities(dataDir);
  const funded = new Set(
    (replica.system?.fund(identities.map((i) => i.principal)) ?? []).map((p) => p.toText()),
  );
  return identities.filter((i) => funded.has(i.principal.toText())).map((i) => i.name);
}

/** The backend's init and upgrade argument: `opt record { admins : vec principal }`. */
/** The backend's install argument: its admins, and the canister that serves the app. */
function backendInitArg(admins: Principal[]): Uint8Array {
  const InitArg = IDL.Opt(
    IDL.Record({ admins: IDL.Vec(IDL.Principal), frontend: IDL.Opt(IDL.Principal) }),
  );
  return new Uint8Array(IDL.encode([InitArg], [[{ admins, frontend: [FRONTEND_CANISTER_ID] }]]));
}

/** Creates and installs the backend, or upgrades it when the module changed. */
async function deployBackend(
  root: string,
  stateDir: string,
  replica: LocalReplica,
  deployer: Principal,
  admins: Principal[],
  log: (line: string) => void,
): Promise<void> {
  const wasmPath = join(root, '.azle', 'backend', 'backend.wasm');
  if (!existsSync(wasmPath)) throw new Error(`${wasmPath} is missing: run npm run build:backend`);
  const wasm = new Uint8Array(readFileSync(wasmPath));
  const moduleHash = createHash('sha256').update(wasm).digest('hex');
  const existing = replica.canister(BACKEND_CANISTER_ID);
  const arg = backendInitArg(admins);
  if (!existing) {
    replica.createCanister({ specifiedId: BACKEND_CANISTER_ID, controllers: [deployer] });
  }
  const installedHash = existing?.moduleHash
    ? Buffer.from(existing.moduleHash).toString('hex')
    : undefined;
  // Upgrading re-runs the canister's JavaScript, so skip it when neither the module nor the
  // admin list changed since the last deploy from this state folder.
  const stampFile = join(stateDir, 'backend-deploy.json');
  const stamp = JSON.stringify({ moduleHash, admins: admins.map((p) => p.toText()).sort() });
  const started = Date.now();
  if (installedHash === undefined) {
    await replica.installCode({ canisterId: BACKEND_CANISTER_ID, wasm, arg, mode: 'install' });
    log(`installed backend in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } else if (
    installedHash !== moduleHash ||
    !existsSync(stampFile) ||
    readFileSync(stampFile, 'utf8') !== stamp
  ) {
    await replica.installCode({ canisterId: BACKEND_CANISTER_ID, wasm, arg, mode: 'upgrade' });
    log(`upgraded backend in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  writeFileSync(stampFile, stamp);
}

function formatMessageLog(entry: MessageLog, names: Map<string, string>): string {
  const canister = names.get(entry.canisterId.toText()) ?? entry.canisterId.toText();
  const caller = entry.caller.toText();
  const shortCaller = caller.length > 16 ? `${caller.slice(0, 11)}…` : caller;
  const instructions =
    entry.instructions === undefined
      ? ''
      : ` ${(Number(entry.instructions) / 1e6).toFixed(1)}M instr`;
  return `${canister} ${entry.kind} ${entry.methodName} caller=${shortCaller} ${entry.outcome} ${entry.durationMs.toFixed(0)} ms${instructions}`;
}
