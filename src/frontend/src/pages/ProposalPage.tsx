import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Breadcrumb } from '../components/Breadcrumb';
import type { ProposalDetail } from '../api/models';
import { Empty, ErrorNotice, Loading, RelativeTime } from '../components/Feedback';
import { MarkdownText } from '../components/Markdown';
import { ModerationDecision } from '../components/moderation/ModerationDecision';
import { NnsLinkForm } from '../components/nns/NnsLinkForm';
import { NnsStatus } from '../components/nns/NnsStatus';
import { ProposalPowerLens } from '../components/nns/PowerLens';
import { CopyLinkButton } from '../components/CopyLink';
import { MergeAction } from '../components/merge/MergeForm';
import { MergeBanner, MergedFrom } from '../components/merge/MergeNotices';
import { OfficialResponseSection } from '../components/OfficialResponse';
import { FollowButton } from '../components/FollowButton';
import { Name, ProposalName, RoleBadge, memberLabel } from '../components/Names';
import { ProposalForm } from '../components/ProposalForm';
import { ProposalStatusForm } from '../components/ProposalStatusForm';
import { ReportButton } from '../components/ReportButton';
import { ProposalStatusBadge } from '../components/Status';
import { Thread } from '../components/Thread';
import { FeedLink } from '../components/OpenDataLinks';
import { OPEN_DATA } from '../api/openData';
import { VoteButtons, votesFrozenReason } from '../components/VoteButtons';
import { useAuth } from '../hooks/auth';
import { useEditProposal } from '../hooks/mutations';
import {
  useIsModerator,
  useMe,
  useMergeSettled,
  useProposal,
  useProposalHistory,
  useRoadmap,
} from '../hooks/queries';
import { usePageTitle } from './usePageTitle';

export default function ProposalPage() {
  const { id = '' } = useParams();
  const proposal = useProposal(id);
  usePageTitle(proposal.data?.title || (proposal.data?.hidden ? 'Hidden proposal' : 'Proposal'));

  if (proposal.isPending) return <Loading label="Loading the proposal…" />;
  if (proposal.isError) {
    return <ErrorNotice error={proposal.error} onRetry={() => void proposal.refetch()} />;
  }
  if (!proposal.data) {
    return (
      <Empty>
        <h1>Proposal not found</h1>
        <Link to="/proposals">All proposals</Link>
      </Empty>
    );
  }
  return <ProposalView proposal={proposal.data} />;
}

