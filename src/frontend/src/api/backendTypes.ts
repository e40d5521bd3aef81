/**
 * Candid shapes of the backend service. Re-exported from the generated bindings so that
 * converters in this folder are checked against them.
 */
import type { Principal } from '@dfinity/principal';

type Opt<T> = [] | [T];
type Id = bigint;
type Time = bigint;

export type CRoadmapStatus =
  { Deployed: null } | { InProgress: null } | { Upcoming: null } | { Future: null };
export type CLink = { label: string; url: string };
export type CTheme = {
  id: Id;
  slug: string;
  title: string;
  summary: string;
  order: number;
  updatedAt: Time;
};
export type CMilestone = {
  id: Id;
  themeId: Id;
  slug: string;
  name: string;
  summary: string;
  status: CRoadmapStatus;
  eta: Opt<string>;
  order: number;
  commentCount: number;
  updatedAt: Time;
};
export type CItem = {
  id: Id;
  milestoneId: Id;
  slug: string;
  title: string;
  description: string;
  status: CRoadmapStatus;
  links: CLink[];
  order: number;
  priority: { votes: number; supporters: number };
  commentCount: number;
  updatedAt: Time;
};
export type CRoadmap = {
  themes: { theme: CTheme; milestones: { milestone: CMilestone; items: CItem[] }[] }[];
};
export type CItemDetail = { item: CItem; milestone: CMilestone; theme: CTheme; myVotes: number };
export type CProposalStatus =
  | { Open: null }
  | { UnderReview: null }
  | { Planned: Id }
  | { Declined: string }
  | { Duplicate: Id }
  | { Done: null };
export type CProposalStatusKind =
  | { Open: null }
  | { UnderReview: null }
  | { Planned: null }
  | { Declined: null }
  | { Duplicate: null }
  | { Done: null };
export type CVote = { Up: null } | { Down: null };
export type CProposal = {
  id: Id;
  author: Principal;
  title: string;
  body: string;
  themeId: Opt<Id>;
  tags: string[];
  status: CProposalStatus;
  createdAt: Time;
  updatedAt: Time;
  up: number;
  down: number;
  commentCount: number;
  revisionCount: number;
  officialResponse: Opt<{ body: string; by: Principal; at: Time }>;
};
export type CProposalSummary = {
  id: Id;
  author: Principal;
  authorName: Opt<string>;
  title: string;
  excerpt: string;
  themeId: Opt<Id>;
  tags: string[];
  status: CProposalStatus;
  createdAt: Time;
  updatedAt: Time;
  up: number;
  down: number;
  commentCount: number;
  myVote: Opt<CVote>;
};
export type CProposalDetail = { proposal: CProposal; authorName: Opt<string>; myVote: Opt<CVote> };
export type CProposalRevision = { title: string; body: string; tags: string[]; replacedAt: Time };
export type CVoteTally = { proposalId: Id; up: number; down: number; myVote: Opt<CVote> };
export type CTarget = { Proposal: Id } | { Item: Id } | { Milestone: Id };
export type CComment = {
  id: Id;
  target: CTarget;
  parentId: Opt<Id>;
  author: Principal;
  body: string;
  createdAt: Time;
  updatedAt: Time;
  revisionCount: number;
  deleted: Opt<{ by: Principal; at: Time }>;
};
export type CThreadComment = { comment: CComment; depth: number; authorName: Opt<string> };
export type CRole = { Member: null } | { Moderator: null } | { Admin: null };
export type CProfile = {
  principal: Principal;
  displayName: string;
  bio: string;
  joinedAt: Time;
  role: CRole;
};
export type CMe = {
  principal: Principal;
  isAnonymous: boolean;
  profile: Opt<CProfile>;
  role: CRole;
  creditBudget: number;
  creditsLeft: number;
};
export type CPriorityAllocation = {
  budget: number;
  spent: number;
  remaining: number;
  votes: { itemId: Id; votes: number }[];
};
export type CSettings = {
  creditBudget: number;
  proposalsPerDay: number;
  commentsPerHour: number;
  votesPerHour: number;
  profileEditsPerHour: number;
};
export type CImportReport = {
  themesCreated: number;
  themesUpdated: number;
  milestonesCreated: number;
  milestonesUpdated: number;
  itemsCreated: number;
  itemsUpdated: number;
};
export type CActivityKind =
  | { ThemeUpserted: { themeId: Id; slug: string } }
  | { MilestoneUpserted: { milestoneId: Id; slug: string; status: CRoadmapStatus } }
  | { ItemUpserted: { itemId: Id; slug: string; status: CRoadmapStatus } }
  | { RoadmapImported: CImportReport }
  | { ProposalStatusChanged: { proposalId: Id; status: CProposalStatus } }
  | { RoleChanged: { principal: Principal; role: CRole } }
  | { SettingsChanged: CSettings }
  | { CommentRemoved: { commentId: Id } };
export type CActivityEntry = { id: Id; actor: Principal; at: Time; kind: CActivityKind };
