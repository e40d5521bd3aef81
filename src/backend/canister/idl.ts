/**
 * The candid contract. Each candid type is declared once, as an IDL value beside its TS type
 * of the same name; the TS types are the domain's (the codec carries principals as the
 * domain's PrincipalIds). Nothing checks a TS type against its IDL value, so keep each pair
 * together and change them together.
 */
// Imported from the packages Azle re-exports (the same modules), so the build scripts can load
// this file in Node to name the candid types; 'azle' itself only loads inside a canister.
import { IDL } from '@dfinity/candid';

import type * as C from '../domain/certification/tallies';
import type * as I from '../domain/inbox';
import type * as D from '../domain/model';
import type { DomainError } from '../domain/result';
import type * as S from '../domain/search/search';

export type Id = D.Id;
export const Id = IDL.Nat64;

export type Time = D.Time;
export const Time = IDL.Nat64;

export type Error = DomainError;
export const Error = IDL.Variant({
  NotAuthenticated: IDL.Null,
  Forbidden: IDL.Text,
  NotFound: IDL.Text,
  Invalid: IDL.Record({ field: IDL.Text, reason: IDL.Text }),
  RateLimited: IDL.Record({ retryAfterSeconds: IDL.Nat32 }),
  Conflict: IDL.Text,
});

/**
 * `admins` are added to the admins already granted; `frontend` is the canister that serves the
 * app, where the canister's HTTP pages for shared links send people (see share-pages.ts).
 */
export type InitArgs = [] | [{ admins: D.PrincipalId[]; frontend: [] | [D.PrincipalId] }];
export const InitArgs = IDL.Opt(
  IDL.Record({ admins: IDL.Vec(IDL.Principal), frontend: IDL.Opt(IDL.Principal) }),
);

// ---- roadmap

export type RoadmapStatus = D.RoadmapStatus;
export const RoadmapStatus = IDL.Variant({
  Deployed: IDL.Null,
  InProgress: IDL.Null,
  Upcoming: IDL.Null,
  Future: IDL.Null,
});

export type Link = D.Link;
export const Link = IDL.Record({ label: IDL.Text, url: IDL.Text });

export type Theme = D.Theme;
export const Theme = IDL.Record({
  id: Id,
  slug: IDL.Text,
  title: IDL.Text,
  summary: IDL.Text,
  order: IDL.Nat32,
  updatedAt: Time,
});

export type Milestone = D.Milestone;
export const Milestone = IDL.Record({
  id: Id,
  themeId: Id,
  slug: IDL.Text,
  name: IDL.Text,
  summary: IDL.Text,
  status: RoadmapStatus,
  eta: IDL.Opt(IDL.Text),
  order: IDL.Nat32,
  commentCount: IDL.Nat32,
  updatedAt: Time,
});

export type ItemPriority = D.ItemPriority;
export const ItemPriority = IDL.Record({ votes: IDL.Nat32, supporters: IDL.Nat32 });

export type Item = D.Item;
export const Item = IDL.Record({
  id: Id,
  milestoneId: Id,
  slug: IDL.Text,
  title: IDL.Text,
  description: IDL.Text,
  status: RoadmapStatus,
  links: IDL.Vec(Link),
  order: IDL.Nat32,
  priority: ItemPriority,
  commentCount: IDL.Nat32,
  updatedAt: Time,
});

export type MilestoneNode = D.MilestoneNode;
export const MilestoneNode = IDL.Record({ milestone: Milestone, items: IDL.Vec(Item) });

export type ThemeNode = D.ThemeNode;
export const ThemeNode = IDL.Record({ theme: Theme, milestones: IDL.Vec(MilestoneNode) });

export type ItemPower = D.ItemPower;
export const ItemPower = IDL.Record({ itemId: Id, power: IDL.Nat64 });

export type Roadmap = D.Roadmap;
export const Roadmap = IDL.Record({ themes: IDL.Vec(ThemeNode), itemPower: IDL.Vec(ItemPower) });

// ---- NNS: linked neurons and linked NNS proposals

export type NnsProposalStatus = D.NnsProposalStatus;
export const NnsProposalStatus = IDL.Variant({
  Open: IDL.Null,
  Rejected: IDL.Null,
  Adopted: IDL.Null,
  Executed: IDL.Null,
  Failed: IDL.Null,
  Unknown: IDL.Null,
});

