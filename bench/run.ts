/**
 * `npm run bench`: loads the backend through its real methods to growing sizes and, at each
 * size, meters every method's wasm instructions (direct replica calls) and times it through
 * the HTTP interface with @dfinity/agent; then measures install/upgrade cost, stable memory,
 * the frontend's initial JS and the time to a visible roadmap. Writes bench/RESULTS.md (or BENCH_RESULTS).
 *
 * Environment:
 *   BENCH_SIZES=100,1000        proposal counts, ascending
 *   BENCH_VOTES_PER_PROPOSAL=10 proposal votes loaded per proposal
 *   BENCH_COMMENTS_PER_PROPOSAL=1
 *   BENCH_REPS=3                metered repetitions per method and size
 *   BENCH_HTTP_REPS=5           timed HTTP repetitions per method and size
 *   BENCH_BROWSER_LOADS=5       page loads for the roadmap-visible measurement (0 skips it)
 *   BENCH_KEEP=1                keep the temporary state folder
 *   BENCH_RESULTS=bench/RESULTS.md   where the report goes (a run at one large size, for
 *                               example, beside the regular one)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import type { Principal } from '@dfinity/principal';
import { createCertifier } from '../src/localnet/certification/certifier';
import { LocalReplica } from '../src/localnet/core/replica';
import type { MessageLog } from '../src/localnet/core/replica-api';
import { startLocalnetServer } from '../src/localnet/http/server';
import { buildIfStale } from '../src/localnet/launch/build';
import { backendArtefact, frontendArtefact, startLocalnet } from '../src/localnet/launch/launch';
import { backendActor, roadmapImportFromFile, type RoadmapFile } from '../src/localnet/launch/seed';
import { BackendClient, initArg, randomMember } from './canister';
import { benchCases, prepareCases, type BenchCase } from './cases';
import { meterMerge } from './merge-case';
import { meterNeurons } from './neurons-case';
import { measureBundle, measureRoadmapVisible } from './frontend';
import { Loader } from './load';
import { measureLocalnet } from './localnet';
import { isTimerMessage, runDueTimers } from './message-meter';
import { writeReport, type LevelResult, type RunResult } from './report';

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number`);
  return value;
}

const sizes = (process.env.BENCH_SIZES ?? '100,1000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
if (sizes.length === 0) throw new Error('BENCH_SIZES must list proposal counts, e.g. 100,1000');
sizes.sort((a, b) => a - b);
const votesPerProposal = envInt('BENCH_VOTES_PER_PROPOSAL', 10);
const commentsPerProposal = envInt('BENCH_COMMENTS_PER_PROPOSAL', 1);
const reps = Math.max(1, envInt('BENCH_REPS', 3));
const httpReps = Math.max(1, envInt('BENCH_HTTP_REPS', 5));
const browserLoads = envInt('BENCH_BROWSER_LOADS', 5);
const resultsFile = process.env.BENCH_RESULTS || 'bench/RESULTS.md';

const root = process.cwd();
const resultsPath = resolve(root, resultsFile);
const log = (line: string): void =>
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const quietCanister = (_id: Principal, _text: string): void => {};

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
}

type Open = { replica: LocalReplica; close(): Promise<void>; apiUrl?: string };

async function openReplica(
  stateDir: string,
  metering: boolean,
  http: boolean,
  autoTimers = true,
): Promise<Open> {
  const certifier = createCertifier(stateDir);
  const replica = await LocalReplica.open({
    stateDir: join(stateDir, 'replica'),
    // The module rewritten for dirty-page tracking, cached by content as `startLocalnet` does:
    // without it every bench folder rewrites the module again (seconds each time).
    preparedCacheDir: join(root, 'node_modules', '.cache', 'roadmap-commons', 'prepared'),
    metering,
    autoTimers,
    // NNS governance's stand-in answers the canister's calls about neurons and NNS proposals.
    systemCanisters: true,
    dataCertificateProvider: certifier.dataCertificate,
    debugPrint: quietCanister,
  });
  if (replica.restartErrors.size > 0) {
    throw new Error(`restart failed: ${[...replica.restartErrors.values()].join('; ')}`);
  }
  if (!http) return { replica, close: () => replica.shutdown() };
  const server = await startLocalnetServer({
    replica,
    stateDir,
    port: 0,
    certifier,
    internetIdentity: false,
    log,
  });
  return {
    replica,
    apiUrl: server.url,
    async close() {
      await server.close();
      await replica.shutdown();
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function meterCases(
  client: BackendClient,
  loader: Loader,
  phase: string,
): Promise<{
  instructions: Map<string, { median: number; max: number }>;
  argumentBytes: Map<string, number>;
  items: Map<string, number>;
}> {
  const member = randomMember();
  const ctx = await prepareCases(client, loader, member, phase, reps);
  const out = new Map<string, { median: number; max: number }>();
  const argumentBytes = new Map<string, number>();
  const items = new Map<string, number>();
  for (const c of benchCases(ctx)) {
    argumentBytes.set(c.label, client.argumentBytes(c.method, c.args(0)));
    const counts: number[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const sender =
        c.sender === 'fresh'
          ? randomMember()
          : c.sender === 'typicalAuthor'
            ? ctx.typicalAuthor
            : member;
      const result = await client.call<unknown>(c.method, c.args(rep), sender);
      assertOk(c, result.value);
      const returned = c.kind === 'query' ? itemsIn(result.value) : undefined;
      if (returned !== undefined) items.set(c.label, returned);
      if (result.instructions === undefined) throw new Error(`no instruction count for ${c.label}`);
      counts.push(Number(result.instructions));
    }
    const settle = c.settle?.(reps);
    if (settle !== undefined)
      assertOk(c, (await client.call<unknown>(c.method, settle, member)).value);
    out.set(c.label, { median: median(counts), max: Math.max(...counts) });
  }
  return { instructions: out, argumentBytes, items };
}

/** How many items a page-like reply holds: its first list (inside `Ok` for a Result). */
function itemsIn(value: unknown): number | undefined {
  const reply =
    typeof value === 'object' && value !== null && 'Ok' in value
      ? (value as { Ok: unknown }).Ok
      : value;
  if (Array.isArray(reply)) return reply.length;
  if (typeof reply !== 'object' || reply === null) return undefined;
  const list = Object.values(reply).find((field) => Array.isArray(field));
  return Array.isArray(list) ? list.length : undefined;
}

