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
 * has a list of them in chunks (appended when the member first votes on a target), walked in
 * bounded steps so that a member with thousands of votes is re-weighed over several messages.
 */
import type { PrincipalId } from './model';
import type { RecordStore } from './storage/record-store';

/** A proposal (`p<id>`) or a roadmap item (`i<id>`). */
export type LensTarget = `p${bigint}` | `i${bigint}`;
export type LensSide = 'up' | 'down';
/** Voting power in e8s on each side; an item's supporters count as `up`. */
export type PowerTally = { up: bigint; down: bigint };
export type CountedVote = { side: LensSide; power: bigint };

/** Targets per chunk of a member's list: a chunk is one record, rewritten when appended to. */
export const TARGETS_PER_CHUNK = 64;

export type LensStores = {
  /** target → its power tally; no record while both sides are 0 */
  tallies: RecordStore<PowerTally>;
  /** `${target}/${member}` → what the target's tally counts for that member */
  counted: RecordStore<CountedVote>;
  /** `${member}/${chunk}` → targets the member voted on, in the order of their first vote */
  targets: RecordStore<LensTarget[]>;
  /** member → how many targets their list holds */
  targetCounts: RecordStore<number>;
};

const ZERO: PowerTally = { up: 0n, down: 0n };

export class VotingPowerLens {
  constructor(
    private readonly stores: LensStores,
    /** A member's voting power now (0 without a linked neuron). */
    private readonly powerOf: (member: PrincipalId) => bigint,
    /** Which side a member is on now, as the raw tallies record it (undefined: none). */
    private readonly sideOf: (member: PrincipalId, target: LensTarget) => LensSide | undefined,
  ) {}

  tally(target: LensTarget): PowerTally {
    return this.stores.tallies.get(target) ?? ZERO;
  }

  /**
   * A member's vote on `target` changed; `side` is where it stands now (undefined: withdrawn).
   * `first` says whether the member had never voted on the target before, which adds the
   * target to the member's list.
   */
  voted(member: PrincipalId, target: LensTarget, side: LensSide | undefined, first: boolean): void {
    if (first) this.append(member, target);
    this.recount(member, target, side);
  }

  /**
   * Re-weighs up to `budget` of a member's targets from position `from` of their list, after
   * their voting power changed. Returns where to continue, or undefined when the list is done.
   */
  reweigh(member: PrincipalId, from: number, budget: number): number | undefined {
    const count = this.stores.targetCounts.get(member) ?? 0;
    let position = from;
    while (position < count && position < from + budget) {
      const chunk = Math.floor(position / TARGETS_PER_CHUNK);
      const targets = this.stores.targets.get(`${member}/${chunk}`) ?? [];
      const end = Math.min(count, from + budget, (chunk + 1) * TARGETS_PER_CHUNK);
      for (; position < end; position++) {
        const target = targets[position - chunk * TARGETS_PER_CHUNK];
        if (target !== undefined) this.recount(member, target, this.sideOf(member, target));
      }
    }
    return position < count ? position : undefined;
  }

  private recount(member: PrincipalId, target: LensTarget, side: LensSide | undefined): void {
    const key = `${target}/${member}`;
    const was = this.stores.counted.get(key);
    const power = side === undefined ? 0n : this.powerOf(member);
    const now: CountedVote | undefined = power > 0n ? { side: side!, power } : undefined;
    if (was?.side === now?.side && was?.power === now?.power) return;
    const tally = { ...this.tally(target) };
    if (was !== undefined) tally[was.side] -= was.power;
    if (now !== undefined) tally[now.side] += now.power;
    if (tally.up === 0n && tally.down === 0n) this.stores.tallies.delete(target);
    else this.stores.tallies.set(target, tally);
    if (now === undefined) this.stores.counted.delete(key);
    else this.stores.counted.set(key, now);
  }

  private append(member: PrincipalId, target: LensTarget): void {
    const count = this.stores.targetCounts.get(member) ?? 0;
    const key = `${member}/${Math.floor(count / TARGETS_PER_CHUNK)}`;
    const chunk = count % TARGETS_PER_CHUNK === 0 ? [] : (this.stores.targets.get(key) ?? []);
    chunk.push(target);
    this.stores.targets.set(key, chunk);
    this.stores.targetCounts.set(member, count + 1);
  }
}
