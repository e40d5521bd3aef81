/**
 * A sorted set of numbers in blocks of at most `BLOCK` keys, each block a Float64Array, every
 * key of a block below every key of the next. Lookups are two binary searches (the block by
 * its last key, then the key in its block); an insert or a delete moves at most the rest of
 * one block with `copyWithin`. The IC charges a copy one instruction per byte it moves, so in
 * one flat array an insert into a listing of 100,000 keys would cost up to 800,000
 * instructions; a block caps that at 4 KiB, and a few hundred blocks cost far less to search
 * than a tree of small JS nodes (every JS operation costs hundreds of instructions here).
 * Building from unsorted keys uses the native numeric sort.
 */

/** Keys in one block at most: an insert or a delete moves at most this many. */
export const BLOCK = 512;
/** Keys per block when a set is built in one step: room for inserts before the first split. */
const BUILD_FILL = (BLOCK * 3) / 4;

export class SortedKeys {
  private blocks: Float64Array[] = [];
  /** Keys in each block (its array may have room for more). */
  private lengths: number[] = [];
  /** The last key of each block: the block of a key is the first whose last key is ≥ it. */
  private lasts: number[] = [];
  private count = 0;

  /**
   * Distinct keys in any order: for rebuilding an index in one step. Copy and sort are
   * native; no per-key JavaScript runs, since this runs for every key after an upgrade.
   */
  static from(unsorted: readonly number[]): SortedKeys {
    const set = new SortedKeys();
    const sorted = new Float64Array(unsorted).sort();
    for (let start = 0; start < sorted.length; start += BUILD_FILL) {
      const end = Math.min(start + BUILD_FILL, sorted.length);
      const block = new Float64Array(capacityFor(end - start));
      block.set(sorted.subarray(start, end));
      set.blocks.push(block);
      set.lengths.push(end - start);
      set.lasts.push(sorted[end - 1]!);
    }
    set.count = sorted.length;
    return set;
  }

  get size(): number {
    return this.count;
  }

  /** The first block whose last key is ≥ `key` (the number of blocks when there is none). */
  private blockFor(key: number): number {
    return lowerBound(this.lasts, this.lasts.length, key);
  }

  has(key: number): boolean {
    const b = this.blockFor(key);
    if (b === this.blocks.length) return false;
    const block = this.blocks[b]!;
    const at = lowerBound(block, this.lengths[b]!, key);
    return at < this.lengths[b]! && block[at] === key;
  }

  insert(key: number): void {
    if (this.blocks.length === 0) {
      this.blocks.push(new Float64Array(8));
      this.lengths.push(0);
      this.lasts.push(key);
    }
    // A key below every other (a new proposal in a New listing) needs no search; a
    // key above every other goes into the last block.
    const lasts = this.lasts;
    const front = this.lengths[0]! > 0 && key < this.blocks[0]![0]!;
    let b = front ? 0 : lowerBound(lasts, lasts.length, key);
    if (b === lasts.length) b--;
    let block = this.blocks[b]!;
    const length = this.lengths[b]!;
    const at = front ? 0 : lowerBound(block, length, key);
    if (at < length && block[at] === key) return;
    if (length === BLOCK) {
      this.split(b);
      this.insert(key);
      return;
    }
    if (length === block.length) {
      const grown = new Float64Array(Math.min(BLOCK, 2 * block.length));
      grown.set(block);
      block = grown;
      this.blocks[b] = grown;
    }
    block.copyWithin(at + 1, at, length);
    block[at] = key;
    this.lengths[b] = length + 1;
    if (at === length) this.lasts[b] = key;
    this.count++;
  }

  delete(key: number): void {
    const b = this.blockFor(key);
    if (b === this.blocks.length) return;
    const block = this.blocks[b]!;
    const length = this.lengths[b]!;
    const at = lowerBound(block, length, key);
    if (at >= length || block[at] !== key) return;
    this.count--;
    if (length === 1) {
      this.blocks.splice(b, 1);
      this.lengths.splice(b, 1);
      this.lasts.splice(b, 1);
      return;
    }
    block.copyWithin(at, at + 1, length);
    this.lengths[b] = length - 1;
    if (at === length - 1) this.lasts[b] = block[length - 2]!;
  }

  /** `delete(from)` then `insert(to)`, for a listing key that changed. */
  replace(from: number, to: number): void {
    if (from !== to) this.delete(from);
    this.insert(to);
  }

  /** Up to `limit` keys in descending order, strictly before `before` when given. */
  rangeBelow(before: number | undefined, limit: number): number[] {
    const out: number[] = [];
    let b = this.blocks.length - 1;
    if (b < 0) return out;
    let end = this.lengths[b]!;
    if (before !== undefined) {
      const found = this.blockFor(before);
      if (found < this.blocks.length) {
        b = found;
        end = lowerBound(this.blocks[b]!, this.lengths[b]!, before);
      }
    }
    for (; b >= 0 && out.length < limit; b--) {
      const block = this.blocks[b]!;
      for (let i = end - 1; i >= 0 && out.length < limit; i--) out.push(block[i]!);
      if (b > 0) end = this.lengths[b - 1]!;
    }
    return out;
  }

  /** Up to `limit` keys in ascending order, strictly after `after` when given. */
  range(after: number | undefined, limit: number): number[] {
    const out: number[] = [];
    let b = 0;
    let start = 0;
    if (after !== undefined) {
      b = this.blockFor(after);
      if (b < this.blocks.length) {
        const block = this.blocks[b]!;
        start = lowerBound(block, this.lengths[b]!, after);
        if (start < this.lengths[b]! && block[start] === after) start++;
      }
    }
    for (; b < this.blocks.length && out.length < limit; b++, start = 0) {
      const block = this.blocks[b]!;
      const length = this.lengths[b]!;
      for (let i = start; i < length && out.length < limit; i++) out.push(block[i]!);
    }
    return out;
  }

  /** Splits a full block in two halves. */
  private split(b: number): void {
    const block = this.blocks[b]!;
    const half = BLOCK >>> 1;
    const right = new Float64Array(BLOCK);
    right.set(block.subarray(half, BLOCK));
    this.blocks.splice(b + 1, 0, right);
    this.lengths.splice(b + 1, 0, BLOCK - half);
    this.lasts.splice(b + 1, 0, this.lasts[b]!);
    this.lengths[b] = half;
    this.lasts[b] = block[half - 1]!;
  }
}

/** The first position in `keys[0, length)` whose key is ≥ `key` (the keys ascending). */
export function lowerBound(keys: ArrayLike<number>, length: number, key: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A block's first capacity for `length` keys: a power of two from 8, at most BLOCK. */
function capacityFor(length: number): number {
  let capacity = 8;
  while (capacity < length) capacity *= 2;
  return Math.min(capacity, BLOCK);
}
