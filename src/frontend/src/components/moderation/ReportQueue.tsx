import { useRef, useState } from 'react';
import { Link } from 'react-router';
import {
  reportReasonLabel,
  type ReportGroup,
  type ReportReason,
  type ReportTarget,
  type Suspension,
} from '../../api/models';
import { useReports } from '../../hooks/queries';
import { Empty, ErrorNotice, Loading, RelativeTime } from '../Feedback';
import { commentPath } from '../links';
import { MarkdownText } from '../Markdown';
import { MemberName, Name, memberHandle } from '../Names';
import { ModerationDecision } from './ModerationDecision';

/** "Spam ×2 · Abuse" from the reports shown, most frequent first (ties in a fixed order). */
export function reasonSummary(group: ReportGroup): string {
  const counts = new Map<ReportReason, number>();
  for (const r of group.reports) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) =>
      n > 1 ? `${reportReasonLabel(reason)} ×${n}` : reportReasonLabel(reason),
    )
    .join(' · ');
}

/** The queue reports a member's last suspension, which may have run out. */
function isActive(suspension: Suspension | undefined): boolean {
  return suspension !== undefined && (!suspension.until || suspension.until > new Date());
}

function targetKey(target: ReportTarget): string {
  return target.kind === 'Member' ? `member-${target.principal}` : `${target.kind}-${target.id}`;
}

/** The reported thing in words, e.g. "Comment #4 by Alice"; plain text for labels. */
export function groupLabel(group: ReportGroup): string {
  const { target, content } = group;
  switch (target.kind) {
    case 'Comment': {
      const by =
        content.kind === 'Comment'
          ? ` by ${content.comment.authorName ?? memberHandle(content.comment.author)}`
          : '';
      return `Comment #${target.id}${by}`;
    }
    case 'Proposal':
      return `Proposal #${target.id}`;
    case 'Member':
      return `Member ${content.kind === 'Member' && content.profile ? content.profile.displayName : memberHandle(target.principal)}`;
  }
}

/**
 * Open reports grouped by what they are about, in the backend's order: hidden content first
 * (it waits for a decision while nobody can read it), then the most reported.
 */
export function ReportQueue() {
  const reports = useReports(true);
  const [done, setDone] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  const groups = reports.data?.pages.flatMap((p) => p.groups) ?? [];

  return (
    <section aria-labelledby="report-queue" className="section">
      <h2 id="report-queue" ref={heading} tabIndex={-1}>
        Open reports
      </h2>
      {done && (
        <p className="notice notice-success" role="status">
          {done}
        </p>
      )}
      {reports.isPending ? (
        <Loading label="Loading reports…" />
      ) : reports.isError ? (
        <ErrorNotice error={reports.error} onRetry={() => void reports.refetch()} />
      ) : groups.length === 0 ? (
        <Empty>No open reports. Nothing waits for a decision.</Empty>
      ) : (
        <ol className="report-queue">
          {groups.map((group) => (
            <li key={targetKey(group.target)}>
              <ReportGroupCard
                group={group}
                onDone={(message) => {
                  setDone(message);
                  // The decided group leaves the list; focus goes where the next one starts.
                  heading.current?.focus();
                }}
              />
            </li>
          ))}
        </ol>
      )}
      {reports.hasNextPage && (
        <button
          type="button"
          className="btn"
          onClick={() => void reports.fetchNextPage()}
          disabled={reports.isFetchingNextPage}
        >
          {reports.isFetchingNextPage ? 'Loading…' : 'Load more reports'}
        </button>
      )}
    </section>
  );
}

