/**
 * Localnet's own costs, through the real HTTP interface and @dfinity/agent: journal bytes
 * written per update, updates per second from 50 concurrent agents (each update replies only
 * after its record is fsynced), and query latency while idle and under that update load.
 *
 *   npx tsx bench/localnet.ts [--agents 50] [--updates 600] [--state-dir <dir>]
 *
 * Prints one line per figure and, last, one JSON line (`{"localnet": {...}}`) for tools.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadOrCreateDeployer } from '../src/localnet/launch/identity';
import { startLocalnet } from '../src/localnet/launch/launch';
import { backendActor } from '../src/localnet/launch/seed';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '50' },
    updates: { type: 'string', default: '600' },
    'state-dir': { type: 'string' },
  },
});
const AGENTS = Number(values.agents);
const UPDATES = Number(values.updates);

function journalBytes(replicaDir: string): number {
  return readdirSync(replicaDir)
    .filter((f) => f.startsWith('journal-'))
    .reduce((sum, f) => sum + statSync(join(replicaDir, f)).size, 0);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] as number;
}

async function main(): Promise<void> {
  const ownDir = values['state-dir'] === undefined;
  const stateDir = resolve(values['state-dir'] ?? mkdtempSync(join(tmpdir(), 'localnet-bench-')));
  const net = await startLocalnet({
    root: ROOT,
    port: 0,
    stateDir,
    frontend: false,
    demo: false,
    logMessages: false,
    log: () => undefined,
  });
  try {
    // The deployer controls the backend, so it is an admin and exempt from rate limits: the
    // figures are localnet's, not the limits'.
    const deployer = loadOrCreateDeployer(stateDir);
    const actors = await Promise.all(
      Array.from({ length: AGENTS }, () => backendActor(net.apiUrl, net.backendId, deployer)),
    );
    const first = actors[0];
    if (!first) throw new Error('no agents');
    const proposal = await first.submitProposal({
      title: 'Localnet benchmark',
      body: 'Comments below are written by bench/localnet.ts.',
      tags: [],
      themeId: [],
    });
    if ('Err' in proposal) throw new Error(JSON.stringify(proposal.Err));
    const target = { Proposal: proposal.Ok.id };

    const idle: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      await first.getProposal(proposal.Ok.id);
      idle.push(performance.now() - t);
    }

    const replicaDir = join(stateDir, 'replica');
    const bytesBefore = journalBytes(replicaDir);
    let next = 0;
    let failed = 0;
    const underLoad: number[] = [];
    let loading = true;
    const started = performance.now();
    const queries = (async () => {
      while (loading) {
        const t = performance.now();
        await first.getProposal(proposal.Ok.id);
        underLoad.push(performance.now() - t);
      }
    })();
    await Promise.all(
      actors.map(async (actor) => {
        while (next < UPDATES) {
          const n = next++;
          const result = await actor.postComment({
            target,
            parentId: [],
            body: `Benchmark comment ${n}: ${'a typical comment of a few sentences. '.repeat(6)}`,
          });
          if ('Err' in result) failed++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    loading = false;
    await queries;
    const bytes = journalBytes(replicaDir) - bytesBefore;

    idle.sort((a, b) => a - b);
    underLoad.sort((a, b) => a - b);
    const figures = {
      updates: UPDATES,
      agents: AGENTS,
      failedUpdates: failed,
      journalBytesPerUpdate: Math.round(bytes / UPDATES),
      updatesPerSecond: Math.round((UPDATES / seconds) * 10) / 10,
      queryP50Ms: Math.round(percentile(idle, 50) * 100) / 100,
      queryP95Ms: Math.round(percentile(idle, 95) * 100) / 100,
      queryUnderLoadP50Ms: Math.round(percentile(underLoad, 50) * 100) / 100,
    };
    console.log(`journal bytes per update: ${figures.journalBytesPerUpdate} (${UPDATES} updates)`);
    console.log(
      `updates/s from ${AGENTS} concurrent agents: ${figures.updatesPerSecond} (${failed} failed)`,
    );
    console.log(`query p50: ${figures.queryP50Ms} ms idle (p95 ${figures.queryP95Ms} ms)`);
    console.log(`query p50 under update load: ${figures.queryUnderLoadP50Ms} ms`);
    console.log(JSON.stringify({ localnet: figures }));
  } finally {
    await net.stop();
    if (ownDir) rmSync(stateDir, { recursive: true, force: true });
  }
}

await main();
