/**
 * `npx tsx bench/certification-case.ts [wasm]`: what certified tallies cost, on a fresh metered
 * replica. At each size of CERT_CASE_SIZES (default 1000,10000) proposals it prints:
 * - the writes that change a tally (voteProposal, setPriorityVotes, setProposalStatus), median
 *   of 5 — run it with an older module to see what certification adds to them;
 * - the follow-up timer message that certifies one vote, and one that certifies 20 votes on
 *   20 proposals;
 * - getTallyProof for 1 proposal, for 20, and for 20 proposals and every roadmap item;
 * - an upgrade (post_upgrade), the timer messages that rebuild the tree after it (count and
 *   instructions), and the heap it takes.
 * The module given may predate getTallyProof: those lines are then left out.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertifier } from '../src/localnet/certification/certifier';
import type { MessageLog } from '../src/localnet/core/replica-api';
import { LocalReplica } from '../src/localnet/core/replica';
import { roadmapImportFromFile, type RoadmapFile } from '../src/localnet/launch/seed';
import { BackendClient, initArg, randomMember } from './canister';
import { runDueTimers, timerMessages } from './message-meter';

const wasmPath = process.argv[2] ?? join(process.cwd(), '.azle', 'backend', 'backend.wasm');
const sizes = (process.env.CERT_CASE_SIZES ?? '1000,10000').split(',').map(Number);
const wasm = new Uint8Array(readFileSync(wasmPath));

const certifier = createCertifier(mkdtempSync(join(tmpdir(), 'cert-case-')));
const replica = await LocalReplica.open({
  metering: true,
  autoTimers: false,
  debugPrint: () => {},
  dataCertificateProvider: certifier.dataCertificate,
});
const admin = randomMember();
const canisterId = replica.createCanister({ controllers: [admin] });
await replica.installCode({ canisterId, wasm, arg: initArg([admin]) });
const client = new BackendClient(replica, canisterId);

const log: MessageLog[] = [];
replica.onMessage((entry) => log.push(entry));
const M = (n: bigint | number | undefined): string => `${(Number(n ?? 0) / 1e6).toFixed(2)} M`;
const median = (values: bigint[]): bigint =>
  [...values].sort((a, b) => (a < b ? -1 : 1))[Math.floor(values.length / 2)]!;

/** Runs due timers until none is left; the instructions and count of their messages. */
async function drain(): Promise<{ messages: number; instructions: bigint }> {
  const from = log.length;
  await runDueTimers(replica, canisterId);
  return timerMessages(log.slice(from));
}

const file = JSON.parse(
  readFileSync(join(process.cwd(), 'data', 'roadmap.json'), 'utf8'),
) as RoadmapFile;
await client.ok('importRoadmap', [roadmapImportFromFile(file)], admin);
type RoadmapReply = {
  themes: Array<{ milestones: Array<{ items: Array<{ id: bigint; status: object }> }> }>;
};
const roadmap = (await client.call<RoadmapReply>('getRoadmap', [], admin)).value;
const items = roadmap.themes.flatMap((t) => t.milestones.flatMap((m) => m.items));
const openItems = items.filter((i) => !('Deployed' in i.status)).map((i) => i.id);
const itemIds = items.map((i) => i.id);
await drain();

let loaded = 0;
const hasProofs = await client
  .call('getTallyProof', [{ proposals: [], items: [] }], admin)
  .then(() => true)
  .catch(() => false);

for (const size of sizes) {
  while (loaded < size) {
    await client.ok(
      'submitProposal',
      [{ title: `Idea number ${++loaded}`, body: 'A body.', tags: [], themeId: [] }],
      admin,
    );
    if (loaded % 100 === 0) await drain();
  }
  await drain();
  console.log(`\n== ${loaded} proposals, ${items.length} roadmap items`);

  const ids = (n: number, from: number): bigint[] =>
    Array.from({ length: n }, (_, i) => BigInt(1 + ((from + i * 37) % loaded)));
  const votes: bigint[] = [];
  const oneVoteTimers: bigint[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const [id] = ids(1, rep * 101);
    votes.push(
      (await client.ok('voteProposal', [id, [{ Up: null }]], randomMember())).instructions ?? 0n,
    );
    oneVoteTimers.push((await drain()).instructions);
  }
  const priorities: bigint[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const item = openItems[rep % openItems.length]!;
    priorities.push(
      (await client.ok('setPriorityVotes', [item, 2], randomMember())).instructions ?? 0n,
    );
    await drain();
  }
  const statuses: bigint[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const [id] = ids(1, rep * 53 + 7);
    const status = rep % 2 === 0 ? { UnderReview: null } : { Open: null };
    statuses.push(
      (await client.ok('setProposalStatus', [id, status, []], admin)).instructions ?? 0n,
    );
    await drain();
  }
  for (const id of ids(20, 11))
    await client.ok('voteProposal', [id, [{ Down: null }]], randomMember());
  const twentyVotes = await drain();
  console.log(`voteProposal (median of 5): ${M(median(votes))}`);
  console.log(`setPriorityVotes (median of 5): ${M(median(priorities))}`);
  console.log(`setProposalStatus (median of 5): ${M(median(statuses))}`);
  console.log(`timer after one vote (median of 5): ${M(median(oneVoteTimers))}`);
  console.log(
    `timer(s) after 20 votes on 20 proposals: ${M(twentyVotes.instructions)} in ${twentyVotes.messages} message(s)`,
  );

  if (hasProofs) {
    const proof = async (proposals: bigint[], items: bigint[]): Promise<string> => {
      const r = await client.call<{ Ok?: { witness: Uint8Array } }>(
        'getTallyProof',
        [{ proposals, items }],
        admin,
      );
      if (r.value.Ok === undefined) throw new Error(`getTallyProof: ${JSON.stringify(r.value)}`);
      return `${M(r.instructions)} (witness ${r.value.Ok.witness.length} B)`;
    };
    console.log(`getTallyProof 1 proposal: ${await proof(ids(1, 5), [])}`);
    console.log(`getTallyProof 20 proposals: ${await proof(ids(20, 5), [])}`);
    console.log(
      `getTallyProof 20 proposals + ${itemIds.length} items: ${await proof(ids(20, 5), itemIds)}`,
    );
    console.log(`getTallyProof 100 proposals + 100 items: ${await proof(ids(100, 5), itemIds)}`);
  }

  const heapBefore = replica.canisterStats(canisterId)?.heapBytes ?? 0;
  const from = log.length;
  await replica.installCode({ canisterId, wasm, arg: initArg([admin]), mode: 'upgrade' });
  const upgrade = log
    .slice(from)
    .filter((e) => e.kind === 'upgrade')
    .reduce((sum, e) => sum + (e.instructions ?? 0n), 0n);
  const heapAfterUpgrade = replica.canisterStats(canisterId)?.heapBytes ?? 0;
  const rebuild = await drain();
  const heapRebuilt = replica.canisterStats(canisterId)?.heapBytes ?? 0;
  console.log(`upgrade (pre_upgrade + post_upgrade): ${M(upgrade)}`);
  console.log(
    `follow-up after the upgrade (tallies tree and search index): ${M(rebuild.instructions)} in ${rebuild.messages} messages`,
  );
  console.log(
    `heap: ${(heapBefore / 2 ** 20).toFixed(1)} MiB before, ${(heapAfterUpgrade / 2 ** 20).toFixed(1)} MiB after post_upgrade, ${(heapRebuilt / 2 ** 20).toFixed(1)} MiB rebuilt`,
  );
}
await replica.shutdown();
process.exit(0);
