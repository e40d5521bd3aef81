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
      <section aria-labelledby="how-voting-power" id="voting-power" className="section">
        <h2 id="how-voting-power">Voting power, from NNS neurons</h2>
        <p>
          Beside the raw tallies, proposals show the voting power of their supporters and of their
          opponents, and roadmap items the voting power of the members who gave them priority votes:
          a second lens on the same votes, weighted by stake in the Internet Computer. Voting power
          is shown in ICP-equivalent units (VP), as the NNS computes it from a neuron&apos;s stake,
          dissolve delay and age.
        </p>
        <p>
          A member&apos;s voting power is the sum of the voting power of the neurons linked to them
          (each neuron links to one member at a time), and it counts once in every tally they take
          part in, however many neurons they link. Votes and credits themselves do not change: one
          member, one vote.
        </p>
        <p>
          To link a neuron, open your profile: add your Roadmap Commons principal as a hot key of
          the neuron in the NNS dapp, make the neuron public, and enter its id. The canister asks
          NNS governance itself and checks the neurons again from time to time; a link whose hot key
          was removed, or whose neuron turned private, lapses and stops counting. “Top by voting
          power” sorts <Link to="/proposals?sort=VotingPower">proposals</Link> by the voting power
          of supporters minus that of opponents.
        </p>
        <p>
          Roadmap items and proposals can follow an NNS proposal. Their pages show its status and
          tally; an item marked to deploy with its NNS proposal becomes Deployed when that proposal
          is executed.
        </p>
      </section>
    </article>
  );
}
