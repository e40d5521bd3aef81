/**
 * One hook per backend read. Components get loading/error/data from TanStack Query and never
 * copy server data into local state.
 */
import {
  keepPreviousData,
  useInfiniteQuery,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api } from '../api/backend';
import { checkTally, type TallyKind } from '../api/tallyCheck';
import type {
  FollowTarget,
  Id,
  NnsLink,
  ProposalCursor,
  ProposalDetail,
  ProposalFilters,
  ProposalStatusKind,
  Target,
} from '../api/models';
import { useAuth } from './auth';
import { queryKeys } from './queryKeys';

export function useMe() {
  const { status } = useAuth();
  return useQuery({
    queryKey: queryKeys.me(),
    queryFn: api.whoami,
    enabled: status === 'signedIn',
  });
}

const roadmapQuery = { queryKey: queryKeys.roadmap(), queryFn: api.getRoadmap };

export function useRoadmap() {
  return useQuery(roadmapQuery);
}

/**
 * Starts the query of the page at `path` before anything renders. Only the landing page
 * (the roadmap, public and the same for every caller) is worth it: other pages load their
 * code first, and their reads may depend on who is signed in.
 */
export function prefetchForPath(queryClient: QueryClient, path: string): void {
  if (path === '/' || path === '') void queryClient.prefetchQuery(roadmapQuery);
}

/** How often a page with a linked NNS proposal asks again while governance may still change it. */
export const NNS_REFRESH_MS = 10_000;

/**
 * Whether NNS governance may still change what a page shows: an open or adopted proposal may
 * yet execute (and deploy the item); executed, failed and rejected ones are final.
 */
export function nnsPending(link: NnsLink | undefined): boolean {
  if (!link) return false;
  const status = link.info?.status;
  return status !== 'Executed' && status !== 'Failed' && status !== 'Rejected';
}

export function useItem(id: Id) {
  const item = useQuery({
    queryKey: queryKeys.item(id),
    queryFn: () => api.getItem(id),
    refetchInterval: (query) => (nnsPending(query.state.data?.nns) ? NNS_REFRESH_MS : false),
  });
  // An item can turn Deployed while its page is open (its NNS proposal executed): the roadmap
  // shows its new status, and the credits spent on it are back with their members.
  const qc = useQueryClient();
  const status = item.data?.item.status;
  const seen = useRef({ id, status });
  useEffect(() => {
    const before = seen.current;
    seen.current = { id, status };
    // Only a change of the same item counts, not moving to another item's page.
    if (before.id !== id || before.status === undefined || status === undefined) return;
    if (before.status === status) return;
    void qc.invalidateQueries({ queryKey: queryKeys.roadmap() });
    void qc.invalidateQueries({ queryKey: queryKeys.priorities() });
    void qc.invalidateQueries({ queryKey: queryKeys.me() });
  }, [qc, id, status]);
  return item;
}

export function useProposalList(filters: ProposalFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: queryKeys.proposalList(filters),
    queryFn: ({ pageParam }) => api.listProposals(filters, pageParam),
    initialPageParam: undefined as ProposalCursor | undefined,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

/** Counts per status and tag and of the needs-a-response queue, for the filters. */
export function useProposalFacets() {
  return useQuery({ queryKey: queryKeys.proposalFacets(), queryFn: api.getProposalFacets });
}

export function useSearch(query: string, status: ProposalStatusKind | undefined) {
  return useInfiniteQuery({
    queryKey: queryKeys.search(query, status),
    queryFn: ({ pageParam }) => api.searchProposals(query, status, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
    enabled: query.trim() !== '',
    // An Invalid query stays invalid: asking again cannot help.
    retry: false,
  });
}

/**
 * Proposals like a draft. The caller debounces the text; the previous answer stays on screen
 * while the next one loads so the list does not flicker while typing.
 */
export function useSimilarProposals(title: string, body: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.similar(title, body),
    queryFn: () => api.similarProposals(title, body),
    enabled,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/**
 * Proposals found by searching for a draft's title, whatever their status, so the form can say
 * when one already has exactly that title. The caller debounces the title.
 */
export function useTitleTwins(title: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.titleTwins(title),
    queryFn: async () => (await api.searchProposals(title, undefined, undefined)).proposals,
    enabled,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** How often a proposal is read again while votes of a merge into or out of it are moving. */
export const MERGE_REFRESH_MS = 2_000;

/** Whether votes of a merge of this proposal, or into it, are still moving (either way). */
export function mergeMoving(proposal: ProposalDetail | null | undefined): boolean {
  if (!proposal) return false;
  return [proposal.merge, ...(proposal.mergedFrom ?? [])].some(
    (m) => m !== undefined && m.state !== 'Merged',
  );
}

/** The proposals a merge ties this one to: its target, or the duplicates merged into it. */
export function mergePartners(proposal: ProposalDetail | null | undefined): Id[] {
  if (!proposal) return [];
  return [
    ...(proposal.merge ? [proposal.merge.into] : []),
    ...(proposal.mergedFrom ?? []).map((m) => m.duplicate),
  ];
}

export function useProposal(id: Id, enabled = true) {
  return useQuery({
    queryKey: queryKeys.proposal(id),
    queryFn: () => api.getProposal(id),
    enabled,
    refetchInterval: (query) =>
      mergeMoving(query.state.data)
        ? MERGE_REFRESH_MS
        : nnsPending(query.state.data?.nns)
          ? NNS_REFRESH_MS
          : false,
  });
}

/**
 * On a proposal's page: once the votes of a merge stop moving, the other proposals of the merge
 * and the listings are read again, since their tallies and merge state changed with it.
 */
export function useMergeSettled(proposal: ProposalDetail) {
  const qc = useQueryClient();
  const moving = mergeMoving(proposal);
  const partners = mergePartners(proposal);
  const key = partners.join(',');
  const seen = useRef({ id: proposal.id, moving, partners });
  useEffect(() => {
    const before = seen.current;
    seen.current = { id: proposal.id, moving, partners: key === '' ? [] : key.split(',') };
    // Only the end of a move on the same proposal counts, not moving to another page.
    if (before.id !== proposal.id || !before.moving || moving) return;
    const others = new Set([...before.partners, ...seen.current.partners]);
    for (const other of others) {
      void qc.invalidateQueries({ queryKey: queryKeys.proposal(other), exact: true });
    }
    void qc.invalidateQueries({ queryKey: queryKeys.proposalLists() });
    void qc.invalidateQueries({ queryKey: queryKeys.searches() });
  }, [qc, proposal.id, moving, key]);
}

export function useProposalHistory(id: Id, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.proposalHistory(id),
    queryFn: () => api.getProposalHistory(id),
    enabled,
  });
}

export function useResponseHistory(id: Id, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.responseHistory(id),
    queryFn: () => api.getResponseHistory(id),
    enabled,
  });
}

