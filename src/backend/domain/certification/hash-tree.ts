/**
 * Hash trees in the format of the IC interface specification ("Certification" → "Encoding of
 * certificates"): what a canister's certified data is the root hash of, and what a witness
 * sent to a client is. A tree is Empty, Fork, Labeled, Leaf or Pruned, and its root hash is
 *
 *   Empty          H(domain_sep("ic-hashtree-empty"))
 *   Fork(l, r)     H(domain_sep("ic-hashtree-fork") · reconstruct(l) · reconstruct(r))
 *   Labeled(k, t)  H(domain_sep("ic-hashtree-labeled") · k · reconstruct(t))
 *   Leaf(v)        H(domain_sep("ic-hashtree-leaf") · v)
 *   Pruned(h)      h
 *
 * with H = SHA-256 and domain_sep(s) = one byte |s| · s. The node hashes here write into a
 * caller's buffer, so that the certified maps (certified-map.ts) keep their hashes in flat
 * arrays instead of one object per node.
 */
import { sha256Into } from './sha256';

export type HashTree =
  [0] | [1, HashTree, HashTree] | [2, Uint8Array, HashTree] | [3, Uint8Array] | [4, Uint8Array];

export const EMPTY: [0] = [0];
export const fork = (left: HashTree, right: HashTree): HashTree => [1, left, right];
export const labeled = (label: Uint8Array, tree: HashTree): HashTree => [2, label, tree];
export const leaf = (value: Uint8Array): HashTree => [3, value];
export const pruned = (hash: Uint8Array): HashTree => [4, hash];

