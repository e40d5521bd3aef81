/**
 * A certified map from ids to fixed-size values, as one subtree of the canister's hash tree:
 * each entry is Labeled(id as 8 bytes big-endian, Leaf(value)), and the entries, in id order,
 * hang from a binary tree of Forks whose shape depends only on how many entries there are —
 * the shape of RFC 6962's Merkle trees: over n entries, a perfect tree of 2^k ≥ n leaves with
 * the subtrees that hold no entry left out (a Fork with only a left child is that child).
 *
 * Why this shape: ids are handed out in sequence, so a new entry is always the last one and
 * only its path changes; an entry's position never moves; and every node has a fixed place in
 * one flat region per level (level h holds ⌈n / 2^h⌉ slots), so the tree costs about 76 bytes
 * per entry plus its value, and no object per node.
 *
 * A slot is the node's hash behind the CBOR a witness writes for it (`SLOT_HEADER`: a Fork's
 * head, then a Pruned node's), and every level lives in one buffer with room for a witness
 * after them: writing a witness is then one `copyWithin` per node of it, a few thousand
 * instructions, where a call or an allocation per node cost five times that, and a witness
 * of 20 entries among 100,000 has some 500 nodes.
 *
 * Hashing is slow here (about a million instructions per SHA-256 block, and a changed entry
 * rehashes its path: about 2 log2 n + 3 blocks), so writes only mark ids (`touch`, O(1)) and
 * `run` does the hashing in batches that may span several messages. A batch stages what it
 * computes and commits it at its end, so the committed tree — the one `root` and `witness`
 * read, whose root the canister certifies — only ever moves from one complete state to the
 * next. Only the first build (after an install or upgrade, when nothing is certified yet)
 * writes in place.
 */
import { EMPTY_HASH, forkHashInto, labeledLeafHashInto, type HashTreeWriter } from './hash-tree';

/** The CBOR of Fork (array(3), tag 1) and of Pruned with a 32-byte hash (array(2), tag 4, bytes(32)). */
const SLOT_HEADER = [0x83, 1, 0x82, 4, 0x58, 32];
const FORK_BYTES = 2;
const HASH_AT = SLOT_HEADER.length;
const SLOT = HASH_AT + 32;

