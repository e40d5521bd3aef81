/**
 * Certified tallies: the numbers people vote with, in the canister's certified hash tree, so
 * that anyone can check a tally against the IC's signature rather than trust the canister's
 * reply. The tree (hash-tree.ts) under the canister's certified data:
 *
 *   Fork( Labeled("http_expr", …)            the HTTP gateway's part (canister/http.ts)
 *         Labeled("tallies", Fork( Labeled("items",     items by id),
 *                                  Labeled("proposals", proposals by id) )) )
 *
 * Each map (certified-map.ts) holds Labeled(id as 8 bytes big-endian, Leaf(value)), with
 * fixed-size values in big-endian binary (see `encodeProposalTally`, `encodeItemTally` and the
 * backend README, "Certified tallies"): a third party recomputes a leaf from the numbers the
 * app shows without any library but SHA-256.
 *
 * Writes only mark ids (`proposalChanged`, `itemChanged`); `run` hashes them in messages of
 * their own and the canister certifies `certifiedData` after each commit.
 */
import {
  ascii,
  EMPTY_HASH,
  fork,
  forkHashInto,
  labeled,
  labeledHashInto,
  HashTreeWriter,
  type HashTree,
} from './hash-tree';
import { CertifiedMap, type RunState } from './certified-map';
import type { Id, Opt, ProposalStatus, ProposalStatusKind } from '../model';
import { conflict, invalid, ok, type Result } from '../result';

export const TALLIES_LABEL = ascii('tallies');
export const ITEMS_LABEL = ascii('items');
export const PROPOSALS_LABEL = ascii('proposals');

/** What is certified of a proposal: its votes and its status (with the id it names). */
export type ProposalTallyFacts = { up: number; down: number; status: ProposalStatus };
/** What is certified of a roadmap item: its priority votes and supporters. */
export type ItemTallyFacts = { votes: number; supporters: number };

export type StatusCode = 'Open' | 'UnderReview' | 'Planned' | 'Declined' | 'Duplicate' | 'Done';
/** Status codes in the leaf: the byte is the index here. */
export const STATUS_CODES: readonly StatusCode[] = [
  'Open',
  'UnderReview',
  'Planned',
  'Declined',
  'Duplicate',
  'Done',
];

export const PROPOSAL_TALLY_BYTES = 17;
export const ITEM_TALLY_BYTES = 8;

/**
 * A proposal's leaf, 17 bytes: up (u32), down (u32), status (u8: the index in STATUS_CODES),
 * the id the status names (u64: the item for Planned, the proposal for Duplicate, else 0), all
 * big-endian. A Declined status's reason is text and is not certified.
 */
export function encodeProposalTally(facts: ProposalTallyFacts): Uint8Array {
  const bytes = new Uint8Array(PROPOSAL_TALLY_BYTES);
  writeU32(bytes, 0, facts.up);
  writeU32(bytes, 4, facts.down);
  const code = Object.keys(facts.status)[0] as StatusCode;
  bytes[8] = STATUS_CODES.indexOf(code);
  const named =
    'Planned' in facts.status
      ? facts.status.Planned
      : 'Duplicate' in facts.status
        ? facts.status.Duplicate
        : 0n;
  for (let i = 16, rest = named; i >= 9; i--, rest >>= 8n) bytes[i] = Number(rest & 0xffn);
  return bytes;
}

/** An item's leaf, 8 bytes: priority votes (u32) and supporters (u32), big-endian. */
export function encodeItemTally(facts: ItemTallyFacts): Uint8Array {
  const bytes = new Uint8Array(ITEM_TALLY_BYTES);
  writeU32(bytes, 0, facts.votes);
  writeU32(bytes, 4, facts.supporters);
  return bytes;
}

export type CertifiedProposalTally = {
  id: Id;
  up: number;
  down: number;
  status: ProposalStatusKind;
  /** The item (Planned) or proposal (Duplicate) the status names. */
  statusRef: Opt<Id>;
};
export type CertifiedItemTally = { id: Id; votes: number; supporters: number };

