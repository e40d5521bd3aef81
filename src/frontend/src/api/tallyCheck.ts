/**
 * Checks the tallies the app shows against the Internet Computer's certificate
 * (verifyTallies.ts). Every tally on screen asks for its own check; the asks made in the same
 * moment (a list page's cards) share one `getTallyProof` call, in batches of at most 100 ids.
 */
import { Principal } from '@dfinity/principal';
import { call, networkRootKey } from './actor';
import { appConfig } from '../config';
import {
  TallyCheckError,
  verifyTallyProof,
  type VerifiedTallies,
  type WitnessedItem,
  type WitnessedProposal,
} from './verifyTallies';

export type TallyKind = 'proposal' | 'item';

/** A proof as it came over the wire, kept so the verification page can show it. */
export type RawProof = {
  certificate: Uint8Array;
  witness: Uint8Array;
  requested: { proposals: bigint[]; items: bigint[] };
  receivedAt: Date;
};

export type TallyCheck =
  | {
      outcome: 'verified';
      witnessed: WitnessedProposal | WitnessedItem;
      certifiedAt: Date;
      proof: RawProof;
    }
  /** The tally is not in the certified tree yet (it is built at most 2 s after a write). */
  | { outcome: 'pending'; proof: RawProof }
  | {
      outcome: 'failed';
      step: TallyCheckError['step'] | 'network';
      message: string;
      proof?: RawProof;
    };

/** How long after a write a certified tally may lag behind (the backend's timer). */
export const CERTIFICATION_DELAY_MS = 2_000;
const BATCH = 100;

type Waiter = { kind: TallyKind; id: bigint; resolve: (check: TallyCheck) => void };
let waiting: Waiter[] = [];
let scheduled = false;

/** The check of one tally; asks made together are answered by one proof. */
export function checkTally(kind: TallyKind, id: bigint): Promise<TallyCheck> {
  return new Promise((resolve) => {
    waiting.push({ kind, id, resolve });
    if (!scheduled) {
      scheduled = true;
      // A list renders its cards in one go: wait for all of them.
      setTimeout(flush, 0);
    }
  });
}

function flush(): void {
  scheduled = false;
  const all = waiting;
  waiting = [];
  for (let at = 0; at < all.length;) {
    const batch: Waiter[] = [];
    const proposals = new Set<bigint>();
    const items = new Set<bigint>();
    while (at < all.length && proposals.size < BATCH && items.size < BATCH) {
      const waiter = all[at++]!;
      (waiter.kind === 'proposal' ? proposals : items).add(waiter.id);
      batch.push(waiter);
    }
    void answer(batch, [...proposals], [...items]);
  }
}

async function answer(batch: Waiter[], proposals: bigint[], items: bigint[]): Promise<void> {
  let proof: RawProof | undefined;
  try {
    const reply = await call((s) => s.getTallyProof({ proposals, items }));
    if ('Err' in reply) throw new Error(Object.values(reply.Err)[0] as string);
    proof = {
      certificate: new Uint8Array(reply.Ok.certificate),
      witness: new Uint8Array(reply.Ok.witness),
      requested: { proposals, items },
      receivedAt: new Date(),
    };
    const verified = await verifyTallyProof(reply.Ok, {
      canisterId: Principal.fromText(appConfig().backendCanisterId),
      rootKey: await networkRootKey(),
    });
    for (const waiter of batch) waiter.resolve(outcome(waiter, verified, proof));
  } catch (error) {
    const failure: TallyCheck =
      error instanceof TallyCheckError
        ? { outcome: 'failed', step: error.step, message: error.message, ...(proof && { proof }) }
        : {
            outcome: 'failed',
            step: 'network',
            message: error instanceof Error ? error.message : String(error),
            ...(proof && { proof }),
          };
    for (const waiter of batch) waiter.resolve(failure);
  }
}

function outcome(waiter: Waiter, verified: VerifiedTallies, proof: RawProof): TallyCheck {
  const witnessed =
    waiter.kind === 'proposal' ? verified.proposals.get(waiter.id) : verified.items.get(waiter.id);
  return witnessed === undefined
    ? { outcome: 'pending', proof }
    : { outcome: 'verified', witnessed, certifiedAt: verified.certifiedAt, proof };
}

/** Whether the numbers on screen are the witnessed ones. */
export function sameTally(
  shown: { up: number; down: number } | { votes: number; supporters: number },
  witnessed: WitnessedProposal | WitnessedItem,
): boolean {
  if ('up' in shown) {
    return 'up' in witnessed && witnessed.up === shown.up && witnessed.down === shown.down;
  }
  return (
    'votes' in witnessed &&
    witnessed.votes === shown.votes &&
    witnessed.supporters === shown.supporters
  );
}
