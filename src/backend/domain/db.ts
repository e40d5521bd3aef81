/**
 * All state: durable records (one RecordStore per kind) and the heap state derived from them.
 * Every write goes to both; after an upgrade `rebuild` derives the heap state again from the
 * records. Reads of orderings (listings, threads, a member's comments) use only the heap;
 * texts that are long or rarely needed stay in the records and are read by key.
 */
import { CertifiedTallies } from './certification/tallies';
import { CommentIndex } from './comment-index';
import { Inbox } from './inbox';
import {
  VotingPowerLens,
  type CountedVote,
  type LensSide,
  type LensTarget,
  type PowerTally,
} from './lens';
import { Merges, type MergeRecord, type MoveRecord } from './merge-store';
import { NeuronLinks, type LapseRecord, type NeuronLinkRecord } from './neurons';
import { NnsProposalLinks, type NnsLinkRecord, type NnsProposalFacts } from './nns-proposals';
import { nameKeys } from './confusables';
import { ReportQueue, type ReportGroupState } from './report-queue';
import { layoutRoadmap, type RoadmapLayout } from './roadmap-layout';
import { ProposalIndex, type ProposalCard } from './proposal-index';
import { OfficialResponses } from './responses';
import { SearchBacklog } from './search/search-backlog';
import { SearchIndex } from './search/search-index';
import type {
  ActivityEntry,
  ActivityKind,
  Comment,
  ContentRef,
  Hiding,
  ModerationSettings,
  ReportReason,
  ReportTarget,
  Suspension,
  CommentRevision,
  Id,
  Item,
  Milestone,
  OfficialResponse,
  Opt,
  PrincipalId,
  Proposal,
  ProposalRevision,
  Role,
  Settings,
  Theme,
  Time,
} from './model';
import type { RecordStore, RecordStoreFactory } from './storage/record-store';

export type ProfileRecord = { displayName: string; bio: string; joinedAt: Time };

export type VoteDirection = 'Up' | 'Down';

/** A proposal without its texts and tallies: what listings filter and sort on. */
export type ProposalCore = Omit<
  Proposal,
  'title' | 'body' | 'up' | 'down' | 'upPower' | 'downPower' | 'commentCount' | 'officialResponse'
>;
/** What a list card shows besides the core: the title and a plain-text excerpt. */
export type ProposalTexts = { title: string; excerpt: string };
export type ProposalBody = { body: string; officialResponse: Opt<OfficialResponse> };
export type Tally = { up: number; down: number; commentCount: number };

/** A comment without its body (or moderation state): the thread structure is derived from these. */
export type CommentMeta = Omit<Comment, 'body' | 'hidden'>;

/** A member's quadratic allocation: credits spent and votes per item. */
export type PriorityRecord = { spent: number; votes: Array<{ itemId: Id; votes: number }> };

export type MetaRecord =
  | { Counter: bigint }
  | { Settings: Settings }
  /** The stable layout this canister's records follow (see LAYOUT_VERSION). */
  | { Layout: number };

/**
 * 1: JSON values and B+tree pages (migration.ts); 2: records per kind; 3: official responses
 * have records of their own (`responses`, `responseRevisions`).
 */
export const LAYOUT_VERSION = 3;

/** An open report as stored under `${target key}/${reporter}`. */
export type ReportRecord = {
  reason: ReportReason;
  note: Opt<string>;
  at: Time;
  /** Whether the reporter was in good standing then: only those reports can hide content. */
  counted: boolean;
};

export const DEFAULT_MODERATION_SETTINGS: ModerationSettings = {
  autoHideReports: 3,
  upVotesPerExtraReport: 10,
  newMemberHours: 24,
  newMemberProposalsPerDay: 1,
  newMemberCommentsPerHour: 10,
  reportsPerHour: 10,
};

export const DEFAULT_SETTINGS: Settings = {
  creditBudget: 100,
  proposalsPerDay: 5,
  commentsPerHour: 30,
  votesPerHour: 300,
  profileEditsPerHour: 10,
};

/** Whether texts read from records are decoded strings or left as stored, to pass on. */
export type TextForm = 'decoded' | 'verbatim';

export type RoadmapEntry = { theme: Theme } | { milestone: Milestone } | { item: Item };

