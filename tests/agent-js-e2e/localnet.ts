/**
 * Localnet as the agent-js e2e suite expects its replica: `dfx start` then `dfx deploy` of
 * e2e/node/dfx.json (counter, counter2, whoami, trap, assets) and the asset canister's
 * `authorize` of the suite's test identity (its `setup` script).
 *
 * Localnet is started the way `startLocalnet` (src/localnet/launch/launch.ts) wires it — the
 * same certifier, replica options (system canisters, dirty-page tracking, the Internet
 * Identity stand-in's reserved id) and HTTP server — but without this project's canisters:
 * the suite gets a network of its own, and no backend build is needed.
 *
 * The canisters are deployed over the HTTP interface with the unmodified `@dfinity/agent`,
 * as dfx deploys them: `provisional_create_canister_with_cycles` at the effective canister id
 * `/_/topology` names (dfx asks PocketIC the same way), then `install_code`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Actor, HttpAgent } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { Principal } from '@dfinity/principal';
import { createCertifier } from '../../src/localnet/certification/certifier';
import { INTERNET_IDENTITY_CANISTER_ID } from '../../src/localnet/gateway';
import { LocalReplica } from '../../src/localnet/core/replica';
import { startLocalnetServer } from '../../src/localnet/http/server';

/** The suite's canisters (e2e/node/dfx.json) and the committed module each one runs. */
export const SUITE_CANISTERS = [
  { name: 'assets', wasm: 'canisters/assets.wasm' },
  { name: 'counter', wasm: 'canisters/counter.wasm' },
  { name: 'counter2', wasm: 'canisters/counter.wasm' },
  { name: 'trap', wasm: 'canisters/trap.wasm' },
  { name: 'whoami', wasm: 'canisters/whoami.wasm' },
] as const;

/**
 * The principal the suite's `setup` script authorizes on the asset canister: the Ed25519
 * identity that assets.test.ts derives from the seed "test".
 */
export const ASSETS_TEST_PRINCIPAL =
  'n7obp-cx27z-e4ytc-ipt7n-urffz-txqa5-el2vn-7vpqc-jjoh3-wrob6-bqe';

export interface SuiteNet {
  url: string;
  port: number;
  /** Canister name (dfx.json) → id, as `dfx canister id <name>` would print it. */
  canisterIds: Record<string, string>;
  stop(): Promise<void>;
}

export interface SuiteNetOptions {
  /** The suite's folder (e2e/node), where the committed .wasm files are. */
  suiteDir: string;
  stateDir: string;
  port: number;
  host?: string;
  /**
   * Where modules rewritten for dirty-page tracking are cached by content (a binaryen pass of
   * over a minute for the five modules on a busy machine); default: inside `stateDir`.
   */
  preparedCacheDir?: string;
  log: (line: string) => void;
}

