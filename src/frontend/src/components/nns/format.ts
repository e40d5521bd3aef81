/**
 * Voting power and neuron facts as people read them. The backend counts voting power in e8s
 * (10⁸ per ICP-equivalent unit, like ICP itself); nobody should have to read e8s.
 */

const E8S_PER_UNIT = 100_000_000n;

const twoDecimals = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** "1,234.5 VP": more precision for small amounts, compact above a million ("12.3M VP"). */
export function formatVotingPower(e8s: bigint): string {
  if (e8s <= 0n) return '0 VP';
  // Whole units stay exact as bigint; only the fraction goes through floating point.
  const units = Number(e8s / E8S_PER_UNIT) + Number(e8s % E8S_PER_UNIT) / 1e8;
  if (units < 0.01) return '< 0.01 VP';
  if (units < 10) return `${twoDecimals.format(units)} VP`;
  if (units < 1_000_000) return `${oneDecimal.format(units)} VP`;
  return `${compact.format(units)} VP`;
}

/** NNS governance's year (365.25 days) and a twelfth of it. */
const YEAR_SECONDS = 31_557_600;
const MONTH_SECONDS = YEAR_SECONDS / 12;

/** "1 year", "2 years 6 months", "3 months", "under a month", to the nearest month. */
export function formatDissolveDelay(seconds: number): string {
  const months = Math.round(seconds / MONTH_SECONDS);
  if (months < 1) return seconds > 0 ? 'under a month' : 'none';
  const years = Math.floor(months / 12);
  const rest = months % 12;
  const parts = [];
  if (years > 0) parts.push(`${years} ${years === 1 ? 'year' : 'years'}`);
  if (rest > 0) parts.push(`${rest} ${rest === 1 ? 'month' : 'months'}`);
  return parts.join(' ');
}

/** Part of a whole as a percentage with one decimal ("62.1%"); "0%" of nothing. */
export function formatShare(part: bigint, whole: bigint): string {
  if (whole <= 0n || part <= 0n) return '0%';
  // Basis points of a percent, rounded, in bigint so large tallies keep their precision.
  const tenths = (part * 1000n + whole / 2n) / whole;
  return `${oneDecimal.format(Number(tenths) / 10)}%`;
}

export function dashboardProposalUrl(proposalId: string): string {
  return `https://dashboard.internetcomputer.org/proposal/${encodeURIComponent(proposalId)}`;
}