function assertOk(c: BenchCase, value: unknown): void {
  if (c.kind === 'update' && typeof value === 'object' && value !== null && 'Err' in value) {
    throw new Error(`${c.label} failed: ${JSON.stringify(value.Err)}`);
  }
}

type ActorMethod = (...args: unknown[]) => Promise<unknown>;

async function timeCasesOverHttp(
  client: BackendClient,
  loader: Loader,
  apiUrl: string,
  phase: string,
): Promise<Map<string, number>> {
  const identity = Ed25519KeyIdentity.generate();
  const author = Ed25519KeyIdentity.generate();
  const ctx = await prepareCases(
    client,
    loader,
    identity.getPrincipal(),
    phase,
    httpReps,
    author.getPrincipal(),
  );
  const actor = await backendActor(apiUrl, client.canisterId, identity);
  const authorActor = await backendActor(apiUrl, client.canisterId, author);
  const out = new Map<string, number>();
  for (const c of benchCases(ctx)) {
    const times: number[] = [];
    for (let rep = 0; rep < httpReps; rep++) {
      const target =
        c.sender === 'fresh'
          ? await backendActor(apiUrl, client.canisterId, Ed25519KeyIdentity.generate())
          : c.sender === 'typicalAuthor'
            ? authorActor
            : actor;
      const method = (target as unknown as Record<string, ActorMethod>)[c.method];
      if (method === undefined) throw new Error(`the actor has no method ${c.method}`);
      const started = performance.now();
      const value = await method(...c.args(rep));
      times.push(performance.now() - started);
      assertOk(c, value);
    }
    const settle = c.settle?.(httpReps);
    if (settle !== undefined) {
      const method = (actor as unknown as Record<string, ActorMethod>)[c.method];
      assertOk(c, await method!(...settle));
    }
    out.set(c.label, median(times));
  }
  return out;
}

