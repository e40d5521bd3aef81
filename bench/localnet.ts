/**
 * Localnet's own costs, through the real HTTP interface and @dfinity/agent: updates per second
 * from 50 concurrent agents (each update replies only after its journal record is fsynced),
 * update and query latency, journal bytes per update and the server's CPU time per update.
 *
 * Processes: localnet runs in a child process of its own, so its CPU time is measured alone;
 * the agents run in further child processes (`--agents-worker`), so their work neither counts
 * as the server's nor queues behind one JavaScript thread. An agent verifies the BLS signature
 * of every certificate it receives (about 25 ms of CPU in JavaScript): on a machine with few
 * cores the agents' verification, not the server, bounds the end-to-end rate. So the load runs
 * twice: once with agents as applications use them ("verifying"), and once with agents that
 * skip only that BLS check ("server-bound": same signed requests, same HTTP, same server work),
 * which shows what the server sustains.
 *
 *   npx tsx bench/localnet.ts [--agents 50] [--updates 600] [--processes 2]
 *                             [--profile-server <folder>]   (a .cpuprofile of localnet alone)
 *
 * Prints one line per figure and, last, one JSON line (`{"localnet": {...}}`) for tools.
 * `bench/run.ts` calls `measureLocalnet` once per run.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Actor, HttpAgent } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';
import { idlFactory, type _SERVICE as Backend } from '../src/declarations/backend';
import { loadOrCreateDeployer } from '../src/localnet/launch/identity';
import { startLocalnet } from '../src/localnet/launch/launch';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

export interface LoadFigures {
  updatesPerSecond: number;
  updateP50Ms: number;
  updateP99Ms: number;
  failedUpdates: number;
  /** Server process CPU time (user + system) over the load, per update; includes the wasm. */
  serverCpuMsPerUpdate: number;
  /** The agents' processes' CPU time over the load, per update: signing, encoding, checks. */
  agentCpuMsPerUpdate: number;
  /** Absent when no queries ran meanwhile (the server-bound run measures updates alone). */
  queryUnderLoadP50Ms?: number;
  queryUnderLoadP99Ms?: number;
}

export interface LocalnetFigures {
  agents: number;
  agentProcesses: number;
  updatesPerRun: number;
  cores: number;
  verifying: LoadFigures;
  serverBound: LoadFigures;
  queryIdleP50Ms: number;
  queryIdleP99Ms: number;
  serverCpuMsPerQuery: number;
  /** The querying agent's CPU time per idle query (its process does nothing else meanwhile). */
  agentCpuMsPerQuery: number;
  journalBytesPerUpdate: number;
}

export interface LocalnetOptions {
  agents?: number;
  updates?: number;
  processes?: number;
  /** Write a V8 CPU profile of the localnet process (only) into this folder. */
  profileServerDir?: string;
  log?: (line: string) => void;
}

function journalBytes(replicaDir: string): number {
  return readdirSync(replicaDir)
    .filter((f) => f.startsWith('journal-'))
    .reduce((sum, f) => sum + statSync(join(replicaDir, f)).size, 0);
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] as number;
}

