/**
 * App-facing models. Candid shapes (bigint, `[] | [x]` options, variants) are converted to
 * these in `convert.ts`; ids become decimal strings so they work as URL segments and in
 * TanStack Query keys (which are JSON-hashed and cannot hold bigint).
 */

import type { MergedCursor } from './mergedListing';

export type Id = string;

export const ROADMAP_STATUSES = ['Deployed', 'InProgress', 'Upcoming', 'Future'] as const;
export type RoadmapStatus = (typeof ROADMAP_STATUSES)[number];

export const ROLES = ['Member', 'Moderator', 'Admin'] as const;
export type Role = (typeof ROLES)[number];

export type VoteDirection = 'Up' | 'Down';

export interface Link {
  label: string;
  url: string;
}

export interface Priority {
  votes: number;
  supporters: number;
}

export interface RoadmapItem {
  id: Id;
  milestoneId: Id;
  slug: string;
  title: string;
  description: string;
  status: RoadmapStatus;
  links: Link[];
  order: number;
  priority: Priority;
  commentCount: number;
  /** The summed voting power (e8s) of the members who gave it priority votes; 0 or absent: none. */
  supporterPower?: bigint | undefined;
}

export interface Milestone {
  id: Id;
  themeId: Id;
  slug: string;
  name: string;
  summary: string;
  status: RoadmapStatus;
  eta: string | undefined;
  order: number;
  items: RoadmapItem[];
  commentCount: number;
}

export interface Theme {
  id: Id;
  slug: string;
  title: string;
  summary: string;
  order: number;
  milestones: Milestone[];
}

export interface Roadmap {
  themes: Theme[];
}

export type ProposalStatus =
  | { kind: 'Open' }
  | { kind: 'UnderReview' }
  | { kind: 'Planned'; itemId: Id }
  | { kind: 'Declined'; reason: string }
  | { kind: 'Duplicate'; proposalId: Id }
  | { kind: 'Done' };

export type ProposalStatusKind = ProposalStatus['kind'];
export const PROPOSAL_STATUS_KINDS: ProposalStatusKind[] = [
  'Open',
  'UnderReview',
  'Planned',
  'Declined',
  'Duplicate',
  'Done',
];

/** Still being decided or on its way: what the proposal list shows unless asked otherwise. */
export const ACTIVE_STATUSES: readonly ProposalStatusKind[] = ['Open', 'UnderReview', 'Planned'];
/** Voting closed. */
export const CLOSED_STATUSES: readonly ProposalStatusKind[] = ['Declined', 'Duplicate', 'Done'];

export const PROPOSAL_SORTS = [
  'Hot',
  'Top',
  'New',
  'Oldest',
  'MostDiscussed',
  'VotingPower',
] as const;
export type ProposalSort = (typeof PROPOSAL_SORTS)[number];

export interface OfficialResponse {
  body: string;
  by: string;
  at: Date;
  /** The status the response was written for (it stays when the status changes later). */
  forStatus: ProposalStatus | undefined;
  /** How many earlier versions of the response were replaced (see getResponseHistory). */
  revisions: number;
}

/** An earlier version of an official response, replaced (or removed) at `replacedAt`. */
export interface ResponseRevision {
  body: string;
  by: string;
  at: Date;
  forStatus: ProposalStatus | undefined;
  replacedAt: Date;
}

/** What a status change does to the official response: keep it as it is, set (or edit) it, remove it. */
export type ResponseChange = 'keep' | 'remove' | { set: string };

/** Counts of the proposals a visitor can see, for filter choices. */
export interface ProposalFacets {
  statuses: Record<ProposalStatusKind, number>;
  /** The most used tags, most used first. */
  tags: { tag: string; count: number }[];
  /** Open or under review, without an official response. */
  needsResponse: number;
}

/** A proposal as lists show it: an excerpt instead of the full body. */
export interface ProposalSummary {
  id: Id;
  author: string;
  authorName: string | undefined;
  title: string;
  excerpt: string;
  themeId: Id | undefined;
  tags: string[];
  status: ProposalStatus;
  createdAt: Date;
  updatedAt: Date;
  up: number;
  down: number;
  /** Voting power (e8s) of the up- and down-voters: the neuron-weighted lens beside the tally. */
  upPower?: bigint | undefined;
  downPower?: bigint | undefined;
  commentCount: number;
  myVote: VoteDirection | undefined;
  /**
   * Why moderators hid the proposal, if they did. Its title and text then reach only its author
   * and moderators; everyone else gets them empty. Its votes are frozen.
   */
  hidden?: Hiding | undefined;
}

