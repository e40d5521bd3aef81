/**
 * The canister: each method decodes its arguments, reads the caller and the time, calls one
 * domain method and replies with its result. Methods are `manual` so that arguments and
 * replies go through the project's candid codec (codec/) instead of Azle's decorator path,
 * which costs ten to a hundred times more in this runtime. State lives in stable memory
 * (stable-records.ts); the heap state is derived from it on install and upgrade.
 */
import {
  canisterSelf,
  candidEncode,
  certifiedDataSet,
  dataCertificate,
  init,
  inReplicatedExecution,
  inspectMessage,
  isController,
  msgArgData,
  msgCaller,
  msgMethodName,
  msgReject,
  msgReply,
  performanceCounter,
  postUpgrade,
  preUpgrade,
  query,
  setTimer,
  setTimerInterval,
  time,
  update,
} from 'azle';

import {
  CandidError,
  decodeArgs,
  encodeReply,
  installHeaders,
  installPrecompiled,
  principalIdToText,
  rememberPrincipalBytes,
  setNativeCandidEncoder,
  takeArgumentsVerdict,
} from '../codec';
import { Commons } from '../domain/commons';
import type { CallContext } from '../domain/context';
import { principalIdFromBytes } from '../domain/model';
import type { TallyProofBody } from '../domain/certification/tallies';
import { conflict, type Result } from '../domain/result';
import { CODECS, HEADERS } from './codecs.generated';
import * as T from './idl';
import { GovernanceUnavailable, readNeurons, readProposal } from './governance';
import { certifiedDataWith, httpResponse, SKIP_CERTIFICATION_DATA } from './http';
import { openDataResponse } from './open-data-http';
import { layout1Records } from './legacy-layout';
import { rememberRoadmapEntry, withEncodedEntries } from './roadmap-cache';
import { codecRoots, headerLists, INIT_PARAMS, M, type Signature } from './signatures';
import { stableRecordStores } from './stable-records';

setNativeCandidEncoder(candidEncode);

/**
 * Instructions a follow-up timer message (search indexing, re-weighing votes) spends before
 * handing the rest to the next one: about one round of execution, so other messages are never
 * kept waiting long.
 */
const FOLLOW_UP_SLICE = 2_000_000_000n;
/** A set timer that has not run after this long (ns) is taken to be lost. */
const FOLLOW_UP_STALL = 60_000_000_000n;

/**
 * How often linked NNS proposals are asked about, and how many per message: an item marked
 * "deploy on execution" turns Deployed within this long of its proposal executing.
 */
const NNS_POLL_SECONDS = 10;
const NNS_POLL_BATCH = 10;
/** How often linked neurons are re-checked with governance, and how many per message. */
const NEURON_RECHECK_SECONDS = 600;
const NEURON_RECHECK_BATCH = 25;

/** Roadmap files may be large; every other argument is a form's worth of text. */
const MAX_ARG_BYTES = 64 * 1024;
const MAX_IMPORT_BYTES = 1024 * 1024;
/** A GET with its headers; the feeds and the export take no body. */
const MAX_HTTP_REQUEST_BYTES = 16 * 1024;

function context(): CallContext {
  const caller = msgCaller();
  const bytes = caller.toUint8Array();
  const anonymous = bytes.length === 1 && bytes[0] === 4;
  const id = principalIdFromBytes(bytes);
  // A write keys several records by its caller and stores them as author or voter: with the
  // bytes at hand, none of those turns the caller's chars back into bytes (≈ 70,000
  // instructions the first time, for a caller the heap has not met yet). A query's heap
  // changes are dropped, so it does not.
  if (inReplicatedExecution()) rememberPrincipalBytes(id, bytes);
  return {
    caller: id,
    callerIsController: !anonymous && isController(caller),
    now: time(),
    argumentsPlainAscii: takeArgumentsVerdict(),
  };
}

/**
 * The method's arguments, or undefined after rejecting the message: a malformed argument is
 * rejected with the codec's short message, no stack, no build paths.
 */
