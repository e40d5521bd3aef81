/**
 * `npx tsx bench/worst-case.ts`: the cost of a full listProposals page when every proposal
 * body has the maximum length (10,000 chars), on a fresh metered replica. run.ts loads
 * typical bodies; this checks how far the per-page cost is from the 5 B query limit when
 * the inputs are as large as validation allows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalReplica } from '../src/localnet/core/replica';
import { BackendClient, initArg, randomMember } from './canister';

const wasmPath = process.argv[2] ?? join(process.cwd(), '.azle', 'backend', 'backend.wasm');
const count = Number(process.env.WORST_CASE_PROPOSALS ?? 50);
const replica = await LocalReplica.open({ metering: true, debugPrint: () => {} });
const admin = randomMember();
const canisterId = replica.createCanister({ controllers: [admin] });
await replica.installCode({
  canisterId,
  wasm: new Uint8Array(readFileSync(wasmPath)),
  arg: initArg([admin]),
});
const client = new BackendClient(replica, canisterId);
const body = 'Shared security through node shuffling. '.repeat(250).slice(0, 10_000);
let submit = 0;
for (let i = 0; i < count; i++) {
  // An admin is exempt from rate limits, so one principal can write the whole page.
  const r = await client.ok(
    'submitProposal',
    [{ title: `Long proposal ${i}`, body, tags: ['a', 'b', 'c', 'd', 'e'], themeId: [] }],
    admin,
  );
  submit = Math.max(submit, Number(r.instructions));
}
const request = (limit: number) => ({
  sort: { Hot: null },
  status: [],
  themeId: [],
  tag: [],
  author: [],
  needsResponse: [],
  cursor: [],
  limit,
});
const fmt = (n: bigint | number | undefined): string => `${(Number(n) / 1e6).toFixed(0)} M`;
console.log(`proposals with 10,000-char bodies and 5 tags: ${count}`);
console.log(`submitProposal (max over ${count}): ${fmt(submit)}`);
const detail = await client.call('getProposal', [1n], admin);
console.log(`getProposal: ${fmt(detail.instructions)}`);
for (const limit of [1, 5, 10, 20, 50]) {
  try {
    const page = await client.call('listProposals', [request(limit)], admin);
    console.log(`listProposals Hot limit ${limit}: ${fmt(page.instructions)}`);
  } catch (error) {
    // A trap past the instruction limit is the finding, not a failure of the script.
    console.log(
      `listProposals Hot limit ${limit}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
await replica.shutdown();
