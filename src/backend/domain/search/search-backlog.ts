/**
 * The proposals whose search entry is out of date, by id: those a write added (new, edited,
 * hidden or restored), and after an upgrade every proposal, newest first. The whole board is
 * kept as a bound (every id below it is due) rather than an id each: adding 100,000 ids to a
 * Set cost ≈ 7 B instructions of post_upgrade.
 */
export class SearchBacklog {
  private readonly ids = new Set<number>();
  /** Every id from 1 up to this one, exclusive, is due too. */
  private below = 0;

  /** One proposal to index again. */
  add(id: number): void {
    this.ids.add(id);
  }

  /** Every proposal with an id below `bound` (after an upgrade: all of them). */
  addEveryIdBelow(bound: number): void {
    this.below = Math.max(this.below, bound);
  }

  /** How many proposals are due; an id may be counted twice (once added, once below the bound). */
  get size(): number {
    return this.ids.size + Math.max(0, this.below - 1);
  }

  /** The next proposal to index, taken off the backlog: one a write added, else the newest below the bound. */
  take(): number | undefined {
    for (const id of this.ids) {
      this.ids.delete(id);
      return id;
    }
    if (this.below <= 1) return undefined;
    this.below--;
    return this.below;
  }
}