export type IdKind = 'theme' | 'milestone' | 'item' | 'proposal' | 'comment' | 'activity';
const ID_KINDS: IdKind[] = ['theme', 'milestone', 'item', 'proposal', 'comment', 'activity'];
/**
 * Kinds whose counter is not written with every id: each id handed out has a record that is
 * never deleted and that `rebuild` reads anyway, so the counter after an upgrade is the larger
 * of the one written and the highest id plus one. It is written before every upgrade
 * (`writeCounters`, from pre_upgrade), so a module that reads only the written counter still
 * finds it exact. Writing it with every new proposal or comment cost ≈ 0.17 M instructions.
 */
const DERIVED_ID_KINDS: ReadonlySet<IdKind> = new Set<IdKind>(['proposal', 'comment']);

/** Record keys: ids in decimal, composite keys joined with '/'. */
export const idKey = (id: Id): string => String(id);
export const pairKey = (a: Id | string, b: Id | string | number): string => `${a}/${b}`;

/** Typed access to every store, and the heap state derived from them. */
export class Db {
  readonly meta: RecordStore<MetaRecord>;
  readonly themes: RecordStore<Theme>;
  readonly milestones: RecordStore<Milestone>;
  readonly items: RecordStore<Item>;
  readonly proposals: RecordStore<ProposalCore>;
  readonly proposalTexts: RecordStore<ProposalTexts>;
  readonly proposalBodies: RecordStore<ProposalBody>;
  readonly proposalTallies: RecordStore<Tally>;
  /** `${id}/${revision}` → the text that revision replaced */
  readonly proposalRevisions: RecordStore<ProposalRevision>;
  /** `${proposalId}/${member}` → direction */
  readonly proposalVotes: RecordStore<VoteDirection>;
  readonly comments: RecordStore<CommentMeta>;
  readonly commentBodies: RecordStore<string>;
  /** `${id}/${revision}` → the body that revision replaced */
  readonly commentRevisions: RecordStore<CommentRevision>;
  readonly profiles: RecordStore<ProfileRecord>;
  /** granted roles; members are everyone without an entry */
  readonly roles: RecordStore<Role>;
  /** `${action}/${member}` → times (seconds) of the actions inside the current window */
  readonly rateLimits: RecordStore<ArrayLike<number>>;
  readonly activity: RecordStore<ActivityEntry>;
  /** member → their quadratic allocation */
  readonly priorities: RecordStore<PriorityRecord>;
  /** `${reportKey(target)}/${reporter}` → an open report */
  readonly reports: RecordStore<ReportRecord>;
  /** contentKey → why the content is hidden; no record while it is visible */
  readonly hidings: RecordStore<Hiding>;
  /** member → their suspension (possibly expired) */
  readonly suspensions: RecordStore<Suspension>;
  /** 'settings' → the moderation settings */
  readonly moderationSettingsRecord: RecordStore<ModerationSettings>;
  /**
   * Moderation entries of the activity log, under the same ids as `activity`: a store of
   * their own because `activity` records keep the candid type they were written with.
   */
  readonly moderationLog: RecordStore<ActivityEntry>;
  /** NNS entries of the activity log (a store of their own, as `moderationLog`) */
  readonly nnsLog: RecordStore<ActivityEntry>;
  /** Merges in the activity log (a store of their own, as `moderationLog`) */
  readonly mergeLog: RecordStore<ActivityEntry>;
  /** Entries of the stores above, by id: every other entry is in `activity` */
  private readonly laterLogEntries = new Map<string, RecordStore<ActivityEntry>>();
  readonly merges: Merges;
  /** member → where re-weighing their votes continues after their voting power changed */
  readonly powerJobs: RecordStore<number>;

  // ---- state with records and heap state of its own

  /** Members' links to NNS neurons (neurons.ts). */
  readonly neurons: NeuronLinks;
  /** The voting power behind proposals and items (lens.ts). */
  readonly lens: VotingPowerLens;
  /** Items and proposals linked to NNS proposals (nns-proposals.ts). */
  readonly nns: NnsProposalLinks;
  /** Follows and members' inboxes (inbox.ts). */
  readonly inbox: Inbox;
  /** Official responses' statuses and earlier versions (responses.ts). */
  readonly responses: OfficialResponses;
  /** About the deployment: 'appCanister' → the canister that serves the app (text form) */
  readonly site: RecordStore<string>;

