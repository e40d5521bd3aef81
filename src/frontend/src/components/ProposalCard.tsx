import { Link } from 'react-router';
import type { ProposalSummary } from '../api/models';
import { RelativeTime } from './Feedback';
import { Name } from './Names';
import { ProposalPowerLens } from './nns/PowerLens';
import { Highlighted } from './search/Highlighted';
import { ProposalStatusBadge } from './Status';
import { VoteButtons } from './VoteButtons';

/** The backend cuts excerpts at this many characters (EXCERPT_LENGTH), wherever that falls. */
export const EXCERPT_LENGTH = 280;

/** An excerpt the backend cut is shortened to its last whole word and marked with an ellipsis. */
export function displayExcerpt(excerpt: string): string {
  if ([...excerpt].length < EXCERPT_LENGTH) return excerpt;
  const lastSpace = excerpt.search(/\s\S*$/);
  const cut = lastSpace > EXCERPT_LENGTH / 2 ? excerpt.slice(0, lastSpace) : excerpt;
  return `${cut.replace(/[\s.,;:!?-]+$/, '')}…`;
}

export function ProposalCard({
  proposal,
  headingLevel = 2,
  highlight,
}: {
  proposal: ProposalSummary;
  /** Search stems whose words are marked in the title and excerpt. */
  highlight?: readonly string[];
  /** 3 where the list sits under a section heading of its own. */
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  // The backend stores excerpts as plain text (markdown stripped), so they render as text.
  const excerpt = displayExcerpt(proposal.excerpt);
  return (
    <article className="card proposal-card" aria-labelledby={`proposal-${proposal.id}`}>
      <VoteButtons proposal={proposal} compact />
      <div className="proposal-card-body">
        <Heading id={`proposal-${proposal.id}`} className="proposal-title">
          <Link to={`/proposals/${proposal.id}`} dir="auto">
            {proposal.title ? (
              <Highlighted text={proposal.title} stems={highlight ?? []} />
            ) : (
              `Proposal #${proposal.id}`
            )}
          </Link>
        </Heading>
        {proposal.hidden && (
          <p className="tombstone">
            Hidden by moderators: <bdi>{proposal.hidden.reason}</bdi>
          </p>
        )}
        {excerpt && (
          <p className="excerpt" dir="auto">
            <Highlighted text={excerpt} stems={highlight ?? []} />
          </p>
        )}
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
              <Name name={proposal.authorName} principal={proposal.author} />
            </Link>{' '}
            · <RelativeTime date={proposal.createdAt} />
          </span>
          <span className="muted">
            {proposal.commentCount} {proposal.commentCount === 1 ? 'comment' : 'comments'}
          </span>
          <ProposalPowerLens up={proposal.upPower} down={proposal.downPower} quiet />
        </div>
      </div>
    </article>
  );
}
