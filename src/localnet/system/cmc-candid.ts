/**
 * Candid types of the cycles minting canister, as in its `cmc.did` (published in
 * @icp-sdk/canisters), for the methods localnet serves.
 */
import { IDL } from '@dfinity/candid';
import { CanisterSettings } from '../management/candid';

export const NotifyError = IDL.Variant({
  Refunded: IDL.Record({ reason: IDL.Text, block_index: IDL.Opt(IDL.Nat64) }),
  Processing: IDL.Null,
  TransactionTooOld: IDL.Nat64,
  InvalidTransaction: IDL.Text,
  Other: IDL.Record({ error_code: IDL.Nat64, error_message: IDL.Text }),
});

export const NotifyMintCyclesArg = IDL.Record({
  block_index: IDL.Nat64,
  to_subaccount: IDL.Opt(IDL.Vec(IDL.Nat8)),
  deposit_memo: IDL.Opt(IDL.Vec(IDL.Nat8)),
});
export const NotifyMintCyclesResult = IDL.Variant({
  Ok: IDL.Record({ block_index: IDL.Nat, minted: IDL.Nat, balance: IDL.Nat }),
  Err: NotifyError,
});

const SubnetSelection = IDL.Variant({
  Subnet: IDL.Record({ subnet: IDL.Principal }),
  Filter: IDL.Record({ subnet_type: IDL.Opt(IDL.Text) }),
});

export const NotifyCreateCanisterArg = IDL.Record({
  block_index: IDL.Nat64,
  controller: IDL.Principal,
  subnet_type: IDL.Opt(IDL.Text),
  subnet_selection: IDL.Opt(SubnetSelection),
  settings: IDL.Opt(CanisterSettings),
});
export const NotifyCreateCanisterResult = IDL.Variant({ Ok: IDL.Principal, Err: NotifyError });

export const NotifyTopUpArg = IDL.Record({ block_index: IDL.Nat64, canister_id: IDL.Principal });
export const NotifyTopUpResult = IDL.Variant({ Ok: IDL.Nat, Err: NotifyError });

const IcpXdrConversionRate = IDL.Record({
  timestamp_seconds: IDL.Nat64,
  xdr_permyriad_per_icp: IDL.Nat64,
});
export const IcpXdrConversionRateResponse = IDL.Record({
  data: IcpXdrConversionRate,
  hash_tree: IDL.Vec(IDL.Nat8),
  certificate: IDL.Vec(IDL.Nat8),
});

export const SubnetTypesToSubnetsResponse = IDL.Record({
  data: IDL.Vec(IDL.Tuple(IDL.Text, IDL.Vec(IDL.Principal))),
});
