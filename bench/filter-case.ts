/**
 * `npx tsx bench/filter-case.ts [wasm]`: a listing with two filters (tag + status) over a tag
 * held by many proposals of which none has that status, on a fresh metered replica. The
 * listing examines up to MAX_SCANNED index entries and loads each proposal; this checks
 * whether that cap fits in the 5 B query limit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalReplica } from '../src/localnet/core/replica';
import { BackendClient, initArg, randomMember } from './canister';

const wasmPath = process.argv[2] ?? join(process.cwd(), '.azle', 'backend', 'backend.wasm');
const count = Number(process.env.FILTER_CASE_PROPOSALS ?? 450);
const replica = await LocalReplica.open({ metering: true, debugPrint: () => {} });
const admin = randomMember();
const canisterId = replica.createCanister({ controllers: [admin] });
await replica.installCode({
  canisterId,
  wasm: new Uint8Array(readFileSync(wasmPath)),
  arg: initArg([admin]),
});
const client = new BackendClient(replica, canisterId);
const request = {
  sort: { Hot: null },
  status: [{ Planned: null }],
  themeId: [],
  tag: ['consensus'],
  author: [],
  needsResponse: [],
  cursor: [],
  limit: 20,
};
for (let i = 1; i <= count; i++) {
  // An admin is exempt from rate limits, so one principal can write them all.
  await client.ok(
    'submitProposal',
    [
      {
        title: `Consensus idea ${i}`,
        body: 'Faster finality. '.repeat(40),
        tags: ['consensus'],
        themeId: [],
      },
    ],
    admin,
  );
  if (i % 50 === 0) {
    try {
      const page = await client.call('listProposals', [request], admin);
      console.log(
        `${i} proposals tagged, none Planned: ${(Number(page.instructions) / 1e6).toFixed(0)} M`,
      );
    } catch (error) {
      // A trap past the instruction limit is the finding, not a failure of the script.
      console.log(
        `${i} proposals tagged, none Planned: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
await replica.shutdown();