function argumentsOf<A extends unknown[]>(method: Signature): A | undefined {
  try {
    return decodeArgs(method.params, msgArgData()) as A;
  } catch (error) {
    if (error instanceof CandidError) {
      msgReject(error.message);
      return undefined;
    }
    throw error;
  }
}

/**
 * Told after every update method, whatever it did: an update may have left work for later
 * (tallies to certify, above all), and this arms the follow-up timer when it did.
 */
let afterUpdate: (() => void) | undefined;

/** Decodes the arguments, runs `call` and replies with its value encoded as `returns`. */
function serve<A extends unknown[]>(method: Signature, call: (...args: A) => unknown): void {
  const args = argumentsOf<A>(method);
  if (args !== undefined) msgReply(encodeReply(method.returns, [call(...args)]));
  if (method.kind === 'update') afterUpdate?.();
}

/**
 * `serve` for methods that call another canister: the reply is sent once `call` has its answer.
 * Governance being unreachable is the caller's Conflict error, not a trap.
 */
async function serveAfterCalls<A extends unknown[]>(
  method: Signature,
  call: (...args: A) => Promise<unknown>,
): Promise<void> {
  const args = argumentsOf<A>(method);
  if (args === undefined) return;
  let value: unknown;
  try {
    value = await call(...args);
  } catch (error) {
    if (!(error instanceof GovernanceUnavailable)) throw error;
    value = conflict(`${error.message}; try again in a minute`);
  }
  msgReply(encodeReply(method.returns, [value]));
  afterUpdate?.();
}

/**
 * A tally proof with the IC's certificate of the certified data, which only a query that is
 * not replicated has (an update call of the method gets a Conflict).
 */
function withCertificate(proof: Result<TallyProofBody>): Result<T.TallyProof> {
  if ('Err' in proof) return proof;
  const certificate = dataCertificate();
  if (certificate === undefined) {
    return conflict('a certificate is only available to getTallyProof called as a query');
  }
  return { Ok: { certificate, ...proof.Ok } };
}

/** The caller's context again after an await: same caller, the time now. */
const resumed = (ctx: CallContext): CallContext => ({ ...ctx, now: time() });

/** Runs a timer's call to governance; an unreachable governance is asked again next time. */
async function tolerateGovernance(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof GovernanceUnavailable)) throw error;
  }
}

/**
 * Takes the codecs and message headers of every method and record kind from the module the
 * build generated (codecs.generated.ts), in init or post_upgrade, whose heap changes persist.
 * Generating them here instead would cost ≈ 0.8 B instructions for the queries and records
 * alone, and ≈ 40 M on each update method's first call after every upgrade.
 */
function openCodecs(): void {
  installPrecompiled(codecRoots(), CODECS);
  installHeaders(headerLists(), HEADERS);
}

export default class RoadmapCommons {
  private opened: Commons | undefined;
  /** When the follow-up timer was set, while it is (timers do not survive upgrades). */
  private followUpSince: bigint | undefined;

  /** Set by init or post_upgrade, which always run before any call. */
  private get commons(): Commons {
    if (this.opened === undefined) throw new Error('the canister state is not open');
    return this.opened;
  }

  /**
   * The install argument is optional in candid, and tools differ in how they leave it out:
   * dfx sends `(null)`, others send no value or no bytes at all. All of them mean "no admins".
   * Bytes that are not candid at all fail the install.
   */
  private open(): void {
    openCodecs();
    const [args] = decodeArgs(INIT_PARAMS, msgArgData()) as [T.InitArgs];
    this.opened = Commons.open(stableRecordStores(), layout1Records());
    this.opened.observeRoadmap(rememberRoadmapEntry);
    afterUpdate = () => this.followUpSoon();
    if (args.length === 1) {
      this.opened.addAdmins(args[0].admins);
      const [frontend] = args[0].frontend;
      if (frontend !== undefined) this.opened.setAppCanister(principalIdToText(frontend));
    }
    // The HTTP pages (http_request) are served with certification skipped, as the canister
    // itself decides (see http.ts); the certified data proves that decision to the gateway.
    // The certified tallies join it once follow-up messages have built their tree.
    certifiedDataSet(SKIP_CERTIFICATION_DATA);
    setTimerInterval(NNS_POLL_SECONDS, () => tolerateGovernance(() => this.pollNnsProposals()));
    setTimerInterval(NEURON_RECHECK_SECONDS, () => tolerateGovernance(() => this.recheckNeurons()));
    this.followUpSoon();
  }