export type NnsProposalInfo = D.NnsProposalInfo;
export const NnsProposalInfo = IDL.Record({
  status: NnsProposalStatus,
  title: IDL.Text,
  topic: IDL.Int32,
  yes: IDL.Nat64,
  no: IDL.Nat64,
  total: IDL.Nat64,
  fetchedAt: Time,
});

export type NnsLink = D.NnsLink;
export const NnsLink = IDL.Record({
  proposalId: IDL.Nat64,
  deployOnExecution: IDL.Bool,
  info: IDL.Opt(NnsProposalInfo),
});

/** What members follow and what admins link to NNS proposals. */
export type ItemOrProposal = D.NnsLinkTarget;
export const ItemOrProposal = IDL.Variant({ Item: Id, Proposal: Id });

export type NnsLinkInput = D.NnsLinkInput;
export const NnsLinkInput = IDL.Record({
  target: ItemOrProposal,
  link: IDL.Opt(IDL.Record({ proposalId: IDL.Nat64, deployOnExecution: IDL.Bool })),
});

export type NeuronLink = D.NeuronLink;
export const NeuronLink = IDL.Record({
  neuronId: IDL.Nat64,
  votingPower: IDL.Nat64,
  dissolveDelaySeconds: IDL.Nat64,
  linkedAt: Time,
  checkedAt: Time,
});

export type LapsedNeuron = D.LapsedNeuron;
export const LapsedNeuron = IDL.Record({ neuronId: IDL.Nat64, reason: IDL.Text, at: Time });

export type MyNeurons = D.MyNeurons;
export const MyNeurons = IDL.Record({
  links: IDL.Vec(NeuronLink),
  votingPower: IDL.Nat64,
  lapsed: IDL.Vec(LapsedNeuron),
});

export type ItemDetail = D.ItemDetail;
export const ItemDetail = IDL.Record({
  item: Item,
  milestone: Milestone,
  theme: Theme,
  myVotes: IDL.Nat32,
  supporterPower: IDL.Nat64,
  nns: IDL.Opt(NnsLink),
});

export type ThemeInput = D.ThemeInput;
export const ThemeInput = IDL.Record({
  slug: IDL.Text,
  title: IDL.Text,
  summary: IDL.Text,
  order: IDL.Nat32,
});

export type MilestoneInput = D.MilestoneInput;
export const MilestoneInput = IDL.Record({
  themeSlug: IDL.Text,
  slug: IDL.Text,
  name: IDL.Text,
  summary: IDL.Text,
  status: RoadmapStatus,
  eta: IDL.Opt(IDL.Text),
  order: IDL.Nat32,
});

export type ItemInput = D.ItemInput;
export const ItemInput = IDL.Record({
  milestoneSlug: IDL.Text,
  slug: IDL.Text,
  title: IDL.Text,
  description: IDL.Text,
  status: RoadmapStatus,
  links: IDL.Vec(Link),
  order: IDL.Nat32,
});

export type ItemImport = D.ItemImport;
export const ItemImport = IDL.Record({
  slug: IDL.Text,
  title: IDL.Text,
  description: IDL.Text,
  status: RoadmapStatus,
  links: IDL.Vec(Link),
});

export type MilestoneImport = D.MilestoneImport;
export const MilestoneImport = IDL.Record({
  slug: IDL.Text,
  name: IDL.Text,
  summary: IDL.Text,
  status: RoadmapStatus,
  eta: IDL.Opt(IDL.Text),
  items: IDL.Vec(ItemImport),
});

export type ThemeImport = D.ThemeImport;
export const ThemeImport = IDL.Record({
  slug: IDL.Text,
  title: IDL.Text,
  summary: IDL.Text,
  milestones: IDL.Vec(MilestoneImport),
});

export type RoadmapImport = D.RoadmapImport;
export const RoadmapImport = IDL.Record({ themes: IDL.Vec(ThemeImport) });

export type ImportReport = D.ImportReport;
export const ImportReport = IDL.Record({
  themesCreated: IDL.Nat32,
  themesUpdated: IDL.Nat32,
  milestonesCreated: IDL.Nat32,
  milestonesUpdated: IDL.Nat32,
  itemsCreated: IDL.Nat32,
  itemsUpdated: IDL.Nat32,
});

