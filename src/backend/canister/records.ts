/**
 * The candid types of the records kept in stable memory, one per record kind. Records are
 * stored as candid values without a header (see codec/), so their byte layout is the one
 * candid defines for these types. Changing a type changes the stable layout: that needs a new
 * LAYOUT_VERSION and a migration.
 */
import { IDL } from '@dfinity/candid';

import type { RecordKind } from '../domain/storage/record-store';
import * as T from './idl';

const ProposalCore = IDL.Record({
  id: T.Id,
  author: IDL.Principal,
  themeId: IDL.Opt(T.Id),
  tags: IDL.Vec(IDL.Text),
  status: T.ProposalStatus,
  createdAt: T.Time,
  updatedAt: T.Time,
  revisionCount: IDL.Nat32,
});

const CommentMeta = IDL.Record({
  id: T.Id,
  target: T.Target,
  parentId: IDL.Opt(T.Id),
  author: IDL.Principal,
  createdAt: T.Time,
  updatedAt: T.Time,
  revisionCount: IDL.Nat32,
  deleted: IDL.Opt(T.Deletion),
});

/**
 * The activity log's stored entries keep the variant they were written with: adding a tag to
 * a candid variant renumbers the tags after it (they are ordered by hash), so moderation
 * entries, which came later, have a store and a variant of their own (`moderationLog`).
 */
const CoreActivityEntry = IDL.Record({
  id: T.Id,
  actor: IDL.Principal,
  at: T.Time,
  kind: IDL.Variant({
    ThemeUpserted: IDL.Record({ themeId: T.Id, slug: IDL.Text }),
    MilestoneUpserted: IDL.Record({ milestoneId: T.Id, slug: IDL.Text, status: T.RoadmapStatus }),
    ItemUpserted: IDL.Record({ itemId: T.Id, slug: IDL.Text, status: T.RoadmapStatus }),
    RoadmapImported: T.ImportReport,
    ProposalStatusChanged: IDL.Record({ proposalId: T.Id, status: T.ProposalStatus }),
    RoleChanged: IDL.Record({ principal: IDL.Principal, role: T.Role }),
    SettingsChanged: T.Settings,
    CommentRemoved: IDL.Record({ commentId: T.Id }),
  }),
});

const ModerationEntry = IDL.Record({
  id: T.Id,
  actor: IDL.Principal,
  at: T.Time,
  kind: IDL.Variant({
    ContentHidden: IDL.Record({ target: T.ContentRef, reason: IDL.Text }),
    ContentAutoHidden: IDL.Record({ target: T.ContentRef, reports: IDL.Nat32 }),
    ContentRestored: IDL.Record({ target: T.ContentRef, reason: IDL.Text }),
    ReportsDismissed: IDL.Record({
      target: T.ReportTarget,
      reports: IDL.Nat32,
      reason: IDL.Text,
    }),
    MemberSuspended: IDL.Record({
      member: IDL.Principal,
      until: IDL.Opt(T.Time),
      reason: IDL.Text,
    }),
    SuspensionLifted: IDL.Record({ member: IDL.Principal, reason: IDL.Text }),
    ModerationSettingsChanged: T.ModerationSettings,
  }),
});

const NnsEntry = IDL.Record({
  id: T.Id,
  actor: IDL.Principal,
  at: T.Time,
  kind: IDL.Variant({
    ItemDeployedByNns: IDL.Record({ itemId: T.Id, nnsProposalId: IDL.Nat64 }),
  }),
});

const MergeEntry = IDL.Record({
  id: T.Id,
  actor: IDL.Principal,
  at: T.Time,
  kind: IDL.Variant({
    ProposalMerged: IDL.Record({ proposalId: T.Id, into: T.Id, note: IDL.Opt(IDL.Text) }),
    ProposalUnmerged: IDL.Record({ proposalId: T.Id, into: T.Id }),
  }),
});

