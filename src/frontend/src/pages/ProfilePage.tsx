import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { asCanisterError, fieldError } from '../api/errors';
import type { Comment, Profile, Roadmap } from '../api/models';
import { LIMITS, hasErrors, textLength, validateProfile } from '../api/validation';
import { Empty, ErrorNotice, FormError, Loading, RelativeTime } from '../components/Feedback';
import { Field } from '../components/Field';
import { commentPath, targetPath } from '../components/links';
import { MarkdownText } from '../components/Markdown';
import { MyPriorities } from '../components/MyPriorities';
import { CopyPrincipalButton, MyNeurons } from '../components/nns/MyNeurons';
import { formatVotingPower } from '../components/nns/format';
import { Name, ProposalName, memberHandle } from '../components/Names';
import { ModerationDecision } from '../components/moderation/ModerationDecision';
import { ProposalCard } from '../components/ProposalCard';
import { ReportButton } from '../components/ReportButton';
import { useAuth } from '../hooks/auth';
import { useSetProfile } from '../hooks/mutations';
import {
  useIsModerator,
  useMemberComments,
  useMemberVotes,
  useProfile,
  useProposalList,
  useRoadmap,
} from '../hooks/queries';
import { useDraft } from '../hooks/useDraft';
import { usePageTitle } from './usePageTitle';

export default function ProfilePage() {
  const { principal = '' } = useParams();
  const auth = useAuth();
  const profile = useProfile(principal);
  const isMe = auth.status === 'signedIn' && auth.principal === principal;
  usePageTitle(profile.data?.displayName ?? (principal ? memberHandle(principal) : 'Member'));

  return (
    <div className="profile">
      {profile.isPending ? (
        <Loading label="Loading the profile…" />
      ) : profile.isError ? (
        <ErrorNotice error={profile.error} onRetry={() => void profile.refetch()} />
      ) : (
        <ProfileHeader principal={principal} profile={profile.data ?? undefined} isMe={isMe} />
      )}
      {isMe && <MyNeurons principal={principal} />}
      {isMe && (
        <div className="section card">
          <MyPriorities />
        </div>
      )}
      <MemberProposals principal={principal} />
      <MemberVotes principal={principal} />
      <MemberComments principal={principal} />
    </div>
  );
}