// ---- moderation state shown with content (why it is hidden)

export type Hiding = D.Hiding;
export const Hiding = IDL.Record({ reason: IDL.Text, by: IDL.Opt(IDL.Principal), at: Time });

// ---- proposals

export type ProposalStatus = D.ProposalStatus;
export const ProposalStatus = IDL.Variant({
  Open: IDL.Null,
  UnderReview: IDL.Null,
  Planned: Id,
  Declined: IDL.Text,
  Duplicate: Id,
  Done: IDL.Null,
});

export type ProposalStatusKind = D.ProposalStatusKind;
export const ProposalStatusKind = IDL.Variant({
  Open: IDL.Null,
  UnderReview: IDL.Null,
  Planned: IDL.Null,
  Declined: IDL.Null,
  Duplicate: IDL.Null,
  Done: IDL.Null,
});

export type OfficialResponse = D.OfficialResponse;
export const OfficialResponse = IDL.Record({ body: IDL.Text, by: IDL.Principal, at: Time });

export type ResponseInfo = D.ResponseInfo;
export const ResponseInfo = IDL.Record({ forStatus: ProposalStatus, revisions: IDL.Nat32 });

export type ResponseRevision = D.ResponseRevision;
export const ResponseRevision = IDL.Record({
  body: IDL.Text,
  by: IDL.Principal,
  at: Time,
  forStatus: IDL.Opt(ProposalStatus),
  replacedAt: Time,
});

export type Proposal = D.Proposal;
export const Proposal = IDL.Record({
  id: Id,
  author: IDL.Principal,
  title: IDL.Text,
  body: IDL.Text,
  themeId: IDL.Opt(Id),
  tags: IDL.Vec(IDL.Text),
  status: ProposalStatus,
  createdAt: Time,
  updatedAt: Time,
  up: IDL.Nat32,
  down: IDL.Nat32,
  upPower: IDL.Nat64,
  downPower: IDL.Nat64,
  commentCount: IDL.Nat32,
  revisionCount: IDL.Nat32,
  officialResponse: IDL.Opt(OfficialResponse),
});

export type ProposalInput = D.ProposalInput;
export const ProposalInput = IDL.Record({
  title: IDL.Text,
  body: IDL.Text,
  themeId: IDL.Opt(Id),
  tags: IDL.Vec(IDL.Text),
});

export type ProposalRevision = D.ProposalRevision;
export const ProposalRevision = IDL.Record({
  title: IDL.Text,
  body: IDL.Text,
  tags: IDL.Vec(IDL.Text),
  replacedAt: Time,
});

export type Vote = D.Vote;
export const Vote = IDL.Variant({ Up: IDL.Null, Down: IDL.Null });

export type VoteTally = D.VoteTally;
export const VoteTally = IDL.Record({
  proposalId: Id,
  up: IDL.Nat32,
  down: IDL.Nat32,
  myVote: IDL.Opt(Vote),
});

export type ProposalSort = D.ProposalSort;
export const ProposalSort = IDL.Variant({
  Hot: IDL.Null,
  Top: IDL.Null,
  New: IDL.Null,
  MostDiscussed: IDL.Null,
  VotingPower: IDL.Null,
  Oldest: IDL.Null,
});

export type ListProposalsRequest = D.ListProposalsRequest;
export const ListProposalsRequest = IDL.Record({
  sort: ProposalSort,
  status: IDL.Opt(ProposalStatusKind),
  themeId: IDL.Opt(Id),
  tag: IDL.Opt(IDL.Text),
  author: IDL.Opt(IDL.Principal),
  cursor: IDL.Opt(IDL.Text),
  limit: IDL.Nat32,
  needsResponse: IDL.Opt(IDL.Bool),
});

export type ProposalFacets = D.ProposalFacets;
export const ProposalFacets = IDL.Record({
  statuses: IDL.Vec(IDL.Record({ status: ProposalStatusKind, count: IDL.Nat32 })),
  tags: IDL.Vec(IDL.Record({ tag: IDL.Text, count: IDL.Nat32 })),
  needsResponse: IDL.Nat32,
});

