/**
 * Candid types of the ledgers, as in the ICP ledger's `ledger.did` and the cycles ledger's
 * `cycles-ledger.did` (published in @icp-sdk/canisters): ICRC-1 and ICRC-2, the ICP ledger's
 * legacy `transfer` and `account_balance`, and the cycles ledger's `create_canister` and
 * `withdraw`. Records decode with subtyping, so newer clients' extra fields are ignored.
 */
import { IDL } from '@dfinity/candid';
import { CanisterSettings } from '../management/candid';

export const Account = IDL.Record({
  owner: IDL.Principal,
  subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)),
});

export const MetadataValue = IDL.Variant({
  Nat: IDL.Nat,
  Int: IDL.Int,
  Text: IDL.Text,
  Blob: IDL.Vec(IDL.Nat8),
});

export const Metadata = IDL.Vec(IDL.Tuple(IDL.Text, MetadataValue));
export const SupportedStandards = IDL.Vec(IDL.Record({ name: IDL.Text, url: IDL.Text }));

export const TransferArg = IDL.Record({
  from_subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)),
  to: Account,
  amount: IDL.Nat,
  fee: IDL.Opt(IDL.Nat),
  memo: IDL.Opt(IDL.Vec(IDL.Nat8)),
  created_at_time: IDL.Opt(IDL.Nat64),
});

const GenericError = IDL.Record({ error_code: IDL.Nat, message: IDL.Text });

export const TransferError = IDL.Variant({
  BadFee: IDL.Record({ expected_fee: IDL.Nat }),
  BadBurn: IDL.Record({ min_burn_amount: IDL.Nat }),
  InsufficientFunds: IDL.Record({ balance: IDL.Nat }),
  TooOld: IDL.Null,
  CreatedInFuture: IDL.Record({ ledger_time: IDL.Nat64 }),
  TemporarilyUnavailable: IDL.Null,
  Duplicate: IDL.Record({ duplicate_of: IDL.Nat }),
  GenericError,
});
export const TransferResult = IDL.Variant({ Ok: IDL.Nat, Err: TransferError });

export const ApproveArgs = IDL.Record({
  from_subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)),
  spender: Account,
  amount: IDL.Nat,
  expected_allowance: IDL.Opt(IDL.Nat),
  expires_at: IDL.Opt(IDL.Nat64),
  fee: IDL.Opt(IDL.Nat),
  memo: IDL.Opt(IDL.Vec(IDL.Nat8)),
  created_at_time: IDL.Opt(IDL.Nat64),
});
export const ApproveError = IDL.Variant({
  BadFee: IDL.Record({ expected_fee: IDL.Nat }),
  InsufficientFunds: IDL.Record({ balance: IDL.Nat }),
  AllowanceChanged: IDL.Record({ current_allowance: IDL.Nat }),
  Expired: IDL.Record({ ledger_time: IDL.Nat64 }),
  TooOld: IDL.Null,
  CreatedInFuture: IDL.Record({ ledger_time: IDL.Nat64 }),
  Duplicate: IDL.Record({ duplicate_of: IDL.Nat }),
  TemporarilyUnavailable: IDL.Null,
  GenericError,
});
export const ApproveResult = IDL.Variant({ Ok: IDL.Nat, Err: ApproveError });

export const AllowanceArgs = IDL.Record({ account: Account, spender: Account });
export const Allowance = IDL.Record({ allowance: IDL.Nat, expires_at: IDL.Opt(IDL.Nat64) });

export const TransferFromArgs = IDL.Record({
  spender_subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)),
  from: Account,
  to: Account,
  amount: IDL.Nat,
  fee: IDL.Opt(IDL.Nat),
  memo: IDL.Opt(IDL.Vec(IDL.Nat8)),
  created_at_time: IDL.Opt(IDL.Nat64),
});
export const TransferFromError = IDL.Variant({
  BadFee: IDL.Record({ expected_fee: IDL.Nat }),
  BadBurn: IDL.Record({ min_burn_amount: IDL.Nat }),
  InsufficientFunds: IDL.Record({ balance: IDL.Nat }),
  InsufficientAllowance: IDL.Record({ allowance: IDL.Nat }),
  TooOld: IDL.Null,
  CreatedInFuture: IDL.Record({ ledger_time: IDL.Nat64 }),
  Duplicate: IDL.Record({ duplicate_of: IDL.Nat }),
  TemporarilyUnavailable: IDL.Null,
  GenericError,
});
export const TransferFromResult = IDL.Variant({ Ok: IDL.Nat, Err: TransferFromError });