export async function startSuiteNet(options: SuiteNetOptions): Promise<SuiteNet> {
  const { stateDir, log } = options;
  const certifier = createCertifier(stateDir);
  const replica = await LocalReplica.open({
    stateDir: join(stateDir, 'replica'),
    dataCertificateProvider: certifier.dataCertificate,
    network: { subnetId: certifier.subnetId, rootKeyDer: certifier.rootKeyDer },
    systemCanisters: true,
    // As `npm start` runs canisters: messages copy only the heap pages they wrote.
    dirtyTracking: process.env.LOCALNET_DIRTY_TRACKING !== '0',
    preparedCacheDir: options.preparedCacheDir,
    reservedCanisterIds: [Principal.fromText(INTERNET_IDENTITY_CANISTER_ID)],
    // trap.wasm prints on its way to the trap; the suite reads the reject, not the log.
    debugPrint: () => undefined,
  });
  let server;
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
  const stop = async (): Promise<void> => {
    await server.close();
    await replica.shutdown();
  };
  try {
    const canisterIds = await deploySuiteCanisters(server.url, options.suiteDir, log);
    return { url: server.url, port: server.port, canisterIds, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ---- deploying, as `dfx deploy` does

const InstallMode = IDL.Variant({
  install: IDL.Null,
  reinstall: IDL.Null,
  upgrade: IDL.Opt(
    IDL.Record({
      skip_pre_upgrade: IDL.Opt(IDL.Bool),
      wasm_memory_persistence: IDL.Opt(IDL.Variant({ keep: IDL.Null, replace: IDL.Null })),
    }),
  ),
});

/** The two management methods dfx uses to deploy, written from the interface specification. */
const managementIdl: IDL.InterfaceFactory = ({ IDL: I }) =>
  I.Service({
    provisional_create_canister_with_cycles: I.Func(
      [
        I.Record({
          amount: I.Opt(I.Nat),
          settings: I.Opt(I.Record({ controllers: I.Opt(I.Vec(I.Principal)) })),
          specified_id: I.Opt(I.Principal),
          sender_canister_version: I.Opt(I.Nat64),
        }),
      ],
      [I.Record({ canister_id: I.Principal })],
      [],
    ),
    install_code: I.Func(
      [
        I.Record({
          mode: InstallMode,
          canister_id: I.Principal,
          wasm_module: I.Vec(I.Nat8),
          arg: I.Vec(I.Nat8),
          sender_canister_version: I.Opt(I.Nat64),
        }),
      ],
      [],
      [],
    ),
  });

interface Management {
  provisional_create_canister_with_cycles(args: {
    amount: [] | [bigint];
    settings: [] | [{ controllers: [] | [Principal[]] }];
    specified_id: [] | [Principal];
    sender_canister_version: [] | [bigint];
  }): Promise<{ canister_id: Principal }>;
  install_code(args: {
    mode: { install: null };
    canister_id: Principal;
    wasm_module: Uint8Array;
    arg: Uint8Array;
    sender_canister_version: [] | [bigint];
  }): Promise<void>;
}

const assetsIdl: IDL.InterfaceFactory = ({ IDL: I }) =>
  I.Service({ authorize: I.Func([I.Principal], [], []) });

/** `GET /_/topology`'s default effective canister id, as dfx reads it from PocketIC. */
async function defaultEffectiveCanisterId(url: string): Promise<Principal> {
  const response = await fetch(`${url}/_/topology`);
  if (!response.ok) throw new Error(`GET /_/topology answered ${response.status}`);
  const topology = (await response.json()) as {
    default_effective_canister_id: { canister_id: string };
  };
  const raw = Buffer.from(topology.default_effective_canister_id.canister_id, 'base64');
  return Principal.fromUint8Array(new Uint8Array(raw));
}

async function deploySuiteCanisters(
  url: string,
  suiteDir: string,
  log: (line: string) => void,
): Promise<Record<string, string>> {
  // dfx's default identity: a fresh key, the controller of everything it deploys.
  const deployer = Ed25519KeyIdentity.generate();
  const agent = await HttpAgent.create({ host: url, identity: deployer, shouldFetchRootKey: true });
  const ecid = await defaultEffectiveCanisterId(url);
  const create = Actor.createActor<Management>(managementIdl, {
    agent,
    canisterId: Principal.managementCanister(),
    effectiveCanisterId: ecid,
  });
  const emptyArg = new Uint8Array(IDL.encode([], []));
  const ids: Record<string, string> = {};
  for (const { name, wasm } of SUITE_CANISTERS) {
    const { canister_id } = await create.provisional_create_canister_with_cycles({
      amount: [],
      settings: [],
      specified_id: [],
      sender_canister_version: [],
    });
    const install = Actor.createActor<Management>(managementIdl, {
      agent,
      canisterId: Principal.managementCanister(),
      effectiveCanisterId: canister_id,
    });
    await install.install_code({
      mode: { install: null },
      canister_id,
      wasm_module: new Uint8Array(readFileSync(join(suiteDir, wasm))),
      arg: emptyArg,
      sender_canister_version: [],
    });
    ids[name] = canister_id.toText();
    log(`deployed ${name} (${wasm}) at ${canister_id.toText()}`);
  }
  // `dfx canister call assets authorize '(principal "n7obp-…")'`
  const assets = Actor.createActor<{ authorize(p: Principal): Promise<void> }>(assetsIdl, {
    agent,
    canisterId: ids.assets!,
  });
  await assets.authorize(Principal.fromText(ASSETS_TEST_PRINCIPAL));
  log(`authorized ${ASSETS_TEST_PRINCIPAL} on assets`);
  return ids;
}
