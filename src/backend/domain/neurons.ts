/**
 * Members' links to NNS neurons: the sybil-resistant weight beside one-member-one-vote. A
 * member proves control of a neuron by adding their Roadmap Commons principal as a hot key (or
 * being its controller) and making it public; the canister then reads the neuron from NNS
 * governance itself (`list_neurons`) and decides here from what governance said. Nothing the
 * browser claims is trusted: the facts come only from the canister's own call.
 *
 * A neuron links to one member at a time. A member's voting power is the sum of the voting
 * power of the neurons linked to them, and it counts once in every tally whatever the number of
 * neurons: a neuron cannot be linked twice, so no stake is counted twice.
 */
import type { PrincipalId, Time } from './model';
import { conflict, forbidden, invalid, notFound, ok, type Result } from './result';
import type { RecordStore } from './storage/record-store';

/** What NNS governance answered about one neuron, read by the canister itself. */
export type NeuronFacts = {
  neuronId: bigint;
  /** Whether governance knows the neuron at all (it appears in `neuron_infos`). */
  exists: boolean;
  /**
   * The neuron's controller and hot keys, present only when governance let the canister read
   * the full neuron: for a public neuron (or one the canister itself is a hot key of).
   */
  full: { controller: PrincipalId | undefined; hotKeys: PrincipalId[] } | undefined;
  /** Voting power in e8s (governance's deciding voting power where it gives one). */
  votingPower: bigint;
  dissolveDelaySeconds: bigint;
};

/** A link as stored under the neuron's id. */
export type NeuronLinkRecord = {
  member: PrincipalId;
  votingPower: bigint;
  dissolveDelaySeconds: bigint;
  linkedAt: Time;
  checkedAt: Time;
};

export type NeuronLink = NeuronLinkRecord & { neuronId: bigint };

/** A link dropped on a re-check, stored under the neuron's id until re-linked or dismissed. */
export type LapseRecord = { member: PrincipalId; reason: string; at: Time };

/** How a member's voting power changed, for the tallies that weigh their votes by it. */
export type PowerChange = { member: PrincipalId; before: bigint; after: bigint };

/** What a re-check of a link did. */
export type RefreshOutcome =
  | { kind: 'kept'; link: NeuronLink; change: PowerChange | undefined }
  | { kind: 'lapsed'; member: PrincipalId; reason: string; change: PowerChange };

function controls(member: PrincipalId, full: NonNullable<NeuronFacts['full']>): boolean {
  return full.controller === member || full.hotKeys.includes(member);
}

/**
 * Why `member` may not link the neuron `facts` describes, in words that say what to do, or
 * undefined when governance's answer proves the member controls it.
 */
export function refusal(member: PrincipalId, facts: NeuronFacts): string | undefined {
  const id = String(facts.neuronId);
  if (!facts.exists) return `neuron ${id} does not exist on the NNS`;
  if (facts.full === undefined) {
    return `neuron ${id} is private: in the NNS dapp open the neuron, make it public, then link it again`;
  }
  if (!controls(member, facts.full)) {
    return `your principal is neither the controller nor a hot key of neuron ${id}: in the NNS dapp add your Roadmap Commons principal (on your profile) as a hot key of the neuron, then link it again`;
  }
  return undefined;
}

export class NeuronLinks {
  /** member → ids of the neurons linked to them */
  private readonly neuronsOf = new Map<PrincipalId, Set<bigint>>();
  /** member → the sum of their neurons' voting power (e8s) */
  private readonly powerOf = new Map<PrincipalId, bigint>();
  /** every linked neuron id, ascending: the order links are re-checked in */
  private readonly linked: bigint[] = [];
  private recheckFrom = 0;
  /** member → ids of their lapsed links */
  private readonly lapsedOf = new Map<PrincipalId, Set<bigint>>();

  constructor(
    private readonly links: RecordStore<NeuronLinkRecord>,
    private readonly lapses: RecordStore<LapseRecord>,
  ) {}

