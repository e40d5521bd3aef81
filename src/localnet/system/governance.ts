/**
 * NNS governance (`rrkah-fqaaa-aaaaa-aaaaq-cai`) on localnet, a stand-in: neurons and proposals,
 * as far as apps that read them need.
 * - Neurons: stake ICP to a neuron's ledger subaccount and claim it, add or remove hot keys,
 *   make it public, lengthen its dissolve delay, and `list_neurons` / `get_neuron_info` /
 *   `get_full_neuron` with mainnet's visibility rules (a neuron's full record is readable by
 *   its controller and hot keys, and by anyone once public).
 * - Proposals: `get_proposal_info` with mainnet's types and status codes.
 * - Dev controls, which NNS governance does not have (`localnet_*`): create a neuron in one
 *   call, make a motion proposal, move a proposal through its states (open → adopted or
 *   rejected; adopted → executed or failed), as voting would on the NNS.
 * Voting, following, maturity and dissolving are not served: those commands are refused with
 * InvalidCommand.
 *
 * Voting power follows the NNS formula before its 2025 changes: stake × (1 + dissolve delay /
 * 8 years) × (1 + ¼ × age / 4 years), and 0 under six months of dissolve delay.
 */
import { createHash } from 'node:crypto';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import { accountKey } from './accounts';
import { decodeArg, reply } from './dispatch';
import {
  ClaimOrRefreshNeuronFromAccount,
  ClaimOrRefreshNeuronFromAccountResponse,
  GetFullNeuronResult,
  GetNeuronInfoResult,
  ListNeurons,
  ListNeuronsResponse,
  LocalnetCreateNeuron,
  LocalnetMakeProposal,
  LocalnetResult,
  LocalnetSetProposalStatus,
  ManageNeuronRequest,
  ManageNeuronResponse,
  ProposalInfo,
} from './governance-candid';
import { NNS_GOVERNANCE_ID } from './ids';
import type { Ledger } from './ledger';
import type { StableLog } from './stable-log';
import type { Response } from '../core/messages';
import type { NativeCall } from '../core/native-canister';

const E8S = 100_000_000n;
const MIN_STAKE_E8S = E8S;
const SECONDS_PER_YEAR = 31_557_600n;
const MAX_DISSOLVE_DELAY = 8n * SECONDS_PER_YEAR;
const MIN_VOTING_DISSOLVE_DELAY = SECONDS_PER_YEAR / 2n;
const MAX_AGE = 4n * SECONDS_PER_YEAR;

/** governance.proto's enums, as numbers on the wire. */
export const Visibility = { Private: 1, Public: 2 } as const;
export const ProposalStatus = { Open: 1, Rejected: 2, Adopted: 3, Executed: 4, Failed: 5 } as const;
const RewardStatus = { AcceptVotes: 1, Settled: 3 } as const;
const TOPIC_GOVERNANCE = 4;
/** The states a proposal may move to from each state, as NNS voting and execution move it. */
const NEXT_STATUS: Record<number, number[]> = {
  [ProposalStatus.Open]: [ProposalStatus.Adopted, ProposalStatus.Rejected],
  [ProposalStatus.Adopted]: [ProposalStatus.Executed, ProposalStatus.Failed],
};
const NeuronStateCode = { NotDissolving: 1 } as const;
const ErrorType = { NotAuthorized: 3, NotFound: 4, InvalidCommand: 5, InsufficientFunds: 14 };

/** What the log keeps: every change to a neuron, so replay rebuilds them all. */
export type GovernanceEvent =
  | { k: 'claim'; id: string; controller: string; memo: string; stake: string; at: string }
  | { k: 'refresh'; id: string; stake: string }
  | { k: 'hotKey'; id: string; principal: string; add: boolean }
  | { k: 'visibility'; id: string; visibility: number }
  | { k: 'delay'; id: string; seconds: string }
  | {
      k: 'proposal';
      id: string;
      title: string;
      summary: string;
      url: string;
      topic: number;
      at: string;
      total: string;
    }
  | { k: 'status'; id: string; status: number; at: string };

