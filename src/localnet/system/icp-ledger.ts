/**
 * The ICP ledger (`ryjl3-tyaaa-aaaaa-aaaba-cai`): ICRC-1/2 and the legacy interface that
 * icp-cli, dfx and the cycles minting canister's users call — `transfer` to an account
 * identifier, `account_balance`, `transfer_fee` — with mainnet's fee and decimals.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import { accountIdentifier, isAccountIdentifier } from './accounts';
import { CallRejected, canisterReject, decodeArg, reply } from './dispatch';
import { icrcQuery, icrcUpdate, keyOf } from './icrc';
import { dedupKey, type Ledger, type LedgerError } from './ledger';
import {
  Account,
  AccountBalanceArgs,
  AccountBalanceArgsDfx,
  LegacyTransferArgs,
  LegacyTransferResult,
  Tokens,
} from './ledger-candid';
import type { Response } from '../core/messages';
import type { NativeCall } from '../core/native-canister';

export const ICP_LEDGER_CONFIG = {
  name: 'Internet Computer',
  symbol: 'ICP',
  decimals: 8,
  fee: 10_000n,
} as const;

const TX_WINDOW_NANOS = 24n * 3600n * 1_000_000_000n;

function legacyError(e: LedgerError): Record<string, unknown> {
  switch (e.kind) {
    case 'BadFee':
      return { BadFee: { expected_fee: { e8s: e.expectedFee } } };
    case 'InsufficientFunds':
      return { InsufficientFunds: { balance: { e8s: e.balance } } };
    case 'TooOld':
      return { TxTooOld: { allowed_window_nanos: TX_WINDOW_NANOS } };
    case 'CreatedInFuture':
      return { TxCreatedInFuture: null };
    case 'Duplicate':
      return { TxDuplicate: { duplicate_of: e.duplicateOf } };
    default:
      // The legacy interface has no other errors; the ledger produces none for a transfer.
      throw new CallRejected(canisterReject(`transfer failed: ${e.kind}`));
  }
}

function accountHex(bytes: Uint8Array): string {
  if (!isAccountIdentifier(bytes)) {
    throw new CallRejected(
      canisterReject(`Invalid account identifier: ${Buffer.from(bytes).toString('hex')}`),
    );
  }
  return Buffer.from(bytes).toString('hex');
}

export function icpLedgerQuery(ledger: Ledger, call: NativeCall): Response | undefined {
  const icrc = icrcQuery(ledger, call);
  if (icrc) return icrc;
  switch (call.method) {
    case 'account_balance': {
      const a = decodeArg<{ account: Uint8Array }>(AccountBalanceArgs, call.arg, call.method);
      return reply(Tokens, { e8s: ledger.balance(accountHex(a.account)) });
    }
    case 'account_balance_dfx': {
      const a = decodeArg<{ account: string }>(AccountBalanceArgsDfx, call.arg, call.method);
      return reply(Tokens, { e8s: ledger.balance(accountHex(Buffer.from(a.account, 'hex'))) });
    }
    case 'account_identifier': {
      const a = decodeArg<{ owner: Principal; subaccount: [] | [Uint8Array] }>(
        Account,
        call.arg,
        call.method,
      );
      keyOf(a.owner, a.subaccount);
      return reply(IDL.Vec(IDL.Nat8), accountIdentifier(a.owner, a.subaccount));
    }
    case 'transfer_fee':
      return reply(IDL.Record({ transfer_fee: Tokens }), {
        transfer_fee: { e8s: ledger.config.fee },
      });
    case 'symbol':
      return reply(IDL.Record({ symbol: IDL.Text }), { symbol: ledger.config.symbol });
    case 'name':
      return reply(IDL.Record({ name: IDL.Text }), { name: ledger.config.name });
    case 'decimals':
      return reply(IDL.Record({ decimals: IDL.Nat32 }), { decimals: ledger.config.decimals });
    default:
      return undefined;
  }
}

export function icpLedgerUpdate(ledger: Ledger, call: NativeCall): Response | undefined {
  const icrc = icrcUpdate(ledger, call);
  if (icrc) return icrc;
  if (call.method !== 'transfer') return undefined;
  const a = decodeArg<{
    memo: bigint;
    amount: { e8s: bigint };
    fee: { e8s: bigint };
    from_subaccount: [] | [Uint8Array];
    to: Uint8Array;
    created_at_time: [] | [{ timestamp_nanos: bigint }];
  }>(LegacyTransferArgs, call.arg, call.method);
  const req: Parameters<Ledger['transfer']>[0] = {
    dedupOf: dedupKey(call.caller.toText(), call.method, call.arg),
    now: call.timeNanos,
  };
  const createdAt = a.created_at_time[0]?.timestamp_nanos;
  if (createdAt !== undefined) req.createdAtTime = createdAt;
  const r = ledger.transfer(req, {
    from: keyOf(call.caller, a.from_subaccount),
    to: accountHex(a.to),
    amount: a.amount.e8s,
    fee: a.fee.e8s,
    legacyMemo: a.memo,
  });
  return reply(LegacyTransferResult, 'ok' in r ? { Ok: r.ok } : { Err: legacyError(r.err) });
}
