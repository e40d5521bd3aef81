/**
 * One hook per backend update. Each invalidates exactly the queries whose data it changes.
 */
import {
  useMutation,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import { api } from '../api/backend';
import type {
  FollowTarget,
  Id,
  ItemInput,
  Merge,
  MergeInput,
  MilestoneInput,
  ModerationAction,
  ModerationSettings,
  MyNeurons,
  NnsLinkTarget,
  ProfileInput,
  ProposalCursor,
  ProposalDetail,
  ProposalInput,
  ProposalPage,
  ProposalStatus,
  ReportInput,
  ResponseChange,
  Role,
  Settings,
  Target,
  ThemeInput,
  VoteDirection,
  VoteTally,
} from '../api/models';
import { useAuth } from './auth';
import { applyVote } from './optimistic';
import { queryKeys } from './queryKeys';

/** A proposal added, or its status, tags or visibility changed: its lists and their counts. */
function invalidateListings(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: queryKeys.proposalLists() });
  void qc.invalidateQueries({ queryKey: queryKeys.proposalFacets() });
}

function invalidateCommentCounts(qc: QueryClient, target: Target) {
  switch (target.kind) {
    case 'Proposal':
      void qc.invalidateQueries({ queryKey: queryKeys.proposal(target.id), exact: true });
      void qc.invalidateQueries({ queryKey: queryKeys.proposalLists() });
      return;
    case 'Item':
      void qc.invalidateQueries({ queryKey: queryKeys.item(target.id) });
      void qc.invalidateQueries({ queryKey: queryKeys.roadmap() });
      return;
    case 'Milestone':
      void qc.invalidateQueries({ queryKey: queryKeys.roadmap() });
  }
}

export function useSetProfile() {
  const qc = useQueryClient();
  const { principal } = useAuth();
  return useMutation({
    mutationFn: (input: ProfileInput) => api.setProfile(input),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.me() });
      if (principal) void qc.invalidateQueries({ queryKey: queryKeys.profile(principal) });
    },
  });
}

export function useSubmitProposal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ProposalInput) => api.submitProposal(input),
    onSuccess: () => {
      invalidateListings(qc);
      void qc.invalidateQueries({ queryKey: queryKeys.searches() });
    },
  });
}

export function useEditProposal(id: Id) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ProposalInput) => api.editProposal(id, input),
    onSuccess: () => {
      // Prefix match: the proposal and its edit history.
      void qc.invalidateQueries({ queryKey: queryKeys.proposal(id) });
      invalidateListings(qc);
      void qc.invalidateQueries({ queryKey: queryKeys.searches() });
    },
  });
}

type ListData = InfiniteData<ProposalPage, ProposalCursor | undefined>;

interface VoteContext {
  detail: ProposalDetail | undefined;
  lists: [readonly unknown[], ListData | undefined][];
}

/**
 * Up/down votes apply at once on the proposal page and in every cached list, and roll back
 * to the previous tallies if the backend refuses.
 */
export function useVoteProposal(id: Id) {
  const qc = useQueryClient();
  return useMutation<VoteTally, Error, VoteDirection | undefined, VoteContext>({
    mutationFn: (vote) => api.voteProposal(id, vote),
    onMutate: async (vote) => {
      await qc.cancelQueries({ queryKey: queryKeys.proposal(id), exact: true });
      await qc.cancelQueries({ queryKey: queryKeys.proposalLists() });
      await qc.cancelQueries({ queryKey: queryKeys.searches() });
      const detail = qc.getQueryData<ProposalDetail | null>(queryKeys.proposal(id)) ?? undefined;
      // Search results are pages of the same summaries, so they move with the lists.
      const lists = [
        ...qc.getQueriesData<ListData>({ queryKey: queryKeys.proposalLists() }),
        ...qc.getQueriesData<ListData>({ queryKey: queryKeys.searches() }),
      ];
      if (detail) qc.setQueryData(queryKeys.proposal(id), applyVote(detail, vote));
      for (const [key, data] of lists) {
        if (!data) continue;
        qc.setQueryData<ListData>(key, {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            proposals: page.proposals.map((p) => (p.id === id ? applyVote(p, vote) : p)),
          })),
        });
      }
      return { detail, lists };
    },
    onError: (_error, _vote, context) => {
      if (!context) return;
      if (context.detail) qc.setQueryData(queryKeys.proposal(id), context.detail);
      for (const [key, data] of context.lists) qc.setQueryData(key, data);
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.proposal(id), exact: true });
      void qc.invalidateQueries({ queryKey: queryKeys.proposalLists() });
      void qc.invalidateQueries({ queryKey: queryKeys.searches() });
      // Voting follows the proposal (unless the member unfollowed it before).
      void qc.invalidateQueries({ queryKey: queryKeys.following({ kind: 'Proposal', id }) });
      // Every member's list of votes: the voter's own page may be open in another tab.
      void qc.invalidateQueries({ queryKey: ['rc', 'member-votes'] });
    },
  });
}