interface StoredProposal {
  id: bigint;
  title: string;
  summary: string;
  url: string;
  topic: number;
  status: number;
  createdAt: bigint;
  decidedAt: bigint;
  executedAt: bigint;
  failedAt: bigint;
  /** Voting power of all neurons when the proposal was made: the tally's total. */
  total: bigint;
}

interface StoredNeuron {
  id: bigint;
  controller: Principal;
  memo: bigint;
  subaccount: Uint8Array;
  hotKeys: Principal[];
  stake: bigint;
  createdAt: bigint;
  dissolveDelay: bigint;
  visibility: number;
}

type GovernanceFailure = { error_message: string; error_type: number };

/** The ledger subaccount a neuron of `controller` staked with `memo` lives in (as the NNS derives it). */
export function neuronSubaccount(controller: Principal, memo: bigint): Uint8Array {
  const memoBytes = new Uint8Array(8);
  new DataView(memoBytes.buffer).setBigUint64(0, memo);
  return new Uint8Array(
    createHash('sha256')
      .update(new Uint8Array([0x0c]))
      .update('neuron-stake')
      .update(controller.toUint8Array())
      .update(memoBytes)
      .digest(),
  );
}

/** A neuron id derived from its subaccount, so replay gives every neuron the same id again. */
function neuronIdOf(subaccount: Uint8Array): bigint {
  const id = new DataView(subaccount.buffer, subaccount.byteOffset).getBigUint64(0);
  return id === 0n ? 1n : id;
}

export function votingPower(stake: bigint, dissolveDelay: bigint, ageSeconds: bigint): bigint {
  if (dissolveDelay < MIN_VOTING_DISSOLVE_DELAY) return 0n;
  const delay = dissolveDelay > MAX_DISSOLVE_DELAY ? MAX_DISSOLVE_DELAY : dissolveDelay;
  const age = ageSeconds > MAX_AGE ? MAX_AGE : ageSeconds;
  const withDelay = (stake * (MAX_DISSOLVE_DELAY + delay)) / MAX_DISSOLVE_DELAY;
  return (withDelay * (4n * MAX_AGE + age)) / (4n * MAX_AGE);
}

export class Governance {
  private readonly neurons = new Map<bigint, StoredNeuron>();
  private readonly proposals = new Map<bigint, StoredProposal>();

  constructor(
    private readonly icp: Ledger,
    private readonly log: StableLog<GovernanceEvent>,
  ) {}

  replay(): void {
    this.neurons.clear();
    this.proposals.clear();
    for (const event of this.log.records()) this.apply(event);
  }

  private apply(e: GovernanceEvent): void {
    if (e.k === 'claim') {
      const controller = Principal.fromText(e.controller);
      const subaccount = neuronSubaccount(controller, BigInt(e.memo));
      this.neurons.set(BigInt(e.id), {
        id: BigInt(e.id),
        controller,
        memo: BigInt(e.memo),
        subaccount,
        hotKeys: [],
        stake: BigInt(e.stake),
        createdAt: BigInt(e.at),
        dissolveDelay: 0n,
        visibility: Visibility.Private,
      });
      return;
    }
    if (e.k === 'proposal') {
      const id = BigInt(e.id);
      const at = BigInt(e.at);
      this.proposals.set(id, {
        id,
        title: e.title,
        summary: e.summary,
        url: e.url,
        topic: e.topic,
        status: ProposalStatus.Open,
        createdAt: at,
        decidedAt: 0n,
        executedAt: 0n,
        failedAt: 0n,
        total: BigInt(e.total),
      });
      return;
    }
    if (e.k === 'status') {
      const proposal = this.proposals.get(BigInt(e.id));
      if (!proposal) return;
      const at = BigInt(e.at);
      proposal.status = e.status;
      if (e.status === ProposalStatus.Adopted || e.status === ProposalStatus.Rejected) {
        proposal.decidedAt = at;
      } else if (e.status === ProposalStatus.Executed) proposal.executedAt = at;
      else if (e.status === ProposalStatus.Failed) proposal.failedAt = at;
      return;
    }
    const neuron = this.neurons.get(BigInt(e.id));
    if (!neuron) return;
    if (e.k === 'refresh') neuron.stake = BigInt(e.stake);
    else if (e.k === 'visibility') neuron.visibility = e.visibility;
    else if (e.k === 'delay') {
      const next = neuron.dissolveDelay + BigInt(e.seconds);
      neuron.dissolveDelay = next > MAX_DISSOLVE_DELAY ? MAX_DISSOLVE_DELAY : next;
    } else {
      const principal = Principal.fromText(e.principal);
      neuron.hotKeys = neuron.hotKeys.filter((p) => p.compareTo(principal) !== 'eq');
      if (e.add) neuron.hotKeys.push(principal);
    }
  }

