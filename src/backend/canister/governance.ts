/**
 * The canister's calls to NNS governance (`rrkah-fqaaa-aaaaa-aaaaq-cai`, on mainnet and as
 * localnet's stand-in alike): `list_neurons` to learn who controls a neuron and its voting
 * power, `get_proposal_info` to follow an NNS proposal, with the types of governance-idl.ts.
 *
 * Requests are encoded with the codecs the build generates; replies are read with
 * `decodeSubset`, which skips what these types do not declare without building it.
 */
import { IDL } from '@dfinity/candid';
import { call } from 'azle';

import { decodeSubset, encodeReply } from '../codec';
import type { PrincipalId } from '../domain/model';
import type { NeuronFacts } from '../domain/neurons';
import type { ProposalInfoLike } from '../domain/nns-proposals';
import {
  GET_PROPOSAL_INFO_ARGS,
  LIST_NEURONS_ARGS,
  ListNeuronsResponse,
  ProposalInfo,
} from './governance-idl';

export const NNS_GOVERNANCE_ID = 'rrkah-fqaaa-aaaaa-aaaaq-cai';

type NeuronInfoValue = {
  dissolve_delay_seconds: bigint;
  voting_power: bigint;
  deciding_voting_power: [] | [bigint];
};
type NeuronValue = {
  id: [] | [{ id: bigint }];
  controller: [] | [PrincipalId];
  hot_keys: PrincipalId[];
};
type ProposalInfoValue = {
  status: number;
  topic: number;
  proposal: [] | [{ title: [] | [string] }];
  latest_tally: [] | [{ yes: bigint; no: bigint; total: bigint }];
};

/** Governance could not be asked, or answered with something this cannot read. */
export class GovernanceUnavailable extends Error {}

async function ask(method: string, arg: Uint8Array): Promise<Uint8Array> {
  try {
    return await call<Uint8Array, Uint8Array>(NNS_GOVERNANCE_ID, method, {
      args: arg,
      raw: true,
    });
  } catch (error) {
    const message =
      typeof error === 'object' && error !== null && 'rejectMessage' in error
        ? String(error.rejectMessage)
        : String(error);
    throw new GovernanceUnavailable(`NNS governance did not answer ${method}: ${message}`);
  }
}

function decode<T>(type: IDL.Type, bytes: Uint8Array, method: string): T {
  try {
    return decodeSubset([type], bytes)[0] as T;
  } catch (error) {
    throw new GovernanceUnavailable(
      `NNS governance's answer to ${method} was unreadable: ${error}`,
    );
  }
}

/**
 * What governance says of each neuron, in the order asked. Public neurons come back in full
 * because of `include_public_neurons_in_full_neurons`; private ones only as their info.
 */
export async function readNeurons(ids: readonly bigint[]): Promise<NeuronFacts[]> {
  const arg = encodeReply(LIST_NEURONS_ARGS, [
    {
      neuron_ids: ids,
      include_neurons_readable_by_caller: false,
      include_empty_neurons_readable_by_caller: [false],
      include_public_neurons_in_full_neurons: [true],
      page_number: [],
      page_size: [],
    },
  ]);
  const reply = decode<{
    neuron_infos: Array<[bigint, NeuronInfoValue]>;
    full_neurons: NeuronValue[];
  }>(ListNeuronsResponse, await ask('list_neurons', arg), 'list_neurons');
  const infos = new Map(reply.neuron_infos);
  const full = new Map(
    reply.full_neurons.flatMap((n) => (n.id.length === 1 ? [[n.id[0].id, n] as const] : [])),
  );
  return ids.map((neuronId) => {
    const info = infos.get(neuronId);
    const neuron = full.get(neuronId);
    return {
      neuronId,
      exists: info !== undefined,
      full:
        neuron === undefined
          ? undefined
          : {
              controller: neuron.controller[0],
              hotKeys: neuron.hot_keys,
            },
      votingPower: info?.deciding_voting_power[0] ?? info?.voting_power ?? 0n,
      dissolveDelaySeconds: info?.dissolve_delay_seconds ?? 0n,
    };
  });
}

/** What governance says of an NNS proposal; undefined when it has no such proposal. */
export async function readProposal(id: bigint): Promise<ProposalInfoLike | undefined> {
  const reply = decode<[] | [ProposalInfoValue]>(
    IDL.Opt(ProposalInfo),
    await ask('get_proposal_info', encodeReply(GET_PROPOSAL_INFO_ARGS, [id])),
    'get_proposal_info',
  );
  if (reply.length === 0) return undefined;
  const info = reply[0];
  return {
    status: info.status,
    topic: info.topic,
    title: info.proposal[0]?.title[0],
    tally: info.latest_tally[0],
  };
}
