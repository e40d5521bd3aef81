/**
 * The parts of NNS governance's candid interface (mainnet's governance.did) that the canister
 * sends and reads. Replies carry many more fields, which decoding skips (candid's record
 * subtyping, see codec/subset.ts), so fields mainnet adds do not break it. Loads in Node: no
 * 'azle' import.
 */
import { IDL } from '@dfinity/candid';

const NeuronId = IDL.Record({ id: IDL.Nat64 });

export const ListNeurons = IDL.Record({
  neuron_ids: IDL.Vec(IDL.Nat64),
  include_neurons_readable_by_caller: IDL.Bool,
  include_empty_neurons_readable_by_caller: IDL.Opt(IDL.Bool),
  include_public_neurons_in_full_neurons: IDL.Opt(IDL.Bool),
  page_number: IDL.Opt(IDL.Nat64),
  page_size: IDL.Opt(IDL.Nat64),
});

export const NeuronInfo = IDL.Record({
  dissolve_delay_seconds: IDL.Nat64,
  voting_power: IDL.Nat64,
  deciding_voting_power: IDL.Opt(IDL.Nat64),
});

export const Neuron = IDL.Record({
  id: IDL.Opt(NeuronId),
  controller: IDL.Opt(IDL.Principal),
  hot_keys: IDL.Vec(IDL.Principal),
});

export const ListNeuronsResponse = IDL.Record({
  neuron_infos: IDL.Vec(IDL.Tuple(IDL.Nat64, NeuronInfo)),
  full_neurons: IDL.Vec(Neuron),
});

export const ProposalInfo = IDL.Record({
  status: IDL.Int32,
  topic: IDL.Int32,
  proposal: IDL.Opt(IDL.Record({ title: IDL.Opt(IDL.Text) })),
  latest_tally: IDL.Opt(IDL.Record({ yes: IDL.Nat64, no: IDL.Nat64, total: IDL.Nat64 })),
});

/**
 * The argument lists of the two calls, as the build precompiles their encoders and headers
 * (signatures.ts): the same arrays must be passed to `encodeReply`.
 */
export const LIST_NEURONS_ARGS = [ListNeurons];
export const GET_PROPOSAL_INFO_ARGS = [IDL.Nat64];
