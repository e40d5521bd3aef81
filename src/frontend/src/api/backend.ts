/**
 * Backend operations in app terms: each converts inputs to candid, calls the actor, unwraps
 * `Result`s into typed errors and converts the reply to app models.
 */
import { Principal } from '@dfinity/principal';
import { call, read } from './actor';
import * as c from './convert';
import { CanisterError, unwrap } from './errors';
import { mergedPage } from './mergedListing';
import type {
  ActivityPage,
  CommentPage,
  MemberVotePage,
  CommentRevision,
  Comment,
  FollowTarget,
  Id,
  ItemDetail,
  ItemInput,
  Me,
  Merge,
  MergeInput,
  MilestoneInput,
  ModerationAction,
  ModerationSettings,
  MyNeurons,
  NeuronLink,
  NnsLink,
  NnsLinkTarget,
  NotificationPage,
  PriorityAllocation,
  Profile,
  ProfileInput,
  ProposalDetail,
  ProposalCursor,
  ProposalFacets,
  ProposalFilters,
  ProposalInput,
  ProposalPage,
  ProposalRevision,
  ProposalStatus,
  ProposalSummary,
  SearchPage,
  ProposalStatusKind,
  ReportInput,
  ReportPage,
  ResponseChange,
  ResponseRevision,
  Roadmap,
  Role,
  RoleGrant,
  Settings,
  Target,
  ThemeInput,
  ThreadPage,
  VoteDirection,
  VoteTally,
} from './models';

export const PROPOSAL_PAGE_SIZE = 20;
export const THREAD_PAGE_SIZE = 25;
export const ACTIVITY_PAGE_SIZE = 30;
export const HISTORY_PAGE_SIZE = 50;
export const REPORT_PAGE_SIZE = 20;
export const SEARCH_PAGE_SIZE = 20;
export const NOTIFICATION_PAGE_SIZE = 20;

const NAT64_MAX = 2n ** 64n - 1n;

