/**
 * The application as the canister sees it: one method per candid method, each taking the call
 * context and returning a value or a Result. Services validate everything before writing, so
 * a call that returns an error has changed nothing.
 */
import type { TallyProofBody, TallyProofRequest } from './certification/tallies';
import type { CallContext } from './context';
import { Db, idKey, LAYOUT_VERSION, type RoadmapEntry } from './db';
import { sharePage, type SharePage } from './share-pages';
import { openData, type OpenDataOrigins, type OpenDataResponse } from './open-data';
import { openDataSource } from './open-data-source';
import { migrateFromLayout1, type LegacyRecord, type PrincipalFromText } from './migration';
import type {
  ActivityPage,
  Comment,
  CommentInput,
  CommentPage,
  CommentRevision,
  Id,
  ImportReport,
  Item,
  ItemDetail,
  ItemInput,
  ListProposalsRequest,
  Me,
  MyNeurons,
  NeuronLink,
  NnsLink,
  NnsLinkInput,
  MemberVotePage,
  Merge,
  MergeRequest,
  ModerationRequest,
  ModerationSettings,
  Milestone,
  MilestoneInput,
  Opt,
  PriorityAllocation,
  PrincipalId,
  Profile,
  ProfileInput,
  Proposal,
  ProposalDetail,
  ProposalInput,
  ProposalPage,
  ProposalFacets,
  ProposalRevision,
  ResponseRevision,
  ProposalStatus,
  ProposalSummary,
  Roadmap,
  ReportInput,
  ReportPage,
  RoadmapImport,
  Role,
  RoleGrant,
  Settings,
  Target,
  Time,
  Theme,
  ThemeInput,
  ThreadPage,
  Vote,
  VoteTally,
} from './model';
import { ANONYMOUS } from './model';
import { InboxService, type FollowTarget, type NotificationPage } from './inbox';
import { MergeService } from './merges';
import { ModerationService } from './moderation';
import type { NeuronFacts } from './neurons';
import { NnsService } from './nns';
import type { ProposalInfoLike } from './nns-proposals';
import { PeopleService } from './people';
import { PriorityService } from './priorities';
import { optional, ProposalService } from './proposals';
import { RateLimiter } from './rate-limits';
import type { Failure, Result } from './result';
import { RoadmapService } from './roadmap';
import {
  SearchService,
  type SearchPage,
  type SearchRequest,
  type SimilarRequest,
} from './search/search';
import type { RecordStoreFactory } from './storage/record-store';
import { ThreadService } from './threads';

/** The records of a canister on stable layout 1, read only to migrate them. */
export type LegacySource = { records(): Iterable<LegacyRecord>; principal: PrincipalFromText };

export class Commons {
  private readonly db: Db;
  private readonly people: PeopleService;
  private readonly roadmap: RoadmapService;
  private readonly proposals: ProposalService;
  private readonly priorities: PriorityService;
  private readonly threads: ThreadService;
  private readonly moderation: ModerationService;
  private readonly search: SearchService;
  private readonly nns: NnsService;
  private readonly inbox: InboxService;
  private readonly merges: MergeService;

  /**
   * Opens the records of an installed canister: a canister still on layout 1 is migrated
   * first (`legacy` reads its records), one on layout 2 has its responses recorded (see
   * `Db.recordEarlierResponses`), a fresh one is marked with the current layout.
   */
  static open(stores: RecordStoreFactory, legacy?: LegacySource): Commons {
    const db = new Db(stores);
    let layout = db.layoutVersion();
    if (layout === undefined) {
      if (legacy !== undefined) migrateFromLayout1(legacy.records(), db, legacy.principal);
      layout = legacy === undefined ? LAYOUT_VERSION : 2;
      db.setLayoutVersion(layout);
    }
    const commons = new Commons(stores);
    if (layout < 3) {
      commons.db.recordEarlierResponses();
      commons.db.setLayoutVersion(LAYOUT_VERSION);
    }
    return commons;
  }

