/**
 * ICP-native signals: members link NNS neurons, the lens weighs votes by the voting power behind
 * them, and roadmap items and proposals follow NNS proposals. NNS governance is asked by the
 * canister itself (inter-canister calls, canister/governance.ts); this service decides from its
 * answers, so nothing a browser claims is trusted.
 *
 * When a member's voting power changes, every vote they ever cast is re-weighed: a few targets
 * in the message that changed it, the rest by follow-up messages in bounded slices (jobs kept in
 * `powerJobs`, so an upgrade does not lose them). No message's cost grows with the number of
 * members or of their votes.
 */
import { requireAdmin, requireWriter, type CallContext } from './context';
import type { Db } from './db';
import type { LensTarget } from './lens';
import type {
  Id,
  MyNeurons,
  NeuronLink,
  NnsLink,
  NnsLinkInput,
  NnsLinkTarget,
  NnsProposalInfo,
  Opt,
  PrincipalId,
  Time,
} from './model';
import { principalId } from './model';
import type { NeuronFacts, PowerChange } from './neurons';
import {
  factsFrom,
  type NnsProposalFacts,
  type NnsTarget,
  type ProposalInfoLike,
} from './nns-proposals';
import type { RateLimiter } from './rate-limits';
import { conflict, invalid, isErr, notFound, ok, type Failure, type Result } from './result';

/** NNS governance (`rrkah-fqaaa-aaaaa-aaaaq-cai`) as a principal: the actor of what it does here. */
export const NNS_GOVERNANCE = principalId('\x00\x00\x00\x00\x00\x00\x00\x01\x01\x01');

/** Neurons one member may link: enough for anyone's own, few enough to re-check on request. */
export const MAX_NEURONS_PER_MEMBER = 10;

/** Targets re-weighed inside the message that changed a member's power; the rest follow. */
export const INLINE_REWEIGH = 4;

/** Targets re-weighed per step of a follow-up message (it checks its budget between steps). */
export const REWEIGH_STEP = 64;

const lensTarget = (target: NnsLinkTarget): LensTarget & NnsTarget =>
  'Item' in target ? `i${target.Item}` : `p${target.Proposal}`;

function infoView(facts: NnsProposalFacts): NnsProposalInfo {
  return {
    status: { [facts.status]: null } as NnsProposalInfo['status'],
    title: facts.title,
    topic: facts.topic,
    yes: facts.yes,
    no: facts.no,
    total: facts.total,
    fetchedAt: facts.fetchedAt,
  };
}

export class NnsService {
  /** member → where re-weighing their votes continues (mirrors `db.powerJobs`) */
  private readonly jobs = new Map<PrincipalId, number>();

  constructor(
    private readonly db: Db,
    private readonly limiter: RateLimiter,
    /** Marks an item Deployed (returning its credits); false when it already was. */
    private readonly deployItem: (itemId: Id, now: Time) => boolean,
  ) {
    db.powerJobs.forEach((from, member) => this.jobs.set(member as PrincipalId, from));
  }

  // ---- linking neurons

  /** The checks made before governance is asked: a refused request costs no call. */
  beforeLink(ctx: CallContext, neuronId: bigint): Failure | undefined {
    const refused = requireWriter(this.db, ctx);
    if (refused) return refused;
    if (neuronId === 0n) return invalid('neuronId', 'a neuron id is a positive number');
    const current = this.db.neurons.link(neuronId);
    if (current?.member === ctx.caller)
      return conflict(`neuron ${neuronId} is already linked to you`);
    if (this.db.neurons.neuronIdsOf(ctx.caller).length >= MAX_NEURONS_PER_MEMBER) {
      return conflict(`at most ${MAX_NEURONS_PER_MEMBER} neurons can be linked to one member`);
    }
    return this.limiter.check(ctx, 'profile');
  }

  /** Links the neuron if governance's answer proves the caller controls it. */
  link(ctx: CallContext, facts: NeuronFacts): Result<NeuronLink> {
    const refused = this.beforeLink(ctx, facts.neuronId);
    if (refused) return refused;
    const claimed = this.db.neurons.claim(ctx.caller, facts, ctx.now);
    if (isErr(claimed)) return claimed;
    this.limiter.record(ctx, 'profile');
    this.powerChanged(claimed.Ok);
    return ok(this.db.neurons.link(facts.neuronId)!);
  }

  unlink(ctx: CallContext, neuronId: bigint): Result<MyNeurons> {
    const refused = requireWriter(this.db, ctx);
    if (refused) return refused;
    const dropped = this.db.neurons.unlink(ctx.caller, neuronId);
    if (isErr(dropped)) return dropped;
    if (dropped.Ok !== undefined) this.powerChanged([dropped.Ok]);
    return ok(this.myNeurons(ctx.caller));
  }

  /** The neurons to ask governance about when a member asks for a re-check: their links. */
  beforeRefresh(ctx: CallContext): Result<bigint[]> {
    const refused = requireWriter(this.db, ctx);
    if (refused) return refused;
    const limited = this.limiter.check(ctx, 'profile');
    if (limited) return limited;
    return ok(this.db.neurons.neuronIdsOf(ctx.caller));
  }