  // ---- heap state, derived from the records

  private readonly counters = new Map<IdKind, bigint>();
  private currentSettings: Settings = DEFAULT_SETTINGS;
  readonly themeById = new Map<Id, Theme>();
  readonly milestoneById = new Map<Id, Milestone>();
  readonly itemById = new Map<Id, Item>();
  /** `${kind}/${slug}` → id */
  readonly slugs = new Map<string, Id>();
  /**
   * Told of every roadmap entry written, with the new object: entries are replaced, never
   * changed in place, so a cache keyed by the object knows it is current.
   */
  onRoadmapEntry: ((entry: RoadmapEntry) => void) | undefined;
  /** The roadmap's order of themes, milestones and items; undefined once a write changed it. */
  private layout: RoadmapLayout | undefined;
  readonly proposalIndex = new ProposalIndex((id) => this.certifiedTallies.proposalChanged(id));
  /**
   * Proposals' votes and statuses and items' priority votes in the certified hash tree
   * (certification/tallies.ts): writes mark what changed, a follow-up message hashes it.
   */
  readonly certifiedTallies = new CertifiedTallies({
    proposal: (id) => this.proposalIndex.card(id),
    item: (id) => this.itemById.get(id)?.priority,
  });
  /** The full-text index of visible proposals (search/search-index.ts). */
  readonly searchIndex = new SearchIndex();
  /** Proposals whose search entry is out of date: a follow-up message indexes them. */
  readonly searchBacklog = new SearchBacklog();
  readonly commentIndex = new CommentIndex();
  readonly profileByMember = new Map<PrincipalId, ProfileRecord>();
  /** each key of a display name (see confusables.ts) → its owner */
  readonly nameOwners = new Map<string, PrincipalId>();
  readonly roleByMember = new Map<PrincipalId, Role>();
  /** item id → members with priority votes on it, to give their credits back on release */
  readonly supporters = new Map<Id, Set<PrincipalId>>();
  readonly reportQueue = new ReportQueue();
  /** contentKey → why it is hidden */
  readonly hiddenContent = new Map<string, Hiding>();
  readonly suspensionOf = new Map<PrincipalId, Suspension>();
  private currentModerationSettings: ModerationSettings = DEFAULT_MODERATION_SETTINGS;

  constructor(open: RecordStoreFactory) {
    this.meta = open('meta');
    this.themes = open('themes');
    this.milestones = open('milestones');
    this.items = open('items');
    this.proposals = open('proposals');
    this.proposalTexts = open('proposalTexts');
    this.proposalBodies = open('proposalBodies');
    this.proposalTallies = open('proposalTallies');
    this.proposalRevisions = open('proposalRevisions');
    this.proposalVotes = open('proposalVotes');
    this.comments = open('comments');
    this.commentBodies = open('commentBodies');
    this.commentRevisions = open('commentRevisions');
    this.profiles = open('profiles');
    this.roles = open('roles');
    this.rateLimits = open('rateLimits');
    this.activity = open('activity');
    this.priorities = open('priorities');
    this.reports = open('reports');
    this.hidings = open('hidings');
    this.suspensions = open('suspensions');
    this.moderationSettingsRecord = open('moderationSettings');
    this.moderationLog = open('moderationLog');
    this.nnsLog = open('nnsLog');
    this.mergeLog = open('mergeLog');
    this.merges = new Merges(open<MergeRecord>('merges'), open<MoveRecord>('mergeMoves'));
    this.powerJobs = open('powerJobs');
    this.neurons = new NeuronLinks(
      open<NeuronLinkRecord>('neuronLinks'),
      open<LapseRecord>('neuronLapses'),
    );
    this.lens = new VotingPowerLens(
      {
        tallies: open<PowerTally>('lensTallies'),
        counted: open<CountedVote>('lensCounted'),
        targets: open<LensTarget>('lensTargets'),
        targetCounts: open<number>('lensTargetCounts'),
      },
      {
        powerOf: (member) => this.neurons.votingPower(member),
        sideOf: (member, target) => this.sideOf(member, target),
        isFinal: (target) =>
          target[0] === 'i' && 'Deployed' in (this.item(BigInt(target.slice(1)))?.status ?? {}),
        changed: (target, tally) => {
          if (target[0] === 'p') {
            this.proposalIndex.setPower(BigInt(target.slice(1)), tally.up, tally.down);
          }
        },
      },
    );
    this.inbox = new Inbox({
      follows: open('follows'),
      followers: open('followers'),
      followerCounts: open('followerCounts'),
      notifications: open('notifications'),
      inboxHeads: open('inboxHeads'),
      fanouts: open('fanouts'),
    });
    this.site = open('site');
    this.responses = new OfficialResponses({
      responses: open('responses'),
      responseRevisions: open('responseRevisions'),
    });
    this.nns = new NnsProposalLinks(
      open<NnsLinkRecord>('nnsLinks'),
      open<NnsProposalFacts>('nnsProposals'),
    );
  }

