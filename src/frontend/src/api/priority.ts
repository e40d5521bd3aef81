/**
 * Quadratic priority voting (DESIGN §3): n votes on an item cost n² credits and a member's
 * total spend never exceeds the budget. Votes are set as an absolute number per item.
 */

export function voteCost(votes: number): number {
  return votes * votes;
}

export interface CreditPreview {
  /** Credits this item costs at the proposed number of votes. */
  cost: number;
  /** Credits left overall after committing the change. */
  creditsLeftAfter: number;
  /** Difference in credits versus the current allocation (positive = spends more). */
  delta: number;
  affordable: boolean;
}

/**
 * @param creditsLeft credits left now (budget minus everything currently spent)
 * @param currentVotes votes the member has on this item now
 * @param nextVotes votes the member would have after the change
 */
export function previewCredits(
  creditsLeft: number,
  currentVotes: number,
  nextVotes: number,
): CreditPreview {
  const cost = voteCost(nextVotes);
  const delta = cost - voteCost(currentVotes);
  const creditsLeftAfter = creditsLeft - delta;
  return { cost, delta, creditsLeftAfter, affordable: nextVotes >= 0 && creditsLeftAfter >= 0 };
}

/** The most votes this item can take given what is left plus what it already holds. */
export function maxAffordableVotes(creditsLeft: number, currentVotes: number): number {
  const available = creditsLeft + voteCost(currentVotes);
  return available <= 0 ? 0 : Math.floor(Math.sqrt(available));
}