  /** Applies a member's requested re-check. */
  refreshMine(ctx: CallContext, answers: NeuronFacts[]): Result<MyNeurons> {
    const refused = requireWriter(this.db, ctx);
    if (refused) return refused;
    this.limiter.record(ctx, 'profile');
    this.recheck(answers, ctx.now);
    return ok(this.myNeurons(ctx.caller));
  }

  /** Applies governance's answers about linked neurons (a timer's batch or a member's request). */
  recheck(answers: NeuronFacts[], now: Time): void {
    const changes: PowerChange[] = [];
    for (const facts of answers) {
      const outcome = this.db.neurons.refresh(facts, now);
      if (outcome?.change !== undefined) changes.push(outcome.change);
    }
    this.powerChanged(changes);
  }

  /** The next linked neurons for the timer to re-check, round robin. */
  neuronsToRecheck(count: number): bigint[] {
    return this.db.neurons.nextToRecheck(count);
  }

  myNeurons(member: PrincipalId): MyNeurons {
    return {
      links: this.db.neurons.linksOf(member).map(({ member: _member, ...link }) => link),
      votingPower: this.db.neurons.votingPower(member),
      lapsed: this.db.neurons
        .lapsesOf(member)
        .map(({ neuronId, reason, at }) => ({ neuronId, reason, at })),
    };
  }

  // ---- re-weighing votes

  private powerChanged(changes: readonly PowerChange[]): void {
    for (const { member } of changes) {
      // A change restarts the member's walk: targets already passed may be counted with the
      // power before this change.
      const next = this.db.lens.reweigh(member, 0, INLINE_REWEIGH);
      this.setJob(member, next);
    }
  }

  /** Members whose votes still need re-weighing. */
  pendingReweighs(): number {
    return this.jobs.size;
  }

  /** Re-weighs in steps until `stop` says so or nothing is left; returns how many members are left. */
  runReweighs(stop: () => boolean): number {
    for (const [member, from] of this.jobs) {
      let next: number | undefined = from;
      while (next !== undefined && !stop()) next = this.db.lens.reweigh(member, next, REWEIGH_STEP);
      this.setJob(member, next);
      if (next !== undefined) break;
    }
    return this.jobs.size;
  }

  private setJob(member: PrincipalId, from: number | undefined): void {
    if (from === undefined) {
      if (this.jobs.delete(member)) this.db.powerJobs.delete(member);
    } else {
      this.jobs.set(member, from);
      this.db.powerJobs.set(member, from);
    }
  }

  // ---- items and proposals that follow NNS proposals

  /** Admins only, and the target must exist: checked before governance is asked. */
  beforeNnsLink(ctx: CallContext, input: NnsLinkInput): Failure | undefined {
    const denied = requireAdmin(this.db, ctx);
    if (denied) return denied;
    if ('Item' in input.target) {
      if (this.db.item(input.target.Item) === undefined)
        return notFound(`item ${input.target.Item}`);
    } else if (this.db.card(input.target.Proposal) === undefined) {
      return notFound(`proposal ${input.target.Proposal}`);
    }
    if (input.link.length === 1 && input.link[0].proposalId === 0n) {
      return invalid('proposalId', 'an NNS proposal id is a positive number');
    }
    return undefined;
  }

  /**
   * Links a target to an NNS proposal (or removes the link), with what governance said of the
   * proposal (`info`; undefined when it has no such proposal). An item marked "deploy on
   * execution" whose proposal has already executed is deployed at once.
   */
  setNnsLink(
    ctx: CallContext,
    input: NnsLinkInput,
    info: ProposalInfoLike | undefined,
  ): Result<Opt<NnsLink>> {
    const refused = this.beforeNnsLink(ctx, input);
    if (refused) return refused;
    const target = lensTarget(input.target);
    if (input.link.length === 0) {
      this.db.nns.setLink(target, undefined);
      return ok([]);
    }
    const { proposalId, deployOnExecution } = input.link[0];
    if (info === undefined) return notFound(`NNS proposal ${proposalId} does not exist`);
    this.db.nns.setLink(target, { nnsProposalId: proposalId, deployOnExecution });
    this.learn(proposalId, info, ctx.now);
    return ok(nnsLinkView(this.db, target));
  }

  /** The next linked NNS proposals for the timer to ask about (those not yet final). */
  nnsProposalsToPoll(count: number): bigint[] {
    return this.db.nns.nextToPoll(count);
  }

  /** Keeps what governance said of an NNS proposal, deploying items that follow it. */
  learn(nnsProposalId: bigint, info: ProposalInfoLike, now: Time): void {
    for (const itemId of this.db.nns.learn(nnsProposalId, factsFrom(info, now))) {
      if (this.deployItem(itemId, now)) {
        this.db.log(NNS_GOVERNANCE, now, { ItemDeployedByNns: { itemId, nnsProposalId } });
      }
    }
  }

  nnsLink(target: NnsTarget): Opt<NnsLink> {
    return nnsLinkView(this.db, target);
  }
}

/** The NNS proposal a target follows, with what governance last said of it. */
export function nnsLinkView(db: Db, target: NnsTarget): Opt<NnsLink> {
  const link = db.nns.linkOf(target);
  if (link === undefined) return [];
  const facts = db.nns.factsOf(link.nnsProposalId);
  return [
    {
      proposalId: link.nnsProposalId,
      deployOnExecution: link.deployOnExecution,
      info: facts === undefined ? [] : [infoView(facts)],
    },
  ];
}