  /**
   * Work a write leaves for later, so that it stays within its own budget:
   * - tallies to certify (domain/certification/tallies.ts), first, in every message: a vote's
   *   certified tally lags it by one follow-up message (the next round) while the writes of a
   *   round change fewer tallies than a slice can hash (about 40 at 100,000 proposals);
   * - votes to re-weigh after a member's voting power changed (the lens), next: tallies show;
   * - votes of merged duplicates to move to their targets (or back, when a merge is undone);
   * - events to tell the followers of their target (the inbox);
   * - proposals to index for search (submit, edit, hide and restore), searchable a round or
   *   two later. After an upgrade the search backlog is the whole board.
   * A zero-delay timer works through both in the next round, in slices of `FOLLOW_UP_SLICE`
   * instructions, and sets itself again while anything is left.
   */
  private followUpSoon(): void {
    if (
      this.commons.pendingCertification() === 0 &&
      this.commons.searchBacklog() === 0 &&
      this.commons.pendingReweighs() === 0 &&
      this.commons.pendingMerges() === 0 &&
      this.commons.pendingFanouts() === 0
    ) {
      return;
    }
    // A timer message that trapped rolled back to a heap where its timer was still set: one
    // set long ago has been lost, and is set again.
    const now = time();
    if (this.followUpSince !== undefined && now - this.followUpSince < FOLLOW_UP_STALL) return;
    this.followUpSince = now;
    setTimer(0, () => {
      this.followUpSince = undefined;
      const spent = () => performanceCounter(0) > FOLLOW_UP_SLICE;
      if (this.commons.runCertification(spent)) {
        certifiedDataSet(certifiedDataWith(this.commons.certifiedTalliesRoot()));
      }
      if (!spent()) this.commons.runReweighs(spent);
      if (!spent()) this.commons.runMerges(spent);
      if (!spent()) this.commons.runFanouts(spent);
      if (!spent()) this.commons.indexSearchBacklog(spent);
      this.followUpSoon();
    });
  }

  /** Asks governance about the next batch of linked NNS proposals that are not final yet. */
  private async pollNnsProposals(): Promise<void> {
    const ids = this.commons.nnsProposalsToPoll(NNS_POLL_BATCH);
    const answers = await Promise.all(ids.map((id) => readProposal(id)));
    ids.forEach((id, i) => {
      const info = answers[i];
      if (info !== undefined) this.commons.learnNnsProposal(id, info, time());
    });
    this.followUpSoon(); // followers of items it deployed hear of it
  }

  /** Re-checks the next batch of linked neurons; links whose hot key went lapse. */
  private async recheckNeurons(): Promise<void> {
    const ids = this.commons.neuronsToRecheck(NEURON_RECHECK_BATCH);
    if (ids.length === 0) return;
    this.commons.recheckNeurons(await readNeurons(ids), time());
    this.followUpSoon();
  }

  @init([T.InitArgs], { manual: true })
  init(): void {
    this.open();
  }

  /** Upgrade arguments add admins to the ones already granted. */
  @postUpgrade([T.InitArgs], { manual: true })
  postUpgrade(): void {
    this.open();
  }

  /**
   * Writes the id counters that new proposals and comments do not write (Db.writeCounters), so
   * that any module, this one or an earlier one, finds them exact after the upgrade.
   */
  @preUpgrade
  preUpgrade(): void {
    // Never the getter's throw: a pre_upgrade that traps blocks every upgrade.
    this.opened?.beforeUpgrade();
  }