  /** Opens the records and derives the heap state from them (empty on a fresh canister). */
  constructor(stores: RecordStoreFactory) {
    this.db = new Db(stores);
    this.db.rebuild();
    const limiter = new RateLimiter(this.db);
    this.people = new PeopleService(this.db, limiter);
    this.priorities = new PriorityService(this.db, limiter);
    this.roadmap = new RoadmapService(this.db, (itemId, actor, at) => {
      this.priorities.release(itemId);
      this.db.inbox.tellFollowers({ Item: itemId }, at, { ItemDeployed: { itemId } }, [actor]);
    });
    this.proposals = new ProposalService(this.db, limiter);
    this.threads = new ThreadService(this.db, limiter, this.proposals);
    this.moderation = new ModerationService(this.db, limiter);
    this.search = new SearchService(this.db, (ctx, cards) => this.proposals.summaries(ctx, cards));
    this.inbox = new InboxService(this.db);
    this.merges = new MergeService(this.db);
    this.nns = new NnsService(this.db, limiter, (itemId, now) =>
      this.roadmap.deployByNns(itemId, now),
    );
  }

  // ---- lifecycle

  /**
   * Calls `listener` with every roadmap entry now and with each one written from now on, so
   * the canister can keep replies for the roadmap ready (see canister/roadmap-cache.ts).
   */
  observeRoadmap(listener: (entry: RoadmapEntry) => void): void {
    this.db.onRoadmapEntry = listener;
    for (const theme of this.db.themeById.values()) listener({ theme });
    for (const milestone of this.db.milestoneById.values()) listener({ milestone });
    for (const item of this.db.itemById.values()) listener({ item });
  }

  /** Before an upgrade: writes what is otherwise derived again (see Db.writeCounters). */
  beforeUpgrade(): void {
    this.db.writeCounters();
  }

  addAdmins(admins: readonly PrincipalId[]): void {
    this.people.addAdmins(admins);
  }

  /** Proposals waiting to be (re)indexed for search; the canister indexes them by timer. */
  searchBacklog(): number {
    return this.db.searchBacklog.size;
  }

  /** Indexes waiting proposals until `stop` says so; returns how many are left. */
  indexSearchBacklog(stop: () => boolean): number {
    return this.search.indexBacklog(stop);
  }

  /** Tallies waiting to be hashed into the certified tree (certification/tallies.ts). */
  pendingCertification(): number {
    return this.db.certifiedTallies.pending();
  }

  /**
   * Hashes waiting tallies until `stop` says so; true when the tallies' root changed, and the
   * canister's certified data must be set again.
   */
  runCertification(stop: () => boolean): boolean {
    return this.db.certifiedTallies.run(stop);
  }

  /** The root of the certified tallies, once the tree is built after an install or upgrade. */
  certifiedTalliesRoot(): Uint8Array | undefined {
    return this.db.certifiedTallies.certifiedRoot();
  }

  // ---- queries

  /**
   * A witness of the certified tallies of some proposals and items, in the canister's tree
   * whose other part (the HTTP gateway's) has the hash `httpExprHash`.
   */
  getTallyProof(request: TallyProofRequest, httpExprHash: Uint8Array): Result<TallyProofBody> {
    return this.db.certifiedTallies.proof(request, httpExprHash);
  }

  whoami(ctx: CallContext): Me {
    const allocation = this.priorities.allocation(ctx.caller);
    return {
      principal: ctx.caller,
      isAnonymous: ctx.caller === ANONYMOUS,
      profile: this.people.profile(ctx.caller, ctx.callerIsController),
      role: this.people.role(ctx),
      creditBudget: allocation.budget,
      creditsLeft: allocation.remaining,
      suspension: optional(this.db.activeSuspension(ctx.caller, ctx.now)),
    };
  }

  getRoadmap(): Roadmap {
    return this.roadmap.getRoadmap();
  }

  getItem(ctx: CallContext, id: Id): Opt<ItemDetail> {
    return this.roadmap.getItem(
      id,
      this.priorities.votesOn(ctx.caller, id),
      this.nns.nnsLink(`i${id}`),
    );
  }

  listProposals(ctx: CallContext, request: ListProposalsRequest): ProposalPage {
    return this.proposals.list(ctx, request);
  }

