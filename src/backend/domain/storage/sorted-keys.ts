/**
 * A sorted set of numbers in one Float64Array. Lookups are binary searches; an insert or a
 * delete moves the tail with `copyWithin`, which is a native memmove: about 9,000 instructions
 * for 100,000 entries in the canister, far below the cost of a few interpreted JS operations
 * (≈ 1,000 instructions each), so a flat array beats a tree of small nodes here. Building from
 * unsorted keys uses the native numeric sort (≈ 900 instructions per key).
 */
export class SortedKeys {
  private keys: Float64Array;
  private count: number;

  constructor(initialCapacity = 8) {
    this.keys = new Float64Array(initialCapacity);
    this.count = 0;
  }

  /**
   * Distinct keys in any order: for rebuilding an index in one step. Copy and sort are
   * native; no per-key JavaScript runs, since this runs for every key after an upgrade.
   */
  static from(unsorted: readonly number[]): SortedKeys {
    const set = new SortedKeys(0);
    set.keys = new Float64Array(unsorted).sort();
    set.count = set.keys.length;
    return set;
  }

  get size(): number {
    return this.count;
  }

  /** Index of the first key ≥ `key` (among indices `[lo, hi)`, all of them by default). */
  private lowerBound(key: number, lo = 0, hi = this.count): number {
    const keys = this.keys;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  has(key: number): boolean {
    const at = this.lowerBound(key);
    return at < this.count && this.keys[at] === key;
  }

  insert(key: number): void {
    // A key beyond either end (a new proposal's, in a listing by time) needs no search.
    const count = this.count;
    const at =
      count === 0 || this.keys[count - 1]! < key
        ? count
        : key < this.keys[0]!
          ? 0
          : this.lowerBound(key);
    if (at < this.count && this.keys[at] === key) return;
    if (this.count === this.keys.length) {
      const grown = new Float64Array(Math.max(8, this.keys.length * 2));
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys.copyWithin(at + 1, at, this.count);
    this.keys[at] = key;
    this.count++;
  }

  delete(key: number): void {
    const at = this.lowerBound(key);
    if (at >= this.count || this.keys[at] !== key) return;
    this.keys.copyWithin(at, at + 1, this.count);
    this.count--;
  }

  /**
   * `delete(from)` then `insert(to)` in one step, for a listing key that changed: the second
   * search covers only one side of `from`, and only the keys between the two move, once.
   */
  replace(from: number, to: number): void {
    const at = this.lowerBound(from);
    if (from === to || at >= this.count || this.keys[at] !== from) {
      this.insert(to);
      return;
    }
    const keys = this.keys;
    if (to > from) {
      const end = this.lowerBound(to, at + 1, this.count);
      if (end < this.count && keys[end] === to) {
        this.delete(from);
        return;
      }
      keys.copyWithin(at, at + 1, end);
      keys[end - 1] = to;
    } else {
      const start = this.lowerBound(to, 0, at);
      if (keys[start] === to) {
        this.delete(from);
        return;
      }
      keys.copyWithin(start + 1, start, at);
      keys[start] = to;
    }
  }

  /** Up to `limit` keys in descending order, strictly before `before` when given. */
  rangeBelow(before: number | undefined, limit: number): number[] {
    let at = this.count;
    if (before !== undefined) at = this.lowerBound(before);
    const end = Math.max(0, at - limit);
    const out: number[] = [];
    for (let i = at - 1; i >= end; i--) out.push(this.keys[i]!);
    return out;
  }

  /** Up to `limit` keys in ascending order, strictly after `after` when given. */
  range(after: number | undefined, limit: number): number[] {
    let at = 0;
    if (after !== undefined) {
      at = this.lowerBound(after);
      if (at < this.count && this.keys[at] === after) at++;
    }
    const end = Math.min(this.count, at + limit);
    const out: number[] = [];
    for (let i = at; i < end; i++) out.push(this.keys[i]!);
    return out;
  }
}