  /**
   * Runs on one replica only, before consensus, so it is a cheap filter: every method checks
   * the caller again itself.
   */
  @inspectMessage({ manual: true })
  inspectMessage(): boolean {
    // HTTP gateways call http_request_update anonymously, for the feeds and the export.
    const method = msgMethodName();
    if (method === 'http_request_update') return msgArgData().length <= MAX_HTTP_REQUEST_BYTES;
    if (msgCaller().isAnonymous()) return false;
    const limit = method === 'importRoadmap' ? MAX_IMPORT_BYTES : MAX_ARG_BYTES;
    return msgArgData().length <= limit;
  }

  // ---- queries

  @query(M.whoami.params, M.whoami.returns[0], { manual: true })
  whoami(): void {
    serve(M.whoami, () => this.commons.whoami(context()));
  }

  @query(M.getRoadmap.params, M.getRoadmap.returns[0], { manual: true })
  getRoadmap(): void {
    serve(M.getRoadmap, () => withEncodedEntries(this.commons.getRoadmap()));
  }

  @query(M.getItem.params, M.getItem.returns[0], { manual: true })
  getItem(): void {
    serve(M.getItem, (id: T.Id) => this.commons.getItem(context(), id));
  }

  @query(M.listProposals.params, M.listProposals.returns[0], { manual: true })
  listProposals(): void {
    serve(M.listProposals, (request: T.ListProposalsRequest) =>
      this.commons.listProposals(context(), request),
    );
  }

  @query(M.searchProposals.params, M.searchProposals.returns[0], { manual: true })
  searchProposals(): void {
    serve(M.searchProposals, (request: T.SearchRequest) =>
      this.commons.searchProposals(context(), request),
    );
  }

  @query(M.similarProposals.params, M.similarProposals.returns[0], { manual: true })
  similarProposals(): void {
    serve(M.similarProposals, (request: T.SimilarRequest) =>
      this.commons.similarProposals(context(), request),
    );
  }

  @query(M.getProposal.params, M.getProposal.returns[0], { manual: true })
  getProposal(): void {
    serve(M.getProposal, (id: T.Id) => this.commons.getProposal(context(), id));
  }

  @query(M.getProposalHistory.params, M.getProposalHistory.returns[0], { manual: true })
  getProposalHistory(): void {
    serve(M.getProposalHistory, (id: T.Id, cursor: [] | [string], limit: number) =>
      this.commons.getProposalHistory(context(), id, cursor, limit),
    );
  }

  @query(M.getThread.params, M.getThread.returns[0], { manual: true })
  getThread(): void {
    serve(M.getThread, (target: T.Target, cursor: [] | [string], limit: number) =>
      this.commons.getThread(context(), target, cursor, limit),
    );
  }

  @query(M.getComment.params, M.getComment.returns[0], { manual: true })
  getComment(): void {
    serve(M.getComment, (id: T.Id) => this.commons.getComment(context(), id));
  }

  @query(M.getCommentHistory.params, M.getCommentHistory.returns[0], { manual: true })
  getCommentHistory(): void {
    serve(M.getCommentHistory, (id: T.Id) => this.commons.getCommentHistory(context(), id));
  }

  @query(M.listCommentsByAuthor.params, M.listCommentsByAuthor.returns[0], { manual: true })
  listCommentsByAuthor(): void {
    serve(M.listCommentsByAuthor, (author: T.PrincipalId, cursor: [] | [string], limit: number) =>
      this.commons.listCommentsByAuthor(context(), author, cursor, limit),
    );
  }

  @query(M.getProfile.params, M.getProfile.returns[0], { manual: true })
  getProfile(): void {
    serve(M.getProfile, (principal: T.PrincipalId) => this.commons.getProfile(principal));
  }

  @query(M.getMyPriorities.params, M.getMyPriorities.returns[0], { manual: true })
  getMyPriorities(): void {
    serve(M.getMyPriorities, () => this.commons.getMyPriorities(context()));
  }

  @query(M.getActivity.params, M.getActivity.returns[0], { manual: true })
  getActivity(): void {
    serve(M.getActivity, (cursor: [] | [string], limit: number) =>
      this.commons.getActivity(cursor, limit),
    );
  }

  @query(M.listRoles.params, M.listRoles.returns[0], { manual: true })
  listRoles(): void {
    serve(M.listRoles, () => this.commons.listRoles());
  }

