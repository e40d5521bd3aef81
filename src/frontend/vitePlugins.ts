/** Build steps of the app's Vite config, kept apart from it so that tests can run them. */
import type { Plugin } from 'vite';

/**
 * Swaps `@dfinity/agent`'s BLS module for src/api/blsOnDemand.ts, which verifies with the same
 * noble function but loads it on first use: evaluating noble's BLS module costs about a quarter
 * of a second at start-up, before the first query can go out (see that file).
 */
export function agentBlsOnDemand(replacement: string): Plugin {
  return {
    name: 'agent-bls-on-demand',
    enforce: 'pre',
    resolveId(source, importer) {
      const fromAgent = importer?.replaceAll('\\', '/').includes('/@dfinity/agent/') ?? false;
      return fromAgent && /(^|\/)utils\/bls(\.js)?$/.test(source) ? replacement : null;
    },
  };
}

/**
 * On networks whose root key the agent fetches (localnet, dfx local), index.html asks for
 * `/api/v2/status` while the scripts download, so the agent's own request for it (which every
 * first call waits for) is answered from the preload instead of costing a round trip after the
 * scripts have run. Mainnet's root key is built in: nothing to preload there.
 */
export function preloadRootKey(network: string, icHost: string): Plugin {
  const fetchesRootKey = network !== 'ic';
  const href = icHost ? new URL('/api/v2/status', icHost).href : '/api/v2/status';
  return {
    name: 'preload-root-key',
    transformIndexHtml() {
      if (!fetchesRootKey) return [];
      return [
        {
          tag: 'link',
          // A preload is used only by a request of the same mode and credentials: the agent's
          // is a plain fetch() GET, i.e. CORS mode, credentials only to its own origin.
          attrs: { rel: 'preload', as: 'fetch', crossorigin: 'anonymous', href },
          injectTo: 'head-prepend',
        },
      ];
    },
  };
}
