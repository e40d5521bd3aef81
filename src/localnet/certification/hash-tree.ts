/**
 * Hash trees as the IC interface specification ("Certification") defines them: the labeled
 * state tree, its root hash, and witnesses pruned to the paths a client asked for.
 *
 * The state is first described as a `LabeledTree` (nested maps of byte labels ending in leaf
 * values) because pruning and hashing are both naturally recursive over it; the wire form
 * (`HashTree`) is only produced at the end, in the tuple shape the agent decodes.
 */
import { sha256 } from '@noble/hashes/sha2';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils';

export const NodeType = { Empty: 0, Fork: 1, Labeled: 2, Leaf: 3, Pruned: 4 } as const;

export type HashTree =
  | [typeof NodeType.Empty]
  | [typeof NodeType.Fork, HashTree, HashTree]
  | [typeof NodeType.Labeled, Uint8Array, HashTree]
  | [typeof NodeType.Leaf, Uint8Array]
  | [typeof NodeType.Pruned, Uint8Array];

/** A subtree: either a leaf value or a map from labels to subtrees. */
export type LabeledTree = Uint8Array | LabeledMap;
export type LabeledMap = Map<string, { label: Uint8Array; tree: LabeledTree }>;

/** A path is a list of labels, e.g. `[utf8("canister"), <id bytes>, utf8("controllers")]`. */
export type TreePath = Uint8Array[];

function domainSeparator(name: string): Uint8Array {
  const bytes = utf8ToBytes(name);
  return concatBytes(Uint8Array.of(bytes.length), bytes);
}

const EMPTY_DS = domainSeparator('ic-hashtree-empty');
const FORK_DS = domainSeparator('ic-hashtree-fork');
const LABELED_DS = domainSeparator('ic-hashtree-labeled');
const LEAF_DS = domainSeparator('ic-hashtree-leaf');

/** Root hash of a wire-form tree (`reconstruct` in the specification). */
export function reconstruct(tree: HashTree): Uint8Array {
  switch (tree[0]) {
    case NodeType.Empty:
      return sha256(EMPTY_DS);
    case NodeType.Fork:
      return sha256(concatBytes(FORK_DS, reconstruct(tree[1]), reconstruct(tree[2])));
    case NodeType.Labeled:
      return sha256(concatBytes(LABELED_DS, tree[1], reconstruct(tree[2])));
    case NodeType.Leaf:
      return sha256(concatBytes(LEAF_DS, tree[1]));
    case NodeType.Pruned:
      return tree[1];
  }
}

/** Byte-wise lexicographic order, the order the specification requires for sibling labels. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function labelKey(label: Uint8Array): string {
  let s = '';
  for (const b of label) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Builds a map node; later entries with the same label replace earlier ones. */
export function labeled(entries: Iterable<[Uint8Array | string, LabeledTree]>): LabeledMap {
  const map: LabeledMap = new Map();
  for (const [rawLabel, tree] of entries) {
    const label = typeof rawLabel === 'string' ? utf8ToBytes(rawLabel) : rawLabel;
    map.set(labelKey(label), { label, tree });
  }
  return map;
}

type Child = { label: Uint8Array; tree: LabeledTree };

/**
 * Children in label order, kept per map: a batch of certificates draws one witness per
 * request from the same state tree, and sorting its request statuses for every witness made
 * a batch cost quadratic time. A map must not change once it has been hashed or witnessed.
 */
const childrenCache = new WeakMap<LabeledMap, Child[]>();

function sortedChildren(map: LabeledMap): Child[] {
  let children = childrenCache.get(map);
  if (!children) {
    children = [...map.values()].sort((x, y) => compareBytes(x.label, y.label));
    childrenCache.set(map, children);
  }
  return children;
}

/**
 * Arranges sibling nodes (already in label order) into a balanced binary fork tree. The shape
 * is a pure function of the number of siblings, so a witness built from the same sibling list
 * hashes to the same root as the full tree.
 */
