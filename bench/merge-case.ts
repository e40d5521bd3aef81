/**
 * What merging a duplicate with many voters costs on a loaded board (issue: find, merge,
 * follow), measured on the metered replica after the other cases: `MERGE_VOTERS` members vote
 * on a duplicate (a tenth of them also on its target), an admin merges it and then undoes the
 * merge. The merge's own message moves a few votes; follow-up timer messages move the rest.
 */
import type { LocalReplica } from '../src/localnet/core/replica';
import { randomMember, type BackendClient } from './canister';
import type { Loader } from './load';
import { meterMessages } from './message-meter';

export const MERGE_VOTERS = 2_000;

type Merge = { votesMoved: number };

export async function meterMerge(
  replica: LocalReplica,
  client: BackendClient,
  loader: Loader,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const meter = meterMessages(replica, client);
  const submit = async (title: string): Promise<bigint> =>
    (
      await client.ok<{ id: bigint }>(
        'submitProposal',
        [{ title, body: 'Measured by bench/merge-case.ts.', tags: [], themeId: [] }],
        randomMember(),
      )
    ).value.id;
  const target = await submit('Merge target: shared security through node shuffling');
  const duplicate = await submit('Merge duplicate: shuffle nodes for shared security');
  for (let n = 0; n < MERGE_VOTERS; n++) {
    const voter = randomMember();
    const vote = n % 4 === 0 ? { Down: null } : { Up: null };
    await client.ok('voteProposal', [duplicate, [vote]], voter);
    if (n % 10 === 0) await client.ok('voteProposal', [target, [{ Up: null }]], voter);
  }

  let from = meter.position();
  const merged = await client.ok<Merge>(
    'mergeProposal',
    [{ duplicate, into: target, note: ['Same idea'] }],
    loader.admin,
  );
  out.set(
    `mergeProposal, ${MERGE_VOTERS.toLocaleString('en')} voters: its own message`,
    Number(merged.instructions),
  );
  const merging = await meter.followUps(from);
  out.set('merging: follow-up messages', merging.messages);
  const detail = await client.call<[{ mergedFrom: Merge[] }]>(
    'getProposal',
    [target],
    loader.admin,
  );
  const moved = detail.value[0]?.mergedFrom[0]?.votesMoved ?? 0;
  if (moved === 0) throw new Error('the merge moved no votes');
  out.set('merging, per vote moved (all messages)', Math.round(meter.since(from) / moved));
  out.set('getProposal of the target (merged from one)', Number(detail.instructions));

  from = meter.position();
  const undone = await client.ok<Merge>('unmergeProposal', [duplicate], loader.admin);
  out.set('unmergeProposal: its own message', Number(undone.instructions));
  const unmerging = await meter.followUps(from);
  out.set('unmerging: follow-up messages', unmerging.messages);
  out.set('unmerging, per vote taken back (all messages)', Math.round(meter.since(from) / moved));
  meter.stop();
  return out;
}