/** ASCII only, which every label and separator here is (no TextEncoder: see azle notes). */
export function ascii(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function domainSeparator(name: string): Uint8Array {
  const bytes = new Uint8Array(name.length + 1);
  bytes[0] = name.length;
  bytes.set(ascii(name), 1);
  return bytes;
}

const EMPTY_SEP = domainSeparator('ic-hashtree-empty');
const FORK_SEP = domainSeparator('ic-hashtree-fork');
const LABELED_SEP = domainSeparator('ic-hashtree-labeled');
const LEAF_SEP = domainSeparator('ic-hashtree-leaf');

/** One scratch buffer for every hash input: inputs are assembled here, never allocated. */
let scratch = new Uint8Array(256);

function room(size: number): Uint8Array {
  if (scratch.length < size) scratch = new Uint8Array(size * 2);
  return scratch;
}

export const EMPTY_HASH = (() => {
  const out = new Uint8Array(32);
  sha256Into(EMPTY_SEP, out);
  return out;
})();

/** Fork(l, r)'s hash, from the two 32-byte hashes at `left[leftAt]` and `right[rightAt]`. */
export function forkHashInto(
  left: Uint8Array,
  leftAt: number,
  right: Uint8Array,
  rightAt: number,
  out: Uint8Array,
  outAt = 0,
): void {
  const n = FORK_SEP.length;
  const input = room(n + 64);
  input.set(FORK_SEP, 0);
  input.set(left.subarray(leftAt, leftAt + 32), n);
  input.set(right.subarray(rightAt, rightAt + 32), n + 32);
  sha256Into(input, out, outAt, n + 64);
}

/** Labeled(label, t)'s hash, from t's 32-byte hash at `sub[subAt]`. */
export function labeledHashInto(
  label: Uint8Array,
  sub: Uint8Array,
  subAt: number,
  out: Uint8Array,
  outAt = 0,
): void {
  const n = LABELED_SEP.length;
  const input = room(n + label.length + 32);
  input.set(LABELED_SEP, 0);
  input.set(label, n);
  input.set(sub.subarray(subAt, subAt + 32), n + label.length);
  sha256Into(input, out, outAt, n + label.length + 32);
}

/** Leaf(value)'s hash. */
export function leafHashInto(value: Uint8Array, out: Uint8Array, outAt = 0): void {
  const n = LEAF_SEP.length;
  const input = room(n + value.length);
  input.set(LEAF_SEP, 0);
  input.set(value, n);
  sha256Into(input, out, outAt, n + value.length);
}

/** Labeled(label, Leaf(value))'s hash: an entry of a certified map. */
export function labeledLeafHashInto(
  label: Uint8Array,
  value: Uint8Array,
  out: Uint8Array,
  outAt = 0,
): void {
  leafHashInto(value, out, outAt);
  labeledHashInto(label, out, outAt, out, outAt);
}

/** The root hash of a tree (the spec's `reconstruct`). */
export function reconstruct(tree: HashTree): Uint8Array {
  const out = new Uint8Array(32);
  switch (tree[0]) {
    case 0:
      out.set(EMPTY_HASH);
      break;
    case 1:
      forkHashInto(reconstruct(tree[1]), 0, reconstruct(tree[2]), 0, out);
      break;
    case 2:
      labeledHashInto(tree[1], reconstruct(tree[2]), 0, out);
      break;
    case 3:
      leafHashInto(tree[1], out);
      break;
    case 4:
      out.set(tree[1]);
      break;
  }
  return out;
}

/** The tree in CBOR (see `HashTreeWriter`). */
export function encodeHashTree(tree: HashTree): Uint8Array {
  const out = new HashTreeWriter();
  out.tree(tree);
  return out.finish();
}

/**
 * Writes a tree in CBOR as the IC sends trees (and `@dfinity/agent` reads them): the
 * self-describing tag 55799, then each node an array of its tag (0–4) and its parts, byte
 * strings for labels, values and hashes. Nodes are written in pre-order as a caller walks its
 * own structure (a Fork, then its left and right subtrees), so a witness never exists as
 * objects: here every object and every byte written one at a time costs thousands of
 * instructions, and a witness is mostly 32-byte hashes, copied with `set`.
 */
export class HashTreeWriter {
  private bytes = new Uint8Array(1024);
  private length = 0;

  constructor() {
    this.head(6, 55799);
  }

  empty(): void {
    this.head(4, 1);
    this.head(0, 0);
  }

  /** A Fork: write its left, then its right subtree next. */
  fork(): void {
    this.room(2);
    this.bytes[this.length++] = 0x83; // array(3)
    this.bytes[this.length++] = 1;
  }

  /** A Labeled node: write its subtree next. */
  labeled(label: Uint8Array): void {
    this.head(4, 3);
    this.head(0, 2);
    this.byteString(label, 0, label.length);
  }

  leaf(value: Uint8Array, at = 0, length = value.length): void {
    this.head(4, 2);
    this.head(0, 3);
    this.byteString(value, at, length);
  }

  /** Bytes that are already the CBOR of a subtree (a certified map's witness). */
  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /**
   * A Pruned node: the 32-byte hash at `hashes[at]`. Most of a witness, so its four bytes of
   * heads are written at once: array(2), 4, bytes(32).
   */
  pruned(hashes: Uint8Array, at = 0): void {
    this.room(36);
    const b = this.bytes;
    const n = this.length;
    b[n] = 0x82;
    b[n + 1] = 4;
    b[n + 2] = 0x58;
    b[n + 3] = 32;
    b.set(hashes.subarray(at, at + 32), n + 4);
    this.length = n + 36;
  }

  tree(tree: HashTree): void {
    switch (tree[0]) {
      case 0:
        return this.empty();
      case 1:
        this.fork();
        this.tree(tree[1]);
        return this.tree(tree[2]);
      case 2:
        this.labeled(tree[1]);
        return this.tree(tree[2]);
      case 3:
        return this.leaf(tree[1]);
      case 4:
        return this.pruned(tree[1]);
    }
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  private room(size: number): void {
    if (this.length + size <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(2 * this.bytes.length, this.length + size));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  private byteString(source: Uint8Array, at: number, length: number): void {
    this.head(2, length);
    this.room(length);
    this.bytes.set(source.subarray(at, at + length), this.length);
    this.length += length;
  }

  /** A CBOR item head: major type and argument (below 2^32 here). */
  private head(major: number, value: number): void {
    this.room(5);
    const m = major << 5;
    const b = this.bytes;
    let at = this.length;
    if (value < 24) b[at++] = m | value;
    else if (value < 0x100) {
      b[at++] = m | 24;
      b[at++] = value;
    } else if (value < 0x10000) {
      b[at++] = m | 25;
      b[at++] = value >> 8;
      b[at++] = value & 0xff;
    } else {
      b[at++] = m | 26;
      b[at++] = value >>> 24;
      b[at++] = (value >> 16) & 0xff;
      b[at++] = (value >> 8) & 0xff;
      b[at++] = value & 0xff;
    }
    this.length = at;
  }
}