  private record(event: GovernanceEvent): void {
    this.log.append(event);
    this.apply(event);
  }

  query(call: NativeCall): Response | undefined {
    const now = call.timeNanos / 1_000_000_000n;
    switch (call.method) {
      case 'list_neurons': {
        const a = decodeArg<{
          neuron_ids: bigint[];
          include_neurons_readable_by_caller: boolean;
          include_public_neurons_in_full_neurons: [] | [boolean];
        }>(ListNeurons, call.arg, call.method);
        const ids = new Set(a.neuron_ids);
        if (a.include_neurons_readable_by_caller) {
          for (const n of this.neurons.values()) if (this.readable(n, call.caller)) ids.add(n.id);
        }
        const found = [...ids].flatMap((id) => {
          const n = this.neurons.get(id);
          return n ? [n] : [];
        });
        const publicToo = a.include_public_neurons_in_full_neurons[0] === true;
        return reply(ListNeuronsResponse, {
          neuron_infos: found.map((n) => [n.id, this.info(n, now)]),
          full_neurons: found
            .filter(
              (n) =>
                this.readable(n, call.caller) || (publicToo && n.visibility === Visibility.Public),
            )
            .map((n) => this.full(n, now)),
          total_pages_available: [1n],
        });
      }
      case 'get_neuron_info': {
        const id = decodeArg<bigint>(IDL.Nat64, call.arg, call.method);
        const n = this.neurons.get(id);
        return reply(GetNeuronInfoResult, n ? { Ok: this.info(n, now) } : { Err: notFound(id) });
      }
      case 'get_full_neuron': {
        const id = decodeArg<bigint>(IDL.Nat64, call.arg, call.method);
        const n = this.neurons.get(id);
        if (!n) return reply(GetFullNeuronResult, { Err: notFound(id) });
        if (!this.readable(n, call.caller) && n.visibility !== Visibility.Public) {
          return reply(GetFullNeuronResult, {
            Err: failure(ErrorType.NotAuthorized, `not authorized to read neuron ${id}`),
          });
        }
        return reply(GetFullNeuronResult, { Ok: this.full(n, now) });
      }
      case 'get_proposal_info': {
        const id = decodeArg<bigint>(IDL.Nat64, call.arg, call.method);
        const p = this.proposals.get(id);
        return reply(IDL.Opt(ProposalInfo), p ? [this.proposalInfo(p)] : []);
      }
      default:
        return undefined;
    }
  }