// ---------------------------------------------------------------- ICP ledger (legacy)

export const Tokens = IDL.Record({ e8s: IDL.Nat64 });
export const LegacyTransferArgs = IDL.Record({
  memo: IDL.Nat64,
  amount: Tokens,
  fee: Tokens,
  from_subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)),
  to: IDL.Vec(IDL.Nat8),
  created_at_time: IDL.Opt(IDL.Record({ timestamp_nanos: IDL.Nat64 })),
});
export const LegacyTransferError = IDL.Variant({
  BadFee: IDL.Record({ expected_fee: Tokens }),
  InsufficientFunds: IDL.Record({ balance: Tokens }),
  TxTooOld: IDL.Record({ allowed_window_nanos: IDL.Nat64 }),
  TxCreatedInFuture: IDL.Null,
  TxDuplicate: IDL.Record({ duplicate_of: IDL.Nat64 }),
});
export const LegacyTransferResult = IDL.Variant({ Ok: IDL.Nat64, Err: LegacyTransferError });
export const AccountBalanceArgs = IDL.Record({ account: IDL.Vec(IDL.Nat8) });
export const AccountBalanceArgsDfx = IDL.Record({ account: IDL.Text });

// ---------------------------------------------------------------- cycles ledger

const SubnetSelection = IDL.Variant({
  Subnet: IDL.Record({ subnet: IDL.Principal }),
  Filter: IDL.Record({ subnet_type: IDL.Opt(IDL.Text) }),
});

export const CmcCreateCanisterArgs = IDL.Record({
  settings: IDL.Opt(CanisterSettings),
  subnet_selection: IDL.Opt(SubnetSelection),
});

export const CreateCanisterArgs = IDL.Record({
  from_subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)),
  created_at_time: IDL.Opt(IDL.Nat64),
  amount: IDL.Nat,
  creation_args: IDL.Opt(CmcCreateCanisterArgs),
});
export const CreateCanisterError = IDL.Variant({
  InsufficientFunds: IDL.Record({ balance: IDL.Nat }),
  TooOld: IDL.Null,
  CreatedInFuture: IDL.Record({ ledger_time: IDL.Nat64 }),
  TemporarilyUnavailable: IDL.Null,
  Duplicate: IDL.Record({ duplicate_of: IDL.Nat, canister_id: IDL.Opt(IDL.Principal) }),
  FailedToCreate: IDL.Record({
    fee_block: IDL.Opt(IDL.Nat),
    refund_block: IDL.Opt(IDL.Nat),
    error: IDL.Text,
  }),
  GenericError,
});
export const CreateCanisterResult = IDL.Variant({
  Ok: IDL.Record({ block_id: IDL.Nat, canister_id: IDL.Principal }),
  Err: CreateCanisterError,
});

const RejectionCode = IDL.Variant({
  NoError: IDL.Null,
  CanisterError: IDL.Null,
  SysTransient: IDL.Null,
  DestinationInvalid: IDL.Null,
  Unknown: IDL.Null,
  SysFatal: IDL.Null,
  CanisterReject: IDL.Null,
});

export const WithdrawArgs = IDL.Record({
  amount: IDL.Nat,
  from_subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)),
  to: IDL.Principal,
  created_at_time: IDL.Opt(IDL.Nat64),
});
export const WithdrawError = IDL.Variant({
  GenericError,
  TemporarilyUnavailable: IDL.Null,
  FailedToWithdraw: IDL.Record({
    fee_block: IDL.Opt(IDL.Nat),
    rejection_code: RejectionCode,
    rejection_reason: IDL.Text,
  }),
  Duplicate: IDL.Record({ duplicate_of: IDL.Nat }),
  BadFee: IDL.Record({ expected_fee: IDL.Nat }),
  InvalidReceiver: IDL.Record({ receiver: IDL.Principal }),
  CreatedInFuture: IDL.Record({ ledger_time: IDL.Nat64 }),
  TooOld: IDL.Null,
  InsufficientFunds: IDL.Record({ balance: IDL.Nat }),
});
export const WithdrawResult = IDL.Variant({ Ok: IDL.Nat, Err: WithdrawError });
