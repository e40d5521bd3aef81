/**
 * `npx tsx bench/search-case.ts [wasm]`: what search costs, on a fresh metered replica.
 * Loads proposals with a Zipf-distributed vocabulary (a few words in most proposals, most words
 * in few, as in real text) and at each size of SEARCH_CASE_SIZES (default 300,1000,3000)
 * prints the instructions of searchProposals and similarProposals pages, of the timer
 * messages that index new proposals (per proposal), of an upgrade (post_upgrade) and of the
 * timer messages that rebuild the index after it, and the heap the index takes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MessageLog } from '../src/localnet/core/replica-api';
import { LocalReplica } from '../src/localnet/core/replica';
import { BackendClient, initArg, randomMember } from './canister';
import { Rng } from './load';
import { runDueTimers, timerMessages } from './message-meter';

const wasmPath = process.argv[2] ?? join(process.cwd(), '.azle', 'backend', 'backend.wasm');
const sizes = (process.env.SEARCH_CASE_SIZES ?? '300,1000,3000').split(',').map(Number);
const wasm = new Uint8Array(readFileSync(wasmPath));

const replica = await LocalReplica.open({ metering: true, debugPrint: () => {} });
const admin = randomMember();
const canisterId = replica.createCanister({ controllers: [admin] });
await replica.installCode({ canisterId, wasm, arg: initArg([admin]) });
const client = new BackendClient(replica, canisterId);

const log: MessageLog[] = [];
replica.onMessage((entry) => log.push(entry));
const M = (n: bigint | number | undefined): string => `${(Number(n ?? 0) / 1e6).toFixed(1)} M`;

// A vocabulary of made-up words over ICP's own, drawn with Zipf's law (rank r has weight 1/r).
const rng = new Rng(7);
const SYLLABLES = 'ka to ri mu ne sa lo vi de ga po zu te ni ha be'.split(' ');
const ICP =
  'subnet canister replica threshold signature node shuffling storage query update latency throughput cycles governance neuron proposal boundary gateway certified asset wasm memory heap stable schnorr ecdsa bitcoin ethereum vetkeys privacy enclave'.split(
    ' ',
  );
const vocabulary = [...ICP];
while (vocabulary.length < 20_000) {
  let word = '';
  const n = 2 + rng.int(3);
  for (let i = 0; i < n; i++) word += SYLLABLES[rng.int(SYLLABLES.length)];
  vocabulary.push(word);
}
const cumulative: number[] = [];
let total = 0;
vocabulary.forEach((_, r) => cumulative.push((total += 1 / (r + 1))));
function word(): string {
  const x = rng.next() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return vocabulary[lo]!;
}
const text = (n: number): string => Array.from({ length: n }, word).join(' ');

const timerInstructions = (from: number) => timerMessages(log.slice(from));
const drain = () => runDueTimers(replica, canisterId);

let loaded = 0;
for (const size of sizes) {
  const submit = (): Promise<{ instructions: bigint | undefined }> =>
    client.ok(
      'submitProposal',
      [
        {
          title: `Idea ${++loaded}: ${text(6)}`.slice(0, 120),
          body: text(40 + rng.int(200)),
          tags: [],
          themeId: [],
        },
      ],
      admin,
    );
  while (loaded < size) {
    await submit();
    if (loaded % 50 === 0) await drain();
  }
  await drain();
  // Then a few alone, each followed by the timer message that indexes it.
  const perProposal: bigint[] = [];
  const submits: bigint[] = [];
  for (let i = 0; i < 5; i++) {
    const from = log.length;
    submits.push((await submit()).instructions ?? 0n);
    await drain();
    perProposal.push(timerInstructions(from).instructions);
  }
  const median = (values: bigint[]): bigint => values.sort((a, b) => (a < b ? -1 : 1))[2]!;
  console.log(`\n== ${loaded} proposals`);
  console.log(`submitProposal (the write, median of 5): ${M(median(submits))}`);
  console.log(
    `indexing one new proposal (its timer message, median of 5): ${M(median(perProposal))}`,
  );

  const page = async (label: string, query: string, extra: object = {}): Promise<void> => {
    const request = { query, status: [], cursor: [], limit: [20], ...extra };
    const r = await client.call<{ Ok?: { proposals: unknown[] } }>(
      'searchProposals',
      [request],
      admin,
    );
    console.log(
      `searchProposals ${label}: ${M(r.instructions)} (${r.value.Ok?.proposals.length ?? 'Err'} results)`,
    );
  };
  await page('"subnet" (in most proposals)', 'subnet');
  await page('"subnet canister" (two common words)', 'subnet canister');
  await page(`"${vocabulary[400]}" (a middling word)`, vocabulary[400]!);
  await page(`"${vocabulary[15000]}" (a rare word)`, vocabulary[15000]!);
  await page('"su" (a prefix being typed)', 'su');
  await page('"node shuffl" (a word and a prefix)', 'node shuffl');
  await page('"subnet" status Done (nothing has it)', 'subnet', { status: [{ Done: null }] });
  await page('"zzzz" (no match)', 'zzzz');
  const similar = await client.call<unknown[]>(
    'similarProposals',
    [{ title: `A new idea about ${text(5)}`, body: [text(120)] }],
    admin,
  );
  console.log(
    `similarProposals (title and body): ${M(similar.instructions)} (${similar.value.length} results)`,
  );
  const list = await client.call(
    'listProposals',
    [
      {
        sort: { Hot: null },
        status: [],
        themeId: [],
        tag: [],
        author: [],
        cursor: [],
        limit: 20,
        needsResponse: [],
      },
    ],
    admin,
  );
  console.log(`listProposals Hot 20, for comparison: ${M(list.instructions)}`);

  const heapBefore = replica.canisterStats(canisterId)!.heapBytes;
  const from = log.length;
  await replica.installCode({ canisterId, wasm, arg: initArg([admin]), mode: 'upgrade' });
  const upgrade = log.slice(from).find((e) => e.kind === 'upgrade');
  const heapUnindexed = replica.canisterStats(canisterId)!.heapBytes;
  const rebuildFrom = log.length;
  await drain();
  const rebuild = timerInstructions(rebuildFrom);
  const heapIndexed = replica.canisterStats(canisterId)!.heapBytes;
  console.log(`upgrade (post_upgrade, index not built): ${M(upgrade?.instructions)}`);
  console.log(
    `index rebuild after upgrade: ${rebuild.messages} timer messages, ${M(rebuild.instructions)} in all, ${M(Number(rebuild.instructions) / loaded)} per proposal`,
  );
  console.log(
    `heap: ${(heapBefore / 2 ** 20).toFixed(1)} MiB before upgrade, ${(heapUnindexed / 2 ** 20).toFixed(1)} MiB after it without the index, ${(heapIndexed / 2 ** 20).toFixed(1)} MiB with it: ${((heapIndexed - heapUnindexed) / loaded).toFixed(0)} bytes per proposal`,
  );
}
await replica.shutdown();
