import { Link } from 'react-router';
import { usePageTitle } from './usePageTitle';

/** The two kinds of votes, explained once; the roadmap and the proposal list link here. */
export default function HowItWorksPage() {
  usePageTitle('How voting works');
  return (
    <article className="detail narrow">
      <div className="page-head">
        <h1>How voting works</h1>
        <p className="lead">
          Roadmap Commons counts two different things, and both live on chain where anyone can check
          them.
        </p>
      </div>
      <section aria-labelledby="how-proposals" className="section">
        <h2 id="how-proposals">▲ Support and ▼ oppose, on proposals</h2>
        <p>
          Every signed-in member has one vote per proposal: support (▲) or oppose (▼). Press it
          again to take it back. The number between the arrows is the score: supporters minus
          opponents. <Link to="/proposals">Proposals</Link> sort by it (Top), by it weighed with age
          (Hot), by date (New) or by discussion.
        </p>
        <p>
          Voting closes when a proposal is declined, marked a duplicate or done. Proposals that are
          open, under review or planned are listed first; closed ones are one filter away.
        </p>
      </section>
      <section aria-labelledby="how-priorities" className="section">
        <h2 id="how-priorities">Priority votes, on roadmap items</h2>
        <p>
          Each member gets a budget of priority credits to spend on the <Link to="/">roadmap</Link>{' '}
          items they want most. Votes are quadratic: n votes on one item cost n² credits, so 1 vote
          costs 1, 3 votes cost 9 and 10 votes cost 100. Spreading credits is cheap; piling them on
          one item is expensive, which lets strong preferences count without letting a few members
          decide.
        </p>
        <p>
          An item shows its priority votes (the sum of everyone&apos;s votes) and its supporters
          (how many members put votes on it). Your own allocations, with buttons to move votes
          between items, are on your profile and in “Your priority votes” above the roadmap.
        </p>
        <p>
          When an item is deployed, voting on it closes and the credits spent on it go back to their
          members. The item keeps its final tally, so you can still see how much it was wanted.
        </p>
      </section>
    </article>
  );
}