export function usePostComment(target: Target) {
  const qc = useQueryClient();
  const { principal } = useAuth();
  return useMutation({
    mutationFn: ({ parentId, body }: { parentId: Id | undefined; body: string }) =>
      api.postComment(target, parentId, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.thread(target) });
      invalidateCommentCounts(qc, target);
      if (principal) void qc.invalidateQueries({ queryKey: queryKeys.memberComments(principal) });
      // Commenting follows the proposal or item (unless the member unfollowed it before).
      if (target.kind !== 'Milestone') {
        void qc.invalidateQueries({ queryKey: queryKeys.following(target) });
      }
    },
  });
}

export function useEditComment(target: Target) {
  const qc = useQueryClient();
  const { principal } = useAuth();
  return useMutation({
    mutationFn: ({ id, body }: { id: Id; body: string }) => api.editComment(id, body),
    onSuccess: (_comment, { id }) => {
      void qc.invalidateQueries({ queryKey: queryKeys.thread(target) });
      void qc.invalidateQueries({ queryKey: queryKeys.commentHistory(id) });
      if (principal) void qc.invalidateQueries({ queryKey: queryKeys.memberComments(principal) });
    },
  });
}

export function useDeleteComment(target: Target) {
  const qc = useQueryClient();
  const { principal } = useAuth();
  return useMutation({
    mutationFn: (id: Id) => api.deleteComment(id),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.thread(target) });
      invalidateCommentCounts(qc, target);
      if (principal) void qc.invalidateQueries({ queryKey: queryKeys.memberComments(principal) });
    },
  });
}

export function useSetPriorityVotes(itemId: Id) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (votes: number) => api.setPriorityVotes(itemId, votes),
    onSuccess: (allocation) => {
      // The reply is the new allocation: no need to fetch it again.
      qc.setQueryData(queryKeys.priorities(), allocation);
      void qc.invalidateQueries({ queryKey: queryKeys.me() });
      void qc.invalidateQueries({ queryKey: queryKeys.item(itemId) });
      void qc.invalidateQueries({ queryKey: queryKeys.roadmap() });
      // Spending credits follows the item (unless the member unfollowed it before).
      void qc.invalidateQueries({ queryKey: queryKeys.following({ kind: 'Item', id: itemId }) });
    },
  });
}

function useRoadmapEdit<I>(fn: (input: I) => Promise<void>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.roadmap() });
      void qc.invalidateQueries({ queryKey: queryKeys.items() });
      void qc.invalidateQueries({ queryKey: queryKeys.activity() });
    },
  });
}

export const useUpsertTheme = () => useRoadmapEdit((input: ThemeInput) => api.upsertTheme(input));
export const useUpsertMilestone = () =>
  useRoadmapEdit((input: MilestoneInput) => api.upsertMilestone(input));
export const useUpsertItem = () => useRoadmapEdit((input: ItemInput) => api.upsertItem(input));

export type RoadmapUpsert =
  | { kind: 'theme'; input: ThemeInput }
  | { kind: 'milestone'; input: MilestoneInput }
  | { kind: 'item'; input: ItemInput };

/**
 * Moves roadmap entries by saving their new order numbers, one upsert per entry (there is no
 * reorder method). Settles only once the roadmap is fetched again, so callers can put focus
 * back on the moved entry where it now is.
 */