  @query(M.getSettings.params, M.getSettings.returns[0], { manual: true })
  getSettings(): void {
    serve(M.getSettings, () => this.commons.getSettings());
  }

  @query(M.isFollowing.params, M.isFollowing.returns[0], { manual: true })
  isFollowing(): void {
    serve(M.isFollowing, (target: T.ItemOrProposal) => this.commons.isFollowing(context(), target));
  }

  @query(M.getNotifications.params, M.getNotifications.returns[0], { manual: true })
  getNotifications(): void {
    serve(M.getNotifications, (cursor: [] | [string], limit: number) =>
      this.commons.getNotifications(context(), cursor, limit),
    );
  }

  @query(M.getUnreadCount.params, M.getUnreadCount.returns[0], { manual: true })
  getUnreadCount(): void {
    serve(M.getUnreadCount, () => this.commons.getUnreadCount(context()));
  }

  @query(M.getMyNeurons.params, M.getMyNeurons.returns[0], { manual: true })
  getMyNeurons(): void {
    serve(M.getMyNeurons, () => this.commons.getMyNeurons(context()));
  }

  @query(M.getModerationSettings.params, M.getModerationSettings.returns[0], { manual: true })
  getModerationSettings(): void {
    serve(M.getModerationSettings, () => this.commons.getModerationSettings());
  }

  @query(M.getResponseHistory.params, M.getResponseHistory.returns[0], { manual: true })
  getResponseHistory(): void {
    serve(M.getResponseHistory, (id: T.Id) => this.commons.getResponseHistory(context(), id));
  }

  @query(M.getProposalFacets.params, M.getProposalFacets.returns[0], { manual: true })
  getProposalFacets(): void {
    serve(M.getProposalFacets, () => this.commons.getProposalFacets());
  }

  /**
   * Pages for shared links (domain/share-pages.ts) at the paths the app uses: a link preview
   * reads their tags without JavaScript, and people are sent on to the app.
   */
  @query(M.http_request.params, M.http_request.returns[0], { manual: true })
  http_request(): void {
    serve(M.http_request, (request: T.HttpRequest) =>
      httpResponse(request, this.commons, canisterSelf().toText(), dataCertificate()),
    );
  }

  /**
   * The feeds and the export (domain/open-data.ts), which `http_request` hands on to an update
   * call; any other path gets what the query gives it.
   */
  @update(M.http_request_update.params, M.http_request_update.returns[0], { manual: true })
  http_request_update(): void {
    serve(M.http_request_update, (request: T.HttpUpdateRequest) => {
      const self = canisterSelf().toText();
      return (
        openDataResponse(request, this.commons, self, time()) ??
        httpResponse({ ...request, certificate_version: [] }, this.commons, self, undefined)
      );
    });
  }

  /**
   * The IC's certificate and a witness of the certified tallies of the given proposals and
   * items (domain/certification/tallies.ts): a client checks the numbers it shows against them.
   */
  @query(M.getTallyProof.params, M.getTallyProof.returns[0], { manual: true })
  getTallyProof(): void {
    serve(M.getTallyProof, (request: T.TallyProofRequest) =>
      withCertificate(this.commons.getTallyProof(request, SKIP_CERTIFICATION_DATA)),
    );
  }

  @query(M.listVotesByMember.params, M.listVotesByMember.returns[0], { manual: true })
  listVotesByMember(): void {
    serve(M.listVotesByMember, (member: T.PrincipalId, cursor: [] | [string], limit: number) =>
      this.commons.listVotesByMember(context(), member, cursor, limit),
    );
  }

  /** Moderators and admins only: the reply is a Result so that others get a reason. */
  @query(M.listReports.params, M.listReports.returns[0], { manual: true })
  listReports(): void {
    serve(M.listReports, (cursor: [] | [string], limit: number) =>
      this.commons.listReports(context(), cursor, limit),
    );
  }

  // ---- member updates

  @update(M.setProfile.params, M.setProfile.returns[0], { manual: true })
  setProfile(): void {
    serve(M.setProfile, (input: T.ProfileInput) => this.commons.setProfile(context(), input));
  }

