/**
 * The domain's data model. Shapes follow candid's TypeScript mapping (`opt T` is `[] | [T]`,
 * variants are single-key objects, nat64 is bigint, nat32 is number) so the canister layer
 * only has to turn principal text into `Principal` objects on the way out.
 * Principals are carried as their text form: the domain does not depend on agent libraries.
 */

export type Id = bigint;
/** Nanoseconds since the Unix epoch, as the IC's `time()` reports them. */
export type Time = bigint;
/**
 * A principal as the domain carries it: its bytes as a binary string, one char per byte. Cheap
 * to make from the bytes the system API hands over, usable as a Map key and never turned into
 * the textual form (which costs close to a million instructions in the canister). Branded so
 * the codec can tell, by type, which strings are candid `principal` values.
 */
export type PrincipalId = string & { readonly __brand: 'PrincipalId' };
export const principalId = (binary: string): PrincipalId => binary as PrincipalId;
export function principalIdFromBytes(bytes: Uint8Array): PrincipalId {
  return String.fromCharCode.apply(null, bytes as unknown as number[]) as PrincipalId;
}
/** The anonymous principal (the single byte 0x04): it may read, never write. */
export const ANONYMOUS = principalId('\x04');
export type Opt<T> = [] | [T];

export type RoadmapStatus =
  { Deployed: null } | { InProgress: null } | { Upcoming: null } | { Future: null };

export type Link = { label: string; url: string };

export type Theme = {
  id: Id;
  slug: string;
  title: string;
  summary: string;
  order: number;
  updatedAt: Time;
};

export type Milestone = {
  id: Id;
  themeId: Id;
  slug: string;
  name: string;
  summary: string;
  status: RoadmapStatus;
  eta: Opt<string>;
  order: number;
  commentCount: number;
  updatedAt: Time;
};

export type ItemPriority = {
  /** Σ votes members put on the item; kept as the final tally once the item is Deployed. */
  votes: number;
  supporters: number;
};

export type Item = {
  id: Id;
  milestoneId: Id;
  slug: string;
  title: string;
  description: string;
  status: RoadmapStatus;
  links: Link[];
  order: number;
  priority: ItemPriority;
  commentCount: number;
  updatedAt: Time;
};

export type MilestoneNode = { milestone: Milestone; items: Item[] };
export type ThemeNode = { theme: Theme; milestones: MilestoneNode[] };
/** Supporters' voting power on an item (see lens.ts); listed only when above 0. */
export type ItemPower = { itemId: Id; power: bigint };

export type Roadmap = { themes: ThemeNode[]; itemPower: ItemPower[] };

export type ItemDetail = {
  item: Item;
  milestone: Milestone;
  theme: Theme;
  myVotes: number;
  /** The voting power (e8s) of the item's supporters, from their linked neurons. */
  supporterPower: bigint;
  nns: Opt<NnsLink>;
};

export type ThemeInput = { slug: string; title: string; summary: string; order: number };
export type MilestoneInput = {
  themeSlug: string;
  slug: string;
  name: string;
  summary: string;
  status: RoadmapStatus;
  eta: Opt<string>;
  order: number;
};
export type ItemInput = {
  milestoneSlug: string;
  slug: string;
  title: string;
  description: string;
  status: RoadmapStatus;
  links: Link[];
  order: number;
};

/** A whole roadmap file; order within each list becomes the display order. */
export type ItemImport = {
  slug: string;
  title: string;
  description: string;
  status: RoadmapStatus;
  links: Link[];
};
export type MilestoneImport = {
  slug: string;
  name: string;
  summary: string;
  status: RoadmapStatus;
  eta: Opt<string>;
  items: ItemImport[];
};
export type ThemeImport = {
  slug: string;
  title: string;
  summary: string;
  milestones: MilestoneImport[];
};
export type RoadmapImport = { themes: ThemeImport[] };

export type ImportReport = {
  themesCreated: number;
  themesUpdated: number;
  milestonesCreated: number;
  milestonesUpdated: number;
  itemsCreated: number;
  itemsUpdated: number;
};

export type ProposalStatus =
  | { Open: null }
  | { UnderReview: null }
  | { Planned: Id }
  | { Declined: string }
  | { Duplicate: Id }
  | { Done: null };