/**
 * What the search index costs: the state is reopened (an upgrade, which leaves the index to be
 * rebuilt) with timers run one round at a time, so the heap is measured before and after the
 * follow-up messages that rebuild it, and their instructions are summed.
 */
async function measureSearchIndex(
  stateDir: string,
  canisterId: Principal,
): Promise<{ heapBytes: number; rebuildInstructions: number }> {
  const { replica, close } = await openReplica(stateDir, true, false, false);
  let rebuildInstructions = 0;
  const stop = replica.onMessage((entry: MessageLog) => {
    if (isTimerMessage(entry)) rebuildInstructions += Number(entry.instructions ?? 0n);
  });
  try {
    const heapBefore = replica.canisterStats(canisterId)?.heapBytes ?? 0;
    await runDueTimers(replica, canisterId);
    const heapAfter = replica.canisterStats(canisterId)?.heapBytes ?? 0;
    return { heapBytes: heapAfter - heapBefore, rebuildInstructions };
  } finally {
    stop();
    await close();
  }
}

/** Runs an install or upgrade and sums the instructions of its init/upgrade entry points. */
async function meteredInstall(replica: LocalReplica, run: () => Promise<void>): Promise<number> {
  let total = 0;
  const stop = replica.onMessage((entry: MessageLog) => {
    if ((entry.kind === 'init' || entry.kind === 'upgrade') && entry.instructions !== undefined) {
      total += Number(entry.instructions);
    }
  });
  try {
    await run();
  } finally {
    stop();
  }
  return total;
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadStart = loadavg()[0]!;
  log(
    `sizes ${sizes.join(', ')} proposals; ${votesPerProposal} votes and ${commentsPerProposal} comments per proposal`,
  );
  await buildIfStale(root, backendArtefact(), log);
  const work = mkdtempSync(join(tmpdir(), 'roadmap-bench-'));
  // A private copy: others may rebuild .azle while the benchmark runs.
  const wasmPath = join(work, 'backend.wasm');
  copyFileSync(join(root, '.azle', 'backend', 'backend.wasm'), wasmPath);
  const wasm = new Uint8Array(readFileSync(wasmPath));
  const result: RunResult = {
    date: new Date().toISOString(),
    commit: git(['rev-parse', 'HEAD']),
    commitSubject: git(['log', '-1', '--format=%s']),
    dirtyBackend: git(['status', '--porcelain', '--', 'src/backend']).split('\n').filter(Boolean),
    wasmSha256: createHash('sha256').update(wasm).digest('hex'),
    wasmBytes: wasm.length,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    loadAverage: [loadStart, 0],
    config: { sizes, votesPerProposal, commentsPerProposal, reps, httpReps, browserLoads },
    install: { instructions: 0, roadmapImportInstructions: 0 },
    levels: [],
    throughput: [],
    bundle: undefined,
    visible: undefined,
    localnet: undefined,
    durationSeconds: 0,
  };

  // The frontend goes first so that a run stopped during a long load still reports it.
  log('frontend bundle');
  await buildIfStale(root, frontendArtefact(), log);
  result.bundle = measureBundle(join(root, 'dist', 'frontend'));
  if (browserLoads > 0) {
    log('roadmap visible: starting localnet with the frontend');
    const app = await startLocalnet({
      root,
      stateDir: join(work, 'app'),
      clean: true,
      port: 0,
      frontend: true,
      demo: true,
      metering: false,
      logMessages: false,
      log,
    });
    try {
      result.visible = await measureRoadmapVisible(app.appUrl, browserLoads);
    } finally {
      await app.stop();
    }
  }
  await writeReport(resultsPath, result);

  const admin = randomMember();
  let canisterId: Principal;
  {
    const { replica, close } = await openReplica(work, true, false);
    canisterId = replica.createCanister({ controllers: [admin] });
    result.install.instructions = await meteredInstall(replica, () =>
      replica.installCode({ canisterId, wasm, arg: initArg([admin]), mode: 'install' }),
    );
    const client = new BackendClient(replica, canisterId);
    const file = JSON.parse(
      readFileSync(join(root, 'data', 'roadmap.json'), 'utf8'),
    ) as RoadmapFile;
    const imported = await client.ok('importRoadmap', [roadmapImportFromFile(file)], admin);
    result.install.roadmapImportInstructions = Number(imported.instructions ?? 0);
    await close();
    log(`installed: ${(result.install.instructions / 1e9).toFixed(2)} B instructions`);
  }

  const loader = new Loader(undefined as unknown as BackendClient, admin);
  for (const size of sizes) {
    log(`level ${size}: loading`);
    const loading = await openReplica(work, false, true);
    const client = new BackendClient(loading.replica, canisterId);
    loader.attach(client);
    if (loader.themeIds.length === 0) await loader.readRoadmap();
    await loader.grow({ proposals: size, votesPerProposal, commentsPerProposal }, log);
    log(`level ${size}: HTTP latency`);
    const latency = await timeCasesOverHttp(client, loader, loading.apiUrl!, `http-${size}`);
    await loading.close();

    log(`level ${size}: metering`);
    const metered = await openReplica(work, true, false);
    const meteredClient = new BackendClient(metered.replica, canisterId);
    loader.attach(meteredClient);
    const { instructions, argumentBytes, items } = await meterCases(
      meteredClient,
      loader,
      `meter-${size}`,
    );
    log(`level ${size}: neurons and the lens`);
    const neurons = await meterNeurons(metered.replica, meteredClient, loader);
    log(`level ${size}: merging a duplicate`);
    const merges = await meterMerge(metered.replica, meteredClient, loader);
    const upgradeInstructions = await meteredInstall(metered.replica, () =>
      metered.replica.installCode({ canisterId, wasm, arg: initArg([admin]), mode: 'upgrade' }),
    );
    const stats = metered.replica.canisterStats(canisterId);
    await metered.close();
    log(`level ${size}: the search index's rebuild after an upgrade`);
    const searchIndex = await measureSearchIndex(work, canisterId);
    const level: LevelResult = {
      proposals: size,
      counts: { ...loader.counts },
      instructions,
      argumentBytes,
      items,
      latencyMs: latency,
      neurons,
      merges,
      upgradeInstructions,
      stableBytes: (stats?.stablePages ?? 0) * 65536,
      heapBytes: stats?.heapBytes ?? 0,
      searchIndex,
    };
    result.levels.push(level);
    log(
      `level ${size}: done (${JSON.stringify(level.counts)}; stable ${(level.stableBytes / 2 ** 20).toFixed(1)} MiB)`,
    );
    result.throughput = [...loader.throughput.values()];
    await writeReport(resultsPath, result);
    if (size === sizes[0]) {
      log('localnet: updates/s from 50 agents over HTTP, query latency, journal bytes');
      result.localnet = await measureLocalnet({ log });
      await writeReport(resultsPath, result);
    }
  }

  result.loadAverage[1] = loadavg()[0]!;
  result.durationSeconds = (Date.now() - started) / 1000;
  await writeReport(resultsPath, result);
  if (process.env.BENCH_KEEP === '1') log(`state kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
  log(`wrote ${resultsFile} in ${result.durationSeconds.toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