export type ProposalSummary = D.ProposalSummary;
export const ProposalSummary = IDL.Record({
  id: Id,
  author: IDL.Principal,
  authorName: IDL.Opt(IDL.Text),
  title: IDL.Text,
  excerpt: IDL.Text,
  themeId: IDL.Opt(Id),
  tags: IDL.Vec(IDL.Text),
  status: ProposalStatus,
  createdAt: Time,
  updatedAt: Time,
  up: IDL.Nat32,
  down: IDL.Nat32,
  upPower: IDL.Nat64,
  downPower: IDL.Nat64,
  commentCount: IDL.Nat32,
  myVote: IDL.Opt(Vote),
  hidden: IDL.Opt(Hiding),
});

export type ProposalPage = D.ProposalPage;
export const ProposalPage = IDL.Record({
  proposals: IDL.Vec(ProposalSummary),
  nextCursor: IDL.Opt(IDL.Text),
});

export type SearchRequest = S.SearchRequest;
export const SearchRequest = IDL.Record({
  query: IDL.Text,
  status: IDL.Opt(ProposalStatusKind),
  cursor: IDL.Opt(IDL.Text),
  limit: IDL.Opt(IDL.Nat32),
});

export type SearchPage = S.SearchPage;
export const SearchPage = IDL.Record({
  proposals: IDL.Vec(ProposalSummary),
  nextCursor: IDL.Opt(IDL.Text),
  pending: IDL.Nat32,
});

export type SimilarRequest = S.SimilarRequest;
export const SimilarRequest = IDL.Record({ title: IDL.Text, body: IDL.Opt(IDL.Text) });

// ---- a member's votes

export type MemberVote = D.MemberVote;
export const MemberVote = IDL.Record({ proposal: ProposalSummary, vote: Vote });

export type MemberVotePage = D.MemberVotePage;
export const MemberVotePage = IDL.Record({
  votes: IDL.Vec(MemberVote),
  nextCursor: IDL.Opt(IDL.Text),
});

// ---- merging duplicates

export type MergeState = D.MergeState;
export const MergeState = IDL.Variant({
  Merging: IDL.Null,
  Merged: IDL.Null,
  Unmerging: IDL.Null,
});

export type Merge = D.Merge;
export const Merge = IDL.Record({
  duplicate: Id,
  into: Id,
  by: IDL.Principal,
  at: Time,
  note: IDL.Opt(IDL.Text),
  state: MergeState,
  votesMoved: IDL.Nat32,
});

export type MergeRequest = D.MergeRequest;
export const MergeRequest = IDL.Record({ duplicate: Id, into: Id, note: IDL.Opt(IDL.Text) });

export type ProposalDetail = D.ProposalDetail;
export const ProposalDetail = IDL.Record({
  proposal: Proposal,
  authorName: IDL.Opt(IDL.Text),
  myVote: IDL.Opt(Vote),
  hidden: IDL.Opt(Hiding),
  nns: IDL.Opt(NnsLink),
  merge: IDL.Opt(Merge),
  mergedFrom: IDL.Vec(Merge),
  response: IDL.Opt(ResponseInfo),
});

// ---- threads

export type Target = D.Target;
export const Target = IDL.Variant({ Proposal: Id, Item: Id, Milestone: Id });

export type Deletion = D.Deletion;
export const Deletion = IDL.Record({ by: IDL.Principal, at: Time });

export type Comment = D.Comment;
export const Comment = IDL.Record({
  id: Id,
  target: Target,
  parentId: IDL.Opt(Id),
  author: IDL.Principal,
  body: IDL.Text,
  createdAt: Time,
  updatedAt: Time,
  revisionCount: IDL.Nat32,
  deleted: IDL.Opt(Deletion),
  hidden: IDL.Opt(Hiding),
});

export type CommentInput = D.CommentInput;
export const CommentInput = IDL.Record({ target: Target, parentId: IDL.Opt(Id), body: IDL.Text });

export type CommentRevision = D.CommentRevision;
export const CommentRevision = IDL.Record({ body: IDL.Text, replacedAt: Time });

export type ThreadComment = D.ThreadComment;
export const ThreadComment = IDL.Record({
  comment: Comment,
  depth: IDL.Nat32,
  authorName: IDL.Opt(IDL.Text),
});

export type ThreadPage = D.ThreadPage;
export const ThreadPage = IDL.Record({
  comments: IDL.Vec(ThreadComment),
  nextCursor: IDL.Opt(IDL.Text),
});