export function decodeProposalTally(id: Id, bytes: Uint8Array): CertifiedProposalTally {
  const status = STATUS_CODES[bytes[8]!];
  if (status === undefined || bytes.length !== PROPOSAL_TALLY_BYTES) {
    throw new Error('not a proposal tally');
  }
  const names = status === 'Planned' || status === 'Duplicate';
  return {
    id,
    up: readU32(bytes, 0),
    down: readU32(bytes, 4),
    status: { [status]: null } as ProposalStatusKind,
    statusRef: names ? [(BigInt(readU32(bytes, 9)) << 32n) | BigInt(readU32(bytes, 13))] : [],
  };
}

export function decodeItemTally(id: Id, bytes: Uint8Array): CertifiedItemTally {
  if (bytes.length !== ITEM_TALLY_BYTES) throw new Error('not an item tally');
  return { id, votes: readU32(bytes, 0), supporters: readU32(bytes, 4) };
}

/** How many proposals, and how many items, one proof may name. */
export const MAX_PROOF_ENTRIES = 100;

/** Ids as the codec decodes a `vec nat64`: a BigUint64Array (or an array, from tests). */
export type TallyProofRequest = {
  proposals: readonly Id[] | BigUint64Array;
  items: readonly Id[] | BigUint64Array;
};
/** A proof without its certificate, which only the canister's query can add. */
export type TallyProofBody = {
  /** The canister's whole tree, CBOR-encoded, revealing just the entries asked for. */
  witness: Uint8Array;
  /** The revealed entries, decoded; ids the certified tree does not hold (yet) are left out. */
  proposals: CertifiedProposalTally[];
  items: CertifiedItemTally[];
};

export type TallySource = {
  proposal(id: Id): ProposalTallyFacts | undefined;
  item(id: Id): ItemTallyFacts | undefined;
};

export class CertifiedTallies {
  private readonly proposals: CertifiedMap;
  private readonly items: CertifiedMap;
  /** The tallies subtree's hash as last committed. */
  private talliesHash: Uint8Array = EMPTY_HASH;
  /** Whether `talliesHash` was ever computed from built maps (and so certified). */
  private everReady = false;

  constructor(source: TallySource) {
    this.proposals = new CertifiedMap(
      PROPOSAL_TALLY_BYTES,
      (id) => {
        const facts = source.proposal(BigInt(id));
        return facts && encodeProposalTally(facts);
      },
      MAX_PROOF_ENTRIES,
    );
    this.items = new CertifiedMap(
      ITEM_TALLY_BYTES,
      (id) => {
        const facts = source.item(BigInt(id));
        return facts && encodeItemTally(facts);
      },
      MAX_PROOF_ENTRIES,
    );
  }

  /** Every proposal and item after an upgrade (ids ascending): the first batch hashes all. */
  adopt(proposalIds: readonly number[], itemIds: readonly number[]): void {
    this.proposals.adopt(proposalIds);
    this.items.adopt(itemIds);
  }

  /** A proposal's votes or status may have changed (or it is new): O(1). */
  proposalChanged(id: Id): void {
    this.proposals.touch(Number(id));
  }

  /** An item's priority votes may have changed (or it is new): O(1). */
  itemChanged(id: Id): void {
    this.items.touch(Number(id));
  }

  /** Entries waiting to be hashed. */
  pending(): number {
    return this.proposals.pending() + this.items.pending();
  }

  /** Whether both maps have been built since the canister started: only then is it certified. */
  ready(): boolean {
    return this.proposals.ready() && this.items.ready();
  }

  /**
   * Hashes pending entries until `stop` says so or none are left; true when the tallies'
   * hash changed (the canister then certifies `certifiedData` again).
   */
  run(stop: () => boolean): boolean {
    const states: RunState[] = [];
    // Items first: a roadmap has some dozens, so they never wait behind a long batch of
    // proposals. A map whose batch ends commits at once; the other never waits for it.
    states.push(this.items.run(stop));
    if (!stop()) states.push(this.proposals.run(stop));
    if (!states.includes('committed') || !this.ready()) return false;
    const hash = talliesRoot(this.items.root(), this.proposals.root());
    const changed = !this.everReady || !equal(hash, this.talliesHash);
    this.talliesHash = hash;
    this.everReady = true;
    return changed;
  }

  /**
   * The hash of the tallies subtree (the value under the label "tallies") as last certified,
   * or undefined before the first build. It stays while a map is built again (which its ids
   * would only need if they came out of sequence); proofs wait for `ready`.
   */
  certifiedRoot(): Uint8Array | undefined {
    return this.everReady ? this.talliesHash : undefined;
  }

