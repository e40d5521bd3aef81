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
 * Every member's votes are listed, with or without a neuron: a member who links one later has
 * all their earlier votes weighed.
 *
 * The tallies above 0 are also kept on the heap, so a list page reads them for free.
 */
import type { PrincipalId } from './model';
import type { RecordStore } from './storage/record-store';

/** A proposal (`p<id>`) or a roadmap item (`i<id>`). */
export type LensTarget = `p${bigint}` | `i${bigint}`;
export type LensSide = 'up' | 'down';
/** Voting power in e8s on each side; an item's supporters count as `up`. */
export type PowerTally = { up: bigint; down: bigint };
/**
 * What a target's tally counts for one member: their side and the power it was counted with.
 * `none` (power 0) once they withdrew: the record stays, marking the target as listed.
 */
export type CountedVote = { side: LensSide | 'none'; power: bigint };

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

  constructor(
    private readonly stores: LensStores,
    private readonly hooks: LensHooks,
  ) {}

  /** Derives the heap state from the records (after an upgrade). */
  rebuild(): void {
    this.tallies.clear();
    this.stores.tallies.forEach((tally, target) => this.tallies.set(target as LensTarget, tally));
  }

  tally(target: LensTarget): PowerTally {
    return this.tallies.get(target) ?? ZERO_POWER;
  }

  /** Every tally above 0, for rebuilding what shows them. */
  forEachTally(visit: (tally: PowerTally, target: LensTarget) => void): void {
    for (const [target, tally] of this.tallies) visit(tally, target);
  }

  /** A member's vote on `target` changed; `side` is where it stands now (undefined: withdrawn). */
  voted(member: PrincipalId, target: LensTarget, side: LensSide | undefined): void {
    this.recount(member, target, side, true);
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
        if (target !== undefined && !this.hooks.isFinal(target)) {
          this.recount(member, target, this.hooks.sideOf(member, target), false);
        }
      }
    }
    return position < count ? position : undefined;
  }

  private recount(
    member: PrincipalId,
    target: LensTarget,
    side: LensSide | undefined,
    listIfNew: boolean,
  ): void {
    const key = `${target}/${member}`;
    const was = this.stores.counted.get(key);
    if (was === undefined && listIfNew) this.append(member, target);
    const power = side === undefined ? 0n : this.hooks.powerOf(member);
    const now: CountedVote = power > 0n ? { side: side!, power } : { side: 'none', power: 0n };
    if (was !== undefined && was.side === now.side && was.power === now.power) return;
    this.stores.counted.set(key, now);
    if ((was === undefined || was.side === 'none') && now.side === 'none') return;
    const tally = { ...this.tally(target) };
    if (was !== undefined && was.side !== 'none') tally[was.side] -= was.power;
    if (now.side !== 'none') tally[now.side] += now.power;
    if (tally.up === 0n && tally.down === 0n) {
      this.stores.tallies.delete(target);
      this.tallies.delete(target);
    } else {
      this.stores.tallies.set(target, tally);
      this.tallies.set(target, tally);
    }
    this.hooks.changed(target, tally);
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