  /** Where a member's vote on a lens target stands, as the raw votes record it. */
  private sideOf(member: PrincipalId, target: LensTarget): LensSide | undefined {
    const id = target.slice(1);
    if (target[0] === 'p') {
      const direction = this.proposalVotes.get(pairKey(id, member));
      return direction === undefined ? undefined : direction === 'Up' ? 'up' : 'down';
    }
    const votes = this.priorities.get(member)?.votes ?? [];
    return votes.some((vote) => String(vote.itemId) === id && vote.votes > 0) ? 'up' : undefined;
  }

  /**
   * Derives the heap state from the records: after an upgrade, or on a fresh canister (where
   * it finds nothing). Costs one pass over the records that have heap state; proposal texts,
   * bodies, votes, revisions and comment bodies are never read here.
   */
  rebuild(): void {
    for (const kind of ID_KINDS) {
      const counter = this.meta.get(`next/${kind}`);
      this.counters.set(kind, counter !== undefined && 'Counter' in counter ? counter.Counter : 1n);
    }
    const settings = this.meta.get('settings');
    this.currentSettings =
      settings !== undefined && 'Settings' in settings ? settings.Settings : DEFAULT_SETTINGS;
    this.themes.forEach((theme) => this.cacheTheme(theme));
    this.milestones.forEach((milestone) => this.cacheMilestone(milestone));
    this.items.forEach((item) => this.cacheItem(item));
    this.roadmapLayout();
    this.currentModerationSettings =
      this.moderationSettingsRecord.get('settings') ?? DEFAULT_MODERATION_SETTINGS;
    this.hidings.forEach((hiding, key) => this.hiddenContent.set(key, hiding));
    this.suspensions.forEach((suspension, member) =>
      this.suspensionOf.set(member as PrincipalId, suspension),
    );
    this.rebuildReportQueue();
    this.neurons.rebuild();
    this.lens.rebuild();
    this.nns.rebuild();
    this.inbox.rebuild();
    this.merges.rebuild();
    this.responses.rebuild();
    for (const store of [this.moderationLog, this.nnsLog, this.mergeLog]) {
      store.forEach((_entry, key) => this.laterLogEntries.set(key, store));
    }
    const cards = this.readCards();
    const hiddenProposals = new Set<number>();
    for (const key of this.hiddenContent.keys()) {
      if (key[0] === 'p') hiddenProposals.add(Number(key.slice(1)));
    }
    this.proposalIndex.rebuild(cards, hiddenProposals);
    // The certified tree is heap state too: every entry is hashed again by follow-up messages
    // (hashing is far too slow for post_upgrade at scale), and certified once all are.
    // Proposal ids in ascending order by a walk of the index's id slots: sorting them with a
    // comparator would run a JS call per comparison.
    const proposalIds: number[] = [];
    for (let id = 1; id < this.proposalIndex.size; id++) {
      if (this.proposalIndex.hasId(id)) proposalIds.push(id);
    }
    this.certifiedTallies.adopt(
      proposalIds,
      Array.from(this.itemById.keys(), Number).sort((a, b) => a - b),
    );
    // Indexing a proposal's text costs far more than its card, so the search index is rebuilt
    // by follow-up messages rather than inside post_upgrade: newest proposals first, the ones
    // people most likely look for (hidden ones are passed over then).
    this.searchBacklog.addEveryIdBelow(this.proposalIndex.size);
    // The index holds a card at each proposal's id, so its size is the highest id plus one.
    this.counterAtLeast('proposal', BigInt(this.proposalIndex.size));
    const comments: CommentMeta[] = [];
    this.comments.forEach((comment) => comments.push(comment));
    const lastCommentId = this.commentIndex.rebuild(comments);
    this.counterAtLeast('comment', BigInt(lastCommentId + 1));
    this.profiles.forEach((profile, member) => this.cacheProfile(member as PrincipalId, profile));
    this.roles.forEach((role, member) => this.roleByMember.set(member as PrincipalId, role));
    this.priorities.forEach((record, member) => {
      for (const { itemId } of record.votes) this.addSupporter(itemId, member as PrincipalId);
    });
  }