export const RECORD_TYPES: Record<RecordKind, IDL.Type> = {
  meta: IDL.Variant({ Counter: IDL.Nat64, Settings: T.Settings, Layout: IDL.Nat32 }),
  themes: T.Theme,
  milestones: T.Milestone,
  items: T.Item,
  proposals: ProposalCore,
  proposalTexts: IDL.Record({ title: IDL.Text, excerpt: IDL.Text }),
  proposalBodies: IDL.Record({ body: IDL.Text, officialResponse: IDL.Opt(T.OfficialResponse) }),
  proposalTallies: IDL.Record({ up: IDL.Nat32, down: IDL.Nat32, commentCount: IDL.Nat32 }),
  proposalRevisions: T.ProposalRevision,
  proposalVotes: IDL.Text,
  comments: CommentMeta,
  commentBodies: IDL.Text,
  commentRevisions: T.CommentRevision,
  profiles: IDL.Record({ displayName: IDL.Text, bio: IDL.Text, joinedAt: T.Time }),
  roles: T.Role,
  rateLimits: IDL.Vec(IDL.Nat32),
  activity: CoreActivityEntry,
  priorities: IDL.Record({ spent: IDL.Nat32, votes: IDL.Vec(T.PriorityVote) }),
  reports: IDL.Record({
    reason: T.ReportReason,
    note: IDL.Opt(IDL.Text),
    at: T.Time,
    counted: IDL.Bool,
  }),
  hidings: T.Hiding,
  suspensions: T.Suspension,
  moderationSettings: T.ModerationSettings,
  moderationLog: ModerationEntry,
  neuronLinks: IDL.Record({
    member: IDL.Principal,
    votingPower: IDL.Nat64,
    dissolveDelaySeconds: IDL.Nat64,
    linkedAt: T.Time,
    checkedAt: T.Time,
  }),
  neuronLapses: IDL.Record({ member: IDL.Principal, reason: IDL.Text, at: T.Time }),
  lensTallies: IDL.Record({ up: IDL.Nat64, down: IDL.Nat64 }),
  /** side: 'up' or 'down' */
  lensCounted: IDL.Record({ side: IDL.Text, power: IDL.Nat64 }),
  lensTargets: IDL.Text,
  lensTargetCounts: IDL.Nat32,
  powerJobs: IDL.Nat32,
  nnsLinks: IDL.Record({ nnsProposalId: IDL.Nat64, deployOnExecution: IDL.Bool }),
  /** status: one of NNS_STATUS's names or 'Unknown' */
  nnsProposals: IDL.Record({
    status: IDL.Text,
    title: IDL.Text,
    topic: IDL.Int32,
    yes: IDL.Nat64,
    no: IDL.Nat64,
    total: IDL.Nat64,
    fetchedAt: T.Time,
  }),
  nnsLog: NnsEntry,
  follows: IDL.Bool,
  followers: IDL.Principal,
  followerCounts: IDL.Nat32,
  notifications: IDL.Record({ seq: IDL.Nat64, at: T.Time, kind: T.NotificationKind }),
  inboxHeads: IDL.Record({ next: IDL.Nat64, readUpTo: IDL.Nat64 }),
  fanouts: IDL.Record({
    target: IDL.Text,
    kind: T.NotificationKind,
    at: T.Time,
    skip: IDL.Vec(IDL.Principal),
    from: IDL.Nat32,
  }),
  /** state: 'merging', 'merged' or 'unmerging' */
  merges: IDL.Record({
    into: T.Id,
    by: IDL.Principal,
    at: T.Time,
    note: IDL.Opt(IDL.Text),
    state: IDL.Text,
    previousStatus: T.ProposalStatus,
    scanned: IDL.Nat32,
    moved: IDL.Nat32,
    undone: IDL.Nat32,
  }),
  /** side: 'Up' or 'Down' */
  mergeMoves: IDL.Record({ member: IDL.Principal, side: IDL.Text }),
  mergeLog: MergeEntry,
  responses: IDL.Record({ forStatus: T.ProposalStatus, revisions: IDL.Nat32, current: IDL.Bool }),
  responseRevisions: T.ResponseRevision,
  /** 'appCanister' → the text form of the canister that serves the app */
  site: IDL.Text,
};
