/**
 * ICRC-1 and ICRC-2 over a `Ledger`, shared by the ICP ledger and the cycles ledger: the
 * metadata queries, balances, transfers, approvals and transfers on an allowance.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import { type Account as AccountValue, InvalidSubaccount, accountKey } from './accounts';
import { CallRejected, canisterReject, decodeArg, reply } from './dispatch';
import { dedupKey, type Ledger, type LedgerError, type LedgerResult } from './ledger';
import {
  Account,
  Allowance,
  AllowanceArgs,
  ApproveArgs,
  ApproveResult,
  Metadata,
  SupportedStandards,
  TransferArg,
  TransferFromArgs,
  TransferFromResult,
  TransferResult,
} from './ledger-candid';
import type { Response } from '../core/messages';
import type { NativeCall } from '../core/native-canister';

type Opt<T> = [] | [T];

const STANDARDS = [
  { name: 'ICRC-1', url: 'https://github.com/dfinity/ICRC-1/tree/main/standards/ICRC-1' },
  { name: 'ICRC-2', url: 'https://github.com/dfinity/ICRC-1/tree/main/standards/ICRC-2' },
];

/** An account's balance key; a malformed subaccount is the caller's error. */
export function keyOf(owner: Principal, subaccount: Opt<Uint8Array>): string {
  try {
    return accountKey({ owner, subaccount } satisfies AccountValue);
  } catch (err) {
    if (err instanceof InvalidSubaccount) throw new CallRejected(canisterReject(err.message));
    throw err;
  }
}

/** A `LedgerError` as the candid variant of ICRC-1/2 errors. */
export function icrcError(e: LedgerError): Record<string, unknown> {
  switch (e.kind) {
    case 'BadFee':
      return { BadFee: { expected_fee: e.expectedFee } };
    case 'InsufficientFunds':
      return { InsufficientFunds: { balance: e.balance } };
    case 'InsufficientAllowance':
      return { InsufficientAllowance: { allowance: e.allowance } };
    case 'AllowanceChanged':
      return { AllowanceChanged: { current_allowance: e.currentAllowance } };
    case 'Expired':
      return { Expired: { ledger_time: e.ledgerTime } };
    case 'TooOld':
      return { TooOld: null };
    case 'CreatedInFuture':
      return { CreatedInFuture: { ledger_time: e.ledgerTime } };
    case 'Duplicate':
      return { Duplicate: { duplicate_of: e.duplicateOf } };
    case 'GenericError':
      return { GenericError: { error_code: e.errorCode, message: e.message } };
  }
}

function result(r: LedgerResult): { Ok: bigint } | { Err: Record<string, unknown> } {
  return 'ok' in r ? { Ok: r.ok } : { Err: icrcError(r.err) };
}

function hex(bytes: Opt<Uint8Array>): string | undefined {
  const b = bytes[0];
  return b === undefined ? undefined : Buffer.from(b).toString('hex');
}

/** ICRC queries; undefined when `method` is not one. */
export function icrcQuery(ledger: Ledger, call: NativeCall): Response | undefined {
  const c = ledger.config;
  switch (call.method) {
    case 'icrc1_name':
      return reply(IDL.Text, c.name);
    case 'icrc1_symbol':
      return reply(IDL.Text, c.symbol);
    case 'icrc1_decimals':
      return reply(IDL.Nat8, c.decimals);
    case 'icrc1_fee':
      return reply(IDL.Nat, c.fee);
    case 'icrc1_total_supply':
      return reply(IDL.Nat, ledger.totalSupply);
    case 'icrc1_metadata':
      return reply(Metadata, [
        ['icrc1:name', { Text: c.name }],
        ['icrc1:symbol', { Text: c.symbol }],
        ['icrc1:decimals', { Nat: BigInt(c.decimals) }],
        ['icrc1:fee', { Nat: c.fee }],
      ]);
    case 'icrc1_supported_standards':
    case 'icrc10_supported_standards':
      return reply(SupportedStandards, STANDARDS);
    case 'icrc1_balance_of': {
      const a = decodeArg<{ owner: Principal; subaccount: Opt<Uint8Array> }>(
        Account,
        call.arg,
        call.method,
      );
      return reply(IDL.Nat, ledger.balance(keyOf(a.owner, a.subaccount)));
    }
    case 'icrc2_allowance': {
      type A = { owner: Principal; subaccount: Opt<Uint8Array> };
      const a = decodeArg<{ account: A; spender: A }>(AllowanceArgs, call.arg, call.method);
      const allowance = ledger.allowance(
        keyOf(a.account.owner, a.account.subaccount),
        keyOf(a.spender.owner, a.spender.subaccount),
        call.timeNanos,
      );
      return reply(Allowance, {
        allowance: allowance.amount,
        expires_at: allowance.expiresAt === undefined ? [] : [allowance.expiresAt],
      });
    }
    default:
      return undefined;
  }
}