export type ProposalStatusKind =
  | { Open: null }
  | { UnderReview: null }
  | { Planned: null }
  | { Declined: null }
  | { Duplicate: null }
  | { Done: null };

export type OfficialResponse = { body: string; by: PrincipalId; at: Time };

/** About the current official response: the status it was written for, its earlier versions. */
export type ResponseInfo = { forStatus: ProposalStatus; revisions: number };

/** An earlier version of an official response (or one that was cleared). */
export type ResponseRevision = {
  body: string;
  by: PrincipalId;
  at: Time;
  /** Unknown for a response written before statuses were recorded with responses. */
  forStatus: Opt<ProposalStatus>;
  replacedAt: Time;
};

export type Proposal = {
  id: Id;
  author: PrincipalId;
  title: string;
  body: string;
  themeId: Opt<Id>;
  tags: string[];
  status: ProposalStatus;
  createdAt: Time;
  updatedAt: Time;
  up: number;
  down: number;
  /** The voting power (e8s) of up- and down-voters, from their linked neurons (lens.ts). */
  upPower: bigint;
  downPower: bigint;
  commentCount: number;
  revisionCount: number;
  officialResponse: Opt<OfficialResponse>;
};

export type ProposalInput = { title: string; body: string; themeId: Opt<Id>; tags: string[] };

export type ProposalRevision = { title: string; body: string; tags: string[]; replacedAt: Time };

export type Vote = { Up: null } | { Down: null };

export type VoteTally = { proposalId: Id; up: number; down: number; myVote: Opt<Vote> };

export type ProposalSort =
  | { Hot: null }
  | { Top: null }
  | { New: null }
  | { MostDiscussed: null }
  /** Net voting power of the up- and down-voters (lens.ts). */
  | { VotingPower: null }
  /** New, reversed: for triage, the longest-waiting first. */
  | { Oldest: null };

export type ListProposalsRequest = {
  sort: ProposalSort;
  status: Opt<ProposalStatusKind>;
  themeId: Opt<Id>;
  /** One tag or several, separated by spaces or commas, each with or without a leading `#`. */
  tag: Opt<string>;
  author: Opt<PrincipalId>;
  cursor: Opt<string>;
  limit: number;
  /** Only Open and Under review proposals that have no official response (triage). */
  needsResponse: Opt<boolean>;
};

/** How many visible proposals there are per status and per tag, and how many need a response. */
export type ProposalFacets = {
  statuses: { status: ProposalStatusKind; count: number }[];
  /** The most used tags, most used first (ties by name). */
  tags: { tag: string; count: number }[];
  needsResponse: number;
};

export type ProposalSummary = {
  id: Id;
  author: PrincipalId;
  authorName: Opt<string>;
  title: string;
  excerpt: string;
  themeId: Opt<Id>;
  tags: string[];
  status: ProposalStatus;
  createdAt: Time;
  updatedAt: Time;
  up: number;
  down: number;
  upPower: bigint;
  downPower: bigint;
  commentCount: number;
  myVote: Opt<Vote>;
  /** Only in its author's listing: a hidden proposal leaves every other one. */
  hidden: Opt<Hiding>;
};

export type ProposalPage = { proposals: ProposalSummary[]; nextCursor: Opt<string> };

export type ProposalDetail = {
  proposal: Proposal;
  authorName: Opt<string>;
  myVote: Opt<Vote>;
  hidden: Opt<Hiding>;
  nns: Opt<NnsLink>;
  /** This proposal was merged into another one (its status is then Duplicate of it). */
  merge: Opt<Merge>;
  /** Duplicates merged into this proposal. */
  mergedFrom: Merge[];
  /** With an official response: the status it was written for and its earlier versions. */
  response: Opt<ResponseInfo>;
};

/** A member's current vote on a proposal, for the list of what they voted on. */
export type MemberVote = { proposal: ProposalSummary; vote: Vote };

export type MemberVotePage = { votes: MemberVote[]; nextCursor: Opt<string> };

/** While votes move (or move back) a merge is `Merging` (`Unmerging`); then `Merged`. */
export type MergeState = { Merging: null } | { Merged: null } | { Unmerging: null };

/** A duplicate merged into the proposal it duplicates, with its votes. */
export type Merge = {
  duplicate: Id;
  into: Id;
  by: PrincipalId;
  at: Time;
  note: Opt<string>;
  state: MergeState;
  /** Votes added to `into` so far (members who had voted there keep their own vote). */
  votesMoved: number;
};