function forks(nodes: HashTree[]): HashTree {
  if (nodes.length === 0) return [NodeType.Empty];
  if (nodes.length === 1) return nodes[0] as HashTree;
  const mid = Math.ceil(nodes.length / 2);
  return [NodeType.Fork, forks(nodes.slice(0, mid)), forks(nodes.slice(mid))];
}

/** The complete wire-form tree. */
export function toHashTree(tree: LabeledTree): HashTree {
  if (tree instanceof Uint8Array) return [NodeType.Leaf, tree];
  return forks(
    sortedChildren(tree).map(({ label, tree: child }): HashTree => {
      return [NodeType.Labeled, label, toHashTree(child)];
    }),
  );
}

const hashCache = new WeakMap<LabeledMap, Uint8Array>();

/** Root hash of a labeled tree without materialising its wire form. */
export function labeledTreeHash(tree: LabeledTree): Uint8Array {
  if (tree instanceof Uint8Array) return sha256(concatBytes(LEAF_DS, tree));
  const cached = hashCache.get(tree);
  if (cached) return cached;
  const children = sortedChildren(tree);
  const hash = rangeHash(tree, children, 0, children.length);
  hashCache.set(tree, hash);
  return hash;
}

/**
 * A witness for `paths`, as the IC builds them: everything on a requested path is revealed,
 * and everything else is pruned away whole, so a lookup of a path that was not requested is
 * Unknown, never Absent. Where a requested label does not exist, its neighbours' labels stay
 * visible (contents pruned) to prove its absence. A path that ends at an inner node reveals
 * the whole subtree below it.
 */
export function witness(tree: LabeledTree, paths: TreePath[]): HashTree {
  if (paths.length === 0) return [NodeType.Pruned, labeledTreeHash(tree)];
  if (tree instanceof Uint8Array || paths.some((p) => p.length === 0)) return toHashTree(tree);
  const byLabel = new Map<string, { label: Uint8Array; rest: TreePath[] }>();
  for (const path of paths) {
    const label = path[0] as Uint8Array;
    const key = labelKey(label);
    const entry = byLabel.get(key) ?? { label, rest: [] };
    entry.rest.push(path.slice(1));
    byLabel.set(key, entry);
  }
  const children = sortedChildren(tree);
  const keep = new Array<boolean>(children.length).fill(false);
  for (const [key, { label }] of byLabel) {
    if (tree.has(key)) continue;
    // Absence proof: the nearest labels on either side.
    const after = children.findIndex((c) => compareBytes(c.label, label) > 0);
    if (after === -1) {
      if (children.length > 0) keep[children.length - 1] = true;
    } else {
      keep[after] = true;
      if (after > 0) keep[after - 1] = true;
    }
  }
  const requestedAt = new Array<TreePath[] | undefined>(children.length);
  children.forEach(({ label }, i) => {
    const requested = byLabel.get(labelKey(label));
    if (requested) {
      keep[i] = true;
      requestedAt[i] = requested.rest;
    }
  });
  // kept[i]: how many of the first i children are kept, so a range without any is O(1) to find.
  const kept = new Array<number>(children.length + 1);
  kept[0] = 0;
  for (let i = 0; i < children.length; i++) kept[i + 1] = (kept[i] as number) + (keep[i] ? 1 : 0);
  const node = (i: number): HashTree => {
    const { label, tree: child } = children[i] as Child;
    const rest = requestedAt[i];
    return [
      NodeType.Labeled,
      label,
      rest ? witness(child, rest) : [NodeType.Pruned, labeledTreeHash(child)],
    ];
  };
  return prunedForks(tree, children, kept, node, 0, children.length);
}

/**
 * `forks` over children [lo, hi), with every subtree that holds no kept node replaced by its
 * hash. Same shape as `forks`: the split point is a function of the range's length only.
 */
