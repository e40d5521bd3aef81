/**
 * The postings of one term, impact-ordered: the proposals whose text has the term, highest
 * impact first (ties newest first), so a query can read a term's best proposals and stop.
 *
 * A posting is one uint32: (255 − impact) · 2²⁴ + (2²⁴ − 1 − id). Ascending keys are
 * descending impacts, then descending ids, and four bytes per posting is the whole cost.
 * Inserting and deleting shift the tail with `copyWithin`: the IC charges that copy a byte an
 * instruction (up to 400,000 for a term in 100,000 proposals), paid by the follow-up messages
 * that index, never by a member's call.
 */
import { lowerBound } from '../storage/sorted-keys';

/** Proposal ids the search index can hold (16.7 million). */
export const ID_LIMIT = 2 ** 24;
const ID_MASK = ID_LIMIT - 1;
export const MAX_IMPACT = 255;

export function postingKey(id: number, impact: number): number {
  return (MAX_IMPACT - impact) * ID_LIMIT + (ID_MASK - id);
}

export const idOfPosting = (key: number): number => ID_MASK - (key & ID_MASK);
export const impactOfPosting = (key: number): number => MAX_IMPACT - (key >>> 24);

export class Postings {
  keys: Uint32Array;
  size = 0;

  constructor(
    readonly term: string,
    /** Its place in the index's list of terms. */
    readonly number: number,
  ) {
    this.keys = new Uint32Array(4);
  }

  insert(id: number, impact: number): void {
    const key = postingKey(id, impact);
    if (this.size === this.keys.length) {
      // Grow by half: a board's common terms reach tens of thousands of postings.
      const grown = new Uint32Array(this.size + (this.size >>> 1) + 4);
      grown.set(this.keys);
      this.keys = grown;
    }
    // New proposals have the largest ids, so they sort first within their impact.
    const at = lowerBound(this.keys, this.size, key);
    this.keys.copyWithin(at + 1, at, this.size);
    this.keys[at] = key;
    this.size++;
  }

  delete(id: number, impact: number): void {
    const key = postingKey(id, impact);
    const at = lowerBound(this.keys, this.size, key);
    if (at === this.size || this.keys[at] !== key) return;
    this.keys.copyWithin(at, at + 1, this.size);
    this.size--;
  }

  /** Bytes of memory the postings take (the key array's capacity). */
  get bytes(): number {
    return this.keys.byteLength;
  }
}