export type MergeRequest = { duplicate: Id; into: Id; note: Opt<string> };

export type Target = { Proposal: Id } | { Item: Id } | { Milestone: Id };

export type Comment = {
  id: Id;
  target: Target;
  parentId: Opt<Id>;
  author: PrincipalId;
  /** Empty once deleted: the tombstone keeps the place of the comment so replies stay. */
  body: string;
  createdAt: Time;
  updatedAt: Time;
  revisionCount: number;
  deleted: Opt<Deletion>;
  /** Set while moderators keep the comment hidden; the body is then only for its author and them. */
  hidden: Opt<Hiding>;
};

export type Deletion = { by: PrincipalId; at: Time };

export type CommentInput = { target: Target; parentId: Opt<Id>; body: string };

export type CommentRevision = { body: string; replacedAt: Time };

export type ThreadComment = { comment: Comment; depth: number; authorName: Opt<string> };

export type ThreadPage = { comments: ThreadComment[]; nextCursor: Opt<string> };

export type CommentPage = { comments: Comment[]; nextCursor: Opt<string> };

export type Role = { Member: null } | { Moderator: null } | { Admin: null };

export type Profile = {
  principal: PrincipalId;
  displayName: string;
  bio: string;
  joinedAt: Time;
  role: Role;
  /** The voting power (e8s) of the neurons linked to the member (neurons.ts). */
  votingPower: bigint;
};

export type ProfileInput = { displayName: string; bio: string };

export type RoleGrant = { principal: PrincipalId; role: Role };

export type Me = {
  principal: PrincipalId;
  isAnonymous: boolean;
  profile: Opt<Profile>;
  role: Role;
  creditBudget: number;
  creditsLeft: number;
  /** Set while the caller is suspended: their writes are refused until then. */
  suspension: Opt<Suspension>;
};

export type PriorityVote = { itemId: Id; votes: number };

export type PriorityAllocation = {
  budget: number;
  spent: number;
  remaining: number;
  votes: PriorityVote[];
};

export type Settings = {
  creditBudget: number;
  proposalsPerDay: number;
  commentsPerHour: number;
  votesPerHour: number;
  profileEditsPerHour: number;
};

/** What the activity log recorded before moderation existed (its stored form is fixed). */
export type CoreActivityKind =
  | { ThemeUpserted: { themeId: Id; slug: string } }
  | { MilestoneUpserted: { milestoneId: Id; slug: string; status: RoadmapStatus } }
  | { ItemUpserted: { itemId: Id; slug: string; status: RoadmapStatus } }
  | { RoadmapImported: ImportReport }
  | { ProposalStatusChanged: { proposalId: Id; status: ProposalStatus } }
  | { RoleChanged: { principal: PrincipalId; role: Role } }
  | { SettingsChanged: Settings }
  | { CommentRemoved: { commentId: Id } };

/**
 * Moderation in the public log: who did what to which target and why. Reporters never appear:
 * an automatic hide is logged with the anonymous principal as its actor.
 */
export type ModerationActivityKind =
  | { ContentHidden: { target: ContentRef; reason: string } }
  | { ContentAutoHidden: { target: ContentRef; reports: number } }
  | { ContentRestored: { target: ContentRef; reason: string } }
  | { ReportsDismissed: { target: ReportTarget; reports: number; reason: string } }
  | { MemberSuspended: { member: PrincipalId; until: Opt<Time>; reason: string } }
  | { SuspensionLifted: { member: PrincipalId; reason: string } }
  | { ModerationSettingsChanged: ModerationSettings };

/** What NNS governance did to the board, in the public log; the actor is governance itself. */
export type NnsActivityKind = { ItemDeployedByNns: { itemId: Id; nnsProposalId: bigint } };

/** Duplicates merged with their votes, and merges undone. */
export type MergeActivityKind =
  | { ProposalMerged: { proposalId: Id; into: Id; note: Opt<string> } }
  | { ProposalUnmerged: { proposalId: Id; into: Id } };

export type ActivityKind =
  CoreActivityKind | ModerationActivityKind | NnsActivityKind | MergeActivityKind;

export type ActivityEntry = { id: Id; actor: PrincipalId; at: Time; kind: ActivityKind };