export interface Hiding {
  reason: string;
  at: Date;
  /** Who hid it; undefined when enough reports hid it automatically, pending review. */
  by: string | undefined;
}

/** A page of search results; `pending` proposals are written but not yet searchable. */
export interface SearchPage {
  proposals: ProposalSummary[];
  nextCursor: string | undefined;
  pending: number;
}

export interface ProposalDetail extends Omit<ProposalSummary, 'excerpt'> {
  body: string;
  revisionCount: number;
  officialResponse: OfficialResponse | undefined;
  /** The NNS proposal this proposal follows, if an admin linked one. */
  nns?: NnsLink | undefined;
  /** This proposal's merge into another, if a moderator merged it as a duplicate. */
  merge?: Merge | undefined;
  /** Duplicates merged into this proposal. */
  mergedFrom?: Merge[] | undefined;
}

/**
 * Votes of a merge move in the background: `Merging` until they all moved, then `Merged`;
 * `Unmerging` while an admin's undo takes them back (the merge is gone once it is done).
 */
export type MergeState = 'Merging' | 'Merged' | 'Unmerging';

/** A duplicate merged into another proposal, with its votes. */
export interface Merge {
  duplicate: Id;
  into: Id;
  by: string;
  at: Date;
  note: string | undefined;
  state: MergeState;
  /** Votes added to `into` so far (voters who had voted there already are not counted). */
  votesMoved: number;
}

export interface MergeInput {
  duplicate: Id;
  into: Id;
  note: string;
}

/** An earlier version of a proposal, replaced at `replacedAt`. */
export interface ProposalRevision {
  title: string;
  body: string;
  tags: string[];
  replacedAt: Date;
}

/**
 * Where the next page of a proposal listing starts: the backend's cursor, or for a listing over
 * several statuses the state of the merge (api/mergedListing.ts).
 */
export type ProposalCursor = string | MergedCursor;

/** A member's current vote on a proposal, for their profile. */
export interface MemberVote {
  proposal: ProposalSummary;
  vote: VoteDirection;
}

export interface MemberVotePage {
  votes: MemberVote[];
  nextCursor: string | undefined;
}

export interface ProposalPage {
  proposals: ProposalSummary[];
  nextCursor: ProposalCursor | undefined;
}

export interface ProposalFilters {
  sort: ProposalSort;
  /** Proposals in any of these statuses; undefined or empty lists every status. */
  statuses?: readonly ProposalStatusKind[] | undefined;
  themeId?: Id | undefined;
  /** Proposals carrying every one of these tags. */
  tags?: readonly string[] | undefined;
  author?: string | undefined;
  /** Only open or under-review proposals without an official response. */
  needsResponse?: boolean | undefined;
}

export interface ProposalInput {
  title: string;
  body: string;
  themeId: Id | undefined;
  tags: string[];
}

export interface VoteTally {
  up: number;
  down: number;
  myVote: VoteDirection | undefined;
}

export type Target =
  { kind: 'Proposal'; id: Id } | { kind: 'Item'; id: Id } | { kind: 'Milestone'; id: Id };

export interface CommentRevision {
  body: string;
  replacedAt: Date;
}

export interface Comment {
  id: Id;
  target: Target;
  parentId: Id | undefined;
  author: string;
  authorName: string | undefined;
  /** Empty for a tombstone. */
  body: string;
  createdAt: Date;
  updatedAt: Date;
  revisionCount: number;
  deleted: boolean;
  /**
   * Why moderators hid the comment, if they did. Its body then reaches only its author and
   * moderators; everyone else gets an empty body and sees the reason in its place.
   */
  hiddenReason?: string;
  /** 0 for top-level comments; replies arrive in pre-order right after their parent. */
  depth: number;
}

export interface ThreadPage {
  comments: Comment[];
  nextCursor: string | undefined;
}

export interface CommentPage {
  comments: Comment[];
  nextCursor: string | undefined;
}