/** A nat64 typed by a person ("12 345", "#12"); anything else is a field error, not a trap. */
function nat64Field(text: string, field: string, what: string): bigint {
  const digits = text
    .trim()
    .replace(/^#/, '')
    .replace(/[\s,_]/g, '');
  if (/^\d+$/.test(digits)) {
    const value = BigInt(digits);
    if (value <= NAT64_MAX) return value;
  }
  throw new CanisterError({ kind: 'Invalid', field, reason: `Enter ${what} as a whole number.` });
}

const neuronIdOf = (text: string) => nat64Field(text, 'neuronId', 'the neuron id');
const nnsProposalIdOf = (text: string) => nat64Field(text, 'proposalId', 'the NNS proposal id');

function principal(text: string): Principal {
  try {
    return Principal.fromText(text);
  } catch {
    throw new CanisterError({
      kind: 'Invalid',
      field: 'principal',
      reason: 'Not a valid principal.',
    });
  }
}

export const api = {
  whoami: (): Promise<Me> => read(async (s) => c.me(await s.whoami())),

  getRoadmap: (): Promise<Roadmap> => read(async (s) => c.roadmap(await s.getRoadmap())),

  // Lookups answer null for "none": TanStack Query treats an undefined result as a bug.
  getItem: (id: Id): Promise<ItemDetail | null> =>
    read(async (s) => {
      const found = c.opt(await s.getItem(c.toId(id)));
      return found ? c.itemDetail(found) : null;
    }),

  listProposals: (
    filters: ProposalFilters,
    cursor: ProposalCursor | undefined,
  ): Promise<ProposalPage> => {
    const statuses = filters.statuses ?? [];
    const onePage = (status: ProposalStatusKind | undefined, at: string | undefined) =>
      read(async (s) => {
        const page = await s.listProposals({
          sort: c.toSort(filters.sort),
          status: c.toOpt(status && c.toProposalStatusKind(status)),
          themeId: c.toOpt(filters.themeId === undefined ? undefined : c.toId(filters.themeId)),
          // Several tags travel as one text; the backend lists proposals that have them all.
          tag: c.toOpt(filters.tags?.length ? filters.tags.join(' ') : undefined),
          author: c.toOpt(filters.author ? principal(filters.author) : undefined),
          cursor: c.toOpt(at),
          limit: PROPOSAL_PAGE_SIZE,
          needsResponse: filters.needsResponse ? [true] : [],
        });
        return {
          proposals: page.proposals.map(c.proposalSummary),
          nextCursor: c.opt(page.nextCursor),
        };
      });
    if (statuses.length > 1) {
      // listProposals takes one status: several are listed one by one and merged in order.
      const merged = typeof cursor === 'object' ? cursor : undefined;
      return mergedPage(statuses, filters.sort, PROPOSAL_PAGE_SIZE, merged, onePage);
    }
    return onePage(statuses[0], typeof cursor === 'string' ? cursor : undefined);
  },

  /** Ranked by relevance; an empty or over-long query comes back as an Invalid error. */
  searchProposals: (
    query: string,
    status: ProposalStatusKind | undefined,
    cursor: string | undefined,
  ): Promise<SearchPage> =>
    read(async (s) => {
      const page = unwrap(
        await s.searchProposals({
          query: query.trim(),
          status: c.toOpt(status && c.toProposalStatusKind(status)),
          cursor: c.toOpt(cursor),
          limit: c.toOpt(SEARCH_PAGE_SIZE),
        }),
      );
      return {
        proposals: page.proposals.map(c.proposalSummary),
        nextCursor: c.opt(page.nextCursor),
        pending: page.pending,
      };
    }),

  /** Open or planned proposals like a draft, for pointing its author to them. */
  similarProposals: (title: string, body: string | undefined): Promise<ProposalSummary[]> =>
    read(async (s) =>
      (
        await s.similarProposals({ title: title.trim(), body: c.toOpt(body?.trim() || undefined) })
      ).map(c.proposalSummary),
    ),

  getProposal: (id: Id): Promise<ProposalDetail | null> =>
    read(async (s) => {
      const found = c.opt(await s.getProposal(c.toId(id)));
      return found ? c.proposalDetail(found) : null;
    }),

  /** How many visible proposals each status, tag and the needs-a-response queue hold. */
  getProposalFacets: (): Promise<ProposalFacets> =>
    read(async (s) => c.proposalFacets(await s.getProposalFacets())),

  /** Earlier versions of a proposal's official response, oldest first. */
  getResponseHistory: (id: Id): Promise<ResponseRevision[]> =>
    read(async (s) => (await s.getResponseHistory(c.toId(id))).map(c.responseRevision)),

  /** Earlier versions, newest first; one page of them is plenty for a reader. */
  getProposalHistory: (id: Id): Promise<ProposalRevision[]> =>
    read(async (s) =>
      (await s.getProposalHistory(c.toId(id), [], HISTORY_PAGE_SIZE)).map(c.proposalRevision),
    ),

  getThread: (target: Target, cursor: string | undefined): Promise<ThreadPage> =>
    read(async (s) => {
      const page = await s.getThread(c.toTarget(target), c.toOpt(cursor), THREAD_PAGE_SIZE);
      return {
        comments: page.comments.map((t) => c.comment(t.comment, t.depth, c.opt(t.authorName))),
        nextCursor: c.opt(page.nextCursor),
      };
    }),

  getComment: (id: Id): Promise<Comment | null> =>
    read(async (s) => {
      const found = c.opt(await s.getComment(c.toId(id)));
      return found ? c.comment(found, 0, undefined) : null;
    }),

  getCommentHistory: (id: Id): Promise<CommentRevision[]> =>
    read(async (s) =>
      (await s.getCommentHistory(c.toId(id))).map((r) => ({
        body: r.body,
        replacedAt: c.timeOf(r.replacedAt),
      })),
    ),

  getProfile: (who: string): Promise<Profile | null> =>
    read(async (s) => {
      const found = c.opt(await s.getProfile(principal(who)));
      return found ? c.profile(found) : null;
    }),

  listCommentsByAuthor: (who: string, cursor: string | undefined): Promise<CommentPage> =>
    read(async (s) => {
      const page = await s.listCommentsByAuthor(principal(who), c.toOpt(cursor), THREAD_PAGE_SIZE);
      return {
        comments: page.comments.map((cm) => c.comment(cm, 0, undefined)),
        nextCursor: c.opt(page.nextCursor),
      };
    }),

  listVotesByMember: (who: string, cursor: string | undefined): Promise<MemberVotePage> =>
    read(async (s) => {
      const page = await s.listVotesByMember(principal(who), c.toOpt(cursor), PROPOSAL_PAGE_SIZE);
      return {
        // A vote always has a direction: the backend lists only current votes.
        votes: page.votes.map((v) => ({
          proposal: c.proposalSummary(v.proposal),
          vote: c.vote([v.vote])!,
        })),
        nextCursor: c.opt(page.nextCursor),
      };
    }),

  getMyPriorities: (): Promise<PriorityAllocation> =>
    read(async (s) => c.priorityAllocation(await s.getMyPriorities())),

  getActivity: (cursor: string | undefined): Promise<ActivityPage> =>
    read(async (s) => {
      const page = await s.getActivity(c.toOpt(cursor), ACTIVITY_PAGE_SIZE);
      return { entries: page.entries.map(c.activityEntry), nextCursor: c.opt(page.nextCursor) };
    }),

  listRoles: (): Promise<RoleGrant[]> => read(async (s) => (await s.listRoles()).map(c.roleGrant)),

  getSettings: (): Promise<Settings> => read(async (s) => c.settings(await s.getSettings())),

  setProfile: (input: ProfileInput): Promise<Profile> =>
    call(async (s) =>
      c.profile(
        unwrap(
          await s.setProfile({ displayName: input.displayName.trim(), bio: input.bio.trim() }),
        ),
      ),
    ),

  submitProposal: (input: ProposalInput): Promise<Id> =>
    call(async (s) => c.idOf(unwrap(await s.submitProposal(proposalInput(input))).id)),

  editProposal: (id: Id, input: ProposalInput): Promise<Id> =>
    call(async (s) => c.idOf(unwrap(await s.editProposal(c.toId(id), proposalInput(input))).id)),

  voteProposal: (id: Id, vote: VoteDirection | undefined): Promise<VoteTally> =>
    call(async (s) => c.voteTally(unwrap(await s.voteProposal(c.toId(id), c.toVote(vote))))),

  postComment: (target: Target, parentId: Id | undefined, body: string): Promise<Comment> =>
    call(async (s) => {
      const posted = unwrap(
        await s.postComment({
          target: c.toTarget(target),
          parentId: c.toOpt(parentId === undefined ? undefined : c.toId(parentId)),
          body: body.trim(),
        }),
      );
      return c.comment(posted, 0, undefined);
    }),

  editComment: (id: Id, body: string): Promise<Comment> =>
    call(async (s) =>
      c.comment(unwrap(await s.editComment(c.toId(id), body.trim())), 0, undefined),
    ),

  deleteComment: (id: Id): Promise<void> =>
    call(async (s) => {
      unwrap(await s.deleteComment(c.toId(id)));
    }),

  setPriorityVotes: (itemId: Id, votes: number): Promise<PriorityAllocation> =>
    call(async (s) =>
      c.priorityAllocation(unwrap(await s.setPriorityVotes(c.toId(itemId), votes))),
    ),

  upsertTheme: (input: ThemeInput): Promise<void> =>
    call(async (s) => {
      unwrap(await s.upsertTheme({ ...input }));
    }),

  upsertMilestone: (input: MilestoneInput): Promise<void> =>
    call(async (s) => {
      unwrap(
        await s.upsertMilestone({
          ...input,
          status: c.toRoadmapStatus(input.status),
          eta: c.toOpt(input.eta?.trim() || undefined),
        }),
      );
    }),

  upsertItem: (input: ItemInput): Promise<void> =>
    call(async (s) => {
      unwrap(await s.upsertItem({ ...input, status: c.toRoadmapStatus(input.status) }));
    }),

  /** Removing sends an empty text; the backend keeps every replaced version as a revision. */
  setProposalStatus: (id: Id, status: ProposalStatus, response: ResponseChange): Promise<void> =>
    call(async (s) => {
      const text =
        response === 'keep' ? undefined : response === 'remove' ? '' : response.set.trim();
      unwrap(await s.setProposalStatus(c.toId(id), c.toProposalStatus(status), c.toOpt(text)));
    }),

  /** Moderators and admins: closes `duplicate` as a duplicate of `into` and moves its votes. */
  mergeProposal: (input: MergeInput): Promise<Merge> =>
    call(async (s) => {
      const note = input.note.trim();
      return c.merge(
        unwrap(
          await s.mergeProposal({
            duplicate: c.toId(input.duplicate),
            into: c.toId(input.into),
            note: c.toOpt(note || undefined),
          }),
        ),
      );
    }),

  /** Admins only: takes back the votes the merge of `duplicate` moved. */
  unmergeProposal: (duplicate: Id): Promise<Merge> =>
    call(async (s) => c.merge(unwrap(await s.unmergeProposal(c.toId(duplicate))))),

  setRole: (who: string, role: Role): Promise<void> =>
    call(async (s) => {
      unwrap(await s.setRole(principal(who.trim()), c.toRole(role)));
    }),

  setSettings: (settings: Settings): Promise<Settings> =>
    call(async (s) => c.settings(unwrap(await s.setSettings({ ...settings })))),

  report: (input: ReportInput): Promise<void> =>
    call(async (s) => {
      const note = input.note.trim();
      unwrap(
        await s.report({
          target: c.toReportTarget(input.target, principal),
          reason: c.toReportReason(input.reason),
          note: c.toOpt(note || undefined),
        }),
      );
    }),

  /** Moderators only; others get Forbidden. */
  listReports: (cursor: string | undefined): Promise<ReportPage> =>
    read(async (s) => {
      const page = unwrap(await s.listReports(c.toOpt(cursor), REPORT_PAGE_SIZE));
      return { groups: page.groups.map(c.reportGroup), nextCursor: c.opt(page.nextCursor) };
    }),

  moderate: (action: ModerationAction, reason: string): Promise<void> =>
    call(async (s) => {
      unwrap(
        await s.moderate({
          action: c.toModerationAction(action, principal),
          reason: reason.trim(),
        }),
      );
    }),

  getModerationSettings: (): Promise<ModerationSettings> =>
    read(async (s) => c.moderationSettings(await s.getModerationSettings())),

  /** The caller's linked neurons, their total voting power and links that lapsed. */
  getMyNeurons: (): Promise<MyNeurons> => read(async (s) => c.myNeurons(await s.getMyNeurons())),

  /** The backend asks NNS governance whether the caller controls or is a hot key of it. */
  linkNeuron: (neuronId: string): Promise<NeuronLink> =>
    call(async (s) => c.neuronLink(unwrap(await s.linkNeuron(neuronIdOf(neuronId))))),

  /** Removes a link, or dismisses the lapsed notice of that neuron. */
  unlinkNeuron: (neuronId: string): Promise<MyNeurons> =>
    call(async (s) => c.myNeurons(unwrap(await s.unlinkNeuron(neuronIdOf(neuronId))))),

  refreshMyNeurons: (): Promise<MyNeurons> =>
    call(async (s) => c.myNeurons(unwrap(await s.refreshMyNeurons()))),

  /** Admins only; `link` undefined removes the link. */
  linkNnsProposal: (
    target: NnsLinkTarget,
    link: { proposalId: string; deployOnExecution: boolean } | undefined,
  ): Promise<NnsLink | undefined> =>
    call(async (s) =>
      c.nnsLinkOf(
        c.opt(
          unwrap(
            await s.linkNnsProposal({
              target: c.toNnsLinkTarget(target),
              link: c.toOpt(
                link && {
                  proposalId: nnsProposalIdOf(link.proposalId),
                  deployOnExecution: link.deployOnExecution,
                },
              ),
            }),
          ),
        ),
      ),
    ),

  follow: (target: FollowTarget): Promise<void> =>
    call(async (s) => {
      unwrap(await s.follow(c.toFollowTarget(target)));
    }),

  unfollow: (target: FollowTarget): Promise<void> =>
    call(async (s) => {
      unwrap(await s.unfollow(c.toFollowTarget(target)));
    }),

  isFollowing: (target: FollowTarget): Promise<boolean> =>
    read(async (s) => s.isFollowing(c.toFollowTarget(target))),

  /** The caller's inbox, newest first. */
  getNotifications: (cursor: string | undefined): Promise<NotificationPage> =>
    read(async (s) => {
      const page = await s.getNotifications(c.toOpt(cursor), NOTIFICATION_PAGE_SIZE);
      return {
        notifications: page.notifications.map(c.notification),
        unread: page.unread,
        nextCursor: c.opt(page.nextCursor),
      };
    }),

  getUnreadCount: (): Promise<number> => read(async (s) => s.getUnreadCount()),

  /** `before` a notice's seq marks the notices older than it; undefined marks them all. */
  markNotificationsRead: (before: string | undefined): Promise<void> =>
    call(async (s) => {
      unwrap(
        await s.markNotificationsRead(c.toOpt(before === undefined ? undefined : BigInt(before))),
      );
    }),

  setModerationSettings: (settings: ModerationSettings): Promise<ModerationSettings> =>
    call(async (s) => c.moderationSettings(unwrap(await s.setModerationSettings({ ...settings })))),
};

export type Api = typeof api;

function proposalInput(input: ProposalInput) {
  return {
    title: input.title.trim(),
    body: input.body.trim(),
    themeId: c.toOpt(input.themeId ? c.toId(input.themeId) : undefined),
    tags: [...input.tags],
  };
}
