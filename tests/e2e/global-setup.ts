import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalnet } from '../../src/localnet/launch/launch';
import { CHROMIUM_PATH, RESULTS_DIR } from './browser';

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
    adminPrincipal: string;
  }
}

/** Starts a fresh localnet (demo content included) with the built app for every browser test. */
export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Browser tests need Chromium at ${CHROMIUM_PATH}, which is missing.\n` +
        `Install it with: apt-get install -y chromium`,
    );
  }
  // Screenshots and reports from an earlier run must not pass for this run's.
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  const stateDir = mkdtempSync(join(tmpdir(), 'roadmap-commons-e2e-'));
  const localnet = await startLocalnet({
    port: 0,
    stateDir,
    clean: true,
    demo: true,
    logMessages: false,
    log: (line) => console.log(`[localnet] ${line}`),
  });
  console.log(`[e2e] app at ${localnet.appUrl}`);
  project.provide('appUrl', localnet.appUrl);
  project.provide('adminPrincipal', localnet.adminPrincipal.toText());
  return async () => {
    await localnet.stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
}
