/**
 * Candid types of NNS governance (`governance.did`, published in @icp-sdk/canisters), for the
 * methods localnet's stand-in serves. Replies carry every field that is not `opt` in the real
 * types, so clients decoding with the full `governance.did` accept them; requests decode with
 * subtyping, so fields and commands the stand-in does not know are ignored or refused cleanly.
 */
import { IDL } from '@dfinity/candid';

export const NeuronId = IDL.Record({ id: IDL.Nat64 });
const ProposalId = IDL.Record({ id: IDL.Nat64 });
const BallotInfo = IDL.Record({ vote: IDL.Int32, proposal_id: IDL.Opt(ProposalId) });
const Followees = IDL.Record({ followees: IDL.Vec(NeuronId) });
const DissolveState = IDL.Variant({
  DissolveDelaySeconds: IDL.Nat64,
  WhenDissolvedTimestampSeconds: IDL.Nat64,
});

export const ListNeurons = IDL.Record({
  neuron_ids: IDL.Vec(IDL.Nat64),
  include_neurons_readable_by_caller: IDL.Bool,
  include_empty_neurons_readable_by_caller: IDL.Opt(IDL.Bool),
  include_public_neurons_in_full_neurons: IDL.Opt(IDL.Bool),
  page_number: IDL.Opt(IDL.Nat64),
  page_size: IDL.Opt(IDL.Nat64),
});

export const NeuronInfo = IDL.Record({
  id: IDL.Opt(NeuronId),
  dissolve_delay_seconds: IDL.Nat64,
  recent_ballots: IDL.Vec(BallotInfo),
  created_timestamp_seconds: IDL.Nat64,
  state: IDL.Int32,
  stake_e8s: IDL.Nat64,
  retrieved_at_timestamp_seconds: IDL.Nat64,
  visibility: IDL.Opt(IDL.Int32),
  age_seconds: IDL.Nat64,
  voting_power: IDL.Nat64,
  deciding_voting_power: IDL.Opt(IDL.Nat64),
  potential_voting_power: IDL.Opt(IDL.Nat64),
});

export const Neuron = IDL.Record({
  id: IDL.Opt(NeuronId),
  controller: IDL.Opt(IDL.Principal),
  recent_ballots: IDL.Vec(BallotInfo),
  kyc_verified: IDL.Bool,
  not_for_profit: IDL.Bool,
  maturity_e8s_equivalent: IDL.Nat64,
  cached_neuron_stake_e8s: IDL.Nat64,
  created_timestamp_seconds: IDL.Nat64,
  aging_since_timestamp_seconds: IDL.Nat64,
  hot_keys: IDL.Vec(IDL.Principal),
  account: IDL.Vec(IDL.Nat8),
  dissolve_state: IDL.Opt(DissolveState),
  followees: IDL.Vec(IDL.Tuple(IDL.Int32, Followees)),
  neuron_fees_e8s: IDL.Nat64,
  visibility: IDL.Opt(IDL.Int32),
  deciding_voting_power: IDL.Opt(IDL.Nat64),
  potential_voting_power: IDL.Opt(IDL.Nat64),
});

export const ListNeuronsResponse = IDL.Record({
  neuron_infos: IDL.Vec(IDL.Tuple(IDL.Nat64, NeuronInfo)),
  full_neurons: IDL.Vec(Neuron),
  total_pages_available: IDL.Opt(IDL.Nat64),
});

export const ClaimOrRefreshNeuronFromAccount = IDL.Record({
  controller: IDL.Opt(IDL.Principal),
  memo: IDL.Nat64,
});

const NeuronIdOrSubaccount = IDL.Variant({
  Subaccount: IDL.Vec(IDL.Nat8),
  NeuronId: NeuronId,
});

const Operation = IDL.Variant({
  RemoveHotKey: IDL.Record({ hot_key_to_remove: IDL.Opt(IDL.Principal) }),
  AddHotKey: IDL.Record({ new_hot_key: IDL.Opt(IDL.Principal) }),
  StopDissolving: IDL.Record({}),
  StartDissolving: IDL.Record({}),
  IncreaseDissolveDelay: IDL.Record({ additional_dissolve_delay_seconds: IDL.Nat32 }),
  SetVisibility: IDL.Record({ visibility: IDL.Opt(IDL.Int32) }),
});