  /** Derives the heap state from the records (after an upgrade). */
  rebuild(): void {
    this.neuronsOf.clear();
    this.powerOf.clear();
    this.linked.length = 0;
    this.links.forEach((link, key) => this.remember(BigInt(key), link));
    this.lapsedOf.clear();
    this.lapses.forEach((lapse, key) => this.noteLapse(BigInt(key), lapse.member));
  }

  /** The member's lapsed links, with governance's reason, oldest neuron id first. */
  lapsesOf(member: PrincipalId): Array<LapseRecord & { neuronId: bigint }> {
    const ids = [...(this.lapsedOf.get(member) ?? [])].sort((a, b) => (a < b ? -1 : 1));
    return ids.flatMap((neuronId) => {
      const lapse = this.lapses.get(String(neuronId));
      return lapse === undefined ? [] : [{ ...lapse, neuronId }];
    });
  }

  /** Every linked neuron of the member, in id order. */
  neuronIdsOf(member: PrincipalId): bigint[] {
    return [...(this.neuronsOf.get(member) ?? [])].sort((a, b) => (a < b ? -1 : 1));
  }

  /** A member's voting power: 0 without a linked neuron. */
  votingPower(member: PrincipalId): bigint {
    return this.powerOf.get(member) ?? 0n;
  }

  linksOf(member: PrincipalId): NeuronLink[] {
    return this.neuronIdsOf(member).flatMap((neuronId) => {
      const link = this.links.get(String(neuronId));
      return link === undefined ? [] : [{ ...link, neuronId }];
    });
  }

  link(neuronId: bigint): NeuronLink | undefined {
    const record = this.links.get(String(neuronId));
    return record === undefined ? undefined : { ...record, neuronId };
  }

  /**
   * Links the neuron to `member` when governance's answer proves the member controls it. A
   * neuron linked to someone else moves only if that member no longer controls it (their link
   * had lapsed without a re-check yet); two members who both control it cannot take it from
   * each other.
   */
  claim(member: PrincipalId, facts: NeuronFacts, now: Time): Result<PowerChange[]> {
    const why = refusal(member, facts);
    if (why !== undefined) {
      if (!facts.exists) return notFound(why);
      return facts.full === undefined ? invalid('neuronId', why) : forbidden(why);
    }
    const key = String(facts.neuronId);
    const current = this.links.get(key);
    const changes: PowerChange[] = [];
    if (current !== undefined && current.member !== member) {
      if (controls(current.member, facts.full!)) {
        return conflict(`neuron ${key} is linked to another member who still controls it`);
      }
      changes.push(this.drop(facts.neuronId, current));
    }
    const before = this.votingPower(member);
    if (current !== undefined && current.member === member) this.forget(facts.neuronId, current);
    const record: NeuronLinkRecord = {
      member,
      votingPower: facts.votingPower,
      dissolveDelaySeconds: facts.dissolveDelaySeconds,
      linkedAt: current?.member === member ? current.linkedAt : now,
      checkedAt: now,
    };
    this.links.set(key, record);
    this.remember(facts.neuronId, record);
    this.clearLapse(facts.neuronId);
    changes.push({ member, before, after: this.votingPower(member) });
    return ok(changes.filter((c) => c.before !== c.after));
  }

  /** Removes a member's own link, or dismisses the notice of a lapsed one. */
  unlink(member: PrincipalId, neuronId: bigint): Result<PowerChange | undefined> {
    const current = this.links.get(String(neuronId));
    if (current === undefined || current.member !== member) {
      if (this.lapses.get(String(neuronId))?.member === member) {
        this.clearLapse(neuronId);
        return ok(undefined);
      }
      return notFound(`neuron ${neuronId} is not linked to you`);
    }
    return ok(this.drop(neuronId, current));
  }

