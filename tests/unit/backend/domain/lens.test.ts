import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  VotingPowerLens,
  type CountedVote,
  type LensSide,
  type LensTarget,
  type PowerTally,
} from '../../../../src/backend/domain/lens';
import type { PrincipalId } from '../../../../src/backend/domain/model';
import { MemoryRecordStore } from '../../../../src/backend/domain/storage/record-store';

const members = ['m0', 'm1', 'm2', 'm3'] as PrincipalId[];
const targets: LensTarget[] = ['p1', 'p2', 'p3', 'i1', 'i2'];

/** A board in miniature: who is where (the raw votes) and each member's voting power. */
function board() {
  const sides = new Map<string, LensSide>();
  const power = new Map<PrincipalId, bigint>();
  const changes: Array<[LensTarget, PowerTally]> = [];
  const lens = new VotingPowerLens(
    {
      tallies: new MemoryRecordStore<PowerTally>(),
      counted: new MemoryRecordStore<CountedVote>(),
      targets: new MemoryRecordStore<LensTarget>(),
      targetCounts: new MemoryRecordStore<number>(),
    },
    {
      powerOf: (m) => power.get(m) ?? 0n,
      sideOf: (m, t) => sides.get(`${t}/${m}`),
      isFinal: () => false,
      changed: (t, tally) => changes.push([t, tally]),
    },
  );
  const vote = (m: PrincipalId, t: LensTarget, side: LensSide | undefined) => {
    const first = !sides.has(`${t}/${m}`);
    if (side === undefined) sides.delete(`${t}/${m}`);
    else sides.set(`${t}/${m}`, side);
    lens.voted(m, t, side, first);
  };
  /** What the lens must show: the sum of each side's members' power now. */
  const expected = (t: LensTarget): PowerTally => {
    const tally = { up: 0n, down: 0n };
    for (const m of members) {
      const side = sides.get(`${t}/${m}`);
      if (side !== undefined) tally[side] += power.get(m) ?? 0n;
    }
    return tally;
  };
  return { lens, power, vote, expected, changes };
}

type Step =
  | { kind: 'vote'; member: number; target: number; side: LensSide | undefined }
  | { kind: 'power'; member: number; power: bigint; budget: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('vote' as const),
    member: fc.nat(3),
    target: fc.nat(4),
    side: fc.constantFrom<LensSide | undefined>('up', 'down', undefined),
  }),
  fc.record({
    kind: fc.constant('power' as const),
    member: fc.nat(3),
    power: fc.bigInt(0n, 10n ** 12n),
    budget: fc.integer({ min: 1, max: 3 }),
  }),
);

describe('the voting-power lens', () => {
  it('shows, after any votes and power changes, the power of the members on each side now', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { lens, power, vote, expected, changes } = board();
        /** Re-weighing jobs in progress: member → where to continue. */
        const jobs = new Map<PrincipalId, number>();
        for (const s of steps) {
          if (s.kind === 'vote') {
            vote(members[s.member]!, targets[s.target]!, s.side);
          } else {
            const m = members[s.member]!;
            power.set(m, s.power);
            jobs.set(m, 0); // a change restarts the member's re-weighing
          }
          // Jobs advance a little at a time, interleaved with votes, as timer messages would.
          for (const [m, from] of [...jobs]) {
            const next = lens.reweigh(m, from, 2);
            if (next === undefined) jobs.delete(m);
            else jobs.set(m, next);
          }
        }
        for (const [m, from] of jobs) {
          let next: number | undefined = from;
          while (next !== undefined) next = lens.reweigh(m, next, 2);
        }
        for (const t of targets) expect(lens.tally(t)).toEqual(expected(t));
        // What was reported last for each target is what it shows.
        const reported = new Map(changes);
        for (const t of targets) {
          expect(reported.get(t) ?? { up: 0n, down: 0n }).toEqual(lens.tally(t));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("walks a long list of a member's targets in bounded steps", () => {
    const { lens, power, vote, expected } = board();
    const many = Array.from({ length: 205 }, (_, i) => `p${i + 1}` as LensTarget);
    for (const t of many) vote(members[0]!, t, 'up');
    power.set(members[0]!, 7n);
    let from: number | undefined = 0;
    let steps = 0;
    while (from !== undefined) {
      from = lens.reweigh(members[0]!, from, 50);
      steps++;
    }
    expect(steps).toBe(Math.ceil(many.length / 50));
    for (const t of many) expect(lens.tally(t)).toEqual({ up: 7n, down: 0n });
    expect(expected('p1')).toEqual({ up: 7n, down: 0n });
  });

  it('counts a vote with the power its member has when voting', () => {
    const { lens, power, vote } = board();
    power.set(members[1]!, 5n);
    vote(members[1]!, 'p1', 'down');
    expect(lens.tally('p1')).toEqual({ up: 0n, down: 5n });
    vote(members[1]!, 'p1', 'up');
    expect(lens.tally('p1')).toEqual({ up: 5n, down: 0n });
    vote(members[1]!, 'p1', undefined);
    expect(lens.tally('p1')).toEqual({ up: 0n, down: 0n });
  });

  it('weighs the earlier votes of a member who links a neuron after voting', () => {
    const { lens, power, vote } = board();
    vote(members[2]!, 'p1', 'up');
    vote(members[2]!, 'i1', 'up');
    vote(members[2]!, 'p2', 'up');
    vote(members[2]!, 'p2', undefined);
    expect(lens.tally('p1')).toEqual({ up: 0n, down: 0n });
    power.set(members[2]!, 9n);
    expect(lens.reweigh(members[2]!, 0, 10)).toBeUndefined();
    expect(lens.tally('p1')).toEqual({ up: 9n, down: 0n });
    expect(lens.tally('i1')).toEqual({ up: 9n, down: 0n });
    expect(lens.tally('p2')).toEqual({ up: 0n, down: 0n });
  });

  it('leaves a final tally as it is when its voters are re-weighed', () => {
    const sides = new Map<string, LensSide>([['i1/m0', 'up']]);
    let power = 4n;
    const lens = new VotingPowerLens(
      {
        tallies: new MemoryRecordStore<PowerTally>(),
        counted: new MemoryRecordStore<CountedVote>(),
        targets: new MemoryRecordStore<LensTarget>(),
        targetCounts: new MemoryRecordStore<number>(),
      },
      {
        powerOf: () => power,
        sideOf: (m, t) => sides.get(`${t}/${m}`),
        isFinal: (t) => t === 'i1',
        changed: () => {},
      },
    );
    lens.voted(members[0]!, 'i1', 'up', true);
    sides.delete('i1/m0'); // deployed: the credits came back, the tally is final
    power = 10n;
    lens.reweigh(members[0]!, 0, 10);
    expect(lens.tally('i1')).toEqual({ up: 4n, down: 0n });
  });
});
