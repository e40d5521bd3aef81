/**
 * The cycles ledger (`um5iw-rqaaa-aaaaq-qaaba-cai`): ICRC-1/2 over cycles, `create_canister`
 * (pay for a new canister from one's balance, which is how icp-cli creates canisters) and
 * `withdraw` (send cycles to a canister, `icp canister top-up`), with mainnet's fee.
 */
import { Principal } from '@dfinity/principal';
import { decodeArg, reply } from './dispatch';
import { icrcError, icrcQuery, icrcUpdate, keyOf } from './icrc';
import { dedupKey, type Ledger } from './ledger';
import {
  CreateCanisterArgs,
  CreateCanisterResult,
  WithdrawArgs,
  WithdrawResult,
} from './ledger-candid';
import type { Response } from '../core/messages';
import type { NativeCall } from '../core/native-canister';
import { ManagementError } from '../management/management-canister';

export const CYCLES_LEDGER_CONFIG = {
  name: 'Cycles',
  symbol: 'TCYCLES',
  decimals: 12,
  fee: 100_000_000n,
} as const;

/** What the ledgers and the minting canister may do to the replica's canisters. */
export interface CanisterFactory {
  /** Creates a canister holding `cycles`; throws `ManagementError` when it cannot. */
  create(controllers: Principal[], cycles: bigint): Principal;
  /** Adds cycles to a canister; false when there is no such canister. */
  topUp(id: Principal, cycles: bigint): boolean;
}

type Opt<T> = [] | [T];

function request(call: NativeCall, createdAt: Opt<bigint>): Parameters<Ledger['burn']>[0] {
  const r: Parameters<Ledger['burn']>[0] = {
    dedupOf: dedupKey(call.caller.toText(), call.method, call.arg),
    now: call.timeNanos,
  };
  if (createdAt[0] !== undefined) r.createdAtTime = createdAt[0];
  return r;
}

function createCanister(ledger: Ledger, factory: CanisterFactory, call: NativeCall): Response {
  const a = decodeArg<{
    from_subaccount: Opt<Uint8Array>;
    created_at_time: Opt<bigint>;
    amount: bigint;
    creation_args: Opt<{ settings: Opt<{ controllers: Opt<Principal[]> }> }>;
  }>(CreateCanisterArgs, call.arg, call.method);
  const from = keyOf(call.caller, a.from_subaccount);
  const req = request(call, a.created_at_time);
  const fee = ledger.config.fee;
  const refused = ledger.check(req, from, a.amount + fee);
  if (refused) {
    if (refused.kind === 'Duplicate') {
      const block = ledger.block(refused.duplicateOf);
      const memo = block?.op === 'burn' ? block.memo : undefined;
      const canister = memo === undefined ? [] : [principalFromHex(memo)];
      return reply(CreateCanisterResult, {
        Err: { Duplicate: { duplicate_of: refused.duplicateOf, canister_id: canister } },
      });
    }
    return reply(CreateCanisterResult, { Err: icrcError(refused) });
  }
  const controllers = a.creation_args[0]?.settings[0]?.controllers[0] ?? [call.caller];
  let id: Principal;
  try {
    id = factory.create(controllers, a.amount);
  } catch (err) {
    if (!(err instanceof ManagementError)) throw err;
    // Nothing was charged: the check above wrote no block.
    return reply(CreateCanisterResult, {
      Err: { FailedToCreate: { fee_block: [], refund_block: [], error: err.message } },
    });
  }
  // The burn block names the canister, so that a duplicate request can be told its id.
  const burned = ledger.burn(
    req,
    from,
    a.amount,
    fee,
    Buffer.from(id.toUint8Array()).toString('hex'),
  );
  if ('err' in burned) throw new Error(`cycles ledger: a checked burn failed: ${burned.err.kind}`);
  return reply(CreateCanisterResult, { Ok: { block_id: burned.ok, canister_id: id } });
}

function principalFromHex(hex: string): Principal {
  return Principal.fromUint8Array(new Uint8Array(Buffer.from(hex, 'hex')));
}

function withdraw(ledger: Ledger, factory: CanisterFactory, call: NativeCall): Response {
  const a = decodeArg<{
    amount: bigint;
    from_subaccount: Opt<Uint8Array>;
    to: Principal;
    created_at_time: Opt<bigint>;
  }>(WithdrawArgs, call.arg, call.method);
  const from = keyOf(call.caller, a.from_subaccount);
  const req = request(call, a.created_at_time);
  const fee = ledger.config.fee;
  const refused = ledger.check(req, from, a.amount + fee);
  if (refused) return reply(WithdrawResult, { Err: icrcError(refused) });
  if (!factory.topUp(a.to, a.amount)) {
    return reply(WithdrawResult, { Err: { InvalidReceiver: { receiver: a.to } } });
  }
  const burned = ledger.burn(req, from, a.amount, fee);
  if ('err' in burned) throw new Error(`cycles ledger: a checked burn failed: ${burned.err.kind}`);
  return reply(WithdrawResult, { Ok: burned.ok });
}

export function cyclesLedgerQuery(ledger: Ledger, call: NativeCall): Response | undefined {
  return icrcQuery(ledger, call);
}

export function cyclesLedgerUpdate(
  ledger: Ledger,
  factory: CanisterFactory,
  call: NativeCall,
): Response | undefined {
  const icrc = icrcUpdate(ledger, call);
  if (icrc) return icrc;
  switch (call.method) {
    case 'create_canister':
      return createCanister(ledger, factory, call);
    case 'withdraw':
      return withdraw(ledger, factory, call);
    default:
      return undefined;
  }
}