  /**
   * Every proposal's card: its core record completed in place with its tallies and power.
   * Both stores are keyed by proposal id, walked in key order, and every proposal has both
   * records (saveProposal writes them together), so the two walks meet the same ids in the same
   * order and are paired by position, and each core object becomes its card in place. Against
   * keying the tallies by id and spreading each card into a new object, this saved about 28,000
   * instructions a proposal in post_upgrade (334 M → 306 M at 1,000 proposals); decoding the
   * tallies still costs what it did. Should the counts differ (no real data does), the tallies
   * are matched by key, so a mismatch costs time, never a wrong card.
   */
  private readCards(): ProposalCard[] {
    const tallies: Tally[] = [];
    this.proposalTallies.forEach((tally) => tallies.push(tally));
    const cores: ProposalCore[] = [];
    this.proposals.forEach((core) => cores.push(core));
    let tallyOf = (position: number, _id: Id): Tally | undefined => tallies[position];
    if (tallies.length !== cores.length) {
      const byKey = new Map<string, Tally>();
      this.proposalTallies.forEach((tally, key) => byKey.set(key, tally));
      tallyOf = (_position, id) => byKey.get(idKey(id));
    }
    const cards = cores as ProposalCard[];
    for (let i = 0; i < cores.length; i++) {
      const card = cards[i]!;
      const tally = tallyOf(i, card.id);
      const power = this.lens.tally(`p${card.id}`);
      card.up = tally?.up ?? 0;
      card.down = tally?.down ?? 0;
      card.commentCount = tally?.commentCount ?? 0;
      card.upPower = power.up;
      card.downPower = power.down;
    }
    return cards;
  }

  /**
   * Layout 2 → 3: responses written before layout 3 have no record of their own; each
   * proposal's body record is read (its texts verbatim, not decoded) to find them.
   */
  recordEarlierResponses(): void {
    for (let id = 1; id < this.proposalIndex.size; id++) {
      const card = this.proposalIndex.card(BigInt(id));
      if (card === undefined) continue;
      const body = this.proposalBodies.getVerbatim(idKey(card.id));
      if (body !== undefined && body.officialResponse.length === 1) {
        this.responses.adopt(card.id, card.status);
      }
    }
  }

  layoutVersion(): number | undefined {
    const layout = this.meta.get('layout');
    return layout !== undefined && 'Layout' in layout ? layout.Layout : undefined;
  }

  setLayoutVersion(version: number): void {
    this.meta.set('layout', { Layout: version });
  }

  /** Ids start at 1 and never repeat, per kind. */
  nextId(kind: IdKind): Id {
    const next = this.counters.get(kind) ?? 1n;
    if (DERIVED_ID_KINDS.has(kind)) this.counters.set(kind, next + 1n);
    else this.setNextId(kind, next + 1n);
    return next;
  }

  /** Writes the counters that are not written with every id (see DERIVED_ID_KINDS). */
  writeCounters(): void {
    for (const kind of DERIVED_ID_KINDS) {
      const next = this.counters.get(kind) ?? 1n;
      const written = this.meta.get(`next/${kind}`);
      if (written === undefined || !('Counter' in written) || written.Counter !== next) {
        this.meta.set(`next/${kind}`, { Counter: next });
      }
    }
  }

  /** Raises a counter to `next` when it is lower (rebuild, for DERIVED_ID_KINDS). */
  private counterAtLeast(kind: IdKind, next: Id): void {
    if ((this.counters.get(kind) ?? 1n) < next) this.counters.set(kind, next);
  }

  /** Moves a counter (migration keeps the ids a canister handed out). */
  setNextId(kind: IdKind, next: Id): void {
    this.counters.set(kind, next);
    this.meta.set(`next/${kind}`, { Counter: next });
  }