  @update(M.submitProposal.params, M.submitProposal.returns[0], { manual: true })
  submitProposal(): void {
    serve(M.submitProposal, (input: T.ProposalInput) =>
      this.commons.submitProposal(context(), input),
    );
    this.followUpSoon();
  }

  @update(M.editProposal.params, M.editProposal.returns[0], { manual: true })
  editProposal(): void {
    serve(M.editProposal, (id: T.Id, input: T.ProposalInput) =>
      this.commons.editProposal(context(), id, input),
    );
    this.followUpSoon();
  }

  @update(M.voteProposal.params, M.voteProposal.returns[0], { manual: true })
  voteProposal(): void {
    serve(M.voteProposal, (id: T.Id, vote: [] | [T.Vote]) =>
      this.commons.voteProposal(context(), id, vote),
    );
  }

  @update(M.postComment.params, M.postComment.returns[0], { manual: true })
  postComment(): void {
    serve(M.postComment, (input: T.CommentInput) => this.commons.postComment(context(), input));
    this.followUpSoon(); // followers hear of it
  }

  @update(M.editComment.params, M.editComment.returns[0], { manual: true })
  editComment(): void {
    serve(M.editComment, (id: T.Id, body: string) => this.commons.editComment(context(), id, body));
  }

  @update(M.deleteComment.params, M.deleteComment.returns[0], { manual: true })
  deleteComment(): void {
    serve(M.deleteComment, (id: T.Id) => this.commons.deleteComment(context(), id));
  }

  @update(M.setPriorityVotes.params, M.setPriorityVotes.returns[0], { manual: true })
  setPriorityVotes(): void {
    serve(M.setPriorityVotes, (itemId: T.Id, votes: number) =>
      this.commons.setPriorityVotes(context(), itemId, votes),
    );
  }

  @update(M.report.params, M.report.returns[0], { manual: true })
  report(): void {
    serve(M.report, (input: T.ReportInput) => this.commons.report(context(), input));
    this.followUpSoon(); // enough reports hide a proposal
  }

  @update(M.follow.params, M.follow.returns[0], { manual: true })
  follow(): void {
    serve(M.follow, (target: T.ItemOrProposal) => this.commons.follow(context(), target));
  }

  @update(M.unfollow.params, M.unfollow.returns[0], { manual: true })
  unfollow(): void {
    serve(M.unfollow, (target: T.ItemOrProposal) => this.commons.unfollow(context(), target));
  }

  @update(M.markNotificationsRead.params, M.markNotificationsRead.returns[0], { manual: true })
  markNotificationsRead(): void {
    serve(M.markNotificationsRead, (upTo: [] | [bigint]) =>
      this.commons.markNotificationsRead(context(), upTo),
    );
  }

  /** Asks NNS governance about the neuron, then links it if the answer proves control. */
  @update(M.linkNeuron.params, M.linkNeuron.returns[0], { manual: true })
  async linkNeuron(): Promise<void> {
    await serveAfterCalls(M.linkNeuron, async (neuronId: bigint) => {
      const ctx = context();
      const refused = this.commons.beforeLinkNeuron(ctx, neuronId);
      if (refused) return refused;
      const [facts] = await readNeurons([neuronId]);
      const linked = this.commons.linkNeuron(resumed(ctx), facts!);
      this.followUpSoon();
      return linked;
    });
  }

  @update(M.unlinkNeuron.params, M.unlinkNeuron.returns[0], { manual: true })
  unlinkNeuron(): void {
    serve(M.unlinkNeuron, (neuronId: bigint) => this.commons.unlinkNeuron(context(), neuronId));
    this.followUpSoon();
  }

  /** Re-checks the caller's neurons with governance now, rather than at the timer's turn. */
  @update(M.refreshMyNeurons.params, M.refreshMyNeurons.returns[0], { manual: true })
  async refreshMyNeurons(): Promise<void> {
    await serveAfterCalls(M.refreshMyNeurons, async () => {
      const ctx = context();
      const ids = this.commons.beforeRefreshMyNeurons(ctx);
      if ('Err' in ids) return ids;
      const answers = ids.Ok.length === 0 ? [] : await readNeurons(ids.Ok);
      const refreshed = this.commons.refreshMyNeurons(resumed(ctx), answers);
      this.followUpSoon();
      return refreshed;
    });
  }