  /**
   * Applies a fresh answer from governance to an existing link: new voting power and dissolve
   * delay, or a lapse when the member no longer controls the neuron, it turned private or it
   * is gone. Undefined when the neuron is not linked.
   */
  refresh(facts: NeuronFacts, now: Time): RefreshOutcome | undefined {
    const current = this.links.get(String(facts.neuronId));
    if (current === undefined) return undefined;
    const why = refusal(current.member, facts);
    if (why !== undefined) {
      this.lapses.set(String(facts.neuronId), { member: current.member, reason: why, at: now });
      this.noteLapse(facts.neuronId, current.member);
      return {
        kind: 'lapsed',
        member: current.member,
        reason: why,
        change: this.drop(facts.neuronId, current),
      };
    }
    const before = this.votingPower(current.member);
    this.forget(facts.neuronId, current);
    const record: NeuronLinkRecord = {
      ...current,
      votingPower: facts.votingPower,
      dissolveDelaySeconds: facts.dissolveDelaySeconds,
      checkedAt: now,
    };
    this.links.set(String(facts.neuronId), record);
    this.remember(facts.neuronId, record);
    const after = this.votingPower(current.member);
    return {
      kind: 'kept',
      link: { ...record, neuronId: facts.neuronId },
      change: before === after ? undefined : { member: current.member, before, after },
    };
  }

  /**
   * The next `count` linked neurons to re-check, round robin in id order, for a timer that
   * re-checks links in bounded batches: every link is re-checked once per round, and a batch
   * costs its size, not the number of links.
   */
  nextToRecheck(count: number): bigint[] {
    const n = this.linked.length;
    if (n === 0) return [];
    const batch: bigint[] = [];
    for (let i = 0; i < Math.min(count, n); i++) {
      batch.push(this.linked[(this.recheckFrom + i) % n]!);
    }
    this.recheckFrom = (this.recheckFrom + batch.length) % n;
    return batch;
  }

  private noteLapse(neuronId: bigint, member: PrincipalId): void {
    let ids = this.lapsedOf.get(member);
    if (ids === undefined) this.lapsedOf.set(member, (ids = new Set()));
    ids.add(neuronId);
  }

  private clearLapse(neuronId: bigint): void {
    const lapse = this.lapses.get(String(neuronId));
    if (lapse === undefined) return;
    this.lapses.delete(String(neuronId));
    const ids = this.lapsedOf.get(lapse.member);
    ids?.delete(neuronId);
    if (ids?.size === 0) this.lapsedOf.delete(lapse.member);
  }

  private drop(neuronId: bigint, current: NeuronLinkRecord): PowerChange {
    const before = this.votingPower(current.member);
    this.links.delete(String(neuronId));
    this.forget(neuronId, current);
    return { member: current.member, before, after: this.votingPower(current.member) };
  }

  private remember(neuronId: bigint, link: NeuronLinkRecord): void {
    let ids = this.neuronsOf.get(link.member);
    if (ids === undefined) this.neuronsOf.set(link.member, (ids = new Set()));
    ids.add(neuronId);
    this.powerOf.set(link.member, this.votingPower(link.member) + link.votingPower);
    const at = this.position(neuronId);
    if (this.linked[at] !== neuronId) this.linked.splice(at, 0, neuronId);
  }

  /** Where `neuronId` is or would go in `linked` (binary search). */
  private position(neuronId: bigint): number {
    let lo = 0;
    let hi = this.linked.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.linked[mid]! < neuronId) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private forget(neuronId: bigint, link: NeuronLinkRecord): void {
    const ids = this.neuronsOf.get(link.member);
    ids?.delete(neuronId);
    const at = this.position(neuronId);
    if (this.linked[at] === neuronId) {
      this.linked.splice(at, 1);
      if (this.recheckFrom > at) this.recheckFrom--;
    }
    const left = this.votingPower(link.member) - link.votingPower;
    if (ids === undefined || ids.size === 0) {
      this.neuronsOf.delete(link.member);
      this.powerOf.delete(link.member);
    } else {
      this.powerOf.set(link.member, left);
    }
  }
}
