/**
 * The backend service as the generated bindings describe it.
 */
import type { Principal } from '@dfinity/principal';
import type {
  CActivityEntry,
  CComment,
  CImportReport,
  CItem,
  CItemDetail,
  CLink,
  CMe,
  CMilestone,
  CPriorityAllocation,
  CProfile,
  CProposal,
  CProposalDetail,
  CProposalRevision,
  CProposalStatus,
  CProposalStatusKind,
  CProposalSummary,
  CRoadmap,
  CRoadmapStatus,
  CRole,
  CSettings,
  CTarget,
  CTheme,
  CThreadComment,
  CVote,
  CVoteTally,
} from './backendTypes';
import type { CandidError } from './errors';

type Opt<T> = [] | [T];
type R<T> = { Ok: T } | { Err: CandidError };

export interface BackendService {
  whoami(): Promise<CMe>;
  getRoadmap(): Promise<CRoadmap>;
  getItem(id: bigint): Promise<Opt<CItemDetail>>;
  listProposals(req: {
    sort: { Hot: null } | { Top: null } | { New: null } | { MostDiscussed: null };
    status: Opt<CProposalStatusKind>;
    themeId: Opt<bigint>;
    tag: Opt<string>;
    author: Opt<Principal>;
    cursor: Opt<string>;
    limit: number;
  }): Promise<{ proposals: CProposalSummary[]; nextCursor: Opt<string> }>;
  getProposal(id: bigint): Promise<Opt<CProposalDetail>>;
  getProposalHistory(id: bigint): Promise<CProposalRevision[]>;
  getThread(
    target: CTarget,
    cursor: Opt<string>,
    limit: number,
  ): Promise<{ comments: CThreadComment[]; nextCursor: Opt<string> }>;
  getCommentHistory(id: bigint): Promise<{ body: string; replacedAt: bigint }[]>;
  getProfile(p: Principal): Promise<Opt<CProfile>>;
  listCommentsByAuthor(
    p: Principal,
    cursor: Opt<string>,
    limit: number,
  ): Promise<{ comments: CComment[]; nextCursor: Opt<string> }>;
  getMyPriorities(): Promise<CPriorityAllocation>;
  getActivity(
    cursor: Opt<string>,
    limit: number,
  ): Promise<{ entries: CActivityEntry[]; nextCursor: Opt<string> }>;
  getSettings(): Promise<CSettings>;

  setProfile(input: { displayName: string; bio: string }): Promise<R<CProfile>>;
  submitProposal(input: {
    title: string;
    body: string;
    themeId: Opt<bigint>;
    tags: string[];
  }): Promise<R<CProposal>>;
  editProposal(
    id: bigint,
    input: { title: string; body: string; themeId: Opt<bigint>; tags: string[] },
  ): Promise<R<CProposal>>;
  voteProposal(id: bigint, vote: Opt<CVote>): Promise<R<CVoteTally>>;
  postComment(input: {
    target: CTarget;
    parentId: Opt<bigint>;
    body: string;
  }): Promise<R<CComment>>;
  editComment(id: bigint, body: string): Promise<R<CComment>>;
  deleteComment(id: bigint): Promise<R<null>>;
  setPriorityVotes(itemId: bigint, votes: number): Promise<R<CPriorityAllocation>>;
  upsertTheme(input: {
    slug: string;
    title: string;
    summary: string;
    order: number;
  }): Promise<R<CTheme>>;
  upsertMilestone(input: {
    themeSlug: string;
    slug: string;
    name: string;
    summary: string;
    status: CRoadmapStatus;
    eta: Opt<string>;
    order: number;
  }): Promise<R<CMilestone>>;
  upsertItem(input: {
    milestoneSlug: string;
    slug: string;
    title: string;
    description: string;
    status: CRoadmapStatus;
    links: CLink[];
    order: number;
  }): Promise<R<CItem>>;
  setProposalStatus(
    id: bigint,
    status: CProposalStatus,
    response: Opt<string>,
  ): Promise<R<CProposal>>;
  setRole(p: Principal, role: CRole): Promise<R<null>>;
  setSettings(s: CSettings): Promise<R<CSettings>>;
  importRoadmap(input: unknown): Promise<R<CImportReport>>;
}
