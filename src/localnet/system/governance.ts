/**
 * NNS governance (`rrkah-fqaaa-aaaaa-aaaaq-cai`) on localnet: neurons, as far as apps that read
 * them need — stake ICP to a neuron's ledger subaccount and claim it, add or remove hot keys,
 * make it public, lengthen its dissolve delay, and `list_neurons` / `get_neuron_info` /
 * `get_full_neuron` with mainnet's visibility rules (a neuron's full record is readable by
 * its controller and hot keys, and by anyone once public). Proposals, voting, following,
 * maturity and dissolving are not served: those commands are refused with InvalidCommand.
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
  ManageNeuronRequest,
  ManageNeuronResponse,
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
const NeuronStateCode = { NotDissolving: 1 } as const;
const ErrorType = { NotAuthorized: 3, NotFound: 4, InvalidCommand: 5, InsufficientFunds: 14 };

/** What the log keeps: every change to a neuron, so replay rebuilds them all. */
export type GovernanceEvent =
  | { k: 'claim'; id: string; controller: string; memo: string; stake: string; at: string }
  | { k: 'refresh'; id: string; stake: string }
  | { k: 'hotKey'; id: string; principal: string; add: boolean }
  | { k: 'visibility'; id: string; visibility: number }
  | { k: 'delay'; id: string; seconds: string };

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

  constructor(
    private readonly icp: Ledger,
    private readonly log: StableLog<GovernanceEvent>,
  ) {}

  replay(): void {
    this.neurons.clear();
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

  private readable(n: StoredNeuron, caller: Principal): boolean {
    const same = (p: Principal) => p.compareTo(caller) === 'eq';
    return same(n.controller) || n.hotKeys.some(same);
  }

  private info(n: StoredNeuron, now: bigint): Record<string, unknown> {
    const age = now > n.createdAt ? now - n.createdAt : 0n;
    const power = votingPower(n.stake, n.dissolveDelay, age);
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
    const age = now > n.createdAt ? now - n.createdAt : 0n;
    const power = votingPower(n.stake, n.dissolveDelay, age);
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