function ReportGroupCard({
  group,
  onDone,
}: {
  group: ReportGroup;
  onDone: (message: string) => void;
}) {
  const label = groupLabel(group);
  const headingId = `report-${targetKey(group.target)}`;
  const { content } = group;
  const member =
    content.kind === 'Member'
      ? content.member
      : content.kind === 'Comment'
        ? content.comment.author
        : content.kind === 'Proposal'
          ? content.author
          : undefined;
  const memberLabel =
    content.kind === 'Member'
      ? content.profile
        ? content.profile.displayName
        : memberHandle(content.member)
      : content.kind === 'Comment'
        ? `the author (${content.comment.authorName ?? memberHandle(content.comment.author)})`
        : content.kind === 'Proposal'
          ? `the author (${content.authorName ?? memberHandle(content.author)})`
          : 'the author';

  return (
    <article className="card report-group" aria-labelledby={headingId}>
      <header className="report-group-head">
        <h3 id={headingId}>
          <bdi>{label}</bdi>
        </h3>
        <span className="badge">
          {group.count} {group.count === 1 ? 'report' : 'reports'}
        </span>
        <span className="muted small">{reasonSummary(group)}</span>
      </header>
      {group.hidden && (
        <p className="tombstone">
          {group.hidden.by === undefined ? (
            <>Hidden automatically, pending review: </>
          ) : (
            <>Hidden by moderators: </>
          )}
          <bdi>{group.hidden.reason}</bdi>
        </p>
      )}
      <ReportedContentView group={group} />
      <details className="report-details">
        <summary>
          {group.reports.length < group.count
            ? `The newest ${group.reports.length} of ${group.count} reports`
            : group.count === 1
              ? 'The report'
              : `All ${group.count} reports`}
        </summary>
        <ul className="report-list">
          {group.reports.map((r) => (
            <li key={`${r.reporter}-${r.at.getTime()}`}>
              <strong>{reportReasonLabel(r.reason)}</strong>
              {r.note && (
                <>
                  {': '}
                  <q dir="auto">{r.note}</q>
                </>
              )}{' '}
              <span className="muted small">
                — <MemberName principal={r.reporter} />, <RelativeTime date={r.at} />
              </span>
            </li>
          ))}
        </ul>
      </details>
      <ModerationDecision
        what={label}
        target={group.target}
        hidden={group.hidden}
        member={member}
        memberLabel={memberLabel}
        offerLift={content.kind === 'Member' && isActive(content.suspension)}
        onDone={onDone}
      />
    </article>
  );
}

function ReportedContentView({ group }: { group: ReportGroup }) {
  const { content } = group;
  switch (content.kind) {
    case 'Missing':
      return <p className="muted">This content no longer exists.</p>;
    case 'Comment': {
      const c = content.comment;
      return (
        <blockquote className="reported-content">
          <p className="small muted">
            <Link to={`/members/${c.author}`}>
              <Name name={c.authorName} principal={c.author} />
            </Link>{' '}
            · <RelativeTime date={c.createdAt} /> ·{' '}
            <Link to={commentPath(c)}>
              See it in its thread
              <span className="visually-hidden"> (comment #{c.id})</span>
            </Link>
          </p>
          {c.deleted ? (
            <p className="tombstone">The author deleted this comment.</p>
          ) : (
            <MarkdownText text={c.body} />
          )}
        </blockquote>
      );
    }
    case 'Proposal':
      return (
        <blockquote className="reported-content">
          <p className="reported-title">
            <Link to={`/proposals/${content.id}`} dir="auto">
              {content.title || `Proposal #${content.id}`}
            </Link>
          </p>
          {content.excerpt && (
            <p className="excerpt" dir="auto">
              {content.excerpt}
            </p>
          )}
          <p className="small muted">
            by{' '}
            <Link to={`/members/${content.author}`}>
              <Name name={content.authorName} principal={content.author} />
            </Link>{' '}
            · ▲{content.up} ▼{content.down}
          </p>
        </blockquote>
      );
    case 'Member':
      return (
        <blockquote className="reported-content">
          <p>
            <Link to={`/members/${content.member}`}>
              <Name name={content.profile?.displayName} principal={content.member} />
            </Link>
            {content.profile && <span className="badge">{content.profile.role}</span>}
          </p>
          {content.profile?.bio && (
            <p className="bio" dir="auto">
              {content.profile.bio}
            </p>
          )}
          {isActive(content.suspension) && content.suspension && (
            <p className="small">
              Suspended{' '}
              {content.suspension.until ? (
                <>
                  until{' '}
                  <time dateTime={content.suspension.until.toISOString()}>
                    {content.suspension.until.toLocaleString()}
                  </time>
                </>
              ) : (
                'until lifted'
              )}
              : <bdi>{content.suspension.reason}</bdi>
            </p>
          )}
        </blockquote>
      );
  }
}