function prunedForks(
  map: LabeledMap,
  children: Child[],
  kept: number[],
  node: (i: number) => HashTree,
  lo: number,
  hi: number,
): HashTree {
  if (kept[hi] === kept[lo]) return [NodeType.Pruned, rangeHash(map, children, lo, hi)];
  if (hi - lo === 1) return node(lo);
  const mid = lo + Math.ceil((hi - lo) / 2);
  return [
    NodeType.Fork,
    prunedForks(map, children, kept, node, lo, mid),
    prunedForks(map, children, kept, node, mid, hi),
  ];
}

/** Hashes of pruned ranges of a map's children, shared by the witnesses of one state tree. */
const rangeCache = new WeakMap<LabeledMap, Map<number, Uint8Array>>();

/** Root hash of `forks` over the children [lo, hi) of `map`. */
function rangeHash(map: LabeledMap, children: Child[], lo: number, hi: number): Uint8Array {
  if (hi === lo) return reconstruct([NodeType.Empty]);
  let cache = rangeCache.get(map);
  if (!cache) {
    cache = new Map();
    rangeCache.set(map, cache);
  }
  const key = lo * (children.length + 1) + hi;
  let hash = cache.get(key);
  if (!hash) {
    if (hi - lo === 1) {
      const { label, tree } = children[lo] as Child;
      hash = sha256(concatBytes(LABELED_DS, label, labeledTreeHash(tree)));
    } else {
      const mid = lo + Math.ceil((hi - lo) / 2);
      hash = sha256(
        concatBytes(FORK_DS, rangeHash(map, children, lo, mid), rangeHash(map, children, mid, hi)),
      );
    }
    cache.set(key, hash);
  }
  return hash;
}

export type LookupResult =
  { status: 'found'; value: Uint8Array | HashTree } | { status: 'absent' } | { status: 'unknown' };

/**
 * Looks a path up in a wire-form tree with the specification's semantics (proper
 * lexicographic label order); used to check witnesses this module produces.
 */
export function lookupPath(tree: HashTree, path: TreePath): LookupResult {
  if (path.length === 0) {
    if (tree[0] === NodeType.Leaf) return { status: 'found', value: tree[1] };
    if (tree[0] === NodeType.Pruned) return { status: 'unknown' };
    return { status: 'found', value: tree };
  }
  const [label, ...rest] = path as [Uint8Array, ...Uint8Array[]];
  const found = findLabel(tree, label);
  if (found.status === 'found') return lookupPath(found.value, rest);
  return { status: found.status === 'unknown' ? 'unknown' : 'absent' };
}

type FindResult =
  { status: 'found'; value: HashTree } | { status: 'absent' | 'unknown' | 'less' | 'greater' };

function findLabel(tree: HashTree, label: Uint8Array): FindResult {
  const r = findLabelInner(tree, label);
  if (r.status === 'less' || r.status === 'greater') return { status: 'absent' };
  return r;
}

function findLabelInner(tree: HashTree, label: Uint8Array): FindResult {
  switch (tree[0]) {
    case NodeType.Labeled: {
      const c = compareBytes(label, tree[1]);
      if (c === 0) return { status: 'found', value: tree[2] };
      return { status: c > 0 ? 'greater' : 'less' };
    }
    case NodeType.Fork: {
      const left = findLabelInner(tree[1], label);
      if (left.status === 'greater' || left.status === 'unknown') {
        const right = findLabelInner(tree[2], label);
        if (right.status === 'less')
          return { status: left.status === 'greater' ? 'absent' : 'unknown' };
        return right;
      }
      return left;
    }
    case NodeType.Pruned:
      return { status: 'unknown' };
    default:
      return { status: 'absent' };
  }
}

/** Unsigned LEB128, the encoding of natural numbers in the state tree (e.g. `/time`). */
export function leb128(value: bigint | number): Uint8Array {
  let v = BigInt(value);
  if (v < 0n) throw new RangeError('leb128 encodes natural numbers only');
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return Uint8Array.from(out);
}

export function decodeLeb128(bytes: Uint8Array): bigint {
  let result = 0n;
  let shift = 0n;
  for (const byte of bytes) {
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return result;
    shift += 7n;
  }
  throw new RangeError('truncated LEB128');
}
