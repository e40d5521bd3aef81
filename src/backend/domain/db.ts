import { u64, u64Desc } from './keys';
import type {
  ActivityEntry,
  ActivityKind,
  Comment,
  CommentRevision,
  Id,
  Item,
  Milestone,
  PrincipalText,
  Proposal,
  ProposalRevision,
  ProposalSummary,
  Role,
  Settings,
  Theme,
  Time,
} from './model';
import type { OrderedStore, StoreFactory } from './storage/ordered-store';

export type ProfileRecord = { displayName: string; bio: string; joinedAt: Time };

export type VoteDirection = 'Up' | 'Down';

/**
 * What a proposal list shows and filters on, kept beside the proposal so that listings never
 * decode bodies: the excerpt is already plain text and cut. Written with every proposal write.
 */
export type ProposalCard = Omit<ProposalSummary, 'authorName' | 'myVote'>;

export const DEFAULT_SETTINGS: Settings = {
  creditBudget: 100,
  proposalsPerDay: 5,
  commentsPerHour: 30,
  votesPerHour: 300,
  profileEditsPerHour: 10,
};

type IdKind = 'theme' | 'milestone' | 'item' | 'proposal' | 'comment' | 'activity';

/** Typed access to every store, plus the small pieces of state that several services share. */
export class Db {
  readonly meta: OrderedStore<unknown>;
  readonly themes: OrderedStore<Theme>;
  readonly milestones: OrderedStore<Milestone>;
  readonly items: OrderedStore<Item>;
  /** `${kind}/${slug}` → id */
  readonly slugs: OrderedStore<Id>;
  readonly proposals: OrderedStore<Proposal>;
  /** `${u64(proposalId)}${u32(revision)}` → the text that revision replaced */
  readonly proposalRevisions: OrderedStore<ProposalRevision>;
  /** listing indexes, values unused; see proposals.ts */
  readonly proposalIndex: OrderedStore<null>;
  /** `${u64(proposalId)}${principal}` → direction */
  readonly proposalVotes: OrderedStore<VoteDirection>;
  /** `${u64(itemId)}${principal}` → votes */
  readonly priorityVotes: OrderedStore<number>;
  /** `${principal}/${u64(itemId)}` → votes */
  readonly priorityByMember: OrderedStore<number>;
  readonly comments: OrderedStore<Comment>;
  readonly commentRevisions: OrderedStore<CommentRevision>;
  /** thread, reply and author indexes; see threads.ts */
  readonly threadIndex: OrderedStore<null>;
  readonly profiles: OrderedStore<ProfileRecord>;
  /** lower-cased display name → owner */
  readonly displayNames: OrderedStore<PrincipalText>;
  /** granted roles; members are everyone without an entry */
  readonly roles: OrderedStore<Role>;
  /** `${action}/${principal}` → times (seconds) of the actions inside the current window */
  readonly rateLimits: OrderedStore<number[]>;
  /** u64Desc(id) → entry, so the newest comes first */
  readonly activity: OrderedStore<ActivityEntry>;
  /** u64(proposalId) → the proposal's list card (title, plain excerpt, filters, tallies) */
  readonly proposalCards: OrderedStore<ProposalCard>;

  constructor(open: StoreFactory) {
    this.meta = open('meta');
    this.themes = open('themes');
    this.milestones = open('milestones');
    this.items = open('items');
    this.slugs = open('slugs');
    this.proposals = open('proposals');
    this.proposalRevisions = open('proposalRevisions');
    this.proposalIndex = open('proposalIndex');
    this.proposalVotes = open('proposalVotes');
    this.priorityVotes = open('priorityVotes');
    this.priorityByMember = open('priorityByMember');
    this.comments = open('comments');
    this.commentRevisions = open('commentRevisions');
    this.threadIndex = open('threadIndex');
    this.profiles = open('profiles');
    this.displayNames = open('displayNames');
    this.roles = open('roles');
    this.rateLimits = open('rateLimits');
    this.activity = open('activity');
    this.proposalCards = open('proposalCards');
  }

  /** Ids start at 1 and never repeat, per kind. */
  nextId(kind: IdKind): Id {
    const key = `next/${kind}`;
    const next = (this.meta.get(key) as bigint | undefined) ?? 1n;
    this.meta.set(key, next + 1n);
    return next;
  }

  settings(): Settings {
    return (this.meta.get('settings') as Settings | undefined) ?? DEFAULT_SETTINGS;
  }

  setSettings(settings: Settings): void {
    this.meta.set('settings', settings);
  }

  creditsSpent(member: PrincipalText): number {
    return (this.meta.get(`spent/${member}`) as number | undefined) ?? 0;
  }

  setCreditsSpent(member: PrincipalText, spent: number): void {
    if (spent === 0) this.meta.delete(`spent/${member}`);
    else this.meta.set(`spent/${member}`, spent);
  }

  log(actor: PrincipalText, at: Time, kind: ActivityKind): void {
    const id = this.nextId('activity');
    this.activity.set(u64Desc(id), { id, actor, at, kind });
  }

  theme(id: Id): Theme | undefined {
    return this.themes.get(u64(id));
  }

  milestone(id: Id): Milestone | undefined {
    return this.milestones.get(u64(id));
  }

  item(id: Id): Item | undefined {
    return this.items.get(u64(id));
  }

  proposal(id: Id): Proposal | undefined {
    return this.proposals.get(u64(id));
  }

  comment(id: Id): Comment | undefined {
    return this.comments.get(u64(id));
  }

  displayName(principal: PrincipalText): string | undefined {
    return this.profiles.get(principal)?.displayName;
  }
}
