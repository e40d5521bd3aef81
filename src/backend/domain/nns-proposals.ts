/**
 * Roadmap items and proposals that follow NNS proposals. Admins link a target to an NNS
 * proposal id; a timer asks NNS governance (`get_proposal_info`) for the status of linked
 * proposals in bounded batches and keeps what it learnt here, so pages show it without a call.
 * An item marked "deploy on execution" becomes Deployed by itself once its proposal executes.
 */
import type { Id, Time } from './model';
import type { RecordStore } from './storage/record-store';

/** NNS governance's proposal status codes (governance.proto's ProposalStatus). */
export const NNS_STATUS = {
  1: 'Open',
  2: 'Rejected',
  3: 'Adopted',
  4: 'Executed',
  5: 'Failed',
} as const;
export type NnsStatus = (typeof NNS_STATUS)[keyof typeof NNS_STATUS] | 'Unknown';

/** Statuses a proposal never leaves: no need to ask again. */
const FINAL: ReadonlySet<NnsStatus> = new Set(['Rejected', 'Executed', 'Failed']);

/** What the canister learnt of an NNS proposal, as `get_proposal_info` told it. */
export type NnsProposalFacts = {
  status: NnsStatus;
  title: string;
  topic: number;
  yes: bigint;
  no: bigint;
  total: bigint;
  fetchedAt: Time;
};

/** The parts of governance's ProposalInfo this reads (absent: no such proposal). */
export type ProposalInfoLike = {
  status: number;
  topic: number;
  title: string | undefined;
  tally: { yes: bigint; no: bigint; total: bigint } | undefined;
};

/** A linked target: `i<item id>` or `p<proposal id>`. */
export type NnsTarget = `i${bigint}` | `p${bigint}`;
export type NnsLinkRecord = { nnsProposalId: bigint; deployOnExecution: boolean };

export function factsFrom(info: ProposalInfoLike, now: Time): NnsProposalFacts {
  const status = NNS_STATUS[info.status as keyof typeof NNS_STATUS] ?? 'Unknown';
  return {
    status,
    title: info.title ?? '',
    topic: info.topic,
    yes: info.tally?.yes ?? 0n,
    no: info.tally?.no ?? 0n,
    total: info.tally?.total ?? 0n,
    fetchedAt: now,
  };
}

export class NnsProposalLinks {
  /** NNS proposal id → the targets linked to it */
  private readonly targetsOf = new Map<bigint, Set<NnsTarget>>();
  /** linked NNS proposal ids not yet in a final status, ascending: the polling order */
  private pending: bigint[] = [];
  private pollFrom = 0;

  constructor(
    private readonly links: RecordStore<NnsLinkRecord>,
    private readonly facts: RecordStore<NnsProposalFacts>,
  ) {}

  rebuild(): void {
    this.targetsOf.clear();
    this.links.forEach((link, target) => this.remember(target as NnsTarget, link.nnsProposalId));
    this.pending = [...this.targetsOf.keys()]
      .filter((id) => !FINAL.has(this.facts.get(String(id))?.status ?? 'Unknown'))
      .sort((a, b) => (a < b ? -1 : 1));
    this.pollFrom = 0;
  }

  linkOf(target: NnsTarget): NnsLinkRecord | undefined {
    return this.links.get(target);
  }

  factsOf(nnsProposalId: bigint): NnsProposalFacts | undefined {
    return this.facts.get(String(nnsProposalId));
  }

  /** Links (or re-links) a target; undefined `link` removes it. */
  setLink(target: NnsTarget, link: NnsLinkRecord | undefined): void {
    const current = this.links.get(target);
    if (current !== undefined) {
      const targets = this.targetsOf.get(current.nnsProposalId);
      targets?.delete(target);
      if (targets?.size === 0) {
        this.targetsOf.delete(current.nnsProposalId);
        this.pending = this.pending.filter((id) => id !== current.nnsProposalId);
        this.facts.delete(String(current.nnsProposalId));
      }
    }
    if (link === undefined) {
      this.links.delete(target);
      return;
    }
    this.links.set(target, link);
    this.remember(target, link.nnsProposalId);
    const known = this.facts.get(String(link.nnsProposalId));
    if (!FINAL.has(known?.status ?? 'Unknown') && !this.pending.includes(link.nnsProposalId)) {
      this.pending.push(link.nnsProposalId);
      this.pending.sort((a, b) => (a < b ? -1 : 1));
    }
  }

  /** The next `count` NNS proposals to ask about, round robin over those not yet final. */
  nextToPoll(count: number): bigint[] {
    const n = this.pending.length;
    const batch: bigint[] = [];
    for (let i = 0; i < Math.min(count, n); i++) batch.push(this.pending[(this.pollFrom + i) % n]!);
    this.pollFrom = n === 0 ? 0 : (this.pollFrom + batch.length) % n;
    return batch;
  }

  /**
   * Keeps what governance answered about an NNS proposal. Returns the items to deploy: those
   * marked "deploy on execution" whose proposal has just been seen executed.
   */
  learn(nnsProposalId: bigint, facts: NnsProposalFacts): Id[] {
    const before = this.facts.get(String(nnsProposalId));
    this.facts.set(String(nnsProposalId), facts);
    if (FINAL.has(facts.status)) {
      const at = this.pending.indexOf(nnsProposalId);
      if (at >= 0) {
        this.pending.splice(at, 1);
        if (this.pollFrom > at) this.pollFrom--;
      }
    }
    if (facts.status !== 'Executed' || before?.status === 'Executed') return [];
    const deploy: Id[] = [];
    for (const target of this.targetsOf.get(nnsProposalId) ?? []) {
      if (target[0] === 'i' && this.links.get(target)?.deployOnExecution === true) {
        deploy.push(BigInt(target.slice(1)));
      }
    }
    return deploy.sort((a, b) => (a < b ? -1 : 1));
  }

  private remember(target: NnsTarget, nnsProposalId: bigint): void {
    let targets = this.targetsOf.get(nnsProposalId);
    if (targets === undefined) this.targetsOf.set(nnsProposalId, (targets = new Set()));
    targets.add(target);
  }
}