  searchProposals(ctx: CallContext, request: SearchRequest): Result<SearchPage> {
    return this.search.search(ctx, request);
  }

  similarProposals(ctx: CallContext, request: SimilarRequest): ProposalSummary[] {
    return this.search.similar(ctx, request);
  }

  /** What a member votes on now, newest first (see ProposalService.votesBy). */
  listVotesByMember(
    ctx: CallContext,
    member: PrincipalId,
    cursor: Opt<string>,
    limit: number,
  ): MemberVotePage {
    return this.proposals.votesBy(ctx, member, cursor, limit);
  }

  getProposal(ctx: CallContext, id: Id): Opt<ProposalDetail> {
    return this.proposals.detail(ctx, id);
  }

  getProposalHistory(
    ctx: CallContext,
    id: Id,
    cursor: Opt<string>,
    limit: number,
  ): ProposalRevision[] {
    return this.proposals.history(ctx, id, cursor, limit);
  }

  getResponseHistory(ctx: CallContext, id: Id): ResponseRevision[] {
    return this.proposals.responseHistory(ctx, id);
  }

  getProposalFacets(): ProposalFacets {
    return this.proposals.facets();
  }

  getThread(ctx: CallContext, target: Target, cursor: Opt<string>, limit: number): ThreadPage {
    return this.threads.page(ctx, target, cursor, limit);
  }

  /** The canister that serves the app (its text form), as the install argument named it. */
  setAppCanister(id: string): void {
    this.db.site.set('appCanister', id);
  }

  appCanister(): string | undefined {
    return this.db.site.get('appCanister');
  }

  /**
   * The feeds, roadmap.json and the export at `path` (open-data.ts), or undefined when the path
   * is not one of theirs. `principalText` writes principals as text (the canister's codec).
   */
  openData(
    path: string,
    query: ReadonlyMap<string, string>,
    origins: OpenDataOrigins,
    now: Time,
    principalText: (member: PrincipalId) => string,
  ): OpenDataResponse | undefined {
    const source = openDataSource(this.db, () => this.roadmap.getRoadmap(), principalText);
    return openData(source, path, query, origins, now);
  }

  /**
   * The page a shared link to `path` shows without JavaScript (share-pages.ts), as an
   * anonymous visitor may see it; `appOrigin` is where the app is served.
   */
  sharePage(path: string, appOrigin: string | undefined): SharePage {
    const proposalTitle = (id: Id): string | undefined => {
      if (this.db.card(id) === undefined) return undefined;
      if (this.db.proposalIndex.isHidden(id)) return 'a hidden proposal';
      return this.db.proposalTexts.get(idKey(id))?.title;
    };
    return sharePage(
      {
        proposal: (id) => {
          const card = this.db.card(id);
          if (card === undefined) return undefined;
          const texts = this.db.proposalTexts.get(idKey(id));
          return {
            title: texts?.title ?? '',
            excerpt: texts?.excerpt ?? '',
            status: card.status,
            up: card.up,
            down: card.down,
            comments: card.commentCount,
            hidden: this.db.proposalIndex.isHidden(id),
          };
        },
        item: (id) => {
          const item = this.db.item(id);
          return (
            item && {
              title: item.title,
              description: item.description,
              status: item.status,
              supporters: item.priority.supporters,
            }
          );
        },
        comment: (id) => {
          // Decoded, not verbatim: the page quotes the text.
          const comment = this.db.comment(id, 'decoded');
          if (comment === undefined) return undefined;
          const gone = comment.deleted.length === 1 || comment.hidden.length === 1;
          const on = comment.target;
          const [onPath, onTitle] =
            'Proposal' in on
              ? [`/proposals/${on.Proposal}`, proposalTitle(on.Proposal)]
              : 'Item' in on
                ? [`/roadmap/items/${on.Item}`, this.db.item(on.Item)?.title]
                : [`/roadmap/milestones/${on.Milestone}`, this.db.milestone(on.Milestone)?.name];
          return {
            body: gone ? '' : comment.body,
            authorName: this.db.displayName(comment.author),
            onPath,
            onTitle: onTitle ?? '',
            gone,
          };
        },
      },
      path,
      appOrigin,
    );
  }

