import { fileURLToPath } from 'node:url';
import { buildIfStale } from '../../src/localnet/launch/build';
import { backendArtefact } from '../../src/localnet/launch/launch';

/**
 * Builds the backend wasm once, before any integration test file starts a localnet, so that
 * `npm test` works on a fresh clone and no test file pays for (or races on) the build.
 */
export default async function setup(): Promise<void> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  await buildIfStale(root, backendArtefact(), (line) => console.log(`[integration] ${line}`));
}