export type ActivityPage = { entries: ActivityEntry[]; nextCursor: Opt<string> };

// ---- moderation

/** Content moderators can hide. */
export type ContentRef = { Proposal: Id } | { Comment: Id };

/** What members can report: content, or a member (an impersonating name, a spam account). */
export type ReportTarget = { Proposal: Id } | { Comment: Id } | { Member: PrincipalId };

export type ReportReason =
  { Spam: null } | { Abuse: null } | { OffTopic: null } | { Impersonation: null } | { Other: null };

export type ReportInput = { target: ReportTarget; reason: ReportReason; note: Opt<string> };

/** Why content is hidden; `by` is empty when reports hid it automatically, pending review. */
export type Hiding = { reason: string; by: Opt<PrincipalId>; at: Time };

export type Suspension = {
  member: PrincipalId;
  /** Empty: until a moderator lifts it. */
  until: Opt<Time>;
  reason: string;
  by: PrincipalId;
  at: Time;
};

export type ModerationAction =
  | { Hide: ContentRef }
  | { Restore: ContentRef }
  | { Dismiss: ReportTarget }
  | { Suspend: { member: PrincipalId; days: Opt<number> } }
  | { Unsuspend: PrincipalId };

/** The reason is public (it is shown in place of hidden content and in the log). */
export type ModerationRequest = { action: ModerationAction; reason: string };

export type ModerationSettings = {
  /** Reports from distinct members in good standing that hide content pending review… */
  autoHideReports: number;
  /** …plus one more for every this many up-votes, so a brigade cannot bury a popular idea. */
  upVotesPerExtraReport: number;
  /** Members are new for this long after they create their profile (0: nobody is new). */
  newMemberHours: number;
  newMemberProposalsPerDay: number;
  newMemberCommentsPerHour: number;
  reportsPerHour: number;
};

export type Report = { reporter: PrincipalId; reason: ReportReason; note: Opt<string>; at: Time };

export type ReportedContent =
  | {
      Proposal: {
        id: Id;
        author: PrincipalId;
        authorName: Opt<string>;
        title: string;
        excerpt: string;
        up: number;
        down: number;
      };
    }
  | { Comment: { comment: Comment; authorName: Opt<string> } }
  | { Member: { member: PrincipalId; profile: Opt<Profile>; suspension: Opt<Suspension> } }
  /** The content is gone (a deleted comment leaves only its tombstone, shown as Comment). */
  | { Missing: null };

export type ReportGroup = {
  target: ReportTarget;
  /** Open reports on the target; `reports` holds the newest of them. */
  count: number;
  reports: Report[];
  hidden: Opt<Hiding>;
  content: ReportedContent;
  firstReportedAt: Time;
};

export type ReportPage = { groups: ReportGroup[]; nextCursor: Opt<string> };

// ---- NNS: linked neurons and linked NNS proposals

export type NeuronLink = {
  neuronId: bigint;
  /** e8s, as governance reported it when the link was last checked */
  votingPower: bigint;
  dissolveDelaySeconds: bigint;
  linkedAt: Time;
  checkedAt: Time;
};

/** A link the canister dropped on a re-check, with governance's reason, until re-linked. */
export type LapsedNeuron = { neuronId: bigint; reason: string; at: Time };

export type MyNeurons = {
  links: NeuronLink[];
  /** The sum over `links`: what the member's votes weigh in the lens. */
  votingPower: bigint;
  lapsed: LapsedNeuron[];
};

export type NnsProposalStatus =
  | { Open: null }
  | { Rejected: null }
  | { Adopted: null }
  | { Executed: null }
  | { Failed: null }
  | { Unknown: null };

/** What `get_proposal_info` last said of an NNS proposal. */
export type NnsProposalInfo = {
  status: NnsProposalStatus;
  title: string;
  topic: number;
  yes: bigint;
  no: bigint;
  total: bigint;
  fetchedAt: Time;
};

export type NnsLink = {
  proposalId: bigint;
  deployOnExecution: boolean;
  /** Empty until governance has been asked. */
  info: Opt<NnsProposalInfo>;
};

export type NnsLinkTarget = { Item: Id } | { Proposal: Id };

export type NnsLinkInput = {
  target: NnsLinkTarget;
  /** Empty: remove the link. */
  link: Opt<{ proposalId: bigint; deployOnExecution: boolean }>;
};