export type CommentPage = D.CommentPage;
export const CommentPage = IDL.Record({
  comments: IDL.Vec(Comment),
  nextCursor: IDL.Opt(IDL.Text),
});

// ---- people

export type Role = D.Role;
export const Role = IDL.Variant({ Member: IDL.Null, Moderator: IDL.Null, Admin: IDL.Null });

export type Profile = D.Profile;
export const Profile = IDL.Record({
  principal: IDL.Principal,
  displayName: IDL.Text,
  bio: IDL.Text,
  joinedAt: Time,
  role: Role,
  votingPower: IDL.Nat64,
});

export type ProfileInput = D.ProfileInput;
export const ProfileInput = IDL.Record({ displayName: IDL.Text, bio: IDL.Text });

export type RoleGrant = D.RoleGrant;
export const RoleGrant = IDL.Record({ principal: IDL.Principal, role: Role });

export type Suspension = D.Suspension;
export const Suspension = IDL.Record({
  member: IDL.Principal,
  until: IDL.Opt(Time),
  reason: IDL.Text,
  by: IDL.Principal,
  at: Time,
});

export type Me = D.Me;
export const Me = IDL.Record({
  principal: IDL.Principal,
  isAnonymous: IDL.Bool,
  profile: IDL.Opt(Profile),
  role: Role,
  creditBudget: IDL.Nat32,
  creditsLeft: IDL.Nat32,
  suspension: IDL.Opt(Suspension),
});

export type PriorityVote = D.PriorityVote;
export const PriorityVote = IDL.Record({ itemId: Id, votes: IDL.Nat32 });

export type PriorityAllocation = D.PriorityAllocation;
export const PriorityAllocation = IDL.Record({
  budget: IDL.Nat32,
  spent: IDL.Nat32,
  remaining: IDL.Nat32,
  votes: IDL.Vec(PriorityVote),
});

export type Settings = D.Settings;
export const Settings = IDL.Record({
  creditBudget: IDL.Nat32,
  proposalsPerDay: IDL.Nat32,
  commentsPerHour: IDL.Nat32,
  votesPerHour: IDL.Nat32,
  profileEditsPerHour: IDL.Nat32,
});

// ---- moderation

export type ContentRef = D.ContentRef;
export const ContentRef = IDL.Variant({ Proposal: Id, Comment: Id });

export type ReportTarget = D.ReportTarget;
export const ReportTarget = IDL.Variant({ Proposal: Id, Comment: Id, Member: IDL.Principal });

export type ReportReason = D.ReportReason;
export const ReportReason = IDL.Variant({
  Spam: IDL.Null,
  Abuse: IDL.Null,
  OffTopic: IDL.Null,
  Impersonation: IDL.Null,
  Other: IDL.Null,
});

export type ReportInput = D.ReportInput;
export const ReportInput = IDL.Record({
  target: ReportTarget,
  reason: ReportReason,
  note: IDL.Opt(IDL.Text),
});

export type ModerationAction = D.ModerationAction;
export const ModerationAction = IDL.Variant({
  Hide: ContentRef,
  Restore: ContentRef,
  Dismiss: ReportTarget,
  Suspend: IDL.Record({ member: IDL.Principal, days: IDL.Opt(IDL.Nat32) }),
  Unsuspend: IDL.Principal,
});

export type ModerationRequest = D.ModerationRequest;
export const ModerationRequest = IDL.Record({ action: ModerationAction, reason: IDL.Text });

export type ModerationSettings = D.ModerationSettings;
export const ModerationSettings = IDL.Record({
  autoHideReports: IDL.Nat32,
  upVotesPerExtraReport: IDL.Nat32,
  newMemberHours: IDL.Nat32,
  newMemberProposalsPerDay: IDL.Nat32,
  newMemberCommentsPerHour: IDL.Nat32,
  reportsPerHour: IDL.Nat32,
});

export type Report = D.Report;
export const Report = IDL.Record({
  reporter: IDL.Principal,
  reason: ReportReason,
  note: IDL.Opt(IDL.Text),
  at: Time,
});