  update(call: NativeCall): Response | undefined {
    const now = call.timeNanos / 1_000_000_000n;
    switch (call.method) {
      case 'claim_or_refresh_neuron_from_account': {
        const a = decodeArg<{ controller: [] | [Principal]; memo: bigint }>(
          ClaimOrRefreshNeuronFromAccount,
          call.arg,
          call.method,
        );
        const r = this.claimOrRefresh(a.controller[0] ?? call.caller, a.memo, now);
        return reply(ClaimOrRefreshNeuronFromAccountResponse, {
          result: ['error' in r ? { Error: r.error } : { NeuronId: { id: r.id } }],
        });
      }
      case 'manage_neuron':
        return reply(ManageNeuronResponse, { command: [this.manage(call, now)] });
      case 'localnet_create_neuron': {
        const a = decodeArg<{
          controller: Principal;
          hot_keys: Principal[];
          public: boolean;
          stake_e8s: bigint;
          dissolve_delay_seconds: bigint;
        }>(LocalnetCreateNeuron, call.arg, call.method);
        return reply(LocalnetResult, this.createNeuron(a, call.timeNanos));
      }
      case 'localnet_make_proposal': {
        const a = decodeArg<{ title: string; summary: string; url: string; topic: [] | [number] }>(
          LocalnetMakeProposal,
          call.arg,
          call.method,
        );
        if (a.title.trim() === '')
          return reply(LocalnetResult, { Err: 'a proposal needs a title' });
        const id = BigInt(this.proposals.size + 1);
        let total = 0n;
        for (const n of this.neurons.values()) total += this.powerOf(n, now);
        this.record({
          k: 'proposal',
          id: String(id),
          title: a.title,
          summary: a.summary,
          url: a.url,
          topic: a.topic[0] ?? TOPIC_GOVERNANCE,
          at: String(now),
          total: String(total),
        });
        return reply(LocalnetResult, { Ok: id });
      }
      case 'localnet_set_proposal_status': {
        const a = decodeArg<{ id: bigint; status: number }>(
          LocalnetSetProposalStatus,
          call.arg,
          call.method,
        );
        const p = this.proposals.get(a.id);
        if (!p) return reply(LocalnetResult, { Err: `proposal ${a.id} not found` });
        if (!(NEXT_STATUS[p.status] ?? []).includes(a.status)) {
          return reply(LocalnetResult, {
            Err: `proposal ${a.id} cannot go from status ${p.status} to ${a.status} (1 open, 2 rejected, 3 adopted, 4 executed, 5 failed; open → adopted or rejected, adopted → executed or failed)`,
          });
        }
        this.record({ k: 'status', id: String(a.id), status: a.status, at: String(now) });
        return reply(LocalnetResult, { Ok: a.id });
      }
      default:
        return undefined;
    }
  }

  private manage(call: NativeCall, now: bigint): Record<string, unknown> {
    type Target = { NeuronId: { id: bigint } } | { Subaccount: Uint8Array };
    type Command =
      | { ClaimOrRefresh: { by: [] | [Record<string, unknown>] } }
      | { Configure: { operation: [] | [Record<string, Record<string, unknown>>] } };
    let a: {
      neuron_id_or_subaccount: [] | [Target];
      command: [] | [Command];
      id: [] | [{ id: bigint }];
    };
    try {
      a = decodeArg(ManageNeuronRequest, call.arg, call.method);
    } catch {
      return { Error: failure(ErrorType.InvalidCommand, 'this command is not served by localnet') };
    }
    const command = a.command[0];
    if (!command) {
      // An unknown command decodes as none (candid's rule for `opt`).
      return {
        Error: failure(
          ErrorType.InvalidCommand,
          'no command, or one localnet does not serve (it serves ClaimOrRefresh and Configure)',
        ),
      };
    }
    if ('ClaimOrRefresh' in command) {
      const by = command.ClaimOrRefresh.by[0] ?? { NeuronIdOrSubaccount: {} };
      let r: { id: bigint } | { error: GovernanceFailure };
      if ('MemoAndController' in by) {
        const m = by.MemoAndController as { controller: [] | [Principal]; memo: bigint };
        r = this.claimOrRefresh(m.controller[0] ?? call.caller, m.memo, now);
      } else if ('Memo' in by) {
        r = this.claimOrRefresh(call.caller, by.Memo as bigint, now);
      } else {
        const n = this.target(a.neuron_id_or_subaccount[0], a.id[0]);
        r = n ? this.claimOrRefresh(n.controller, n.memo, now) : { error: notFound() };
      }
      if ('error' in r) return { Error: r.error };
      return { ClaimOrRefresh: { refreshed_neuron_id: [{ id: r.id }] } };
    }
    const n = this.target(a.neuron_id_or_subaccount[0], a.id[0]);
    if (!n) return { Error: notFound() };
    if (n.controller.compareTo(call.caller) !== 'eq') {
      return {
        Error: failure(
          ErrorType.NotAuthorized,
          `only the controller of neuron ${n.id} may configure it`,
        ),
      };
    }
    const op = command.Configure.operation[0];
    if (!op) return { Error: failure(ErrorType.InvalidCommand, 'no operation') };
    const id = String(n.id);
    if ('AddHotKey' in op || 'RemoveHotKey' in op) {
      const add = 'AddHotKey' in op;
      const key = (add ? op.AddHotKey!.new_hot_key : op.RemoveHotKey!.hot_key_to_remove) as
        [] | [Principal];
      if (key.length === 0) return { Error: failure(ErrorType.InvalidCommand, 'no principal') };
      this.record({ k: 'hotKey', id, principal: key[0].toText(), add });
    } else if ('SetVisibility' in op) {
      const v = (op.SetVisibility!.visibility as [] | [number])[0];
      if (v !== Visibility.Private && v !== Visibility.Public) {
        return { Error: failure(ErrorType.InvalidCommand, 'visibility must be 1 or 2') };
      }
      this.record({ k: 'visibility', id, visibility: v });
    } else if ('IncreaseDissolveDelay' in op) {
      const seconds = op.IncreaseDissolveDelay!.additional_dissolve_delay_seconds as number;
      this.record({ k: 'delay', id, seconds: String(seconds) });
    } else {
      return {
        Error: failure(ErrorType.InvalidCommand, 'this operation is not served by localnet'),
      };
    }
    return { Configure: {} };
  }

