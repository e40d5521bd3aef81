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
