/**
 * Checks a tally proof from the backend's `getTallyProof` the way anyone could, with the
 * agent's certificate API and nothing of the backend's code (the leaf layout is written down
 * in src/backend/README.md, "Certified tallies"):
 *
 * 1. the certificate is signed by the network (`Certificate.create` against its root key:
 *    the IC's on mainnet, localnet's after `fetchRootKey`);
 * 2. the certificate's time is recent: within `maxAgeMs` (5 minutes) of the verifier's clock;
 * 3. the witness's root hash is the canister's certified data in that certificate;
 * 4. each tally the reply lists is a leaf of the witness at `tallies/proposals/<id>` or
 *    `tallies/items/<id>` with the same numbers; the numbers returned are the leaves'.
 *
 * Any failure throws a `TallyCheckError` naming the step. Runs in the browser and in Node:
 * only `@dfinity/agent` (its certificate API, CBOR and `reconstruct`) and `@dfinity/principal`.
 */
import {
  Cbor,
  Certificate,
  lookup_path,
  lookupResultToBuffer,
  LookupPathStatus,
  reconstruct,
  type HashTree,
} from '@dfinity/agent';
import type { Principal } from '@dfinity/principal';

import type { TallyProof } from '../../../declarations/backend';

export const MAX_CERTIFICATE_AGE_MS = 5 * 60 * 1000;

export type TallyCheckStep = 'certificate' | 'freshness' | 'certified-data' | 'witness';

export class TallyCheckError extends Error {
  constructor(
    readonly step: TallyCheckStep,
    message: string,
  ) {
    super(message);
    this.name = 'TallyCheckError';
  }
}

export type ProposalStatusName =
  'Open' | 'UnderReview' | 'Planned' | 'Declined' | 'Duplicate' | 'Done';

/** A status byte in a proposal's leaf is the index in this list. */
const STATUS_NAMES: readonly ProposalStatusName[] = [
  'Open',
  'UnderReview',
  'Planned',
  'Declined',
  'Duplicate',
  'Done',
];

export type WitnessedProposal = {
  up: number;
  down: number;
  status: ProposalStatusName;
  /** The item (Planned) or proposal (Duplicate) the status names. */
  statusRef: bigint | undefined;
};
export type WitnessedItem = { votes: number; supporters: number };

export type VerifiedTallies = {
  /** The certificate's time. */
  certifiedAt: Date;
  proposals: Map<bigint, WitnessedProposal>;
  items: Map<bigint, WitnessedItem>;
};

export type VerifyOptions = {
  canisterId: Principal;
  /** The network's root key (DER), as `HttpAgent.rootKey` holds it. */
  rootKey: Uint8Array;
  /** The verifier's clock (default: now). */
  now?: Date;
  maxAgeMs?: number;
  /** The BLS check (default: the agent's). The app passes its lazily loaded one. */
  blsVerify?: Parameters<typeof Certificate.create>[0]['blsVerify'];
};