  private target(
    which: { NeuronId: { id: bigint } } | { Subaccount: Uint8Array } | undefined,
    legacy: { id: bigint } | undefined,
  ): StoredNeuron | undefined {
    if (which && 'Subaccount' in which) {
      const wanted = Buffer.from(which.Subaccount).toString('hex');
      for (const n of this.neurons.values()) {
        if (Buffer.from(n.subaccount).toString('hex') === wanted) return n;
      }
      return undefined;
    }
    const id = which?.NeuronId.id ?? legacy?.id;
    return id === undefined ? undefined : this.neurons.get(id);
  }

  /** Claims the neuron whose stake is in the subaccount, or refreshes its stake. */
  private claimOrRefresh(
    controller: Principal,
    memo: bigint,
    now: bigint,
  ): { id: bigint } | { error: GovernanceFailure } {
    const subaccount = neuronSubaccount(controller, memo);
    const id = neuronIdOf(subaccount);
    const stake = this.icp.balance(
      accountKey({ owner: NNS_GOVERNANCE_ID, subaccount: [subaccount] }),
    );
    const existing = this.neurons.get(id);
    if (existing) {
      if (existing.stake !== stake)
        this.record({ k: 'refresh', id: String(id), stake: String(stake) });
      return { id };
    }
    if (stake < MIN_STAKE_E8S) {
      return {
        error: failure(
          ErrorType.InsufficientFunds,
          `a neuron needs at least 1 ICP staked in its subaccount; it holds ${stake} e8s`,
        ),
      };
    }
    this.record({
      k: 'claim',
      id: String(id),
      controller: controller.toText(),
      memo: String(memo),
      stake: String(stake),
      at: String(now),
    });
    return { id };
  }

  /**
   * A neuron made in one step: its stake minted into its subaccount and claimed, then
   * configured as asked, each step logged as the real commands would log it.
   */
  private createNeuron(
    a: {
      controller: Principal;
      hot_keys: Principal[];
      public: boolean;
      stake_e8s: bigint;
      dissolve_delay_seconds: bigint;
    },
    timeNanos: bigint,
  ): { Ok: bigint } | { Err: string } {
    if (a.stake_e8s < MIN_STAKE_E8S) return { Err: 'a neuron needs a stake of at least 1 ICP' };
    // A memo no neuron of this controller has used: the time, stepped past any collision.
    let memo = timeNanos;
    while (this.neurons.has(neuronIdOf(neuronSubaccount(a.controller, memo)))) memo++;
    const subaccount = neuronSubaccount(a.controller, memo);
    this.icp.mint(
      accountKey({ owner: NNS_GOVERNANCE_ID, subaccount: [subaccount] }),
      a.stake_e8s,
      timeNanos,
    );
    const now = timeNanos / 1_000_000_000n;
    const claimed = this.claimOrRefresh(a.controller, memo, now);
    if ('error' in claimed) return { Err: claimed.error.error_message };
    const id = String(claimed.id);
    for (const key of a.hot_keys)
      this.record({ k: 'hotKey', id, principal: key.toText(), add: true });
    if (a.public) this.record({ k: 'visibility', id, visibility: Visibility.Public });
    if (a.dissolve_delay_seconds > 0n) {
      this.record({ k: 'delay', id, seconds: String(a.dissolve_delay_seconds) });
    }
    return { Ok: claimed.id };
  }

