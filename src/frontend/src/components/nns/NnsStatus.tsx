import type { NnsLink, NnsProposalStatus } from '../../api/models';
import { RelativeTime } from '../Feedback';
import { dashboardProposalUrl, formatShare, formatVotingPower } from './format';

const STATUS_TEXT: Record<NnsProposalStatus, string> = {
  Open: 'Open',
  Adopted: 'Adopted',
  Executed: 'Executed',
  Rejected: 'Rejected',
  Failed: 'Failed',
  Unknown: 'Unknown',
};

/**
 * The NNS proposal a roadmap item or proposal follows, as governance last reported it: status,
 * tally and when it was checked, with a link to the proposal on the IC dashboard.
 */
export function NnsStatus({ link, what }: { link: NnsLink; what: 'item' | 'proposal' }) {
  const info = link.info;
  const headingId = `nns-proposal-${link.proposalId}`;
  return (
    <section className="card nns-status" aria-labelledby={headingId}>
      <h2 id={headingId}>NNS proposal {link.proposalId}</h2>
      {info ? (
        <>
          {info.title && (
            <p className="nns-title" dir="auto">
              {info.title}
            </p>
          )}
          <p className="meta-row small">
            <span className={`badge nns-badge nns-${info.status.toLowerCase()}`}>
              {STATUS_TEXT[info.status]}
            </span>
            <span>
              Yes <strong>{formatShare(info.yes, info.total)}</strong> (
              {formatVotingPower(info.yes)}) · No{' '}
              <strong>{formatShare(info.no, info.total)}</strong> ({formatVotingPower(info.no)})
            </span>
          </p>
          <p className="muted small">
            Last checked <RelativeTime date={info.fetchedAt} />
          </p>
        </>
      ) : (
        <p className="muted small">Not checked with NNS governance yet; this updates shortly.</p>
      )}
      {what === 'item' && link.deployOnExecution && (
        <p className="small">Deploys this item when the proposal is executed.</p>
      )}
      <p className="small">
        <a href={dashboardProposalUrl(link.proposalId)} rel="noopener noreferrer" target="_blank">
          Proposal {link.proposalId} on the IC dashboard
        </a>
      </p>
    </section>
  );
}