export function useThread(target: Target) {
  return useInfiniteQuery({
    queryKey: queryKeys.thread(target),
    queryFn: ({ pageParam }) => api.getThread(target, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** One comment by id, for finding its thread; hidden ones keep their text from visitors. */
export function useComment(id: Id) {
  return useQuery({ queryKey: queryKeys.comment(id), queryFn: () => api.getComment(id) });
}

export function useCommentHistory(id: Id, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.commentHistory(id),
    queryFn: () => api.getCommentHistory(id),
    enabled,
  });
}

export function useProfile(principal: string) {
  return useQuery({
    queryKey: queryKeys.profile(principal),
    queryFn: () => api.getProfile(principal),
  });
}

export function useMemberComments(principal: string) {
  return useInfiniteQuery({
    queryKey: queryKeys.memberComments(principal),
    queryFn: ({ pageParam }) => api.listCommentsByAuthor(principal, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** What a member votes on now, newest first vote first; a proposal shows once. */
export function useMemberVotes(principal: string) {
  return useInfiniteQuery({
    queryKey: queryKeys.memberVotes(principal),
    queryFn: ({ pageParam }) => api.listVotesByMember(principal, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useMyPriorities() {
  const { status } = useAuth();
  return useQuery({
    queryKey: queryKeys.priorities(),
    queryFn: api.getMyPriorities,
    enabled: status === 'signedIn',
  });
}

export function useMyNeurons() {
  const { status } = useAuth();
  return useQuery({
    queryKey: queryKeys.myNeurons(),
    queryFn: api.getMyNeurons,
    enabled: status === 'signedIn',
  });
}

export function useActivity() {
  return useInfiniteQuery({
    queryKey: queryKeys.activity(),
    queryFn: ({ pageParam }) => api.getActivity(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useRoles(enabled = true) {
  return useQuery({ queryKey: queryKeys.roles(), queryFn: api.listRoles, enabled });
}

export function useSettings(enabled = true) {
  return useQuery({ queryKey: queryKeys.settings(), queryFn: api.getSettings, enabled });
}

/** The moderation queue; only moderators and admins may read it, so others never ask. */
export function useReports(enabled: boolean) {
  return useInfiniteQuery({
    queryKey: queryKeys.reports(),
    queryFn: ({ pageParam }) => api.listReports(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

export function useModerationSettings(enabled = true) {
  return useQuery({
    queryKey: queryKeys.moderationSettings(),
    queryFn: api.getModerationSettings,
    enabled,
  });
}

/** Whether the signed-in caller may moderate (see hidden content, work the queue). */
export function useIsModerator(): boolean {
  const { status } = useAuth();
  const me = useMe();
  const role = me.data?.role;
  return status === 'signedIn' && (role === 'Moderator' || role === 'Admin');
}

/** Whether the signed-in member follows a proposal or item. */
export function useFollowing(target: FollowTarget) {
  const { status } = useAuth();
  return useQuery({
    queryKey: queryKeys.following(target),
    queryFn: () => api.isFollowing(target),
    enabled: status === 'signedIn',
  });
}

/** How often the bell asks for the unread count while the tab is visible. */
export const UNREAD_REFRESH_MS = 30_000;

export function useUnreadCount() {
  const { status } = useAuth();
  return useQuery({
    queryKey: queryKeys.unreadCount(),
    queryFn: api.getUnreadCount,
    enabled: status === 'signedIn',
    refetchInterval: UNREAD_REFRESH_MS,
    // A hidden tab does not ask: the count is fetched again when the tab is back in focus.
    refetchIntervalInBackground: false,
  });
}

export function useNotifications() {
  const { status } = useAuth();
  return useInfiniteQuery({
    queryKey: queryKeys.notifications(),
    queryFn: ({ pageParam }) => api.getNotifications(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
    enabled: status === 'signedIn',
    // The bell may have counted new notices since: opening the inbox always asks again.
    staleTime: 0,
  });
}

/**
 * The check of one certified tally (api/tallyCheck.ts): the marks beside numbers and the
 * verify page share it. A failed check is an answer, not an error to retry; the marks keep an
 * answer for a minute (`staleTime`), the verify page asks afresh when it opens.
 */
export function useTallyCheck(kind: TallyKind, id: Id, staleTime = 0) {
  return useQuery({
    queryKey: queryKeys.tallyCheck(kind, id),
    queryFn: () => checkTally(kind, BigInt(id)),
    staleTime,
    retry: false,
  });
}