  getComment(ctx: CallContext, id: Id): Opt<Comment> {
    return this.threads.get(ctx, id);
  }

  getCommentHistory(ctx: CallContext, id: Id): CommentRevision[] {
    return this.threads.history(ctx, id);
  }

  listCommentsByAuthor(
    ctx: CallContext,
    author: PrincipalId,
    cursor: Opt<string>,
    limit: number,
  ): CommentPage {
    return this.threads.byAuthor(ctx, author, cursor, limit);
  }

  getProfile(principal: PrincipalId): Opt<Profile> {
    return this.people.profile(principal);
  }

  getMyPriorities(ctx: CallContext): PriorityAllocation {
    return this.priorities.allocation(ctx.caller);
  }

  getActivity(cursor: Opt<string>, limit: number): ActivityPage {
    return this.people.activity(cursor, limit);
  }

  listRoles(): RoleGrant[] {
    return this.people.listRoles();
  }

  getSettings(): Settings {
    return this.db.settings();
  }

  getModerationSettings(): ModerationSettings {
    return this.moderation.settings();
  }

  listReports(ctx: CallContext, cursor: Opt<string>, limit: number): Result<ReportPage> {
    return this.moderation.listReports(ctx, cursor, limit);
  }

  isFollowing(ctx: CallContext, target: FollowTarget): boolean {
    return this.inbox.isFollowing(ctx, target);
  }

  getNotifications(ctx: CallContext, cursor: Opt<string>, limit: number): NotificationPage {
    return this.inbox.page(ctx, cursor, limit);
  }

  getUnreadCount(ctx: CallContext): number {
    return this.inbox.unread(ctx);
  }

  getMyNeurons(ctx: CallContext): MyNeurons {
    return this.nns.myNeurons(ctx.caller);
  }

  // ---- member updates

  setProfile(ctx: CallContext, input: ProfileInput): Result<Profile> {
    return this.people.setProfile(ctx, input);
  }

  submitProposal(ctx: CallContext, input: ProposalInput): Result<Proposal> {
    return this.proposals.submit(ctx, input);
  }

  editProposal(ctx: CallContext, id: Id, input: ProposalInput): Result<Proposal> {
    return this.proposals.edit(ctx, id, input);
  }

  voteProposal(ctx: CallContext, id: Id, vote: Opt<Vote>): Result<VoteTally> {
    return this.proposals.vote(ctx, id, vote);
  }

  postComment(ctx: CallContext, input: CommentInput): Result<Comment> {
    return this.threads.post(ctx, input);
  }

  editComment(ctx: CallContext, id: Id, body: string): Result<Comment> {
    return this.threads.edit(ctx, id, body);
  }

  deleteComment(ctx: CallContext, id: Id): Result<null> {
    return this.threads.delete(ctx, id);
  }

  setPriorityVotes(ctx: CallContext, itemId: Id, votes: number): Result<PriorityAllocation> {
    return this.priorities.setVotes(ctx, itemId, votes);
  }

  report(ctx: CallContext, input: ReportInput): Result<null> {
    return this.moderation.report(ctx, input);
  }

  follow(ctx: CallContext, target: FollowTarget): Result<null> {
    return this.inbox.follow(ctx, target, true);
  }

  unfollow(ctx: CallContext, target: FollowTarget): Result<null> {
    return this.inbox.follow(ctx, target, false);
  }

  markNotificationsRead(ctx: CallContext, upTo: Opt<bigint>): Result<null> {
    return this.inbox.markRead(ctx, upTo);
  }

  /**
   * Linking a neuron takes two steps around a call to NNS governance: the checks that need no
   * call, then the link decided from governance's answer (which checks again: time has passed).
   */
  beforeLinkNeuron(ctx: CallContext, neuronId: bigint): Failure | undefined {
    return this.nns.beforeLink(ctx, neuronId);
  }

  linkNeuron(ctx: CallContext, facts: NeuronFacts): Result<NeuronLink> {
    return this.nns.link(ctx, facts);
  }