export interface Profile {
  principal: string;
  displayName: string;
  bio: string;
  joinedAt: Date;
  role: Role;
  /** The voting power (e8s) of the neurons linked to the member; 0 or absent: none. */
  votingPower?: bigint | undefined;
}

export interface RoleGrant {
  principal: string;
  role: Role;
}

export interface ProfileInput {
  displayName: string;
  bio: string;
}

export interface Me {
  principal: string;
  isAnonymous: boolean;
  profile: Profile | undefined;
  role: Role;
  creditBudget: number;
  creditsLeft: number;
  /** Set while the member may read but not write. */
  suspension?: Suspension | undefined;
}

export interface Suspension {
  member: string;
  reason: string;
  at: Date;
  by: string;
  /** Undefined: until a moderator lifts it. */
  until: Date | undefined;
}

export const REPORT_REASONS = ['Spam', 'Abuse', 'OffTopic', 'Impersonation', 'Other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export function reportReasonLabel(reason: ReportReason): string {
  return reason === 'OffTopic' ? 'Off-topic' : reason;
}

/** What can be reported: content, or a member (e.g. for impersonation). */
export type ReportTarget =
  | { kind: 'Proposal'; id: Id }
  | { kind: 'Comment'; id: Id }
  | { kind: 'Member'; principal: string };

/** What moderators can hide. */
export type ContentRef = Extract<ReportTarget, { kind: 'Proposal' | 'Comment' }>;

export interface ReportInput {
  target: ReportTarget;
  reason: ReportReason;
  note: string;
}

/** One member's report; only moderators see who reported. */
export interface Report {
  reporter: string;
  reason: ReportReason;
  note: string | undefined;
  at: Date;
}

/** The reported thing as the queue shows it inline, so moderators decide without leaving. */
export type ReportedContent =
  | { kind: 'Missing' }
  | {
      kind: 'Proposal';
      id: Id;
      author: string;
      authorName: string | undefined;
      title: string;
      excerpt: string;
      up: number;
      down: number;
    }
  | { kind: 'Comment'; comment: Comment }
  | {
      kind: 'Member';
      member: string;
      profile: Profile | undefined;
      suspension: Suspension | undefined;
    };

/** The open reports on one target. */
export interface ReportGroup {
  target: ReportTarget;
  /** All open reports; `reports` holds the newest few. */
  count: number;
  reports: Report[];
  hidden: Hiding | undefined;
  content: ReportedContent;
  firstReportedAt: Date;
}

export interface ReportPage {
  groups: ReportGroup[];
  nextCursor: string | undefined;
}

export type ModerationAction =
  | { kind: 'Hide'; target: ContentRef }
  | { kind: 'Restore'; target: ContentRef }
  | { kind: 'Dismiss'; target: ReportTarget }
  /** `days` undefined: until lifted. */
  | { kind: 'Suspend'; member: string; days: number | undefined }
  | { kind: 'Unsuspend'; member: string };

export interface ModerationSettings {
  autoHideReports: number;
  upVotesPerExtraReport: number;
  newMemberHours: number;
  newMemberProposalsPerDay: number;
  newMemberCommentsPerHour: number;
  reportsPerHour: number;
}

export interface PriorityAllocation {
  budget: number;
  spent: number;
  remaining: number;
  /** itemId → votes */
  votes: Record<Id, number>;
}

/** What an activity entry is about, so the log can name it by its current title. */
export type ActivitySubject =
  | { kind: 'theme'; id: Id; slug: string }
  | { kind: 'milestone'; id: Id; slug: string }
  | { kind: 'item'; id: Id; slug: string }
  | { kind: 'proposal'; id: Id }
  | { kind: 'comment'; id: Id }
  | { kind: 'member'; principal: string };

export interface ActivityEntry {
  id: Id;
  actor: string;
  at: Date;
  /** A sentence describing what happened, e.g. "set proposal #4 to Planned (item #12)". */
  summary: string;
  /** The same sentence in parts: `${action} ${subject} ${detail}`, for naming the subject. */
  action: string;
  subject: ActivitySubject | undefined;
  detail: string;
  /** Where the entry points to in the app, when it concerns one thing. */
  link: string | undefined;
}

export interface ActivityPage {
  entries: ActivityEntry[];
  nextCursor: string | undefined;
}

export interface Settings {
  creditBudget: number;
  proposalsPerDay: number;
  commentsPerHour: number;
  votesPerHour: number;
  profileEditsPerHour: number;
}

