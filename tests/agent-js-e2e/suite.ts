/**
 * Which agent-js end-to-end suite runs against localnet, with what, and what is skipped.
 *
 * `@dfinity/agent` 3.4.3 (this project's version) was released from dfinity/icp-js-core (the
 * renamed dfinity/agent-js) at tag v4.2.3, together with `@icp-sdk/core` 4.2.3, which the
 * suite imports and which re-exports exactly `@dfinity/agent` 3.4.3 and its siblings.
 */

export const SUITE = {
  repository: 'https://github.com/dfinity/icp-js-core.git',
  tag: 'v4.2.3',
  commit: 'f80905d4f24c158a3a287fb9cc53dd754c1527a4',
  /** Git tree id of e2e/node at that commit: the suite is run only if it is exactly this. */
  tree: 'f5baf31358136f45cf09d215351a0a5a2ed898bd',
  /**
   * Besides e2e/node: the tsconfig.json files that e2e/node/tsconfig.json extends and references
   * (vite reads them when it compiles the suite; the packages' sources come from npm).
   */
  paths: [
    'e2e/node',
    'tsconfig.json',
    ...['agent', 'assets', 'auth-client', 'candid', 'core', 'identity', 'identity-secp256k1']
      .concat(['principal'])
      .map((p) => `packages/${p}/tsconfig.json`),
  ],
} as const;

/**
 * What the suite's workspace gives it, from npm instead of `workspace:*` links: the published
 * packages of the same release, and the versions its pnpm-lock.yaml resolves for the rest
 * (the root's vitest, typescript, dotenv and text-encoding; e2e/node's own devDependencies).
 */
export const RUNNER_DEPENDENCIES: Record<string, string> = {
  '@icp-sdk/core': '4.2.3',
  '@dfinity/agent': '3.4.3',
  '@dfinity/assets': '3.4.3',
  '@noble/curves': '1.9.6',
  '@noble/hashes': '1.8.0',
  '@tsconfig/node22': '22.0.2',
  '@types/express': '5.0.3',
  express: '5.1.0',
  dotenv: '16.6.1',
  'text-encoding': '0.7.0',
  typescript: '5.8.3',
  vitest: '3.2.4',
};

export interface Skip {
  /** Test file, relative to e2e/node. */
  file: string;
  /** Full test names skipped; `undefined`: every test of the file not listed in `run`. */
  tests?: string[];
  reason: string;
}

/**
 * Tests that do not run against localnet, each with its reason. Everything else runs.
 */
export const SKIPPED: Skip[] = [
  {
    file: 'basic/mainnet.test.ts',
    reason:
      'needs mainnet: talks to https://icp-api.io (whoami ivcos-…, NNS governance rrkah-…, ' +
      'fj6bh-…, the counter tnnnb-… on mainnet, or the default host of an agent without one)',
  },
];

/**
 * Tests of a skipped file that need no network at all and therefore do run (alone, with
 * vitest's `-t`): they check the agent's own argument validation.
 */
export const RUN_ALONE: { file: string; test: string }[] = [
  {
    file: 'basic/mainnet.test.ts',
    test: 'it should fail when setting an expiry in the far future',
  },
];

/**
 * basic/mitm.test.ts is skipped by the suite unless MITM is set; upstream runs it in a
 * workflow of its own (mitm.yml) behind `mitmdump` on port 8888. The runner does the same
 * with tests/agent-js-e2e/mitm-proxy.ts.
 */
export const MITM = { file: 'basic/mitm.test.ts', port: 8888 } as const;

/** The port the suite expects the replica on: several tests use http://localhost:4943. */
export const SUITE_PORT = 4943;

/**
 * Tests that talk to the suite's own mock replica (utils/mock-replica.ts, an express server
 * with canned, locally signed responses) instead of the replica: they check the agent's clock
 * and certificate-freshness logic and pass or fail whatever localnet does. Files that hold
 * them still import canisters/counter.ts, which reaches localnet when the file loads.
 */
export function usesMockReplica(file: string, test: string): boolean {
  return (
    file === 'basic/syncTime.test.ts' ||
    file === 'basic/queryExpiry.test.ts' ||
    (file === 'basic/canisterStatus.test.ts' &&
      test.startsWith('canister status certificate freshness'))
  );
}
