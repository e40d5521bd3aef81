/**
 * `npx tsx tests/unit/localnet/runtime/heap-bench.ts [backend.wasm]`: wall time per update
 * and per query on the real backend once its heap holds many proposals, i.e. the per-message
 * cost of making messages atomic (not a test: it takes minutes). Env: HEAP_BENCH_PROPOSALS
 * (default 5000), HEAP_BENCH_BODY (body length, default 2000), HEAP_BENCH_METERING=1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalReplica } from '../../../../src/localnet/core/replica';
import { BackendClient, initArg, randomMember } from '../../../../bench/canister';

const wasmPath = process.argv[2] ?? join(process.cwd(), '.azle', 'backend', 'backend.wasm');
const count = Number(process.env.HEAP_BENCH_PROPOSALS ?? 5000);
const bodyLength = Number(process.env.HEAP_BENCH_BODY ?? 2000);
const replica = await LocalReplica.open({
  metering: process.env.HEAP_BENCH_METERING === '1',
  autoTimers: false,
  debugPrint: () => undefined,
});
const admin = randomMember();
const canisterId = replica.createCanister({ controllers: [admin] });
let started = performance.now();
await replica.installCode({
  canisterId,
  wasm: new Uint8Array(readFileSync(wasmPath)),
  arg: initArg([admin]),
});
console.log(`install: ${(performance.now() - started).toFixed(0)} ms`);
const client = new BackendClient(replica, canisterId);
const body = 'Shared security through node shuffling and more. '.repeat(400).slice(0, bodyLength);
started = performance.now();
for (let i = 0; i < count; i++) {
  // An admin is exempt from rate limits, so one principal can submit everything.
  await client.ok(
    'submitProposal',
    [{ title: `Proposal ${i}`, body: `${i} ${body}`, tags: ['a', 'b'], themeId: [] }],
    admin,
  );
}
const loadMs = performance.now() - started;
const status = replica.canisterStats(canisterId);
console.log(
  `${count} submits: ${(loadMs / 1000).toFixed(1)} s, ${(count / (loadMs / 1000)).toFixed(0)} updates/s` +
    (status ? `; heap ${(status.heapBytes / 2 ** 20).toFixed(0)} MiB` : ''),
);

function summary(label: string, times: number[]): void {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(
    `${label}: mean ${mean.toFixed(2)} ms, p50 ${at(0.5).toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms, ` +
      `${(1000 / mean).toFixed(0)}/s`,
  );
}

const votes: number[] = [];
for (let i = 0; i < 200; i++) {
  const t = performance.now();
  await client.ok('voteProposal', [BigInt(1 + i), [{ Up: null }]], admin);
  votes.push(performance.now() - t);
}
summary('voteProposal (update)', votes);
const request = {
  sort: { Hot: null },
  status: [],
  themeId: [],
  tag: [],
  author: [],
  cursor: [],
  limit: 20,
};
const queries: number[] = [];
for (let i = 0; i < 200; i++) {
  const t = performance.now();
  await client.call('listProposals', [request], admin);
  queries.push(performance.now() - t);
}
summary('listProposals (query)', queries);
await replica.shutdown();
