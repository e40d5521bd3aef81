import type { VoteDirection } from '../api/models';

export interface Tally {
  up: number;
  down: number;
  myVote: VoteDirection | undefined;
}

/** The tally after the caller changes their vote, as the backend will compute it. */
export function applyVote<T extends Tally>(tally: T, next: VoteDirection | undefined): T {
  let { up, down } = tally;
  if (tally.myVote === 'Up') up -= 1;
  if (tally.myVote === 'Down') down -= 1;
  if (next === 'Up') up += 1;
  if (next === 'Down') down += 1;
  return { ...tally, up: Math.max(0, up), down: Math.max(0, down), myVote: next };
}