export function useReorderRoadmap() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (changes: RoadmapUpsert[]) => {
      for (const change of changes) {
        if (change.kind === 'theme') await api.upsertTheme(change.input);
        else if (change.kind === 'milestone') await api.upsertMilestone(change.input);
        else await api.upsertItem(change.input);
      }
    },
    onSettled: async () => {
      void qc.invalidateQueries({ queryKey: queryKeys.items() });
      void qc.invalidateQueries({ queryKey: queryKeys.activity() });
      await qc.invalidateQueries({ queryKey: queryKeys.roadmap() });
    },
  });
}

export function useSetProposalStatus() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: Id; status: ProposalStatus; response: ResponseChange }) =>
      api.setProposalStatus(v.id, v.status, v.response),
    onSuccess: (_r, { id }) => {
      // Prefix match: the proposal and its response history.
      void qc.invalidateQueries({ queryKey: queryKeys.proposal(id) });
      invalidateListings(qc);
      void qc.invalidateQueries({ queryKey: queryKeys.activity() });
    },
  });
}

/**
 * What a merge or its undo changes: both proposals (status, tallies, merge and mergedFrom),
 * every listing and search showing their tallies, and the activity log. Settles once the
 * proposal it was started from is fetched again, so its page shows the outcome at once.
 */
async function invalidateMerge(qc: QueryClient, merge: Pick<Merge, 'duplicate' | 'into'>) {
  invalidateListings(qc);
  void qc.invalidateQueries({ queryKey: queryKeys.searches() });
  void qc.invalidateQueries({ queryKey: queryKeys.activity() });
  await Promise.all([
    qc.invalidateQueries({ queryKey: queryKeys.proposal(merge.duplicate), exact: true }),
    qc.invalidateQueries({ queryKey: queryKeys.proposal(merge.into), exact: true }),
  ]);
}

/** Moderators: merges a duplicate into another proposal, with its votes. */
export function useMergeProposal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: MergeInput) => api.mergeProposal(input),
    onSuccess: (merge) => invalidateMerge(qc, merge),
  });
}

/** Admins: undoes the merge of `duplicate`, taking back exactly the votes it moved. */
export function useUnmergeProposal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (merge: Pick<Merge, 'duplicate' | 'into'>) => api.unmergeProposal(merge.duplicate),
    onSuccess: (_merge, merge) => invalidateMerge(qc, merge),
  });
}

export function useSetRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ principal, role }: { principal: string; role: Role }) =>
      api.setRole(principal, role),
    onSuccess: (_r, { principal }) => {
      void qc.invalidateQueries({ queryKey: queryKeys.profile(principal) });
      void qc.invalidateQueries({ queryKey: queryKeys.roles() });
      void qc.invalidateQueries({ queryKey: queryKeys.activity() });
      void qc.invalidateQueries({ queryKey: queryKeys.me() });
    },
  });
}

export function useSetSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (settings: Settings) => api.setSettings(settings),
    onSuccess: (settings) => {
      qc.setQueryData(queryKeys.settings(), settings);
      void qc.invalidateQueries({ queryKey: queryKeys.me() });
      void qc.invalidateQueries({ queryKey: queryKeys.priorities() });
      void qc.invalidateQueries({ queryKey: queryKeys.activity() });
    },
  });
}

/** Reporting changes nothing others can see, except the queue (and maybe an automatic hide). */
export function useReport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ReportInput) => api.report(input),
    onSuccess: (_r, { target }) => {
      void qc.invalidateQueries({ queryKey: queryKeys.reports() });
      invalidateModerated(qc, target);
    },
  });
}

/** What a hide, restore or dismissal changes about one target, wherever it is shown. */
function invalidateModerated(
  qc: QueryClient,
  target: ReportInput['target'] | { kind: 'Member'; principal: string },
) {
  switch (target.kind) {
    case 'Proposal':
      void qc.invalidateQueries({ queryKey: queryKeys.proposal(target.id) });
      invalidateListings(qc);
      return;
    case 'Comment':
      // Only the comment's id is known here, not its thread or author: every cached thread and
      // comment list is read again (only those on screen are fetched at once).
      void qc.invalidateQueries({ queryKey: queryKeys.threads() });
      void qc.invalidateQueries({ queryKey: queryKeys.allMemberComments() });
      return;
    case 'Member':
      void qc.invalidateQueries({ queryKey: queryKeys.profile(target.principal) });
  }
}