export interface ItemDetail {
  item: RoadmapItem;
  milestone: Omit<Milestone, 'items'>;
  theme: Omit<Theme, 'milestones'>;
  myVotes: number;
  /** The NNS proposal this item follows, if an admin linked one. */
  nns?: NnsLink | undefined;
}

/** A neuron linked to the caller: its voting power counts in every tally they take part in. */
export interface NeuronLink {
  neuronId: string;
  /** e8s */
  votingPower: bigint;
  dissolveDelaySeconds: number;
  linkedAt: Date;
  checkedAt: Date;
}

/** A link that stopped counting (hot key removed, neuron made private), with the reason. */
export interface LapsedNeuron {
  neuronId: string;
  reason: string;
  at: Date;
}

export interface MyNeurons {
  links: NeuronLink[];
  /** e8s, the sum over `links` */
  votingPower: bigint;
  lapsed: LapsedNeuron[];
}

export const NNS_PROPOSAL_STATUSES = [
  'Open',
  'Rejected',
  'Adopted',
  'Executed',
  'Failed',
  'Unknown',
] as const;
export type NnsProposalStatus = (typeof NNS_PROPOSAL_STATUSES)[number];

/** What NNS governance last said about a linked proposal. */
export interface NnsProposalInfo {
  status: NnsProposalStatus;
  title: string;
  topic: number;
  /** Voting power (e8s) voting yes, no, and able to vote at all. */
  yes: bigint;
  no: bigint;
  total: bigint;
  fetchedAt: Date;
}

export interface NnsLink {
  proposalId: string;
  deployOnExecution: boolean;
  /** Undefined until governance has been asked. */
  info: NnsProposalInfo | undefined;
}

export type NnsLinkTarget = { kind: 'Item'; id: Id } | { kind: 'Proposal'; id: Id };

export interface ThemeInput {
  slug: string;
  title: string;
  summary: string;
  order: number;
}

export interface MilestoneInput {
  themeSlug: string;
  slug: string;
  name: string;
  summary: string;
  status: RoadmapStatus;
  eta: string | undefined;
  order: number;
}

export interface ItemInput {
  milestoneSlug: string;
  slug: string;
  title: string;
  description: string;
  status: RoadmapStatus;
  links: Link[];
  order: number;
}

export interface ImportReport {
  themesCreated: number;
  themesUpdated: number;
  milestonesCreated: number;
  milestonesUpdated: number;
  itemsCreated: number;
  itemsUpdated: number;
}

export function proposalStatusLabel(status: ProposalStatusKind): string {
  switch (status) {
    case 'UnderReview':
      return 'Under review';
    default:
      return status;
  }
}

export function roadmapStatusLabel(status: RoadmapStatus): string {
  return status === 'InProgress' ? 'In progress' : status;
}

export function votingClosed(status: ProposalStatus): boolean {
  return status.kind === 'Declined' || status.kind === 'Duplicate' || status.kind === 'Done';
}

/** What can be followed: a proposal or a roadmap item (the backend's ItemOrProposal). */
export type FollowTarget = { kind: 'Item'; id: Id } | { kind: 'Proposal'; id: Id };

/** A comment someone else wrote that concerns the member, and on what. */
export interface CommentNotice {
  commentId: Id;
  target: Target;
  /** The principal of the comment's author. */
  by: string;
}

export type NotificationKind =
  | ({ kind: 'Reply' } & CommentNotice)
  | ({ kind: 'NewComment' } & CommentNotice)
  | ({ kind: 'Mention' } & CommentNotice)
  | {
      kind: 'StatusChanged';
      proposalId: Id;
      status: ProposalStatus;
      /** An official response came with the change. */
      response: boolean;
    }
  /** The item shipped: the priority credits spent on it are back. */
  | { kind: 'ItemDeployed'; itemId: Id }
  | { kind: 'ContentHidden'; target: ContentRef; reason: string }
  | { kind: 'ContentRestored'; target: ContentRef; reason: string };

export interface Notification {
  /** Increases with each notice; marking read "before seq" uses it. */
  seq: string;
  at: Date;
  read: boolean;
  kind: NotificationKind;
}

export interface NotificationPage {
  notifications: Notification[];
  unread: number;
  nextCursor: string | undefined;
}