const By = IDL.Variant({
  NeuronIdOrSubaccount: IDL.Record({}),
  MemoAndController: ClaimOrRefreshNeuronFromAccount,
  Memo: IDL.Nat64,
});

export const ManageNeuronRequest = IDL.Record({
  neuron_id_or_subaccount: IDL.Opt(NeuronIdOrSubaccount),
  command: IDL.Opt(
    IDL.Variant({
      ClaimOrRefresh: IDL.Record({ by: IDL.Opt(By) }),
      Configure: IDL.Record({ operation: IDL.Opt(Operation) }),
    }),
  ),
  id: IDL.Opt(NeuronId),
});

export const GovernanceError = IDL.Record({ error_message: IDL.Text, error_type: IDL.Int32 });

export const ManageNeuronResponse = IDL.Record({
  command: IDL.Opt(
    IDL.Variant({
      Error: GovernanceError,
      ClaimOrRefresh: IDL.Record({ refreshed_neuron_id: IDL.Opt(NeuronId) }),
      Configure: IDL.Record({}),
    }),
  ),
});

export const ClaimOrRefreshNeuronFromAccountResponse = IDL.Record({
  result: IDL.Opt(IDL.Variant({ Error: GovernanceError, NeuronId: NeuronId })),
});

export const GetNeuronInfoResult = IDL.Variant({ Ok: NeuronInfo, Err: GovernanceError });
export const GetFullNeuronResult = IDL.Variant({ Ok: Neuron, Err: GovernanceError });

const Tally = IDL.Record({
  no: IDL.Nat64,
  yes: IDL.Nat64,
  total: IDL.Nat64,
  timestamp_seconds: IDL.Nat64,
});
/** Only `Motion` of mainnet's many actions: a reply may carry fewer variant cases. */
const Action = IDL.Variant({ Motion: IDL.Record({ motion_text: IDL.Text }) });
const Proposal = IDL.Record({
  url: IDL.Text,
  title: IDL.Opt(IDL.Text),
  action: IDL.Opt(Action),
  summary: IDL.Text,
});

export const ProposalInfo = IDL.Record({
  id: IDL.Opt(ProposalId),
  status: IDL.Int32,
  topic: IDL.Int32,
  failure_reason: IDL.Opt(GovernanceError),
  ballots: IDL.Vec(IDL.Tuple(IDL.Nat64, IDL.Record({ vote: IDL.Int32, voting_power: IDL.Nat64 }))),
  proposal_timestamp_seconds: IDL.Nat64,
  reward_event_round: IDL.Nat64,
  deadline_timestamp_seconds: IDL.Opt(IDL.Nat64),
  failed_timestamp_seconds: IDL.Nat64,
  reject_cost_e8s: IDL.Nat64,
  latest_tally: IDL.Opt(Tally),
  reward_status: IDL.Int32,
  decided_timestamp_seconds: IDL.Nat64,
  proposal: IDL.Opt(Proposal),
  proposer: IDL.Opt(NeuronId),
  executed_timestamp_seconds: IDL.Nat64,
});

/**
 * The stand-in's own dev controls (not methods of NNS governance): they create what a developer
 * needs to try an app against, without the NNS's voting.
 */
export const LocalnetCreateNeuron = IDL.Record({
  controller: IDL.Principal,
  hot_keys: IDL.Vec(IDL.Principal),
  public: IDL.Bool,
  stake_e8s: IDL.Nat64,
  dissolve_delay_seconds: IDL.Nat64,
});
export const LocalnetMakeProposal = IDL.Record({
  title: IDL.Text,
  summary: IDL.Text,
  url: IDL.Text,
  topic: IDL.Opt(IDL.Int32),
});
export const LocalnetSetProposalStatus = IDL.Record({ id: IDL.Nat64, status: IDL.Int32 });
export const LocalnetResult = IDL.Variant({ Ok: IDL.Nat64, Err: IDL.Text });