/** ICRC updates; undefined when `method` is not one. */
export function icrcUpdate(ledger: Ledger, call: NativeCall): Response | undefined {
  const req = (createdAt: Opt<bigint>) => {
    const r: { dedupOf: string; now: bigint; createdAtTime?: bigint } = {
      dedupOf: dedupKey(call.caller.toText(), call.method, call.arg),
      now: call.timeNanos,
    };
    if (createdAt[0] !== undefined) r.createdAtTime = createdAt[0];
    return r;
  };
  switch (call.method) {
    case 'icrc1_transfer': {
      const a = decodeArg<{
        from_subaccount: Opt<Uint8Array>;
        to: { owner: Principal; subaccount: Opt<Uint8Array> };
        amount: bigint;
        fee: Opt<bigint>;
        memo: Opt<Uint8Array>;
        created_at_time: Opt<bigint>;
      }>(TransferArg, call.arg, call.method);
      const t: Parameters<Ledger['transfer']>[1] = {
        from: keyOf(call.caller, a.from_subaccount),
        to: keyOf(a.to.owner, a.to.subaccount),
        amount: a.amount,
        fee: a.fee[0],
      };
      const memo = hex(a.memo);
      if (memo !== undefined) t.memo = memo;
      return reply(TransferResult, result(ledger.transfer(req(a.created_at_time), t)));
    }
    case 'icrc2_approve': {
      const a = decodeArg<{
        from_subaccount: Opt<Uint8Array>;
        spender: { owner: Principal; subaccount: Opt<Uint8Array> };
        amount: bigint;
        expected_allowance: Opt<bigint>;
        expires_at: Opt<bigint>;
        fee: Opt<bigint>;
        created_at_time: Opt<bigint>;
      }>(ApproveArgs, call.arg, call.method);
      const approval: Parameters<Ledger['approve']>[1] = {
        from: keyOf(call.caller, a.from_subaccount),
        spender: keyOf(a.spender.owner, a.spender.subaccount),
        amount: a.amount,
        fee: a.fee[0],
      };
      if (a.expected_allowance[0] !== undefined)
        approval.expectedAllowance = a.expected_allowance[0];
      if (a.expires_at[0] !== undefined) approval.expiresAt = a.expires_at[0];
      return reply(ApproveResult, result(ledger.approve(req(a.created_at_time), approval)));
    }
    case 'icrc2_transfer_from': {
      type A = { owner: Principal; subaccount: Opt<Uint8Array> };
      const a = decodeArg<{
        spender_subaccount: Opt<Uint8Array>;
        from: A;
        to: A;
        amount: bigint;
        fee: Opt<bigint>;
        memo: Opt<Uint8Array>;
        created_at_time: Opt<bigint>;
      }>(TransferFromArgs, call.arg, call.method);
      const t: Parameters<Ledger['transfer']>[1] = {
        from: keyOf(a.from.owner, a.from.subaccount),
        to: keyOf(a.to.owner, a.to.subaccount),
        amount: a.amount,
        fee: a.fee[0],
        spender: keyOf(call.caller, a.spender_subaccount),
      };
      const memo = hex(a.memo);
      if (memo !== undefined) t.memo = memo;
      return reply(TransferFromResult, result(ledger.transfer(req(a.created_at_time), t)));
    }
    default:
      return undefined;
  }
}
