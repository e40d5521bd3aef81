/**
 * The voting-power lens: beside each raw tally, the voting power of the members behind it
 * (up-voters and down-voters of a proposal, supporters of a roadmap item), from the neurons
 * they linked. Tallies are kept current as votes change and as members' voting power changes,
 * so reading one costs one record.
 *
 * Each counted vote remembers the power it was counted with. A change of direction or of power
 * subtracts exactly what was counted and adds what counts now, so re-weighing is idempotent and
 * a vote cast while a member's votes are being re-weighed is never counted twice.
 *
 * Re-weighing needs the targets a member voted on, which no other store can list: each member
 * has a list of them (storage/record-lists.ts: appended when the member first votes on a
 * target, so an append is one small write), walked in bounded steps so that a member with thousands of
 * votes is re-weighed over several messages. Every member's votes are listed, with or without
 * a neuron: a member who links one later has all their earlier votes weighed. A target voted
 * on, withdrawn and voted on again is listed twice, which re-weighing takes in its stride.
 *
 * The tallies above 0 are also kept on the heap.
 */
import type { PrincipalId } from './model';
import { RecordLists } from './storage/record-lists';
import type { RecordStore } from './storage/record-store';

/** A proposal (`p<id>`) or a roadmap item (`i<id>`). */
export type LensTarget = `p${bigint}` | `i${bigint}`;
export type LensSide = 'up' | 'down';
/** Voting power in e8s on each side; an item's supporters count as `up`. */
export type PowerTally = { up: bigint; down: bigint };
/** What a target's tally counts for one member: their side and the power it was counted with. */
export type CountedVote = { side: LensSide; power: bigint };

export type LensStores = {
  /** target → its power tally; no record while both sides are 0 */
  tallies: RecordStore<PowerTally>;
  /** `${target}/${member}` → what the target's tally counts for that member; none while 0 */
  counted: RecordStore<CountedVote>;
  /** `${member}/${position}` → a target the member voted on, in the order of their first votes */
  targets: RecordStore<LensTarget>;
  /** member → how many targets their list holds, as last written (see RecordLists) */
  targetCounts: RecordStore<number>;
};

export type LensHooks = {
  /** A member's voting power now (0 without a linked neuron). */
  powerOf: (member: PrincipalId) => bigint;
  /** Which side a member is on now, as the raw tallies record it (undefined: none). */
  sideOf: (member: PrincipalId, target: LensTarget) => LensSide | undefined;
  /** Targets whose tally is final (a deployed item): re-weighing leaves them as they are. */
  isFinal: (target: LensTarget) => boolean;
  /** Told of every tally that changed, with its new value. */
  changed: (target: LensTarget, tally: PowerTally) => void;
};

export const ZERO_POWER: PowerTally = { up: 0n, down: 0n };

export class VotingPowerLens {
  /** The tallies above 0, as in `stores.tallies`. */
  private readonly tallies = new Map<LensTarget, PowerTally>();
  /** member → the targets they voted on */
  private readonly lists: RecordLists<LensTarget>;

  constructor(
    private readonly stores: LensStores,
    private readonly hooks: LensHooks,
  ) {
    // A member's list is empty until their first vote: a new member's is asked for often.
    this.lists = new RecordLists(stores.targets, stores.targetCounts, true);
  }

  /** Derives the heap state from the records (after an upgrade). */
  rebuild(): void {
    this.tallies.clear();
    this.stores.tallies.forEach((tally, target) => this.tallies.set(target as LensTarget, tally));
    this.lists.rebuild();
  }

  /** How many entries a member's list holds (see the list above). */
  listLength(member: PrincipalId): number {
    return this.lists.length(member);
  }

  /** Whether a member has ever voted on a proposal or an item (one read at most). */
  hasVoted(member: PrincipalId): boolean {
    return !this.lists.isEmpty(member);
  }

  /** A member's list length when it is below `bound`, else undefined (see RecordLists). */
  listLengthBelow(member: PrincipalId, bound: number): number | undefined {
    return this.lists.lengthBelow(member, bound);
  }

  /** The target at `position` of a member's list. */
  listedAt(member: PrincipalId, position: number): LensTarget | undefined {
    return this.lists.at(member, position);
  }

  tally(target: LensTarget): PowerTally {
    return this.tallies.get(target) ?? ZERO_POWER;
  }

  /**
   * A member's vote on `target` changed; `side` is where it stands now (undefined: withdrawn).
   * `first`: the member had no vote on the target before, so it joins their list.
   */
  voted(member: PrincipalId, target: LensTarget, side: LensSide | undefined, first: boolean): void {
    if (first) this.lists.append(member, target);
    this.recount(member, target, side);
  }

  /**
   * `voted` for the vote a new target starts with (its author's): nothing was counted for the
   * target yet, so only a member with voting power has anything to count.
   */
  votedOnNew(member: PrincipalId, target: LensTarget, side: LensSide): void {
    this.lists.append(member, target);
    if (this.hooks.powerOf(member) > 0n) this.recount(member, target, side);
  }

  /**
   * Re-weighs up to `budget` of a member's targets from position `from` of their list, after
   * their voting power changed. Returns where to continue, or undefined when the list is done.
   */
  reweigh(member: PrincipalId, from: number, budget: number): number | undefined {
    const count = this.lists.length(member);
    const end = Math.min(count, from + budget);
    for (let position = from; position < end; position++) {
      const target = this.lists.at(member, position);
      if (target !== undefined && !this.hooks.isFinal(target)) {
        this.recount(member, target, this.hooks.sideOf(member, target));
      }
    }
    return end < count ? end : undefined;
  }

  private recount(member: PrincipalId, target: LensTarget, side: LensSide | undefined): void {
    const key = `${target}/${member}`;
    const was = this.stores.counted.get(key);
    const power = side === undefined ? 0n : this.hooks.powerOf(member);
    const now: CountedVote | undefined = power > 0n ? { side: side!, power } : undefined;
    if (was?.side === now?.side && was?.power === now?.power) return;
    const tally = { ...this.tally(target) };
    if (was !== undefined) tally[was.side] -= was.power;
    if (now !== undefined) tally[now.side] += now.power;
    if (tally.up === 0n && tally.down === 0n) {
      this.stores.tallies.delete(target);
      this.tallies.delete(target);
    } else {
      this.stores.tallies.set(target, tally);
      this.tallies.set(target, tally);
    }
    if (now === undefined) this.stores.counted.delete(key);
    else this.stores.counted.set(key, now);
    this.hooks.changed(target, tally);
  }
}
