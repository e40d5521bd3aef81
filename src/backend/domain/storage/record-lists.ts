/**
 * Append-only lists kept as records: entry `position` of list `list` is the record
 * `${list}/${position}`, and lengths live on the heap. An append is one write: a list's length
 * is written only with every `LENGTH_EVERY`-th entry, so the written length (0 when none is)
 * can be short by up to `LENGTH_EVERY - 1`. The list's first use finds its exact length by a
 * binary search over the positions after it (entries are never deleted): log2 `LENGTH_EVERY`
 * reads, where reading them in turn took up to `LENGTH_EVERY` (about 1 M instructions, paid by
 * the first vote on each proposal after an upgrade).
 *
 * The lens keeps one per member (the targets they voted on) and the inbox one per target (the
 * members who followed it): both grow with every first vote, so a second write per vote for
 * the length would be a sizable share of a vote's cost.
 */
import type { RecordStore } from './record-store';

/** A list's length is written with every this many entries. */
export const LENGTH_EVERY = 8;

export class RecordLists<V> {
  /** list → its length, once known exactly */
  private readonly exact = new Map<string, number>();
  /** list → its length as last written, for lists not used since the heap was rebuilt */
  private readonly written = new Map<string, number>();
  /** lists seen to have an entry, whose exact length is not known yet */
  private readonly nonEmpty = new Set<string>();

  /**
   * `oftenEmpty`: many lists are asked for that have no entry yet (a member's, before their
   * first vote), so a list without a written length is first checked for being empty: one
   * read for an empty list, one more than the plain search for a list that is not.
   */
  constructor(
    private readonly entries: RecordStore<V>,
    private readonly lengths: RecordStore<number>,
    private readonly oftenEmpty = false,
  ) {}

  /** Derives the heap state from the records (after an upgrade). */
  rebuild(): void {
    this.exact.clear();
    this.written.clear();
    this.nonEmpty.clear();
    this.lengths.forEach((length, list) => this.written.set(list, length));
  }

  length(list: string): number {
    const known = this.exact.get(list);
    if (known !== undefined) return known;
    if (this.oftenEmpty && !this.written.has(list) && this.isEmpty(list)) return 0;
    // Entries exist below `low`; the one at `high` does not: a length of `high` or more would
    // have been written.
    let low = this.written.get(list) ?? (this.nonEmpty.has(list) ? 1 : 0);
    let high = low + LENGTH_EVERY - 1;
    let highRead = false;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.has(list, middle)) {
        low = middle + 1;
      } else {
        high = middle;
        highRead = true;
      }
    }
    // Unless a read showed the entry at `high` missing, that is checked too (and the entries
    // after it read in turn): a length written by another rule must not lose an entry.
    let length = low;
    if (!highRead) while (this.has(list, length)) length++;
    this.written.delete(list);
    this.nonEmpty.delete(list);
    this.exact.set(list, length);
    return length;
  }

  /**
   * The length of `list` when it is below `bound`, else undefined: without a read when the
   * length written for the list already reaches `bound`.
   */
  lengthBelow(list: string, bound: number): number | undefined {
    if (!this.exact.has(list) && (this.written.get(list) ?? 0) >= bound) return undefined;
    const length = this.length(list);
    return length < bound ? length : undefined;
  }

  /**
   * Whether `list` has no entry, in one read at most: entries are never deleted and run from
   * position 0 without a gap, so the list is empty exactly when position 0 is.
   */
  isEmpty(list: string): boolean {
    const known = this.exact.get(list);
    if (known !== undefined) return known === 0;
    if (this.nonEmpty.has(list) || (this.written.get(list) ?? 0) > 0) return false;
    if (this.has(list, 0)) {
      this.nonEmpty.add(list);
      return false;
    }
    this.exact.set(list, 0);
    return true;
  }

  private has(list: string, position: number): boolean {
    return this.entries.get(`${list}/${position}`) !== undefined;
  }

  at(list: string, position: number): V | undefined {
    return this.entries.get(`${list}/${position}`);
  }

  /** Adds `value` at the end of `list`; returns its position. */
  append(list: string, value: V): number {
    return this.appendAt(list, this.length(list), value);
  }

  /**
   * Starts `list`, which the caller knows has no entry yet (it names something created in this
   * message): no read for entries past a written length, as `append`'s first use makes.
   */
  start(list: string, value: V): void {
    this.appendAt(list, 0, value);
  }

  private appendAt(list: string, position: number, value: V): number {
    this.entries.set(`${list}/${position}`, value);
    const length = position + 1;
    if (length % LENGTH_EVERY === 0) this.lengths.set(list, length);
    this.exact.set(list, length);
    return position;
  }
}