export type ReportedContent = D.ReportedContent;
export const ReportedContent = IDL.Variant({
  Proposal: IDL.Record({
    id: Id,
    author: IDL.Principal,
    authorName: IDL.Opt(IDL.Text),
    title: IDL.Text,
    excerpt: IDL.Text,
    up: IDL.Nat32,
    down: IDL.Nat32,
  }),
  Comment: IDL.Record({ comment: Comment, authorName: IDL.Opt(IDL.Text) }),
  Member: IDL.Record({
    member: IDL.Principal,
    profile: IDL.Opt(Profile),
    suspension: IDL.Opt(Suspension),
  }),
  Missing: IDL.Null,
});

export type ReportGroup = D.ReportGroup;
export const ReportGroup = IDL.Record({
  target: ReportTarget,
  count: IDL.Nat32,
  reports: IDL.Vec(Report),
  hidden: IDL.Opt(Hiding),
  content: ReportedContent,
  firstReportedAt: Time,
});

export type ReportPage = D.ReportPage;
export const ReportPage = IDL.Record({
  groups: IDL.Vec(ReportGroup),
  nextCursor: IDL.Opt(IDL.Text),
});

// ---- activity

export type ActivityKind = D.ActivityKind;
export const ActivityKind = IDL.Variant({
  ThemeUpserted: IDL.Record({ themeId: Id, slug: IDL.Text }),
  MilestoneUpserted: IDL.Record({ milestoneId: Id, slug: IDL.Text, status: RoadmapStatus }),
  ItemUpserted: IDL.Record({ itemId: Id, slug: IDL.Text, status: RoadmapStatus }),
  RoadmapImported: ImportReport,
  ProposalStatusChanged: IDL.Record({ proposalId: Id, status: ProposalStatus }),
  RoleChanged: IDL.Record({ principal: IDL.Principal, role: Role }),
  SettingsChanged: Settings,
  CommentRemoved: IDL.Record({ commentId: Id }),
  ContentHidden: IDL.Record({ target: ContentRef, reason: IDL.Text }),
  ContentAutoHidden: IDL.Record({ target: ContentRef, reports: IDL.Nat32 }),
  ContentRestored: IDL.Record({ target: ContentRef, reason: IDL.Text }),
  ReportsDismissed: IDL.Record({ target: ReportTarget, reports: IDL.Nat32, reason: IDL.Text }),
  MemberSuspended: IDL.Record({ member: IDL.Principal, until: IDL.Opt(Time), reason: IDL.Text }),
  SuspensionLifted: IDL.Record({ member: IDL.Principal, reason: IDL.Text }),
  ModerationSettingsChanged: ModerationSettings,
  ItemDeployedByNns: IDL.Record({ itemId: Id, nnsProposalId: IDL.Nat64 }),
  ProposalMerged: IDL.Record({ proposalId: Id, into: Id, note: IDL.Opt(IDL.Text) }),
  ProposalUnmerged: IDL.Record({ proposalId: Id, into: Id }),
});

export type ActivityEntry = D.ActivityEntry;
export const ActivityEntry = IDL.Record({
  id: Id,
  actor: IDL.Principal,
  at: Time,
  kind: ActivityKind,
});

export type ActivityPage = D.ActivityPage;
export const ActivityPage = IDL.Record({
  entries: IDL.Vec(ActivityEntry),
  nextCursor: IDL.Opt(IDL.Text),
});

// ---- follows and the inbox

export type NotificationKind = I.NotificationKind;
export const NotificationKind = IDL.Variant({
  Reply: IDL.Record({ commentId: Id, target: Target, by: IDL.Principal }),
  NewComment: IDL.Record({ commentId: Id, target: Target, by: IDL.Principal }),
  Mention: IDL.Record({ commentId: Id, target: Target, by: IDL.Principal }),
  StatusChanged: IDL.Record({ proposalId: Id, status: ProposalStatus, response: IDL.Bool }),
  ItemDeployed: IDL.Record({ itemId: Id }),
  ContentHidden: IDL.Record({ target: ContentRef, reason: IDL.Text }),
  ContentRestored: IDL.Record({ target: ContentRef, reason: IDL.Text }),
});

export type Notification = I.Notification;
export const Notification = IDL.Record({
  seq: IDL.Nat64,
  at: Time,
  read: IDL.Bool,
  kind: NotificationKind,
});

export type NotificationPage = I.NotificationPage;
export const NotificationPage = IDL.Record({
  notifications: IDL.Vec(Notification),
  nextCursor: IDL.Opt(IDL.Text),
  unread: IDL.Nat32,
});

// ---- results: every update returns variant { Ok : T; Err : Error }

