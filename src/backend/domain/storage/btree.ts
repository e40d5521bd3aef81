/**
 * A B+tree of keys over a page store, giving ordered range scans to key-value maps that only
 * offer point reads and writes (Azle's StableBTreeMap iterates by position, which costs
 * O(position) per page). Each node is one page; a scan costs O(log n) page reads to seek plus
 * one page per `MAX_KEYS` keys returned.
 */

export type BTreeNode =
  | { kind: 'leaf'; keys: string[] }
  /** `children[i]` holds keys k with keys[i-1] <= k < keys[i]. */
  | { kind: 'branch'; keys: string[]; children: number[] };

export type BTreeMeta = { root: number; nextPage: number };

export interface PageStore {
  readMeta(): BTreeMeta | undefined;
  writeMeta(meta: BTreeMeta): void;
  read(page: number): BTreeNode | undefined;
  write(page: number, node: BTreeNode): void;
  remove(page: number): void;
}

const MAX_KEYS = 16;

export class BTreeIndex {
  constructor(private readonly pages: PageStore) {}

  has(key: string): boolean {
    const path = this.descend(this.meta().root, key);
    const leaf = path[path.length - 1]!.node;
    return leaf.keys[lowerBound(leaf.keys, key)] === key;
  }

  /** Adds the key; returns false when it was already there. */
  insert(key: string): boolean {
    const meta = this.meta();
    const path = this.descend(meta.root, key);
    const leafStep = path[path.length - 1]!;
    const leaf = leafStep.node;
    const at = lowerBound(leaf.keys, key);
    if (leaf.keys[at] === key) return false;
    leaf.keys.splice(at, 0, key);
    this.writeAndSplit(meta, path, path.length - 1);
    return true;
  }

  /** Removes the key; returns false when it was not there. */
  delete(key: string): boolean {
    const meta = this.meta();
    const path = this.descend(meta.root, key);
    const leaf = path[path.length - 1]!.node;
    const at = lowerBound(leaf.keys, key);
    if (leaf.keys[at] !== key) return false;
    leaf.keys.splice(at, 1);
    let level = path.length - 1;
    // Empty nodes leave the tree so scans never walk through them; partly filled nodes stay,
    // which keeps deletes cheap at the price of some slack.
    while (level > 0 && isEmpty(path[level]!.node)) {
      this.pages.remove(path[level]!.page);
      const parent = path[level - 1]!.node as Extract<BTreeNode, { kind: 'branch' }>;
      const childIndex = path[level]!.childIndex;
      parent.children.splice(childIndex, 1);
      parent.keys.splice(childIndex === 0 ? 0 : childIndex - 1, 1);
      level--;
    }
    this.pages.write(path[level]!.page, path[level]!.node);
    this.collapseRoot(meta);
    return true;
  }

  /** Up to `limit` keys starting with `prefix`, ascending, strictly after `after` if given. */
  scan(prefix: string, after: string | undefined, limit: number): string[] {
    const out: string[] = [];
    if (limit <= 0) return out;
    const exclusive = after !== undefined && after >= prefix;
    const from = exclusive ? after : prefix;
    // The branches above the current leaf, with the child index taken in each, so the next
    // leaf is reached by climbing only as far as needed instead of seeking from the root.
    const stack: Array<{ node: Extract<BTreeNode, { kind: 'branch' }>; index: number }> = [];
    let node = this.node(this.meta().root);
    while (node.kind === 'branch') {
      const index = upperBound(node.keys, from);
      stack.push({ node, index });
      node = this.node(node.children[index]!);
    }
    let leaf: { keys: string[] } = node;
    let start = exclusive ? upperBound(leaf.keys, from) : lowerBound(leaf.keys, from);
    for (;;) {
      for (let i = start; i < leaf.keys.length; i++) {
        const key = leaf.keys[i]!;
        if (!key.startsWith(prefix)) return out;
        out.push(key);
        if (out.length >= limit) return out;
      }
      while (
        stack.length > 0 &&
        stack[stack.length - 1]!.index + 1 >= stack[stack.length - 1]!.node.children.length
      ) {
        stack.pop();
      }
      const parent = stack[stack.length - 1];
      if (parent === undefined) return out;
      parent.index++;
      let next = this.node(parent.node.children[parent.index]!);
      while (next.kind === 'branch') {
        stack.push({ node: next, index: 0 });
        next = this.node(next.children[0]!);
      }
      leaf = next;
      start = 0;
    }
  }

