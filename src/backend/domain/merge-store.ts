/**
 * Merges as stored: one record per merged duplicate, and one per vote a merge added to its
 * target (see merges.ts for the rules).
 */
import type { VoteDirection } from './db';
import type { Id, Merge, Opt, PrincipalId, ProposalStatus, Time } from './model';
import type { RecordStore } from './storage/record-store';

export type MergeProgress = 'merging' | 'merged' | 'unmerging';

export type MergeRecord = {
  into: Id;
  by: PrincipalId;
  at: Time;
  note: Opt<string>;
  state: MergeProgress;
  /** The duplicate's status before the merge, given back by an unmerge. */
  previousStatus: ProposalStatus;
  /** Positions of the duplicate's follow list examined so far. */
  scanned: number;
  /** Votes added to `into`: `mergeMoves` records `${duplicate}/0` up to this. */
  moved: number;
  /** Moves an unmerge has taken back so far. */
  undone: number;
};

/** A vote a merge added to the target. */
export type MoveRecord = { member: PrincipalId; side: VoteDirection };

/**
 * Merges on the heap (there are far fewer than proposals), and which duplicates each proposal
 * absorbed; rebuilt from stable memory after an upgrade.
 */
export class Merges {
  private readonly byDuplicate = new Map<Id, MergeRecord>();
  private readonly duplicatesOf = new Map<Id, Set<Id>>();
  /** Merges still moving votes (or moving them back): asked after every write, so kept. */
  private readonly moving = new Set<Id>();

  constructor(
    private readonly records: RecordStore<MergeRecord>,
    readonly moves: RecordStore<MoveRecord>,
  ) {}

  rebuild(): void {
    this.byDuplicate.clear();
    this.duplicatesOf.clear();
    this.moving.clear();
    this.records.forEach((record, key) => this.cache(BigInt(key), record));
  }

  of(duplicate: Id): MergeRecord | undefined {
    return this.byDuplicate.get(duplicate);
  }

  /** Duplicates merged into `into`, oldest id first. */
  duplicatesMergedInto(into: Id): Id[] {
    return [...(this.duplicatesOf.get(into) ?? [])].sort((a, b) => (a < b ? -1 : 1));
  }

  /** Duplicates whose votes are still moving (or moving back). */
  unfinished(): Id[] {
    return [...this.moving];
  }

  /** How many merges `unfinished` lists, without listing them. */
  unfinishedCount(): number {
    return this.moving.size;
  }

  save(duplicate: Id, record: MergeRecord): void {
    this.records.set(String(duplicate), record);
    this.cache(duplicate, record);
  }

  remove(duplicate: Id): void {
    const record = this.byDuplicate.get(duplicate);
    if (record === undefined) return;
    this.records.delete(String(duplicate));
    this.byDuplicate.delete(duplicate);
    this.moving.delete(duplicate);
    this.duplicatesOf.get(record.into)?.delete(duplicate);
  }

  private cache(duplicate: Id, record: MergeRecord): void {
    this.byDuplicate.set(duplicate, record);
    if (record.state === 'merged') this.moving.delete(duplicate);
    else this.moving.add(duplicate);
    const into = this.duplicatesOf.get(record.into) ?? new Set<Id>();
    into.add(duplicate);
    this.duplicatesOf.set(record.into, into);
  }
}

/** A merge as clients see it. */
export function mergeView(duplicate: Id, record: MergeRecord): Merge {
  const state =
    record.state === 'merging'
      ? { Merging: null }
      : record.state === 'merged'
        ? { Merged: null }
        : { Unmerging: null };
  return {
    duplicate,
    into: record.into,
    by: record.by,
    at: record.at,
    note: record.note,
    state,
    votesMoved: record.moved - record.undone,
  };
}