  /**
   * Writes the tallies subtree revealing the given entries as committed (the certified ones):
   * a map nobody asked about is pruned; ids the tree does not have (yet) are left out.
   */
  writeWitness(out: HashTreeWriter, proposalIds: readonly number[], itemIds: readonly number[]) {
    out.fork();
    for (const [label, map, ids] of [
      [ITEMS_LABEL, this.items, itemIds],
      [PROPOSALS_LABEL, this.proposals, proposalIds],
    ] as const) {
      out.labeled(label);
      if (ids.length === 0) out.pruned(map.root());
      else map.writeWitness(out, ids);
    }
  }

  /**
   * The proof for a request, with the canister's tree (`certifiedTree`) around the tallies:
   * `httpExprHash` is the hash of the part beside them, revealed as pruned.
   */
  proof(request: TallyProofRequest, httpExprHash: Uint8Array): Result<TallyProofBody> {
    for (const field of ['proposals', 'items'] as const) {
      if (request[field].length > MAX_PROOF_ENTRIES) {
        return invalid(field, `at most ${MAX_PROOF_ENTRIES} ids per call`);
      }
    }
    if (!this.ready()) {
      return conflict('the tallies are being certified after an upgrade; try again in a minute');
    }
    const proposalIds = unique(request.proposals);
    const itemIds = unique(request.items);
    // The canister's tree: Fork(Pruned(http_expr), Labeled("tallies", …)), see certifiedTree.
    const out = new HashTreeWriter();
    out.fork();
    out.pruned(httpExprHash);
    out.labeled(TALLIES_LABEL);
    this.writeWitness(out, proposalIds, itemIds);
    const proposals: CertifiedProposalTally[] = [];
    for (const id of proposalIds) {
      const tally = this.proposalTally(BigInt(id));
      if (tally !== undefined) proposals.push(tally);
    }
    const items: CertifiedItemTally[] = [];
    for (const id of itemIds) {
      const tally = this.itemTally(BigInt(id));
      if (tally !== undefined) items.push(tally);
    }
    return ok({ witness: out.finish(), proposals, items });
  }

  /** The certified tally of a proposal, as the committed tree has it. */
  proposalTally(id: Id): CertifiedProposalTally | undefined {
    const bytes = this.proposals.value(Number(id));
    return bytes && decodeProposalTally(id, bytes);
  }

  itemTally(id: Id): CertifiedItemTally | undefined {
    const bytes = this.items.value(Number(id));
    return bytes && decodeItemTally(id, bytes);
  }

  /** How many entries each committed map holds. */
  sizes(): { proposals: number; items: number } {
    return { proposals: this.proposals.entries(), items: this.items.entries() };
  }
}

/** Fork(Labeled("items", items), Labeled("proposals", proposals))'s hash. */
function talliesRoot(items: Uint8Array, proposals: Uint8Array): Uint8Array {
  const left = new Uint8Array(32);
  const right = new Uint8Array(32);
  labeledHashInto(ITEMS_LABEL, items, 0, left);
  labeledHashInto(PROPOSALS_LABEL, proposals, 0, right);
  const out = new Uint8Array(32);
  forkHashInto(left, 0, right, 0, out);
  return out;
}

/**
 * The canister's certified data: Fork(`httpExpr`, Labeled("tallies", tallies)), where
 * `httpExprHash` is the hash of the gateway's Labeled("http_expr", …) subtree.
 */
export function certifiedData(httpExprHash: Uint8Array, talliesHash: Uint8Array): Uint8Array {
  const right = new Uint8Array(32);
  labeledHashInto(TALLIES_LABEL, talliesHash, 0, right);
  const out = new Uint8Array(32);
  forkHashInto(httpExprHash, 0, right, 0, out);
  return out;
}

/** The whole tree with the gateway's part `http` (whole or pruned) and the tallies' part. */
export function certifiedTree(http: HashTree, tallies: HashTree): HashTree {
  return fork(http, labeled(TALLIES_LABEL, tallies));
}

/** Distinct ids as numbers (ids stay far below 2^53). */
function unique(ids: readonly Id[] | BigUint64Array): number[] {
  const seen = new Set<number>();
  for (const id of ids) seen.add(Number(id));
  return [...seen];
}

function writeU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}

function readU32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0
  );
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
