import { Link } from 'react-router';
import { formatVotingPower } from './format';

/**
 * The neuron-weighted lens beside a proposal's raw tally: the voting power of its supporters
 * and of its opponents. Lists keep quiet when nobody with linked neurons voted (`quiet`); the
 * proposal page always shows it, with a link to how it is counted.
 */
export function ProposalPowerLens({
  up,
  down,
  quiet = false,
}: {
  up: bigint | undefined;
  down: bigint | undefined;
  quiet?: boolean;
}) {
  const upPower = up ?? 0n;
  const downPower = down ?? 0n;
  if (quiet && upPower === 0n && downPower === 0n) return null;
  return (
    <span className="power-lens">
      Voting power: <strong>{formatVotingPower(upPower)}</strong> support,{' '}
      <strong>{formatVotingPower(downPower)}</strong> oppose
      {!quiet && (
        <>
          {' '}
          · <Link to="/how-it-works#voting-power">What is voting power?</Link>
        </>
      )}
    </span>
  );
}

/** The voting power of an item's priority voters; roadmap rows omit it when it is zero. */
export function ItemPowerLens({
  power,
  quiet = false,
}: {
  power: bigint | undefined;
  quiet?: boolean;
}) {
  const value = power ?? 0n;
  if (quiet && value === 0n) return null;
  return (
    <span className="power-lens">
      Supporters’ voting power: <strong>{formatVotingPower(value)}</strong>
    </span>
  );
}