export function useModerate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, reason }: { action: ModerationAction; reason: string }) =>
      api.moderate(action, reason),
    onSuccess: (_r, { action }) => {
      void qc.invalidateQueries({ queryKey: queryKeys.reports() });
      void qc.invalidateQueries({ queryKey: queryKeys.activity() });
      if (action.kind === 'Suspend' || action.kind === 'Unsuspend') {
        invalidateModerated(qc, { kind: 'Member', principal: action.member });
      } else {
        invalidateModerated(qc, action.target);
      }
    },
  });
}

export function useSetModerationSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (settings: ModerationSettings) => api.setModerationSettings(settings),
    onSuccess: (settings) => {
      qc.setQueryData(queryKeys.moderationSettings(), settings);
      void qc.invalidateQueries({ queryKey: queryKeys.activity() });
    },
  });
}

/**
 * A member's voting power counts in every tally they are part of, so a change to their neurons
 * changes the lens on their votes wherever it is shown, and their profile.
 */
function invalidateVotingPower(qc: QueryClient, principal: string | undefined) {
  void qc.invalidateQueries({ queryKey: queryKeys.proposals() });
  void qc.invalidateQueries({ queryKey: queryKeys.proposalLists() });
  void qc.invalidateQueries({ queryKey: queryKeys.searches() });
  void qc.invalidateQueries({ queryKey: queryKeys.roadmap() });
  void qc.invalidateQueries({ queryKey: queryKeys.items() });
  if (principal) void qc.invalidateQueries({ queryKey: queryKeys.profile(principal) });
}

export function useLinkNeuron() {
  const qc = useQueryClient();
  const { principal } = useAuth();
  return useMutation({
    mutationFn: (neuronId: string) => api.linkNeuron(neuronId),
    onSuccess: async () => {
      invalidateVotingPower(qc, principal);
      // Settles once the list shows the new neuron, so focus can move to it.
      await qc.invalidateQueries({ queryKey: queryKeys.myNeurons() });
    },
  });
}

/** Unlinking and re-checking answer with the caller's neurons as they now are. */
function useNeuronsUpdate<I>(fn: (input: I) => Promise<MyNeurons>) {
  const qc = useQueryClient();
  const { principal } = useAuth();
  return useMutation({
    mutationFn: fn,
    onSuccess: (neurons) => {
      qc.setQueryData(queryKeys.myNeurons(), neurons);
      invalidateVotingPower(qc, principal);
    },
  });
}

export const useUnlinkNeuron = () =>
  useNeuronsUpdate((neuronId: string) => api.unlinkNeuron(neuronId));
export const useRefreshMyNeurons = () => useNeuronsUpdate(() => api.refreshMyNeurons());

export function useLinkNnsProposal(target: NnsLinkTarget) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (link: { proposalId: string; deployOnExecution: boolean } | undefined) =>
      api.linkNnsProposal(target, link),
    onSuccess: async () => {
      void qc.invalidateQueries({ queryKey: queryKeys.activity() });
      await qc.invalidateQueries({
        queryKey:
          target.kind === 'Item' ? queryKeys.item(target.id) : queryKeys.proposal(target.id),
      });
    },
  });
}

/** Follows (true) or unfollows (false) a proposal or item. */
export function useSetFollowing(target: FollowTarget) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (follow: boolean) => (follow ? api.follow(target) : api.unfollow(target)),
    onSuccess: (_, follow) => {
      qc.setQueryData(queryKeys.following(target), follow);
    },
  });
}

/** Marks the notices before `before` (a seq) read, or all of them when it is undefined. */
export function useMarkNotificationsRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (before: string | undefined) => api.markNotificationsRead(before),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.inbox() });
    },
  });
}
