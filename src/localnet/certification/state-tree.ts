/**
 * The certified state tree of the single localnet subnet, built on demand from the replica:
 *
 *   time                                   LEB128 nanoseconds
 *   subnet/<sid>/{public_key, canister_ranges, node/<nid>/public_key}
 *   canister/<id>/{certified_data, controllers, module_hash?, metadata/<name>}
 *   request_status/<rid>/{status, reply | reject_code, reject_message, error_code}
 *
 * The replica cannot enumerate request ids, so only the ids a request asks about are
 * included; that is enough because witnesses only ever reveal requested paths.
 */
import { encode } from '@dfinity/cbor';
import type { Principal } from '@dfinity/principal';
import { utf8ToBytes } from '@noble/hashes/utils';
import type { CallOutcome, CanisterInfo, RequestStatus } from '../core/replica-api';
import { labeled, leb128, type LabeledMap, type LabeledTree } from './hash-tree';
import type { NetworkKeys } from './keys';

/** All canister ids this subnet answers for: [h'', h'ff'×29] spans every principal. */
const ALL_CANISTERS = [[new Uint8Array(0), new Uint8Array(29).fill(0xff)]];

/**
 * One subtree per key set: it never changes, and a state tree built for every certificate
 * reuses its sorted children and hashes (cached per map object) instead of recomputing them.
 */
const subnetSubtrees = new WeakMap<NetworkKeys, LabeledMap>();

export function subnetSubtree(keys: NetworkKeys): LabeledMap {
  let subtree = subnetSubtrees.get(keys);
  if (!subtree) {
    subtree = makeSubnetSubtree(keys);
    subnetSubtrees.set(keys, subtree);
  }
  return subtree;
}

function makeSubnetSubtree(keys: NetworkKeys): LabeledMap {
  return labeled([
    [
      keys.subnetId.toUint8Array(),
      labeled([
        ['public_key', keys.rootKeyDer],
        ['canister_ranges', encode(ALL_CANISTERS)],
        [
          'node',
          labeled([[keys.nodeId.toUint8Array(), labeled([['public_key', keys.nodePublicKeyDer]])]]),
        ],
      ]),
    ],
  ]);
}

export function canisterSubtree(info: CanisterInfo): LabeledMap {
  const entries: [string, LabeledTree][] = [
    ['certified_data', info.certifiedData],
    ['controllers', encode(info.controllers.map((p) => p.toUint8Array()))],
    [
      'metadata',
      labeled([...info.metadata].map(([name, section]) => [name, section.content] as const)),
    ],
  ];
  if (info.moduleHash) entries.push(['module_hash', info.moduleHash]);
  return labeled(entries);
}

export function outcomeSubtree(outcome: CallOutcome): LabeledMap {
  if (outcome.kind === 'replied') {
    return labeled([
      ['status', utf8ToBytes('replied')],
      ['reply', outcome.reply],
    ]);
  }
  return labeled([
    ['status', utf8ToBytes('rejected')],
    ['reject_code', leb128(outcome.rejectCode)],
    ['reject_message', utf8ToBytes(outcome.rejectMessage)],
    ['error_code', utf8ToBytes(outcome.errorCode)],
  ]);
}

export function requestStatusSubtree(status: RequestStatus): LabeledMap {
  if (status.status === 'replied' || status.status === 'rejected') {
    return outcomeSubtree(status.outcome);
  }
  return labeled([['status', utf8ToBytes(status.status)]]);
}

export interface StateTreeInput {
  keys: NetworkKeys;
  timeNanos: bigint;
  canisters: CanisterInfo[];
  requestStatuses: [Uint8Array, RequestStatus][];
}

export function buildStateTree(input: StateTreeInput): LabeledMap {
  return labeled([
    ['time', leb128(input.timeNanos)],
    ['subnet', subnetSubtree(input.keys)],
    [
      'canister',
      labeled(
        input.canisters
          // The management canister's empty id would be a strict prefix of every other
          // label, which the agent's label comparison mistakes for "past the target".
          .filter((c) => c.id.toUint8Array().length > 0)
          .map((c) => [c.id.toUint8Array(), canisterSubtree(c)] as const),
      ),
    ],
    [
      'request_status',
      labeled(input.requestStatuses.map(([rid, s]) => [rid, requestStatusSubtree(s)] as const)),
    ],
  ]);
}

export function principalLabel(p: Principal): Uint8Array {
  return p.toUint8Array();
}