  private proposalInfo(p: StoredProposal): Record<string, unknown> {
    const decided = p.status !== ProposalStatus.Open;
    const adopted = p.status !== ProposalStatus.Open && p.status !== ProposalStatus.Rejected;
    return {
      id: [{ id: p.id }],
      status: p.status,
      topic: p.topic,
      failure_reason:
        p.status === ProposalStatus.Failed
          ? [failure(ErrorType.InvalidCommand, 'execution failed (set by a localnet dev control)')]
          : [],
      ballots: [],
      proposal_timestamp_seconds: p.createdAt,
      reward_event_round: 0n,
      deadline_timestamp_seconds: [p.createdAt + 4n * 24n * 3600n],
      failed_timestamp_seconds: p.failedAt,
      reject_cost_e8s: 25n * E8S,
      latest_tally: [
        {
          yes: decided && adopted ? p.total : 0n,
          no: decided && !adopted ? p.total : 0n,
          total: p.total,
          timestamp_seconds: decided ? p.decidedAt : p.createdAt,
        },
      ],
      reward_status: decided ? RewardStatus.Settled : RewardStatus.AcceptVotes,
      decided_timestamp_seconds: p.decidedAt,
      proposal: [
        {
          url: p.url,
          title: [p.title],
          action: [{ Motion: { motion_text: p.summary } }],
          summary: p.summary,
        },
      ],
      proposer: [],
      executed_timestamp_seconds: p.executedAt,
    };
  }

  private powerOf(n: StoredNeuron, now: bigint): bigint {
    return votingPower(n.stake, n.dissolveDelay, now > n.createdAt ? now - n.createdAt : 0n);
  }

  private readable(n: StoredNeuron, caller: Principal): boolean {
    const same = (p: Principal) => p.compareTo(caller) === 'eq';
    return same(n.controller) || n.hotKeys.some(same);
  }

  private info(n: StoredNeuron, now: bigint): Record<string, unknown> {
    const age = now > n.createdAt ? now - n.createdAt : 0n;
    const power = this.powerOf(n, now);
    return {
      id: [{ id: n.id }],
      dissolve_delay_seconds: n.dissolveDelay,
      recent_ballots: [],
      created_timestamp_seconds: n.createdAt,
      state: NeuronStateCode.NotDissolving,
      stake_e8s: n.stake,
      retrieved_at_timestamp_seconds: now,
      visibility: [n.visibility],
      age_seconds: age,
      voting_power: power,
      deciding_voting_power: [power],
      potential_voting_power: [power],
    };
  }

  private full(n: StoredNeuron, now: bigint): Record<string, unknown> {
    const power = this.powerOf(n, now);
    return {
      id: [{ id: n.id }],
      controller: [n.controller],
      recent_ballots: [],
      kyc_verified: true,
      not_for_profit: false,
      maturity_e8s_equivalent: 0n,
      cached_neuron_stake_e8s: n.stake,
      created_timestamp_seconds: n.createdAt,
      aging_since_timestamp_seconds: n.createdAt,
      hot_keys: n.hotKeys,
      account: n.subaccount,
      dissolve_state: [{ DissolveDelaySeconds: n.dissolveDelay }],
      followees: [],
      neuron_fees_e8s: 0n,
      visibility: [n.visibility],
      deciding_voting_power: [power],
      potential_voting_power: [power],
    };
  }
}

function failure(error_type: number, error_message: string): GovernanceFailure {
  return { error_type, error_message };
}

function notFound(id?: bigint): GovernanceFailure {
  return failure(
    ErrorType.NotFound,
    id === undefined ? 'no such neuron' : `neuron ${id} not found`,
  );
}