  // ---- moderator updates

  @update(M.moderate.params, M.moderate.returns[0], { manual: true })
  moderate(): void {
    serve(M.moderate, (request: T.ModerationRequest) => this.commons.moderate(context(), request));
    this.followUpSoon();
  }

  /** Moves a duplicate's votes to its target: some now, the rest by follow-up messages. */
  @update(M.mergeProposal.params, M.mergeProposal.returns[0], { manual: true })
  mergeProposal(): void {
    serve(M.mergeProposal, (request: T.MergeRequest) =>
      this.commons.mergeProposal(context(), request),
    );
    this.followUpSoon();
  }

  @update(M.unmergeProposal.params, M.unmergeProposal.returns[0], { manual: true })
  unmergeProposal(): void {
    serve(M.unmergeProposal, (duplicate: T.Id) =>
      this.commons.unmergeProposal(context(), duplicate),
    );
    this.followUpSoon();
  }

  // ---- admin updates

  @update(M.importRoadmap.params, M.importRoadmap.returns[0], { manual: true })
  importRoadmap(): void {
    serve(M.importRoadmap, (file: T.RoadmapImport) => this.commons.importRoadmap(context(), file));
    this.followUpSoon(); // followers of items deployed by the import hear of it
  }

  @update(M.upsertTheme.params, M.upsertTheme.returns[0], { manual: true })
  upsertTheme(): void {
    serve(M.upsertTheme, (input: T.ThemeInput) => this.commons.upsertTheme(context(), input));
  }

  @update(M.upsertMilestone.params, M.upsertMilestone.returns[0], { manual: true })
  upsertMilestone(): void {
    serve(M.upsertMilestone, (input: T.MilestoneInput) =>
      this.commons.upsertMilestone(context(), input),
    );
  }

  @update(M.upsertItem.params, M.upsertItem.returns[0], { manual: true })
  upsertItem(): void {
    serve(M.upsertItem, (input: T.ItemInput) => this.commons.upsertItem(context(), input));
    this.followUpSoon(); // followers of a deployed item hear of it
  }

  @update(M.setProposalStatus.params, M.setProposalStatus.returns[0], { manual: true })
  setProposalStatus(): void {
    serve(M.setProposalStatus, (id: T.Id, status: T.ProposalStatus, response: [] | [string]) =>
      this.commons.setProposalStatus(context(), id, status, response),
    );
    this.followUpSoon(); // followers hear of it
  }

  @update(M.setRole.params, M.setRole.returns[0], { manual: true })
  setRole(): void {
    serve(M.setRole, (principal: T.PrincipalId, role: T.Role) =>
      this.commons.setRole(context(), principal, role),
    );
  }

  @update(M.setSettings.params, M.setSettings.returns[0], { manual: true })
  setSettings(): void {
    serve(M.setSettings, (settings: T.Settings) => this.commons.setSettings(context(), settings));
  }

  @update(M.setModerationSettings.params, M.setModerationSettings.returns[0], { manual: true })
  setModerationSettings(): void {
    serve(M.setModerationSettings, (settings: T.ModerationSettings) =>
      this.commons.setModerationSettings(context(), settings),
    );
  }

  /** Links an item or proposal to an NNS proposal that governance confirms exists. */
  @update(M.linkNnsProposal.params, M.linkNnsProposal.returns[0], { manual: true })
  async linkNnsProposal(): Promise<void> {
    await serveAfterCalls(M.linkNnsProposal, async (input: T.NnsLinkInput) => {
      const ctx = context();
      const refused = this.commons.beforeLinkNnsProposal(ctx, input);
      if (refused) return refused;
      const info =
        input.link.length === 1 ? await readProposal(input.link[0].proposalId) : undefined;
      return this.commons.linkNnsProposal(resumed(ctx), input, info);
    });
  }
}