  private meta(): BTreeMeta {
    const meta = this.pages.readMeta();
    if (meta !== undefined) return meta;
    const fresh = { root: 1, nextPage: 2 };
    this.pages.write(1, { kind: 'leaf', keys: [] });
    this.pages.writeMeta(fresh);
    return fresh;
  }

  private node(page: number): BTreeNode {
    const node = this.pages.read(page);
    if (node === undefined) throw new Error(`B+tree page ${page} is missing`);
    return node;
  }

  private descend(root: number, key: string): PathStep[] {
    const path: PathStep[] = [];
    let page = root;
    let childIndex = 0;
    for (;;) {
      const node = this.node(page);
      path.push({ page, node, childIndex });
      if (node.kind === 'leaf') return path;
      childIndex = upperBound(node.keys, key);
      page = node.children[childIndex]!;
    }
  }

  private writeAndSplit(meta: BTreeMeta, path: PathStep[], level: number): void {
    // Metadata changes only when a split allocates pages; most inserts leave it alone.
    const leafLevel = level;
    for (;;) {
      const step = path[level]!;
      const node = step.node;
      if (node.keys.length <= MAX_KEYS) {
        this.pages.write(step.page, node);
        if (level !== leafLevel) this.pages.writeMeta(meta);
        return;
      }
      const { left, right, separator } = split(node);
      const rightPage = meta.nextPage++;
      this.pages.write(step.page, left);
      this.pages.write(rightPage, right);
      if (level === 0) {
        const newRoot = meta.nextPage++;
        this.pages.write(newRoot, {
          kind: 'branch',
          keys: [separator],
          children: [step.page, rightPage],
        });
        meta.root = newRoot;
        this.pages.writeMeta(meta);
        return;
      }
      const parent = path[level - 1]!.node as Extract<BTreeNode, { kind: 'branch' }>;
      parent.keys.splice(step.childIndex, 0, separator);
      parent.children.splice(step.childIndex + 1, 0, rightPage);
      level--;
    }
  }

  private collapseRoot(meta: BTreeMeta): void {
    let root = this.node(meta.root);
    let changed = false;
    while (root.kind === 'branch' && root.children.length === 1) {
      this.pages.remove(meta.root);
      meta.root = root.children[0]!;
      root = this.node(meta.root);
      changed = true;
    }
    if (root.kind === 'branch' && root.children.length === 0) {
      this.pages.write(meta.root, { kind: 'leaf', keys: [] });
    }
    if (changed) this.pages.writeMeta(meta);
  }
}

type PathStep = { page: number; node: BTreeNode; childIndex: number };

function isEmpty(node: BTreeNode): boolean {
  return node.kind === 'leaf' ? node.keys.length === 0 : node.children.length === 0;
}

function split(node: BTreeNode): { left: BTreeNode; right: BTreeNode; separator: string } {
  const mid = node.keys.length >>> 1;
  if (node.kind === 'leaf') {
    const right = node.keys.slice(mid);
    return {
      left: { kind: 'leaf', keys: node.keys.slice(0, mid) },
      right: { kind: 'leaf', keys: right },
      separator: right[0]!,
    };
  }
  return {
    left: {
      kind: 'branch',
      keys: node.keys.slice(0, mid),
      children: node.children.slice(0, mid + 1),
    },
    right: {
      kind: 'branch',
      keys: node.keys.slice(mid + 1),
      children: node.children.slice(mid + 1),
    },
    separator: node.keys[mid]!,
  };
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
