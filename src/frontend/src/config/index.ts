/**
 * Build-time network configuration. Nothing else in the app knows which network it runs on.
 *
 * `selectConfig` is pure so each network's choices can be tested; `appConfig` applies it to
 * the values Vite baked in (see vite.config.ts) and the page's own location.
 */

export type Network = 'localnet' | 'local' | 'ic';

export interface BuildEnv {
  network?: string;
  backendCanisterId?: string;
  icHost?: string;
  iiUrl?: string;
  iiCanisterId?: string;
}

export interface PageLocation {
  origin: string;
  port: string;
  protocol: string;
}

export interface AppConfig {
  network: Network;
  backendCanisterId: string;
  /** Agent host; undefined means the agent's default (mainnet boundary nodes). */
  host: string | undefined;
  identityProviderUrl: string;
  /** Only development networks have a root key that must be fetched; never on mainnet. */
  fetchRootKey: boolean;
  /**
   * Whether query replies are checked against the node keys of the subnet. The node keys are
   * certified under the root key, so the check is worth what the root key is worth: where the
   * root key is fetched from the same server that answers the queries (development networks),
   * whoever could forge a reply could forge the root key too, and the check proves nothing while
   * costing a BLS verification of the node keys' certificate (about half a second of main-thread
   * time in a browser). Mainnet, whose root key is built into the agent, always checks.
   * Update calls are verified through their certificates on every network regardless.
   */
  verifyQuerySignatures: boolean;
  /** The localnet stand-in accepts `?autoUser=` so browser tests can sign in without clicks. */
  supportsDevAutoUser: boolean;
}

/** The dev Internet Identity stand-in (localnet) and the pinned II dev canister (dfx). */
export const LOCAL_II_CANISTER_ID = 'rdmx6-jaaaa-aaaaa-aaadq-cai';
export const MAINNET_II_URL = 'https://id.ai';
const DEFAULT_LOCAL_PORT = '4943';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function parseNetwork(value: string | undefined): Network {
  const v = (value ?? '').trim();
  if (v === '' || v === 'localnet') return 'localnet';
  if (v === 'local') return 'local';
  if (v === 'ic') return 'ic';
  throw new ConfigError(`Unknown network "${v}": expected localnet, local or ic.`);
}

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

export function selectConfig(env: BuildEnv, page: PageLocation): AppConfig {
  const network = parseNetwork(env.network);
  const backendCanisterId = nonEmpty(env.backendCanisterId) ?? '';
  const pagePort = page.port || DEFAULT_LOCAL_PORT;
  const pageScheme = page.protocol === 'https:' ? 'https:' : 'http:';

  switch (network) {
    case 'localnet':
      // localnet serves the app at http://<frontend-id>.localhost:<port>/ and answers the IC
      // HTTP interface on that same origin, so the page's origin is the agent host.
      return {
        network,
        backendCanisterId,
        host: nonEmpty(env.icHost) ?? page.origin,
        identityProviderUrl:
          nonEmpty(env.iiUrl) ?? `${pageScheme}//${LOCAL_II_CANISTER_ID}.localhost:${pagePort}/`,
        fetchRootKey: true,
        verifyQuerySignatures: false,
        supportsDevAutoUser: true,
      };
    case 'local': {
      const iiId = nonEmpty(env.iiCanisterId) ?? LOCAL_II_CANISTER_ID;
      return {
        network,
        backendCanisterId,
        host: nonEmpty(env.icHost) ?? page.origin,
        identityProviderUrl: nonEmpty(env.iiUrl) ?? `http://${iiId}.localhost:${pagePort}/`,
        fetchRootKey: true,
        verifyQuerySignatures: false,
        supportsDevAutoUser: false,
      };
    }
    case 'ic':
      return {
        network,
        backendCanisterId,
        host: nonEmpty(env.icHost),
        identityProviderUrl: nonEmpty(env.iiUrl) ?? MAINNET_II_URL,
        // The mainnet root key is built into the agent; fetching it would trust whoever answers.
        fetchRootKey: false,
        verifyQuerySignatures: true,
        supportsDevAutoUser: false,
      };
  }
}

function readBuildEnv(): BuildEnv {
  return {
    network: import.meta.env.VITE_NETWORK as string | undefined,
    backendCanisterId: import.meta.env.VITE_BACKEND_CANISTER_ID as string | undefined,
    icHost: import.meta.env.VITE_IC_HOST as string | undefined,
    iiUrl: import.meta.env.VITE_II_URL as string | undefined,
    iiCanisterId: import.meta.env.VITE_II_CANISTER_ID as string | undefined,
  };
}

let cached: AppConfig | undefined;

export function appConfig(): AppConfig {
  cached ??= selectConfig(readBuildEnv(), window.location);
  return cached;
}