  unlinkNeuron(ctx: CallContext, neuronId: bigint): Result<MyNeurons> {
    return this.nns.unlink(ctx, neuronId);
  }

  /** The caller's linked neurons, to ask governance about; then `refreshMyNeurons`. */
  beforeRefreshMyNeurons(ctx: CallContext): Result<bigint[]> {
    return this.nns.beforeRefresh(ctx);
  }

  refreshMyNeurons(ctx: CallContext, answers: NeuronFacts[]): Result<MyNeurons> {
    return this.nns.refreshMine(ctx, answers);
  }

  // ---- timers: work in bounded batches

  neuronsToRecheck(count: number): bigint[] {
    return this.nns.neuronsToRecheck(count);
  }

  recheckNeurons(answers: NeuronFacts[], now: bigint): void {
    this.nns.recheck(answers, now);
  }

  /** Events still being told to the followers of their target. */
  pendingFanouts(): number {
    return this.db.inbox.pendingFanouts();
  }

  runFanouts(stop: () => boolean): number {
    return this.db.inbox.runFanouts(stop);
  }

  /** Merges whose votes are still moving (or moving back). */
  pendingMerges(): number {
    return this.merges.pending();
  }

  runMerges(stop: () => boolean): number {
    return this.merges.run(stop);
  }

  /** Members whose votes are still being re-weighed after their voting power changed. */
  pendingReweighs(): number {
    return this.nns.pendingReweighs();
  }

  runReweighs(stop: () => boolean): number {
    return this.nns.runReweighs(stop);
  }

  nnsProposalsToPoll(count: number): bigint[] {
    return this.nns.nnsProposalsToPoll(count);
  }

  learnNnsProposal(nnsProposalId: bigint, info: ProposalInfoLike, now: bigint): void {
    this.nns.learn(nnsProposalId, info, now);
  }

  // ---- moderator updates

  moderate(ctx: CallContext, request: ModerationRequest): Result<null> {
    return this.moderation.moderate(ctx, request);
  }

  mergeProposal(ctx: CallContext, request: MergeRequest): Result<Merge> {
    return this.merges.merge(ctx, request);
  }

  /** Admins only: takes back exactly the votes the merge added. */
  unmergeProposal(ctx: CallContext, duplicate: Id): Result<Merge> {
    return this.merges.unmerge(ctx, duplicate);
  }

  // ---- admin updates

  importRoadmap(ctx: CallContext, file: RoadmapImport): Result<ImportReport> {
    return this.roadmap.importRoadmap(ctx, file);
  }

  upsertTheme(ctx: CallContext, input: ThemeInput): Result<Theme> {
    return this.roadmap.upsertTheme(ctx, input);
  }

  upsertMilestone(ctx: CallContext, input: MilestoneInput): Result<Milestone> {
    return this.roadmap.upsertMilestone(ctx, input);
  }

  upsertItem(ctx: CallContext, input: ItemInput): Result<Item> {
    return this.roadmap.upsertItem(ctx, input);
  }

  setProposalStatus(
    ctx: CallContext,
    id: Id,
    status: ProposalStatus,
    response: Opt<string>,
  ): Result<Proposal> {
    return this.proposals.setStatus(ctx, id, status, response);
  }

  setRole(ctx: CallContext, principal: PrincipalId, role: Role): Result<null> {
    return this.people.setRole(ctx, principal, role);
  }

  setSettings(ctx: CallContext, settings: Settings): Result<Settings> {
    return this.people.setSettings(ctx, settings);
  }

  setModerationSettings(
    ctx: CallContext,
    settings: ModerationSettings,
  ): Result<ModerationSettings> {
    return this.moderation.setSettings(ctx, settings);
  }

  /** As linking a neuron: the checks, then the link with what governance said (see above). */
  beforeLinkNnsProposal(ctx: CallContext, input: NnsLinkInput): Failure | undefined {
    return this.nns.beforeNnsLink(ctx, input);
  }

  linkNnsProposal(
    ctx: CallContext,
    input: NnsLinkInput,
    info: ProposalInfoLike | undefined,
  ): Result<Opt<NnsLink>> {
    return this.nns.setNnsLink(ctx, input, info);
  }
}