/** The label of an entry: its id as a nat64, big-endian, so labels sort as ids do. */
export function idLabel(id: number): Uint8Array {
  const label = new Uint8Array(8);
  let rest = id;
  for (let i = 7; i >= 0 && rest > 0; i--) {
    label[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return label;
}

/** Positions changed at one level of the batch, in ascending order, and how far it got. */
type Batch = {
  level: number;
  positions: number[];
  cursor: number;
  /** The positions of this level whose hash changed: their parents are the next level's. */
  changed: number[];
  /** Entries the batch adds (their ids, in order) and the size it leaves the map with. */
  size: number;
  /** Hashes and values computed by the batch, committed at its end; undefined: in place. */
  staged: Array<Map<number, Uint8Array>> | undefined;
  stagedValues: Map<number, Uint8Array> | undefined;
};

export type RunState = 'idle' | 'working' | 'committed';

export class CertifiedMap {
  /** Position ↔ id, ids ascending. */
  private readonly ids = new IdPositions();
  /** Values as committed, `width` bytes per position. */
  private values = new Uint8Array(0);
  /**
   * Committed hashes per level, in slots (see SLOT_HEADER): level 0 are the entries, the last
   * level the root. Each level is a view of `store`, where level h starts at `levelAt[h]`.
   */
  private levels: Uint8Array[] = [];
  private store = new Uint8Array(0);
  private levelAt: number[] = [];
  /** Where in `store` a witness is written, after the levels. */
  private scratchAt = 0;
  /** How many entries the committed tree has. */
  private size = 0;
  /** Ids written since the current batch started (or since the last one ended). */
  private readonly touched = new Set<number>();
  private batch: Batch | undefined;
  /** Whether a batch has ever been committed: until then nothing is certified. */
  private built = false;
  /** Entries taken by `adopt` that the first batch hashes, all of them. */
  private adopted = false;

  /**
   * `width`: the size of every value; `valueOf(id)` encodes an entry's current value, or
   * undefined for an id that has none (it is then left as it was).
   */
  constructor(
    private readonly width: number,
    private readonly valueOf: (id: number) => Uint8Array | undefined,
    /** The most entries one witness reveals (room for it is kept beside the levels). */
    private readonly maxRevealed: number,
  ) {
    // A witness writes a value's length in one byte (see writeEntry).
    if (width < 1 || width > 255) throw new Error('certified map: values are 1 to 255 bytes');
  }

  /** Marks an entry as written (new or changed): O(1), for every write path. */
  touch(id: number): void {
    this.touched.add(id);
  }

  /**
   * Takes every entry of a map rebuilt from records (after an upgrade), `ids` ascending and
   * each with a value: all of them are hashed by the first batch. Cheaper than touching each
   * (8 bytes of index an entry, no set), which matters in post_upgrade.
   */
  adopt(ids: readonly number[]): void {
    if (this.built || this.ids.length > 0)
      throw new Error('certified map: adopt into a new map only');
    for (const id of ids) this.ids.append(id);
    this.adopted = this.ids.length > 0;
  }

  /**
   * Work waiting: entries to hash, in the current batch or after it, and 1 for a map never
   * built (an empty one still has to become the empty tree).
   */
  pending(): number {
    const inBatch = this.batch === undefined ? 0 : this.batch.positions.length - this.batch.cursor;
    const adopted = this.adopted ? this.ids.length : 0;
    return inBatch + adopted + this.touched.size + (this.built ? 0 : 1);
  }

  /** Whether the committed tree exists (its root can be certified). */
  ready(): boolean {
    return this.built;
  }

  /** How many entries the committed tree has. */
  entries(): number {
    return this.size;
  }

  /** The root hash of the committed tree (Empty's hash when it has no entries). */
  root(): Uint8Array {
    if (this.size === 0) return EMPTY_HASH;
    const top = this.levels[levelCount(this.size) - 1]!;
    return top.subarray(HASH_AT, SLOT);
  }

  /** The committed value of an entry, or undefined when the committed tree does not have it. */
  value(id: number): Uint8Array | undefined {
    const position = this.ids.positionOf(id);
    if (position === undefined || position >= this.size) return undefined;
    return this.values.subarray(position * this.width, (position + 1) * this.width);
  }

  /**
   * Hashes until `stop` says so or nothing is left. `committed` when a batch ended (the root
   * may have changed), `working` when stopped inside one, `idle` when there was nothing to do.
   */
  run(stop: () => boolean): RunState {
    if (this.batch === undefined && !this.startBatch()) {
      if (this.built) return 'idle';
      // Nothing to hash and nothing built: the map is empty, and that is its first state.
      this.built = true;
      return 'committed';
    }
    const batch = this.batch!;
    const top = levelCount(batch.size) - 1;
    for (;;) {
      while (batch.cursor < batch.positions.length) {
        if (stop()) return 'working';
        const position = batch.positions[batch.cursor++]!;
        if (batch.level === 0 ? this.hashEntry(batch, position) : this.hashNode(batch, position)) {
          batch.changed.push(position);
        }
      }
      if (batch.level >= top || batch.changed.length === 0) break;
      const parents: number[] = [];
      for (const position of batch.changed) {
        const parent = position >> 1;
        if (parents[parents.length - 1] !== parent) parents.push(parent);
      }
      batch.level++;
      batch.positions = parents;
      batch.cursor = 0;
      batch.changed = [];
    }
    this.commit(batch);
    return 'committed';
  }

  /** Takes the touched ids into a new batch; false when there are none. */
  private startBatch(): boolean {
    if (this.touched.size === 0 && !this.adopted) return false;
    const added: number[] = [];
    const changed: number[] = [];
    if (this.adopted) {
      for (let position = 0; position < this.ids.length; position++) changed.push(position);
    }
    for (const id of this.touched) {
      const position = this.ids.positionOf(id);
      if (position === undefined) {
        if (this.valueOf(id) !== undefined) added.push(id);
      } else if (!this.adopted) changed.push(position);
    }
    this.adopted = false;
    this.touched.clear();
    added.sort((a, b) => a - b);
    const last = this.ids.last();
    if (added.length > 0 && added[0]! < last) {
      // An id below the last one cannot be appended; ids come in sequence, so this does not
      // happen, but if it did every position would move: the map is built again.
      this.rebuildWith(added);
      return this.startBatch();
    }
    for (const id of added) {
      changed.push(this.ids.append(id));
    }
    if (changed.length === 0) return false;
    changed.sort((a, b) => a - b);
    const inPlace = !this.built;
    this.batch = {
      level: 0,
      positions: changed,
      cursor: 0,
      changed: [],
      size: this.ids.length,
      staged: inPlace ? undefined : [],
      stagedValues: inPlace ? undefined : new Map(),
    };
    if (inPlace) this.grow(this.ids.length);
    return true;
  }

  private rebuildWith(added: number[]): void {
    const all = [...this.ids.all(), ...added].sort((a, b) => a - b);
    this.ids.clear();
    this.levels = [];
    this.store = new Uint8Array(0);
    this.levelAt = [];
    this.values = new Uint8Array(0);
    this.size = 0;
    this.built = false;
    for (const id of all) this.touched.add(id);
  }

  /** Hashes one entry; false when its value is what the committed tree already has. */
  private hashEntry(batch: Batch, position: number): boolean {
    const id = this.ids.idAt(position);
    const value = this.valueOf(id);
    const isNew = position >= this.size;
    if (value === undefined || value.length !== this.width) {
      if (!isNew) return false;
      throw new Error(`certified map: entry ${id} has no value of ${this.width} bytes`);
    }
    if (!isNew && equalBytes(value, this.values, position * this.width)) return false;
    const hash = new Uint8Array(32);
    labeledLeafHashInto(idLabel(id), value, hash);
    if (batch.staged === undefined) {
      this.values.set(value, position * this.width);
      this.levels[0]!.set(hash, position * SLOT + HASH_AT);
    } else {
      batch.stagedValues!.set(position, value.slice());
      stage(batch.staged, 0, position, hash);
    }
    return true;
  }

  /** Hashes one node at the batch's level from its children. */
  private hashNode(batch: Batch, index: number): boolean {
    const below = batch.level - 1;
    const childCount = Math.ceil(batch.size / 2 ** below);
    const [left, leftAt] = this.child(batch, below, 2 * index);
    const hash = new Uint8Array(32);
    if (2 * index + 1 < childCount) {
      const [right, rightAt] = this.child(batch, below, 2 * index + 1);
      forkHashInto(left, leftAt, right, rightAt, hash);
    } else {
      hash.set(left.subarray(leftAt, leftAt + 32));
    }
    if (batch.staged === undefined) this.levels[batch.level]!.set(hash, index * SLOT + HASH_AT);
    else stage(batch.staged, batch.level, index, hash);
    return true;
  }

  private child(batch: Batch, level: number, index: number): [Uint8Array, number] {
    const staged = batch.staged?.[level]?.get(index);
    return staged === undefined ? [this.levels[level]!, index * SLOT + HASH_AT] : [staged, 0];
  }

  private commit(batch: Batch): void {
    if (batch.staged !== undefined) {
      this.grow(batch.size);
      batch.staged.forEach((level, h) => {
        const hashes = this.levels[h]!;
        for (const [index, hash] of level) hashes.set(hash, index * SLOT + HASH_AT);
      });
      for (const [position, value] of batch.stagedValues!) {
        this.values.set(value, position * this.width);
      }
    }
    this.size = batch.size;
    this.built = true;
    this.batch = undefined;
  }

  /** Makes room in the committed arrays for `size` entries (capacity doubles). */
  private grow(size: number): void {
    if (this.values.length < size * this.width) {
      const values = new Uint8Array(
        Math.max(size, 2 * (this.values.length / this.width)) * this.width,
      );
      values.set(this.values);
      this.values = values;
    }
    const capacity = this.levels.length === 0 ? 0 : this.levels[0]!.length / SLOT;
    if (capacity >= size) return;
    this.layOut(Math.max(size, 2 * capacity));
  }

  /**
   * Moves the levels into a new buffer with room for `capacity` entries, and a witness's room
   * after them. New slots get their header; their hashes are written before anything reads them.
   */
  private layOut(capacity: number): void {
    const count = levelCount(capacity);
    const levelAt: number[] = [];
    let end = 0;
    for (let h = 0; h < count; h++) {
      levelAt.push(end);
      end += Math.ceil(capacity / 2 ** h) * SLOT;
    }
    // Per revealed entry: its way down and up (a Fork and a Pruned at most per level) and itself.
    const scratch = this.maxRevealed * (count * (2 * SLOT) + this.width + 24);
    const store = new Uint8Array(end + scratch);
    const levels: Uint8Array[] = [];
    for (let h = 0; h < count; h++) {
      const level = store.subarray(levelAt[h]!, levelAt[h]! + Math.ceil(capacity / 2 ** h) * SLOT);
      const old = this.levels[h];
      if (old !== undefined) level.set(old);
      fillHeaders(level, old === undefined ? 0 : old.length);
      levels.push(level);
    }
    this.store = store;
    this.levels = levels;
    this.levelAt = levelAt;
    this.scratchAt = end;
  }

  /**
   * Writes the committed tree with the entries of `ids` revealed (Labeled(id, Leaf(value)))
   * and everything else pruned to its hash; ids the committed tree does not have are left out.
   *
   * The witness is the union of the revealed entries' paths, in pre-order, written an entry at
   * a time without recursion: down from where the entry's path leaves the previous one's, a
   * Fork for every node with two children and, where the path turns right, the left child
   * pruned (one slot: the Fork's head then the Pruned node); then the entry; then up to where
   * the next entry's path leaves this one, the right child pruned wherever this path turned
   * left. Nodes with one child are no nodes of the tree (see the top of the file).
   */
  writeWitness(out: HashTreeWriter, ids: ArrayLike<number>): void {
    if (this.size === 0) return out.empty();
    const wanted: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const position = this.ids.positionOf(ids[i]!);
      if (position !== undefined && position < this.size) wanted.push(position);
    }
    wanted.sort((a, b) => a - b);
    let distinct = 0;
    for (let i = 0; i < wanted.length; i++) {
      if (i === 0 || wanted[i] !== wanted[i - 1]) wanted[distinct++] = wanted[i]!;
    }
    wanted.length = distinct;
    const top = levelCount(this.size) - 1;
    if (wanted.length === 0) return out.pruned(this.levels[top]!, HASH_AT);
    if (wanted.length > this.maxRevealed) {
      throw new Error(`certified map: a witness reveals at most ${this.maxRevealed} entries`);
    }
    // counts[h]: the nodes of level h; node i of level h has a right child when 2i + 1 < it.
    const counts: number[] = [];
    for (let h = 0, count = this.size; h <= top; h++, count = Math.ceil(count / 2)) {
      counts.push(count);
    }
    const store = this.store;
    const levelAt = this.levelAt;
    let o = this.scratchAt;
    let from = top;
    for (let j = 0; j < wanted.length; j++) {
      const p = wanted[j]!;
      // The level where the next entry's path leaves this one (above the top for the last).
      const meet = j + 1 === wanted.length ? top + 1 : 32 - Math.clz32(p ^ wanted[j + 1]!);
      // Down: the node above level b on the path, whose children are at level b.
      for (let b = from - 1; b >= 0; b--) {
        const child = p >> b;
        if ((child | 1) < counts[b]!) {
          const at = levelAt[b]! + (child & ~1) * SLOT;
          const length = (child & 1) === 1 ? SLOT : FORK_BYTES;
          store.copyWithin(o, at, at + length);
          o += length;
        }
      }
      o = this.writeEntry(o, p);
      // Up: only the levels where the path turned left (a 0 bit of p), lowest first.
      let lefts = ~p & (2 ** (meet - 1) - 1);
      while (lefts !== 0) {
        const bit = lefts & -lefts;
        lefts ^= bit;
        const b = 31 - Math.clz32(bit);
        const sibling = (p >> b) + 1;
        if (sibling < counts[b]!) {
          const at = levelAt[b]! + sibling * SLOT + FORK_BYTES;
          store.copyWithin(o, at, at + SLOT - FORK_BYTES);
          o += SLOT - FORK_BYTES;
        }
      }
      from = meet - 1;
    }
    out.raw(store.subarray(this.scratchAt, o));
  }

  /** Writes Labeled(id, Leaf(value)) of the entry at `position` at `o`; returns where it ends. */
  private writeEntry(o: number, position: number): number {
    const store = this.store;
    const width = this.width;
    // array(3), tag 2, bytes(8) label; array(2), tag 3, bytes(width) value.
    store[o] = 0x83;
    store[o + 1] = 2;
    store[o + 2] = 0x48;
    store.set(idLabel(this.ids.idAt(position)), o + 3);
    store[o + 11] = 0x82;
    store[o + 12] = 3;
    let at = o + 13;
    if (width < 24) {
      store[at++] = 0x40 + width;
    } else {
      store[at++] = 0x58;
      store[at++] = width;
    }
    store.set(this.values.subarray(position * width, (position + 1) * width), at);
    return at + width;
  }
}

/** Writes SLOT_HEADER into every slot of `level` from byte `from` on (doubling copies). */
function fillHeaders(level: Uint8Array, from: number): void {
  if (from >= level.length) return;
  level.set(SLOT_HEADER, from);
  let filled = SLOT;
  while (from + filled < level.length) {
    const length = Math.min(filled, level.length - from - filled);
    level.copyWithin(from + filled, from, from + length);
    filled += length;
  }
}

/**
 * Ids and their positions, for ids handed out in sequence (dense, from 1): two growing
 * Int32Arrays, 8 bytes an entry where a Map entry and an array element cost some 60 here.
 */
class IdPositions {
  private idOf: Int32Array = new Int32Array(64);
  private positions: Int32Array = new Int32Array(64).fill(-1);
  length = 0;

  positionOf(id: number): number | undefined {
    if (!(id >= 0 && id < this.positions.length)) return undefined;
    const position = this.positions[id]!;
    return position < 0 ? undefined : position;
  }

  idAt(position: number): number {
    return this.idOf[position]!;
  }

  last(): number {
    return this.length === 0 ? -1 : this.idOf[this.length - 1]!;
  }

  /** Appends an id above every other; returns its position. */
  append(id: number): number {
    if (!Number.isInteger(id) || id < 0 || id >= 2 ** 31) {
      throw new Error(`certified map: id ${id} is out of range`);
    }
    if (this.length === this.idOf.length) this.idOf = grown(this.idOf, 2 * this.length, 0);
    if (id >= this.positions.length) {
      this.positions = grown(this.positions, Math.max(2 * this.positions.length, id + 1), -1);
    }
    this.idOf[this.length] = id;
    this.positions[id] = this.length;
    return this.length++;
  }

  all(): number[] {
    return Array.from(this.idOf.subarray(0, this.length));
  }

  clear(): void {
    this.positions.fill(-1);
    this.length = 0;
  }
}

function grown(array: Int32Array, size: number, fill: number): Int32Array {
  const next = new Int32Array(size);
  if (fill !== 0) next.fill(fill, array.length);
  next.set(array);
  return next;
}

/** Levels of a tree over `size` entries: 1 for one entry, ⌈log2 size⌉ + 1 above that. */
function levelCount(size: number): number {
  let levels = 1;
  while (2 ** (levels - 1) < size) levels++;
  return levels;
}

function stage(
  staged: Array<Map<number, Uint8Array>>,
  level: number,
  index: number,
  hash: Uint8Array,
) {
  let map = staged[level];
  if (map === undefined) {
    map = new Map();
    staged[level] = map;
  }
  map.set(index, hash);
}

function equalBytes(a: Uint8Array, b: Uint8Array, at: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[at + i]) return false;
  return true;
}
