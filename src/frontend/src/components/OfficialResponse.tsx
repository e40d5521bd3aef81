import { useState } from 'react';
import { Link } from 'react-router';
import { proposalStatusLabel, type OfficialResponse, type ProposalStatus } from '../api/models';
import { useResponseHistory } from '../hooks/queries';
import { ErrorNotice, Loading, RelativeTime } from './Feedback';
import { MarkdownText } from './Markdown';
import { MemberName, RoleBadge } from './Names';

/** "Written when the status was under review": what the response answered at the time. */
export function writtenFor(status: ProposalStatus): string {
  return `Written when the status was ${proposalStatusLabel(status.kind).toLowerCase()}`;
}

/**
 * The maintainers' answer on a proposal's page. The status it was written for shows only when
 * the proposal has moved on since (a response to "Under review" read under "Done" would
 * mislead); an "edited" marker opens the earlier versions.
 */
export function OfficialResponseSection({
  proposalId,
  status,
  response,
}: {
  proposalId: string;
  status: ProposalStatus;
  response: OfficialResponse;
}) {
  const [showHistory, setShowHistory] = useState(false);
  const outdated = response.forStatus && response.forStatus.kind !== status.kind;
  return (
    <section className="official" aria-labelledby="official-response">
      <h2 id="official-response">Official response</h2>
      {outdated && response.forStatus && (
        <p className="muted small response-for">{writtenFor(response.forStatus)}.</p>
      )}
      <MarkdownText text={response.body} />
      <p className="muted small">
        by <ResponderLink principal={response.by} /> · <RelativeTime date={response.at} />
        {response.revisions > 0 && (
          <>
            {' · '}
            <button
              type="button"
              className="link-button"
              aria-expanded={showHistory}
              aria-label={`edited: ${showHistory ? 'hide' : 'show'} ${response.revisions} earlier ${
                response.revisions === 1 ? 'version' : 'versions'
              }`}
              onClick={() => setShowHistory(!showHistory)}
            >
              edited
            </button>
          </>
        )}
      </p>
      {showHistory && <ResponseHistory proposalId={proposalId} />}
    </section>
  );
}

function ResponderLink({ principal }: { principal: string }) {
  return (
    <>
      <Link to={`/members/${principal}`}>
        <MemberName principal={principal} />
      </Link>{' '}
      <RoleBadge principal={principal} />
    </>
  );
}

/** Earlier versions, newest first: who wrote each, when, and for which status. */
function ResponseHistory({ proposalId }: { proposalId: string }) {
  const history = useResponseHistory(proposalId, true);
  if (history.isPending) return <Loading label="Loading earlier responses…" />;
  if (history.isError) return <ErrorNotice error={history.error} />;
  const newestFirst = [...history.data].reverse();
  return (
    <div className="history">
      <h3 className="history-title">Earlier versions of the response</h3>
      {newestFirst.length === 0 ? (
        <p className="muted">No earlier versions.</p>
      ) : (
        <ol>
          {newestFirst.map((rev) => (
            <li key={rev.replacedAt.getTime()}>
              <p className="muted small">
                by <ResponderLink principal={rev.by} /> · <RelativeTime date={rev.at} />
                {rev.forStatus && <> · {writtenFor(rev.forStatus).toLowerCase()}</>} · replaced{' '}
                <RelativeTime date={rev.replacedAt} />
              </p>
              <MarkdownText text={rev.body} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