  settings(): Settings {
    return this.currentSettings;
  }

  setSettings(settings: Settings): void {
    this.currentSettings = settings;
    this.meta.set('settings', { Settings: settings });
  }

  moderationSettings(): ModerationSettings {
    return this.currentModerationSettings;
  }

  setModerationSettings(settings: ModerationSettings): void {
    this.currentModerationSettings = settings;
    this.moderationSettingsRecord.set('settings', settings);
  }

  log(actor: PrincipalId, at: Time, kind: ActivityKind): void {
    const id = this.nextId('activity');
    const store = this[logOf(kind)];
    store.set(idKey(id), { id, actor, at, kind });
    if (store !== this.activity) this.laterLogEntries.set(idKey(id), store);
  }

  activityEntry(id: Id): ActivityEntry | undefined {
    const key = idKey(id);
    return (this.laterLogEntries.get(key) ?? this.activity).get(key);
  }

  /** The newest activity id handed out so far (0 when none). */
  lastActivityId(): Id {
    return this.lastId('activity');
  }

  /** The newest id of `kind` handed out so far (0 when none). */
  lastId(kind: IdKind): Id {
    return (this.counters.get(kind) ?? 1n) - 1n;
  }

  // ---- roadmap: small, so wholly on the heap as well as in records

  theme(id: Id): Theme | undefined {
    return this.themeById.get(id);
  }

  milestone(id: Id): Milestone | undefined {
    return this.milestoneById.get(id);
  }

  item(id: Id): Item | undefined {
    return this.itemById.get(id);
  }

  saveTheme(theme: Theme): void {
    this.themes.set(idKey(theme.id), theme);
    this.cacheTheme(theme);
    this.onRoadmapEntry?.({ theme });
  }

  saveMilestone(milestone: Milestone): void {
    this.milestones.set(idKey(milestone.id), milestone);
    this.cacheMilestone(milestone);
    this.onRoadmapEntry?.({ milestone });
  }

  saveItem(item: Item): void {
    this.items.set(idKey(item.id), item);
    this.cacheItem(item);
    this.certifiedTallies.itemChanged(item.id);
    this.onRoadmapEntry?.({ item });
  }

  /**
   * Ids in display order, worked out again only after a write that moved something: priority
   * votes and comment counts change items without touching the order. Writes that can move
   * entries call this before they return, so queries always find it ready (a query's own
   * heap changes would not persist).
   */
  roadmapLayout(): RoadmapLayout {
    this.layout ??= layoutRoadmap(
      [...this.themeById.values()],
      [...this.milestoneById.values()],
      [...this.itemById.values()],
    );
    return this.layout;
  }

  private cacheTheme(theme: Theme): void {
    const previous = this.themeById.get(theme.id);
    if (previous === undefined || previous.order !== theme.order) this.layout = undefined;
    this.themeById.set(theme.id, theme);
    this.slugs.set(`theme/${theme.slug}`, theme.id);
  }

  private cacheMilestone(milestone: Milestone): void {
    const previous = this.milestoneById.get(milestone.id);
    if (
      previous === undefined ||
      previous.order !== milestone.order ||
      previous.themeId !== milestone.themeId
    ) {
      this.layout = undefined;
    }
    this.milestoneById.set(milestone.id, milestone);
    this.slugs.set(`milestone/${milestone.slug}`, milestone.id);
  }

  private cacheItem(item: Item): void {
    const previous = this.itemById.get(item.id);
    if (
      previous === undefined ||
      previous.order !== item.order ||
      previous.milestoneId !== item.milestoneId
    ) {
      this.layout = undefined;
    }
    this.itemById.set(item.id, item);
    this.slugs.set(`item/${item.slug}`, item.id);
  }

  // ---- proposals

  card(id: Id): ProposalCard | undefined {
    return this.proposalIndex.card(id);
  }

