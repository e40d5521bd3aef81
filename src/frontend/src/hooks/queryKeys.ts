import type { FollowTarget, Id, ProposalFilters, ProposalStatusKind, Target } from '../api/models';

/**
 * Every TanStack Query key in the app. Keys are hierarchical so a mutation can invalidate a
 * whole family by prefix (e.g. every proposal list, whatever its filters).
 */
export const queryKeys = {
  all: ['rc'] as const,
  me: () => ['rc', 'me'] as const,
  roadmap: () => ['rc', 'roadmap'] as const,
  items: () => ['rc', 'item'] as const,
  item: (id: Id) => ['rc', 'item', id] as const,
  proposalLists: () => ['rc', 'proposal-list'] as const,
  proposalList: (filters: ProposalFilters) => ['rc', 'proposal-list', filters] as const,
  /** Outside the `proposal-list` family: its optimistic vote updates expect a paged shape. */
  proposalFacets: () => ['rc', 'proposal-facets'] as const,
  searches: () => ['rc', 'search'] as const,
  search: (query: string, status: ProposalStatusKind | undefined) =>
    ['rc', 'search', query, status ?? 'any'] as const,
  similar: (title: string, body: string) => ['rc', 'similar', title, body] as const,
  /** Outside the `search` family: its optimistic vote updates expect search's paged shape. */
  titleTwins: (title: string) => ['rc', 'title-twins', title] as const,
  proposals: () => ['rc', 'proposal'] as const,
  /** The network's root key, as the agent holds it. */
  rootKey: () => ['rc', 'root-key'] as const,
  /** A tally's check against the certificate (api/tallyCheck.ts). */
  tallyCheck: (kind: 'proposal' | 'item', id: Id) => ['rc', 'tally-check', kind, id] as const,
  proposal: (id: Id) => ['rc', 'proposal', id] as const,
  proposalHistory: (id: Id) => ['rc', 'proposal', id, 'history'] as const,
  responseHistory: (id: Id) => ['rc', 'proposal', id, 'response-history'] as const,
  threads: () => ['rc', 'thread'] as const,
  thread: (target: Target) => ['rc', 'thread', target.kind, target.id] as const,
  comment: (id: Id) => ['rc', 'comment', id] as const,
  commentHistory: (id: Id) => ['rc', 'comment-history', id] as const,
  profile: (principal: string) => ['rc', 'profile', principal] as const,
  allMemberComments: () => ['rc', 'member-comments'] as const,
  memberComments: (principal: string) => ['rc', 'member-comments', principal] as const,
  memberVotes: (principal: string) => ['rc', 'member-votes', principal] as const,
  priorities: () => ['rc', 'priorities'] as const,
  myNeurons: () => ['rc', 'my-neurons'] as const,
  activity: () => ['rc', 'activity'] as const,
  settings: () => ['rc', 'settings'] as const,
  roles: () => ['rc', 'roles'] as const,
  reports: () => ['rc', 'reports'] as const,
  moderationSettings: () => ['rc', 'moderation-settings'] as const,
  allFollowing: () => ['rc', 'following'] as const,
  following: (target: FollowTarget) => ['rc', 'following', target.kind, target.id] as const,
  /** The inbox family: its pages and the unread count, invalidated together on reading. */
  inbox: () => ['rc', 'inbox'] as const,
  notifications: () => ['rc', 'inbox', 'notifications'] as const,
  unreadCount: () => ['rc', 'inbox', 'unread'] as const,
};

/**
 * Families whose answer is the same for every caller (the backend does not read the caller to
 * answer them). Sign-in and sign-out keep these and fetch everything else again; a family not
 * listed here is treated as caller-specific, which is the safe default.
 */
const SAME_FOR_EVERY_CALLER: ReadonlySet<string> = new Set([
  'roadmap',
  'thread',
  'comment-history',
  'profile',
  'member-comments',
  'activity',
  'settings',
  'roles',
  'moderation-settings',
]);

export function dependsOnCaller(key: readonly unknown[]): boolean {
  return !(key[0] === queryKeys.all[0] && SAME_FOR_EVERY_CALLER.has(String(key[1])));
}
