/**
 * Localnet's own costs, through the real HTTP interface and @dfinity/agent: journal bytes
 * written per update, updates per second from 50 concurrent agents (each update replies only
 * after its record is fsynced), query latency while idle and under that update load, and the
 * server's CPU time per update. Localnet runs in a child process, so that the agents' own work
 * (a BLS verification of every certificate, about 25 ms in JavaScript) is not counted as the
 * server's; on a machine with few cores the agents still compete with it for CPU.
 *
 *   npx tsx bench/localnet.ts [--agents 50] [--updates 600] [--state-dir <dir>]
 *
 * Prints one line per figure and, last, one JSON line (`{"localnet": {...}}`) for tools.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadOrCreateDeployer } from '../src/localnet/launch/identity';
import { Principal } from '@dfinity/principal';
import { startLocalnet } from '../src/localnet/launch/launch';
import { backendActor } from '../src/localnet/launch/seed';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '50' },
    updates: { type: 'string', default: '600' },
    'state-dir': { type: 'string' },
    serve: { type: 'boolean', default: false },
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

/**
 * Child mode: starts localnet, prints `{apiUrl, backendId}` as one JSON line, then answers
 * `cpu` with its CPU time in microseconds and stops on `stop` or end of input.
 */
async function serve(stateDir: string): Promise<void> {
  const net = await startLocalnet({
    root: ROOT,
    port: 0,
    stateDir,
    frontend: false,
    demo: false,
    logMessages: false,
    log: () => undefined,
  });
  console.log(JSON.stringify({ apiUrl: net.apiUrl, backendId: net.backendId.toText() }));
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'cpu') {
      const { user, system } = process.cpuUsage();
      console.log(JSON.stringify({ cpuMicros: user + system }));
    } else if (line === 'stop') {
      break;
    }
  }
  await net.stop();
}

interface Server {
  apiUrl: string;
  backendId: Principal;
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

async function startServer(stateDir: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    // The parent's flags: tsx's loader, and --cpu-prof when profiling.
    [
      ...(process.execArgv.some((a) => a.includes('tsx')) ? process.execArgv : ['--import', 'tsx']),
      fileURLToPath(import.meta.url),
      '--serve',
      '--state-dir',
      stateDir,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error('the localnet child exited');
      const text = String(value);
      if (text.startsWith('{')) return JSON.parse(text) as Record<string, unknown>;
    }
  };
  const ready = await next();
  return {
    apiUrl: String(ready['apiUrl']),
    backendId: Principal.fromText(String(ready['backendId'])),
    cpuMicros: async () => {
      child.stdin.write('cpu\n');
      return Number((await next())['cpuMicros']);
    },
    stop: async () => {
      const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
      child.stdin.end('stop\n');
      await exited;
    },
  };
}

async function main(): Promise<void> {
  const ownDir = values['state-dir'] === undefined;
  const stateDir = resolve(values['state-dir'] ?? mkdtempSync(join(tmpdir(), 'localnet-bench-')));
  const net = await startServer(stateDir);
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
    const cpuBefore = await net.cpuMicros();
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
    const serverCpuMs = ((await net.cpuMicros()) - cpuBefore) / 1000;
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
      // Includes the queries served meanwhile and the wasm itself.
      serverCpuMsPerUpdate: Math.round((serverCpuMs / UPDATES) * 100) / 100,
    };
    console.log(`journal bytes per update: ${figures.journalBytesPerUpdate} (${UPDATES} updates)`);
    console.log(
      `updates/s from ${AGENTS} concurrent agents: ${figures.updatesPerSecond} (${failed} failed)`,
    );
    console.log(`query p50: ${figures.queryP50Ms} ms idle (p95 ${figures.queryP95Ms} ms)`);
    console.log(`query p50 under update load: ${figures.queryUnderLoadP50Ms} ms`);
    console.log(
      `server CPU per update: ${figures.serverCpuMsPerUpdate} ms (with the queries served meanwhile)`,
    );
    console.log(JSON.stringify({ localnet: figures }));
  } finally {
    await net.stop();
    if (ownDir) rmSync(stateDir, { recursive: true, force: true });
  }
}

if (values.serve) {
  await serve(resolve(values['state-dir'] ?? mkdtempSync(join(tmpdir(), 'localnet-bench-'))));
} else {
  await main();
}