  /**
   * The whole proposal, texts included: for detail views and edits, never for listings.
   * `verbatim` takes title, body and response as stored (see RecordStore.getVerbatim): for
   * passing them on — to a reply, a revision or the same record again — never for inspecting.
   */
  proposal(id: Id, texts: TextForm): Proposal | undefined {
    const card = this.card(id);
    if (card === undefined) return undefined;
    const read = <V>(store: RecordStore<V>): V | undefined =>
      texts === 'verbatim' ? store.getVerbatim(idKey(id)) : store.get(idKey(id));
    const title = read(this.proposalTexts);
    const body = read(this.proposalBodies);
    if (title === undefined || body === undefined) {
      throw new Error(`proposal ${id} has no texts`);
    }
    return {
      ...card,
      title: title.title,
      body: body.body,
      officialResponse: body.officialResponse,
    };
  }

  // ---- comments

  /** A comment with its body; `verbatim` as for `proposal`. */
  comment(id: Id, texts: TextForm): Comment | undefined {
    const meta = this.commentIndex.comment(id);
    if (meta === undefined) return undefined;
    const key = idKey(id);
    const body =
      texts === 'verbatim' ? this.commentBodies.getVerbatim(key) : this.commentBodies.get(key);
    return { ...meta, body: body ?? '', hidden: optionalHiding(this.hiding({ Comment: id })) };
  }

  /** Why the content is hidden, if it is. */
  hiding(ref: ContentRef): Hiding | undefined {
    return this.hiddenContent.get(contentKey(ref));
  }

  /** Hides (or, with undefined, shows) content everywhere it is listed. */
  setHiding(ref: ContentRef, hiding: Hiding | undefined): void {
    const key = contentKey(ref);
    if (hiding === undefined) {
      this.hidings.delete(key);
      this.hiddenContent.delete(key);
    } else {
      this.hidings.set(key, hiding);
      this.hiddenContent.set(key, hiding);
    }
    if ('Proposal' in ref) {
      this.proposalIndex.setHidden(ref.Proposal, hiding !== undefined);
      this.searchBacklog.add(Number(ref.Proposal));
    }
    this.reportQueue.setHidden(key, hiding !== undefined);
  }

  /** The member's suspension while it lasts. */
  activeSuspension(member: PrincipalId, now: Time): Suspension | undefined {
    const suspension = this.suspensionOf.get(member);
    if (suspension === undefined) return undefined;
    const [until] = suspension.until;
    return until === undefined || until > now ? suspension : undefined;
  }

  setSuspension(member: PrincipalId, suspension: Suspension | undefined): void {
    if (suspension === undefined) {
      this.suspensions.delete(member);
      this.suspensionOf.delete(member);
    } else {
      this.suspensions.set(member, suspension);
      this.suspensionOf.set(member, suspension);
    }
  }

  /** Closes every open report on a target; returns how many there were. */
  closeReports(target: ReportTarget): number {
    const key = reportKey(target);
    const group = this.reportQueue.close(key);
    if (group === undefined) return 0;
    for (const report of group.reports) this.reports.delete(`${key}/${report.reporter}`);
    return group.reports.length;
  }

  private rebuildReportQueue(): void {
    const groups = new Map<string, Omit<ReportGroupState, 'seq'>>();
    this.reports.forEach((record, storeKey) => {
      const cut = storeKey.indexOf('/');
      const key = storeKey.slice(0, cut);
      const target = reportTargetOfKey(key);
      if (target === undefined) throw new Error(`report under an unknown key ${key}`);
      let group = groups.get(key);
      if (group === undefined) {
        const hidden = 'Member' in target ? false : this.hiddenContent.has(key);
        group = { key, target, reports: [], weight: 0, hidden };
        groups.set(key, group);
      }
      const { counted, ...report } = record;
      group.reports.push({ ...report, reporter: storeKey.slice(cut + 1) as PrincipalId });
      if (counted) group.weight++;
    });
    this.reportQueue.rebuild([...groups.values()]);
  }

  saveCommentMeta(meta: CommentMeta): void {
    this.comments.set(idKey(meta.id), meta);
    this.commentIndex.update(meta);
  }

  // ---- people

  displayName(member: PrincipalId): string | undefined {
    return this.profileByMember.get(member)?.displayName;
  }

  /** Someone other than `member` whose display name looks like `displayName`. */
  nameTakenFrom(member: PrincipalId, displayName: string): boolean {
    return nameKeys(displayName).some((key) => {
      const owner = this.nameOwners.get(key);
      return owner !== undefined && owner !== member;
    });
  }

