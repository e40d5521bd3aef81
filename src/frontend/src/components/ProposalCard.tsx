import { Link } from 'react-router';
import type { ProposalSummary } from '../api/models';
import { RelativeTime } from './Feedback';
import { ProposalStatusBadge } from './Status';
import { VoteButtons } from './VoteButtons';

export function ProposalCard({ proposal }: { proposal: ProposalSummary }) {
  // The backend stores excerpts as plain text (markdown stripped), so they render as text.
  const excerpt = proposal.excerpt;
  return (
    <article className="card proposal-card" aria-labelledby={`proposal-${proposal.id}`}>
      <VoteButtons proposal={proposal} compact />
      <div className="proposal-card-body">
        <h2 id={`proposal-${proposal.id}`} className="proposal-title">
          <Link to={`/proposals/${proposal.id}`}>{proposal.title}</Link>
        </h2>
        {excerpt && <p className="excerpt">{excerpt}</p>}
        <div className="meta-row small">
          <ProposalStatusBadge status={proposal.status} />
          {proposal.tags.map((tag) => (
            <Link key={tag} to={`/proposals?tag=${encodeURIComponent(tag)}`} className="tag">
              #{tag}
            </Link>
          ))}
          <span className="muted">
            by{' '}
            <Link to={`/members/${proposal.author}`}>
              {proposal.authorName ?? `${proposal.author.slice(0, 11)}…`}
            </Link>{' '}
            · <RelativeTime date={proposal.createdAt} />
          </span>
          <span className="muted">
            {proposal.commentCount} {proposal.commentCount === 1 ? 'comment' : 'comments'}
          </span>
        </div>
      </div>
    </article>
  );
}