const round = (v: number, digits = 2): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** A child process speaking one JSON object per line (other output is passed through). */
function spawnChild(
  args: string[],
  nodeArgs: string[] = [],
): {
  child: ChildProcessByStdio<Writable, Readable, null>;
  next(): Promise<Record<string, unknown>>;
} {
  const child = spawn(
    process.execPath,
    // The parent's flags: tsx's loader, and --cpu-prof when profiling.
    [
      ...(process.execArgv.some((a) => a.includes('tsx')) ? process.execArgv : ['--import', 'tsx']),
      ...nodeArgs,
      SELF,
      ...args,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    async next() {
      for (;;) {
        const { value, done } = await lines.next();
        if (done) throw new Error('a benchmark child process exited early');
        const text = String(value);
        if (text.startsWith('{')) return JSON.parse(text) as Record<string, unknown>;
      }
    },
  };
}

function backendActor(apiUrl: string, backendId: Principal, verify: boolean, agent: HttpAgent) {
  return Actor.createActor<Backend>(idlFactory, {
    agent,
    canisterId: backendId,
    // Skips only the client's BLS check of the certificate; the server does the same work.
    ...(verify ? {} : { blsVerify: () => Promise.resolve(true) }),
  });
}

/**
 * Server mode: starts localnet, prints `{apiUrl, backendId}`, then answers `cpu` with its CPU
 * time in microseconds and stops on `stop` or end of input.
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

/**
 * Agents mode: `agents` agents as the deployer (an admin, so exempt from rate limits: the
 * figures are localnet's, not the limits'), each posting comments until `updates` are done.
 * Prints `{ready}` once set up, starts on `go`, prints the latencies when done.
 */
async function agentsWorker(o: {
  apiUrl: string;
  backendId: string;
  stateDir: string;
  agents: number;
  updates: number;
  proposal: bigint;
  verify: boolean;
}): Promise<void> {
  const identity = loadOrCreateDeployer(o.stateDir);
  const backendId = Principal.fromText(o.backendId);
  const actors = await Promise.all(
    Array.from({ length: o.agents }, async () =>
      backendActor(
        o.apiUrl,
        backendId,
        o.verify,
        await HttpAgent.create({ host: o.apiUrl, identity, shouldFetchRootKey: true }),
      ),
    ),
  );
  const input = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  console.log(JSON.stringify({ ready: true }));
  await input.next();
  const cpuBefore = process.cpuUsage();
  let next = 0;
  let failed = 0;
  const latencies: number[] = [];
  await Promise.all(
    actors.map(async (actor) => {
      while (next < o.updates) {
        const n = next++;
        const started = performance.now();
        const result = await actor.postComment({
          target: { Proposal: o.proposal },
          parentId: [],
          body: `Benchmark comment ${n}: ${'a typical comment of a few sentences. '.repeat(6)}`,
        });
        latencies.push(performance.now() - started);
        if ('Err' in result) failed++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  console.log(JSON.stringify({ latencies, failed, cpuMicros: cpu.user + cpu.system }));
}

interface Server {
  apiUrl: string;
  backendId: Principal;
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

async function startServer(stateDir: string, profileDir?: string): Promise<Server> {
  const { child, next } = spawnChild(
    ['--serve', '--state-dir', stateDir],
    profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir],
  );
  const ready = await next();
  return {
    apiUrl: String(ready['apiUrl']),
    backendId: Principal.fromText(String(ready['backendId'])),
    cpuMicros: async () => {
      child.stdin.write('cpu\n');
      return Number((await next())['cpuMicros']);
    },
    stop: async () => {
      const exited = new Promise((done) => child.once('exit', done));
      child.stdin.end('stop\n');
      await exited;
    },
  };
}

async function runLoad(
  net: Server,
  stateDir: string,
  o: { agents: number; updates: number; processes: number; proposal: bigint; verify: boolean },
  query: (() => Promise<unknown>) | undefined,
): Promise<LoadFigures> {
  const workers = Array.from({ length: o.processes }, (_, i) => {
    const agents = Math.floor(o.agents / o.processes) + (i < o.agents % o.processes ? 1 : 0);
    const updates = Math.floor(o.updates / o.processes) + (i < o.updates % o.processes ? 1 : 0);
    return spawnChild([
      '--agents-worker',
      JSON.stringify({
        apiUrl: net.apiUrl,
        backendId: net.backendId.toText(),
        stateDir,
        agents,
        updates,
        proposal: o.proposal.toString(),
        verify: o.verify,
      }),
    ]);
  });
  await Promise.all(workers.map((w) => w.next()));
  const cpuBefore = await net.cpuMicros();
  const started = performance.now();
  for (const w of workers) w.child.stdin.write('go\n');
  const results = Promise.all(
    workers.map(async (w) => {
      const r = await w.next();
      w.child.stdin.end();
      return r as { latencies: number[]; failed: number; cpuMicros: number };
    }),
  );
  let loading = true;
  const underLoad: number[] = [];
  const queries = (async () => {
    while (loading && query) {
      const t = performance.now();
      await query();
      underLoad.push(performance.now() - t);
    }
  })();
  const done = await results;
  const seconds = (performance.now() - started) / 1000;
  loading = false;
  await queries;
  const serverCpuMs = ((await net.cpuMicros()) - cpuBefore) / 1000;
  const latencies = done.flatMap((r) => r.latencies);
  const figures: LoadFigures = {
    updatesPerSecond: round(o.updates / seconds, 1),
    updateP50Ms: round(percentile(latencies, 50)),
    updateP99Ms: round(percentile(latencies, 99)),
    failedUpdates: done.reduce((sum, r) => sum + r.failed, 0),
    serverCpuMsPerUpdate: round(serverCpuMs / o.updates),
    agentCpuMsPerUpdate: round(done.reduce((sum, r) => sum + r.cpuMicros, 0) / 1000 / o.updates),
  };
  if (underLoad.length > 0) {
    figures.queryUnderLoadP50Ms = round(percentile(underLoad, 50));
    figures.queryUnderLoadP99Ms = round(percentile(underLoad, 99));
  }
  return figures;
}

/** Starts a fresh localnet (roadmap only), measures it and stops it. */
export async function measureLocalnet(options: LocalnetOptions = {}): Promise<LocalnetFigures> {
  const agents = options.agents ?? 50;
  const updates = options.updates ?? 600;
  const processes = options.processes ?? Math.max(1, Math.min(4, cpus().length));
  const log = options.log ?? (() => undefined);
  const stateDir = mkdtempSync(join(tmpdir(), 'localnet-bench-'));
  const net = await startServer(stateDir, options.profileServerDir);
  try {
    const identity = loadOrCreateDeployer(stateDir);
    const agent = await HttpAgent.create({ host: net.apiUrl, identity, shouldFetchRootKey: true });
    const actor = backendActor(net.apiUrl, net.backendId, true, agent);
    const proposal = await actor.submitProposal({
      title: 'Localnet benchmark',
      body: 'Comments below are written by bench/localnet.ts.',
      tags: [],
      themeId: [],
    });
    if ('Err' in proposal) throw new Error(JSON.stringify(proposal.Err));
    const id = proposal.Ok.id;
    const query = () => actor.getProposal(id);

    const idle: number[] = [];
    for (let i = 0; i < 20; i++) await query();
    const queryCpuBefore = await net.cpuMicros();
    const agentCpuBefore = process.cpuUsage();
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await query();
      idle.push(performance.now() - t);
    }
    const agentCpu = process.cpuUsage(agentCpuBefore);
    const serverCpuMsPerQuery = round(((await net.cpuMicros()) - queryCpuBefore) / 1000 / 200);
    const agentCpuMsPerQuery = round((agentCpu.user + agentCpu.system) / 1000 / 200);

    const replicaDir = join(stateDir, 'replica');
    const bytesBefore = journalBytes(replicaDir);
    const load = { agents, updates, processes, proposal: id };
    log(`localnet: ${updates} updates from ${agents} agents that verify certificates`);
    const verifying = await runLoad(net, stateDir, { ...load, verify: true }, query);
    const bytes = journalBytes(replicaDir) - bytesBefore;
    log(`localnet: ${updates} updates from ${agents} agents that skip the BLS check`);
    // Updates alone, so that the server's CPU time is theirs.
    const serverBound = await runLoad(net, stateDir, { ...load, verify: false }, undefined);
    return {
      agents,
      agentProcesses: processes,
      updatesPerRun: updates,
      cores: cpus().length,
      verifying,
      serverBound,
      queryIdleP50Ms: round(percentile(idle, 50)),
      queryIdleP99Ms: round(percentile(idle, 99)),
      serverCpuMsPerQuery,
      agentCpuMsPerQuery,
      journalBytesPerUpdate: Math.round(bytes / updates),
    };
  } finally {
    await net.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

function printFigures(f: LocalnetFigures): void {
  const line = (name: string, l: LoadFigures): void =>
    console.log(
      `${name}: ${l.updatesPerSecond} updates/s (p50 ${l.updateP50Ms} ms, p99 ${l.updateP99Ms} ms, ${l.failedUpdates} failed); server CPU ${l.serverCpuMsPerUpdate} ms per update (at most ${round(1000 / l.serverCpuMsPerUpdate, 0)} updates/s on one core), agents' CPU ${l.agentCpuMsPerUpdate} ms per update${l.queryUnderLoadP50Ms === undefined ? '' : `; query under load p50 ${l.queryUnderLoadP50Ms} ms, p99 ${l.queryUnderLoadP99Ms} ms`}`,
    );
  console.log(
    `${f.agents} agents in ${f.agentProcesses} processes, ${f.updatesPerRun} updates per run, ${f.cores} cores`,
  );
  line('verifying agents', f.verifying);
  line('server-bound agents', f.serverBound);
  console.log(
    `query idle: p50 ${f.queryIdleP50Ms} ms, p99 ${f.queryIdleP99Ms} ms; server CPU ${f.serverCpuMsPerQuery} ms, agent CPU ${f.agentCpuMsPerQuery} ms per query`,
  );
  console.log(`journal bytes per update: ${f.journalBytesPerUpdate}`);
  console.log(JSON.stringify({ localnet: f }));
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === SELF;
if (isMain) {
  const { values } = parseArgs({
    options: {
      agents: { type: 'string', default: '50' },
      updates: { type: 'string', default: '600' },
      processes: { type: 'string' },
      'profile-server': { type: 'string' },
      'state-dir': { type: 'string' },
      serve: { type: 'boolean', default: false },
      'agents-worker': { type: 'string' },
    },
  });
  if (values.serve) {
    await serve(resolve(values['state-dir'] ?? mkdtempSync(join(tmpdir(), 'localnet-bench-'))));
  } else if (values['agents-worker'] !== undefined) {
    const o = JSON.parse(values['agents-worker']) as Record<string, unknown>;
    await agentsWorker({
      apiUrl: String(o['apiUrl']),
      backendId: String(o['backendId']),
      stateDir: String(o['stateDir']),
      agents: Number(o['agents']),
      updates: Number(o['updates']),
      proposal: BigInt(String(o['proposal'])),
      verify: o['verify'] === true,
    });
  } else {
    printFigures(
      await measureLocalnet({
        agents: Number(values.agents),
        updates: Number(values.updates),
        processes: values.processes === undefined ? undefined : Number(values.processes),
        profileServerDir:
          values['profile-server'] === undefined ? undefined : resolve(values['profile-server']),
        log: (l) => console.log(l),
      }),
    );
  }
}