  saveProfile(member: PrincipalId, profile: ProfileRecord): void {
    const previous = this.profileByMember.get(member);
    if (previous !== undefined && previous.displayName !== profile.displayName) {
      for (const key of nameKeys(previous.displayName)) {
        if (this.nameOwners.get(key) === member) this.nameOwners.delete(key);
      }
    }
    this.profiles.set(member, profile);
    this.cacheProfile(member, profile);
  }

  private cacheProfile(member: PrincipalId, profile: ProfileRecord): void {
    this.profileByMember.set(member, profile);
    // Names taken before they were compared by skeleton may share a key: the first keeps it.
    for (const key of nameKeys(profile.displayName)) {
      if (!this.nameOwners.has(key)) this.nameOwners.set(key, member);
    }
  }

  setRole(member: PrincipalId, role: Role): void {
    if ('Member' in role) {
      this.roles.delete(member);
      this.roleByMember.delete(member);
    } else {
      this.roles.set(member, role);
      this.roleByMember.set(member, role);
    }
  }

  // ---- priorities

  addSupporter(itemId: Id, member: PrincipalId): void {
    let members = this.supporters.get(itemId);
    if (members === undefined) {
      members = new Set();
      this.supporters.set(itemId, members);
    }
    members.add(member);
  }

  removeSupporter(itemId: Id, member: PrincipalId): void {
    this.supporters.get(itemId)?.delete(member);
  }
}

/** Content is keyed `p<id>` or `c<id>`. */
export function contentKey(ref: ContentRef): string {
  return 'Proposal' in ref ? `p${ref.Proposal}` : `c${ref.Comment}`;
}

/**
 * Report targets: content by its key, members `u<principal bytes in hex>`. Never a '/': the
 * records of reports are keyed `${target}/${reporter}`, and principal bytes may hold a '/'.
 */
export function reportKey(target: ReportTarget): string {
  if (!('Member' in target)) return contentKey(target);
  let hex = 'u';
  for (let i = 0; i < target.Member.length; i++) {
    hex += target.Member.charCodeAt(i).toString(16).padStart(2, '0');
  }
  return hex;
}

function reportTargetOfKey(key: string): ReportTarget | undefined {
  const rest = key.slice(1);
  if (key[0] === 'u') {
    if (!/^(?:[0-9a-f]{2}){1,29}$/.test(rest)) return undefined;
    let member = '';
    for (let i = 0; i < rest.length; i += 2) {
      member += String.fromCharCode(parseInt(rest.slice(i, i + 2), 16));
    }
    return { Member: member as PrincipalId };
  }
  if (!/^[0-9]{1,20}$/.test(rest)) return undefined;
  if (key[0] === 'p') return { Proposal: BigInt(rest) };
  if (key[0] === 'c') return { Comment: BigInt(rest) };
  return undefined;
}

const optionalHiding = (hiding: Hiding | undefined): Opt<Hiding> =>
  hiding === undefined ? [] : [hiding];

type Tag<U> = U extends unknown ? keyof U : never;

/**
 * The store each kind of activity entry lives in (the type makes the table complete): kinds
 * added after the first release have stores of their own, because a stored entry keeps the
 * candid variant it was written with.
 */
const LOG_OF_KIND: Record<Tag<ActivityKind>, LogStore> = {
  ThemeUpserted: 'activity',
  MilestoneUpserted: 'activity',
  ItemUpserted: 'activity',
  RoadmapImported: 'activity',
  ProposalStatusChanged: 'activity',
  RoleChanged: 'activity',
  SettingsChanged: 'activity',
  CommentRemoved: 'activity',
  ContentHidden: 'moderationLog',
  ContentAutoHidden: 'moderationLog',
  ContentRestored: 'moderationLog',
  ReportsDismissed: 'moderationLog',
  MemberSuspended: 'moderationLog',
  SuspensionLifted: 'moderationLog',
  ModerationSettingsChanged: 'moderationLog',
  ItemDeployedByNns: 'nnsLog',
  ProposalMerged: 'mergeLog',
  ProposalUnmerged: 'mergeLog',
};

type LogStore = 'activity' | 'moderationLog' | 'nnsLog' | 'mergeLog';

function logOf(kind: ActivityKind): LogStore {
  for (const tag in kind) return LOG_OF_KIND[tag as Tag<ActivityKind>];
  return 'activity';
}