type CandidResult<T> = { Ok: T } | { Err: Error };
const result = (ok: IDL.Type) => IDL.Variant({ Ok: ok, Err: Error });

export type ResultProfile = CandidResult<Profile>;
export const ResultProfile = result(Profile);
export type ResultProposal = CandidResult<Proposal>;
export const ResultProposal = result(Proposal);
export type ResultVoteTally = CandidResult<VoteTally>;
export const ResultVoteTally = result(VoteTally);
export type ResultComment = CandidResult<Comment>;
export const ResultComment = result(Comment);
export type ResultUnit = CandidResult<null>;
export const ResultUnit = result(IDL.Null);
export type ResultPriorityAllocation = CandidResult<PriorityAllocation>;
export const ResultPriorityAllocation = result(PriorityAllocation);
export type ResultImportReport = CandidResult<ImportReport>;
export const ResultImportReport = result(ImportReport);
export type ResultTheme = CandidResult<Theme>;
export const ResultTheme = result(Theme);
export type ResultMilestone = CandidResult<Milestone>;
export const ResultMilestone = result(Milestone);
export type ResultItem = CandidResult<Item>;
export const ResultItem = result(Item);
export type ResultSettings = CandidResult<Settings>;
export const ResultSettings = result(Settings);
export type ResultModerationSettings = CandidResult<ModerationSettings>;
export const ResultModerationSettings = result(ModerationSettings);
export type ResultReportPage = CandidResult<ReportPage>;
export const ResultReportPage = result(ReportPage);
export type ResultSearchPage = CandidResult<SearchPage>;
export const ResultSearchPage = result(SearchPage);
export type ResultNeuronLink = CandidResult<NeuronLink>;
export const ResultNeuronLink = result(NeuronLink);
export type ResultMyNeurons = CandidResult<MyNeurons>;
export const ResultMyNeurons = result(MyNeurons);
export type ResultNnsLink = CandidResult<[] | [NnsLink]>;
export const ResultNnsLink = result(IDL.Opt(NnsLink));
export type PrincipalId = D.PrincipalId;

export type ResultMerge = CandidResult<Merge>;
export const ResultMerge = result(Merge);

// ---- certified tallies (domain/certification/tallies.ts)

export type TallyProofRequest = C.TallyProofRequest;
export const TallyProofRequest = IDL.Record({ proposals: IDL.Vec(Id), items: IDL.Vec(Id) });

export type CertifiedProposalTally = C.CertifiedProposalTally;
export const CertifiedProposalTally = IDL.Record({
  id: Id,
  up: IDL.Nat32,
  down: IDL.Nat32,
  status: ProposalStatusKind,
  statusRef: IDL.Opt(Id),
});

export type CertifiedItemTally = C.CertifiedItemTally;
export const CertifiedItemTally = IDL.Record({
  id: Id,
  votes: IDL.Nat32,
  supporters: IDL.Nat32,
});

/** `certificate`: the IC's certificate of the canister's certified data (`data_certificate`). */
export type TallyProof = C.TallyProofBody & { certificate: Uint8Array };
export const TallyProof = IDL.Record({
  certificate: IDL.Vec(IDL.Nat8),
  witness: IDL.Vec(IDL.Nat8),
  proposals: IDL.Vec(CertifiedProposalTally),
  items: IDL.Vec(CertifiedItemTally),
});

export type ResultTallyProof = CandidResult<TallyProof>;
export const ResultTallyProof = result(TallyProof);

// ---- the HTTP interface (the IC HTTP gateway protocol)

export const HeaderField = IDL.Tuple(IDL.Text, IDL.Text);

export type HttpRequest = {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
  certificate_version: [] | [number];
};
export const HttpRequest = IDL.Record({
  method: IDL.Text,
  url: IDL.Text,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
  certificate_version: IDL.Opt(IDL.Nat16),
});

/** `http_request_update`'s request: the query's without `certificate_version`. */
export type HttpUpdateRequest = {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
};
export const HttpUpdateRequest = IDL.Record({
  method: IDL.Text,
  url: IDL.Text,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
});

export type HttpResponse = {
  status_code: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
  upgrade: [] | [boolean];
};
export const HttpResponse = IDL.Record({
  status_code: IDL.Nat16,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
  upgrade: IDL.Opt(IDL.Bool),
});