function ProfileHeader({
  principal,
  profile,
  isMe,
}: {
  principal: string;
  profile: Profile | undefined;
  isMe: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const isModerator = useIsModerator();
  if (isMe && (editing || !profile)) {
    return (
      <section aria-labelledby="profile-heading" className="narrow">
        <h1 id="profile-heading">{profile ? 'Edit your profile' : 'Choose a display name'}</h1>
        {!profile && <p className="lead">Others see this name on your proposals and comments.</p>}
        <ProfileForm profile={profile} onDone={() => setEditing(false)} />
      </section>
    );
  }
  return (
    <section aria-labelledby="profile-heading" className="profile-head">
      <h1 id="profile-heading" dir="auto">
        {profile?.displayName ?? <Name name={undefined} principal={principal} />}
      </h1>
      {!profile && <p className="muted small">This member has not set a display name.</p>}
      {profile && (
        <p className="meta-row small">
          <span className="badge">{profile.role}</span>
          <span className="muted">
            joined <RelativeTime date={profile.joinedAt} />
          </span>
          {(profile.votingPower ?? 0n) > 0n && (
            <span>
              <strong>{formatVotingPower(profile.votingPower ?? 0n)}</strong> voting power from
              linked neurons
            </span>
          )}
        </p>
      )}
      {profile?.bio && (
        <p className="bio" dir="auto">
          {profile.bio}
        </p>
      )}
      <p className="muted small principal">
        {isMe ? 'Your principal' : 'Principal'}: <code>{principal}</code>
        {isMe && (
          <>
            {' '}
            <CopyPrincipalButton principal={principal} />
          </>
        )}
      </p>
      {isMe && (
        <button type="button" className="btn" onClick={() => setEditing(true)}>
          Edit profile
        </button>
      )}
      {profile && !isMe && (
        <div className="form-actions">
          <ReportButton
            target={{ kind: 'Member', principal }}
            what={`the member ${profile.displayName}`}
            author={principal}
            className="btn btn-quiet btn-small"
          />
        </div>
      )}
      {isModerator && !isMe && profile?.role === 'Member' && (
        <details className="card admin-box">
          <summary>Suspend or lift a suspension (moderators)</summary>
          <ModerationDecision
            what={profile.displayName}
            target={undefined}
            hidden={undefined}
            member={principal}
            memberLabel={profile.displayName}
            offerLift
          />
        </details>
      )}
    </section>
  );
}

function ProfileForm({ profile, onDone }: { profile: Profile | undefined; onDone: () => void }) {
  const save = useSetProfile();
  const [draft, setDraft, clearDraft] = useDraft('profile', {
    displayName: profile?.displayName ?? '',
    bio: profile?.bio ?? '',
  });
  const [submitted, setSubmitted] = useState(false);
  const errors = validateProfile(draft);
  const touchedName = submitted || draft.displayName !== (profile?.displayName ?? '');
  // The only conflict setProfile reports is a display name someone else already uses.
  const nameConflict =
    save.error && asCanisterError(save.error).kind === 'Conflict'
      ? asCanisterError(save.error).message
      : undefined;
  return (
    <form
      className="stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (hasErrors(errors)) return;
        save.mutate(draft, {
          onSuccess: () => {
            clearDraft();
            onDone();
          },
        });
      }}
    >
      <Field
        label="Display name"
        error={
          (touchedName ? errors.displayName : undefined) ??
          fieldError(save.error, 'displayName') ??
          nameConflict
        }
        count={textLength(draft.displayName.trim())}
        max={LIMITS.displayName.max}
        hint={`${LIMITS.displayName.min}–${LIMITS.displayName.max} characters, unique. `}
      >
        {(props) => (
          <input
            {...props}
            value={draft.displayName}
            dir="auto"
            autoComplete="nickname"
            onChange={(e) => setDraft({ displayName: e.target.value })}
          />
        )}
      </Field>
      <Field
        label="Bio (optional)"
        error={errors.bio ?? fieldError(save.error, 'bio')}
        count={textLength(draft.bio.trim())}
        max={LIMITS.bio.max}
      >
        {(props) => (
          <textarea
            {...props}
            rows={3}
            dir="auto"
            value={draft.bio}
            onChange={(e) => setDraft({ bio: e.target.value })}
          />
        )}
      </Field>
      {!nameConflict && <FormError error={save.error} fields={['displayName', 'bio']} />}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save profile'}
        </button>
        {profile && (
          <button
            type="button"
            className="btn btn-quiet"
            onClick={() => {
              clearDraft();
              onDone();
            }}
          >
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** The infinite query behind a section of a member's page: its state and its next page. */
type PagedList = {
  isPending: boolean;
  isError: boolean;
  error: Error | null;
  refetch: () => unknown;
  hasNextPage: boolean;
  fetchNextPage: () => unknown;
};

/**
 * One section of a member's page (their proposals, votes, comments): a heading, the list once
 * loaded (or why not, or that it is empty), and Load more while pages are left.
 */
function MemberSection({
  id,
  title,
  list,
  empty,
  children,
}: {
  id: string;
  title: string;
  list: PagedList;
  /** What an empty list says; undefined while the list has entries. */
  empty: string | undefined;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="section">
      <h2 id={id}>{title}</h2>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
      ) : empty !== undefined ? (
        <Empty>{empty}</Empty>
      ) : (
        children
      )}
      {list.hasNextPage && (
        <button type="button" className="btn" onClick={() => void list.fetchNextPage()}>
          Load more
        </button>
      )}
    </section>
  );
}

function MemberProposals({ principal }: { principal: string }) {
  const list = useProposalList({ sort: 'New', author: principal });
  const proposals = list.data?.pages.flatMap((p) => p.proposals) ?? [];
  return (
    <MemberSection
      id="member-proposals"
      title="Proposals"
      list={list}
      empty={proposals.length === 0 ? 'No proposals yet.' : undefined}
    >
      <ol className="proposal-list">
        {proposals.map((p) => (
          <li key={p.id}>
            <ProposalCard proposal={p} />
          </li>
        ))}
      </ol>
    </MemberSection>
  );
}

/**
 * The proposals a member supports or opposes now (votes are public on the chain), newest first
 * vote first. A proposal voted on again after a withdrawal can come on two pages: shown once.
 */
function MemberVotes({ principal }: { principal: string }) {
  const list = useMemberVotes(principal);
  const seen = new Set<string>();
  const votes = (list.data?.pages.flatMap((p) => p.votes) ?? []).filter((v) => {
    if (seen.has(v.proposal.id)) return false;
    seen.add(v.proposal.id);
    return true;
  });
  return (
    <MemberSection
      id="member-votes"
      title="Votes"
      list={list}
      empty={votes.length === 0 ? 'No votes yet.' : undefined}
    >
      <ol className="proposal-list">
        {votes.map(({ proposal, vote }) => (
          <li key={proposal.id}>
            <p className="small muted member-vote">{vote === 'Up' ? 'Supports' : 'Opposes'}</p>
            <ProposalCard proposal={proposal} />
          </li>
        ))}
      </ol>
    </MemberSection>
  );
}

/** Roadmap entries are named from the (cached) roadmap; proposals by title, fetched once each. */
function commentPlace(c: Comment, roadmap: Roadmap | undefined): ReactNode {
  const milestones = roadmap?.themes.flatMap((t) => t.milestones) ?? [];
  switch (c.target.kind) {
    case 'Proposal':
      return <ProposalName id={c.target.id} />;
    case 'Item': {
      const id = c.target.id;
      const item = milestones.flatMap((m) => m.items).find((i) => i.id === id);
      return item ? item.title : `roadmap item #${id}`;
    }
    case 'Milestone': {
      const id = c.target.id;
      const milestone = milestones.find((m) => m.id === id);
      return milestone ? `milestone ${milestone.name}` : `milestone #${id}`;
    }
  }
}

function MemberComments({ principal }: { principal: string }) {
  const list = useMemberComments(principal);
  const roadmap = useRoadmap();
  const comments = (list.data?.pages.flatMap((p) => p.comments) ?? []).filter((c) => !c.deleted);
  return (
    <MemberSection
      id="member-comments"
      title="Comments"
      list={list}
      empty={comments.length === 0 ? 'No comments yet.' : undefined}
    >
      <ol className="member-comments">
        {comments.map((c) => (
          <li key={c.id} className="card">
            <p className="small muted">
              On <Link to={targetPath(c.target)}>{commentPlace(c, roadmap.data)}</Link> ·{' '}
              <Link to={commentPath(c)}>
                <RelativeTime date={c.createdAt} />
                <span className="visually-hidden"> (link to this comment)</span>
              </Link>
            </p>
            {c.hiddenReason !== undefined && (
              <p className="tombstone">
                Hidden by moderators: <bdi>{c.hiddenReason}</bdi>
              </p>
            )}
            {c.body !== '' && <MarkdownText text={c.body} />}
          </li>
        ))}
      </ol>
    </MemberSection>
  );
}