export async function verifyTallyProof(
  proof: Pick<TallyProof, 'certificate' | 'witness' | 'proposals' | 'items'>,
  options: VerifyOptions,
): Promise<VerifiedTallies> {
  let certificate: Certificate;
  try {
    certificate = await Certificate.create({
      certificate: new Uint8Array(proof.certificate),
      rootKey: options.rootKey,
      canisterId: options.canisterId,
      // Freshness is step 2, against the verifier's own clock (which callers may give).
      disableTimeVerification: true,
      ...(options.blsVerify === undefined ? {} : { blsVerify: options.blsVerify }),
    });
  } catch (error) {
    throw new TallyCheckError('certificate', `the certificate does not verify: ${describe(error)}`);
  }

  const timeBytes = lookupResultToBuffer(certificate.lookup_path(['time']));
  if (timeBytes === undefined)
    throw new TallyCheckError('certificate', 'no time in the certificate');
  const certifiedAt = new Date(Number(readLeb128(timeBytes) / 1_000_000n));
  const now = (options.now ?? new Date()).getTime();
  const maxAge = options.maxAgeMs ?? MAX_CERTIFICATE_AGE_MS;
  if (Math.abs(now - certifiedAt.getTime()) > maxAge) {
    throw new TallyCheckError(
      'freshness',
      `the certificate is from ${certifiedAt.toISOString()}, more than ${maxAge / 60_000} minutes from now`,
    );
  }

  const certifiedData = lookupResultToBuffer(
    certificate.lookup_path(['canister', options.canisterId.toUint8Array(), 'certified_data']),
  );
  if (certifiedData === undefined) {
    throw new TallyCheckError(
      'certified-data',
      'the certificate has no certified data of this canister',
    );
  }
  let tree: HashTree;
  try {
    tree = Cbor.decode<HashTree>(new Uint8Array(proof.witness));
  } catch (error) {
    throw new TallyCheckError('witness', `the witness is not a hash tree: ${describe(error)}`);
  }
  const root = await reconstructSafely(tree);
  if (!equalBytes(root, certifiedData)) {
    throw new TallyCheckError('certified-data', "the witness's root is not the certified data");
  }

  const proposals = new Map<bigint, WitnessedProposal>();
  for (const listed of proof.proposals) {
    const witnessed = decodeProposalLeaf(leafOf(tree, 'proposals', listed.id));
    const status = Object.keys(listed.status)[0];
    const statusRef = listed.statusRef[0];
    if (
      witnessed.up !== listed.up ||
      witnessed.down !== listed.down ||
      witnessed.status !== status ||
      witnessed.statusRef !== statusRef
    ) {
      throw new TallyCheckError(
        'witness',
        `proposal ${listed.id}: the reply is not the witnessed tally`,
      );
    }
    proposals.set(listed.id, witnessed);
  }
  const items = new Map<bigint, WitnessedItem>();
  for (const listed of proof.items) {
    const witnessed = decodeItemLeaf(leafOf(tree, 'items', listed.id));
    if (witnessed.votes !== listed.votes || witnessed.supporters !== listed.supporters) {
      throw new TallyCheckError(
        'witness',
        `item ${listed.id}: the reply is not the witnessed tally`,
      );
    }
    items.set(listed.id, witnessed);
  }
  return { certifiedAt, proposals, items };
}

/** The label of an entry: the id as a nat64, 8 bytes big-endian. */
export function idLabel(id: bigint): Uint8Array {
  const label = new Uint8Array(8);
  new DataView(label.buffer).setBigUint64(0, id);
  return label;
}

function leafOf(tree: HashTree, map: 'proposals' | 'items', id: bigint): Uint8Array {
  const found = lookup_path(['tallies', map, idLabel(id)], tree);
  if (found.status !== LookupPathStatus.Found || !(found.value instanceof Uint8Array)) {
    throw new TallyCheckError('witness', `the witness has no leaf at tallies/${map}/${id}`);
  }
  return found.value;
}

/** 17 bytes: up (u32), down (u32), status (u8), the id the status names (u64), big-endian. */
export function decodeProposalLeaf(leaf: Uint8Array): WitnessedProposal {
  const status = STATUS_NAMES[leaf[8] ?? 255];
  if (leaf.length !== 17 || status === undefined) {
    throw new TallyCheckError('witness', 'a proposal leaf is not 17 bytes with a known status');
  }
  const view = new DataView(leaf.buffer, leaf.byteOffset, leaf.byteLength);
  const named = view.getBigUint64(9);
  return {
    up: view.getUint32(0),
    down: view.getUint32(4),
    status,
    statusRef: status === 'Planned' || status === 'Duplicate' ? named : undefined,
  };
}

/** 8 bytes: priority votes (u32), supporters (u32), big-endian. */
export function decodeItemLeaf(leaf: Uint8Array): WitnessedItem {
  if (leaf.length !== 8) throw new TallyCheckError('witness', 'an item leaf is not 8 bytes');
  const view = new DataView(leaf.buffer, leaf.byteOffset, leaf.byteLength);
  return { votes: view.getUint32(0), supporters: view.getUint32(4) };
}

async function reconstructSafely(tree: HashTree): Promise<Uint8Array> {
  try {
    return new Uint8Array(await reconstruct(tree));
  } catch (error) {
    throw new TallyCheckError('witness', `the witness is not a hash tree: ${describe(error)}`);
  }
}

function readLeb128(bytes: Uint8Array): bigint {
  let value = 0n;
  let shift = 0n;
  for (const byte of bytes) {
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7n;
  }
  return value;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** An error's message, first line only: the agent's carry stack traces after it. */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0]!.trim();
}