function ProposalView({ proposal }: { proposal: ProposalDetail }) {
  const { principal, status } = useAuth();
  const me = useMe();
  const roadmap = useRoadmap();
  const [mode, setMode] = useState<'view' | 'edit'>('view');
  const [showHistory, setShowHistory] = useState(false);
  const edit = useEditProposal(proposal.id);
  // Where focus goes after a merge or its undo from this page: the banner, or the title once
  // the banner is gone.
  const [mergeFocus, setMergeFocus] = useState<'banner' | 'undone'>();
  const title = useRef<HTMLHeadingElement>(null);
  useMergeSettled(proposal);
  useEffect(() => {
    if (mergeFocus !== 'undone') return;
    // The page may not show the undo yet; once it does, focus follows what is left.
    if (!proposal.merge) {
      setMergeFocus(undefined);
      title.current?.focus();
    } else if (proposal.merge.state === 'Unmerging') {
      setMergeFocus('banner');
    }
  }, [mergeFocus, proposal.merge]);
  const isAuthor = status === 'signedIn' && principal === proposal.author;
  const isAdmin = status === 'signedIn' && me.data?.role === 'Admin';
  const isModerator = useIsModerator();
  const canEdit = isAuthor && proposal.status.kind === 'Open' && !proposal.hidden;
  // Visitors get a hidden proposal without its text; its author and moderators still read it.
  const placeholder = proposal.hidden !== undefined && proposal.title === '';
  const frozenReason = votesFrozenReason(proposal);
  const theme = roadmap.data?.themes.find((t) => t.id === proposal.themeId);
  const plannedItem =
    proposal.status.kind === 'Planned'
      ? roadmap.data?.themes
          .flatMap((t) => t.milestones.flatMap((m) => m.items))
          .find((i) => proposal.status.kind === 'Planned' && i.id === proposal.status.itemId)
      : undefined;

  return (
    <article className="detail">
      <Breadcrumb
        trail={[{ label: 'Proposals', to: '/proposals' }, { label: `#${proposal.id}` }]}
      />
      <div className="proposal-head">
        <VoteButtons proposal={proposal} />
        <header className="detail-head">
          <h1 dir="auto" ref={title} tabIndex={-1}>
            {placeholder ? `Hidden proposal #${proposal.id}` : proposal.title}
          </h1>
          <div className="meta-row small">
            <ProposalStatusBadge status={proposal.status} />
            {theme && <span className="tag-theme">{theme.title}</span>}
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
              <RoleBadge principal={proposal.author} /> · <RelativeTime date={proposal.createdAt} />
            </span>
            <CopyLinkButton what="the proposal" />
            <FollowButton target={{ kind: 'Proposal', id: proposal.id }} what="this proposal" />
          </div>
          <p className="small">
            <ProposalPowerLens up={proposal.upPower} down={proposal.downPower} />
          </p>
          {frozenReason && <p className="muted small">{frozenReason}</p>}
        </header>
      </div>

      {proposal.nns && <NnsStatus link={proposal.nns} what="proposal" />}

      {proposal.hidden && (
        <div className="notice notice-hidden" role="note">
          <p>
            Hidden by moderators: <bdi>{proposal.hidden.reason}</bdi>
          </p>
          {!placeholder && (
            <p className="small">
              Only its author and moderators can see this proposal&apos;s content; it is left out of
              every listing{isAuthor ? ' except your profile' : ''}.
            </p>
          )}
        </div>
      )}

      {proposal.merge && (
        <MergeBanner
          merge={proposal.merge}
          isAdmin={isAdmin}
          focus={mergeFocus === 'banner'}
          onUndone={() => setMergeFocus('undone')}
        />
      )}
      {proposal.mergedFrom && <MergedFrom merges={proposal.mergedFrom} />}

      {proposal.status.kind === 'Planned' && (
        <p className="notice notice-info">
          Planned as roadmap item{' '}
          <Link to={`/roadmap/items/${proposal.status.itemId}`}>
            {plannedItem?.title ?? `#${proposal.status.itemId}`}
          </Link>
          .
        </p>
      )}
      {proposal.status.kind === 'Declined' && (
        <p className="notice notice-info">
          Declined: <bdi>{proposal.status.reason}</bdi>
        </p>
      )}
      {proposal.status.kind === 'Duplicate' &&
        proposal.merge?.into !== proposal.status.proposalId && (
          <p className="notice notice-info">
            Duplicate of{' '}
            <Link to={`/proposals/${proposal.status.proposalId}`}>
              <ProposalName id={proposal.status.proposalId} numbered />
            </Link>
            : support and discuss it there.
          </p>
        )}

      {proposal.officialResponse && (
        <OfficialResponseSection
          proposalId={proposal.id}
          status={proposal.status}
          response={proposal.officialResponse}
        />
      )}

      {placeholder ? null : mode === 'edit' ? (
        <section aria-label="Edit proposal">
          <h2>Edit proposal</h2>
          <ProposalForm
            draftKey={`proposal-edit-${proposal.id}`}
            initial={{
              title: proposal.title,
              body: proposal.body,
              tags: proposal.tags.join(' '),
              themeId: proposal.themeId ?? '',
            }}
            submitLabel="Save changes"
            pending={edit.isPending}
            error={edit.error}
            onCancel={() => setMode('view')}
            onSubmit={(input, clearDraft) =>
              edit.mutate(input, {
                onSuccess: () => {
                  clearDraft();
                  setMode('view');
                },
              })
            }
          />
        </section>
      ) : (
        <div className="proposal-body">
          <MarkdownText text={proposal.body || '_No description._'} />
          <div className="form-actions">
            {canEdit && (
              <button type="button" className="btn" onClick={() => setMode('edit')}>
                Edit
              </button>
            )}
            {!proposal.hidden && (
              <ReportButton
                target={{ kind: 'Proposal', id: proposal.id }}
                what="this proposal"
                author={proposal.author}
                className="btn btn-quiet"
              />
            )}
            {proposal.revisionCount > 0 && (
              <button
                type="button"
                className="btn btn-quiet"
                aria-expanded={showHistory}
                onClick={() => setShowHistory(!showHistory)}
              >
                {showHistory ? 'Hide' : 'Show'} edit history ({proposal.revisionCount})
              </button>
            )}
          </div>
          {showHistory && <ProposalHistory id={proposal.id} />}
        </div>
      )}

      {isModerator && (
        // Hidden content leaves the queue once a moderator decides: it is restored from here.
        <details className="card admin-box" open={proposal.hidden !== undefined}>
          <summary>Moderate (moderators)</summary>
          <ModerationDecision
            what={`Proposal #${proposal.id}`}
            target={{ kind: 'Proposal', id: proposal.id }}
            hidden={proposal.hidden}
            member={isAuthor ? undefined : proposal.author}
            memberLabel={`the author (${memberLabel(proposal.authorName, proposal.author)})`}
            offerLift={false}
            withDismiss={false}
          />
        </details>
      )}

      {isModerator && !proposal.merge && (
        <MergeAction proposal={proposal} onMerged={() => setMergeFocus('banner')} />
      )}

      {isAdmin && (
        <details className="card admin-box">
          <summary>Set status (admin)</summary>
          <ProposalStatusForm proposalId={proposal.id} current={proposal.status} />
        </details>
      )}

      {isAdmin && (
        <details className="card admin-box">
          <summary>NNS proposal (admin)</summary>
          <NnsLinkForm target={{ kind: 'Proposal', id: proposal.id }} current={proposal.nns} />
        </details>
      )}

      <Thread target={{ kind: 'Proposal', id: proposal.id }} />
      {!proposal.hidden && (
        <p className="small">
          <FeedLink path={OPEN_DATA.comments(proposal.id)} title="Comments on this proposal" />
        </p>
      )}
    </article>
  );
}

function ProposalHistory({ id }: { id: string }) {
  const history = useProposalHistory(id, true);
  if (history.isPending) return <Loading label="Loading edit history…" />;
  if (history.isError) return <ErrorNotice error={history.error} />;
  return (
    <section className="history" aria-labelledby="proposal-history">
      <h2 id="proposal-history">Earlier versions</h2>
      {history.data.length === 0 ? (
        <p className="muted">No earlier versions.</p>
      ) : (
        <ol>
          {history.data.map((rev, i) => (
            <li key={i} className="card">
              <p className="muted small">
                Replaced <RelativeTime date={rev.replacedAt} />
              </p>
              <h3 dir="auto">{rev.title}</h3>
              <MarkdownText text={rev.body} />
              {rev.tags.length > 0 && <p className="small">Tags: {rev.tags.join(', ')}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
