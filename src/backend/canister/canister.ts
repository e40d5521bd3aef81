/**
 * The canister: each method reads the caller and the time, calls one domain method and
 * returns its result in candid shape. All state is in stable memory (see stable-stores.ts);
 * the fields below are handles that Azle rebuilds on every install and upgrade.
 */
import {
  init,
  inspectMessage,
  isController,
  msgArgData,
  msgCaller,
  msgMethodName,
  postUpgrade,
  Principal,
  query,
  time,
  update,
  IDL,
} from 'azle';

import { Commons } from '../domain/commons';
import type { CallContext } from '../domain/context';
import type * as D from '../domain/model';
import { principalToText, toCandid, toDomain } from './candid';
import * as T from './idl';
import { stableStores } from './stable-stores';

/** Roadmap files may be large; every other argument is a form's worth of text. */
const MAX_ARG_BYTES = 64 * 1024;
const MAX_IMPORT_BYTES = 1024 * 1024;

function context(): CallContext {
  const caller = msgCaller();
  return {
    caller: principalToText(caller),
    callerIsController: !caller.isAnonymous() && isController(caller),
    now: time(),
  };
}

/**
 * The install argument is optional in candid, and tools differ in how they leave it out: dfx
 * sends `(null)`, others send no value or no bytes at all. All of them mean "no admins".
 * Bytes that are not candid at all fail the install.
 */
function installArgs(): T.InitArgs {
  const bytes = msgArgData();
  if (bytes.length === 0) return [];
  try {
    return IDL.decode([T.InitArgs], bytes)[0] as unknown as T.InitArgs;
  } catch (error) {
    if (IDL.decode([], bytes).length === 0) return [];
    throw error;
  }
}

export default class RoadmapCommons {
  private readonly commons = new Commons(stableStores());

  @init([T.InitArgs], { manual: true })
  init(): void {
    this.addAdmins(installArgs());
  }

  /** Upgrade arguments add admins to the ones already granted. */
  @postUpgrade([T.InitArgs], { manual: true })
  postUpgrade(): void {
    this.addAdmins(installArgs());
  }

  private addAdmins(args: T.InitArgs): void {
    if (args.length === 1) this.commons.addAdmins(args[0].admins.map(principalToText));
  }

  /**
   * Runs on one replica only, before consensus, so it is a cheap filter: every method checks
   * the caller again itself.
   */
  @inspectMessage({ manual: true })
  inspectMessage(): boolean {
    if (msgCaller().isAnonymous()) return false;
    const limit = msgMethodName() === 'importRoadmap' ? MAX_IMPORT_BYTES : MAX_ARG_BYTES;
    return msgArgData().length <= limit;
  }

  // ---- queries

  @query([], T.Me)
  whoami(): T.Me {
    return toCandid(T.Me, this.commons.whoami(context()));
  }

  @query([], T.Roadmap)
  getRoadmap(): T.Roadmap {
    return this.commons.getRoadmap();
  }

  @query([T.Id], IDL.Opt(T.ItemDetail))
  getItem(id: D.Id): [] | [T.ItemDetail] {
    return this.commons.getItem(context(), id);
  }

  @query([T.ListProposalsRequest], T.ProposalPage)
  listProposals(request: T.ListProposalsRequest): T.ProposalPage {
    const domainRequest = toDomain<D.ListProposalsRequest>(T.ListProposalsRequest, request);
    return toCandid(T.ProposalPage, this.commons.listProposals(context(), domainRequest));
  }

  @query([T.Id], IDL.Opt(T.ProposalDetail))
  getProposal(id: D.Id): [] | [T.ProposalDetail] {
    return toCandid(IDL.Opt(T.ProposalDetail), this.commons.getProposal(context(), id));
  }

  @query([T.Id, IDL.Opt(IDL.Text), IDL.Nat32], IDL.Vec(T.ProposalRevision))
  getProposalHistory(id: D.Id, cursor: D.Opt<string>, limit: number): T.ProposalRevision[] {
    return this.commons.getProposalHistory(id, cursor, limit);
  }

  @query([T.Target, IDL.Opt(IDL.Text), IDL.Nat32], T.ThreadPage)
  getThread(target: T.Target, cursor: D.Opt<string>, limit: number): T.ThreadPage {
    return toCandid(T.ThreadPage, this.commons.getThread(target, cursor, limit));
  }

  @query([T.Id], IDL.Opt(T.Comment))
  getComment(id: D.Id): [] | [T.Comment] {
    return toCandid(IDL.Opt(T.Comment), this.commons.getComment(id));
  }

  @query([T.Id], IDL.Vec(T.CommentRevision))
  getCommentHistory(id: D.Id): T.CommentRevision[] {
    return this.commons.getCommentHistory(id);
  }

  @query([IDL.Principal, IDL.Opt(IDL.Text), IDL.Nat32], T.CommentPage)
  listCommentsByAuthor(author: Principal, cursor: D.Opt<string>, limit: number): T.CommentPage {
    const page = this.commons.listCommentsByAuthor(principalToText(author), cursor, limit);
    return toCandid(T.CommentPage, page);
  }

  @query([IDL.Principal], IDL.Opt(T.Profile))
  getProfile(principal: Principal): [] | [T.Profile] {
    return toCandid(IDL.Opt(T.Profile), this.commons.getProfile(principalToText(principal)));
  }

  @query([], T.PriorityAllocation)
  getMyPriorities(): T.PriorityAllocation {
    return this.commons.getMyPriorities(context());
  }

  @query([IDL.Opt(IDL.Text), IDL.Nat32], T.ActivityPage)
  getActivity(cursor: D.Opt<string>, limit: number): T.ActivityPage {
    return toCandid(T.ActivityPage, this.commons.getActivity(cursor, limit));
  }

  @query([], IDL.Vec(T.RoleGrant))
  listRoles(): T.RoleGrant[] {
    return toCandid(IDL.Vec(T.RoleGrant), this.commons.listRoles());
  }

  @query([], T.Settings)
  getSettings(): T.Settings {
    return this.commons.getSettings();
  }

  // ---- member updates

  @update([T.ProfileInput], T.ResultProfile)
  setProfile(input: T.ProfileInput): T.ResultProfile {
    return toCandid(T.ResultProfile, this.commons.setProfile(context(), input));
  }

  @update([T.ProposalInput], T.ResultProposal)
  submitProposal(input: T.ProposalInput): T.ResultProposal {
    return toCandid(T.ResultProposal, this.commons.submitProposal(context(), input));
  }

  @update([T.Id, T.ProposalInput], T.ResultProposal)
  editProposal(id: D.Id, input: T.ProposalInput): T.ResultProposal {
    return toCandid(T.ResultProposal, this.commons.editProposal(context(), id, input));
  }

  @update([T.Id, IDL.Opt(T.Vote)], T.ResultVoteTally)
  voteProposal(id: D.Id, vote: [] | [T.Vote]): T.ResultVoteTally {
    return this.commons.voteProposal(context(), id, vote);
  }

  @update([T.CommentInput], T.ResultComment)
  postComment(input: T.CommentInput): T.ResultComment {
    return toCandid(T.ResultComment, this.commons.postComment(context(), input));
  }

  @update([T.Id, IDL.Text], T.ResultComment)
  editComment(id: D.Id, body: string): T.ResultComment {
    return toCandid(T.ResultComment, this.commons.editComment(context(), id, body));
  }

  @update([T.Id], T.ResultUnit)
  deleteComment(id: D.Id): T.ResultUnit {
    return this.commons.deleteComment(context(), id);
  }

  @update([T.Id, IDL.Nat32], T.ResultPriorityAllocation)
  setPriorityVotes(itemId: D.Id, votes: number): T.ResultPriorityAllocation {
    return this.commons.setPriorityVotes(context(), itemId, votes);
  }

  // ---- admin updates

  @update([T.RoadmapImport], T.ResultImportReport)
  importRoadmap(file: T.RoadmapImport): T.ResultImportReport {
    return this.commons.importRoadmap(context(), file);
  }

  @update([T.ThemeInput], T.ResultTheme)
  upsertTheme(input: T.ThemeInput): T.ResultTheme {
    return this.commons.upsertTheme(context(), input);
  }

  @update([T.MilestoneInput], T.ResultMilestone)
  upsertMilestone(input: T.MilestoneInput): T.ResultMilestone {
    return this.commons.upsertMilestone(context(), input);
  }

  @update([T.ItemInput], T.ResultItem)
  upsertItem(input: T.ItemInput): T.ResultItem {
    return this.commons.upsertItem(context(), input);
  }

  @update([T.Id, T.ProposalStatus, IDL.Opt(IDL.Text)], T.ResultProposal)
  setProposalStatus(id: D.Id, status: T.ProposalStatus, response: D.Opt<string>): T.ResultProposal {
    const result = this.commons.setProposalStatus(context(), id, status, response);
    return toCandid(T.ResultProposal, result);
  }

  @update([IDL.Principal, T.Role], T.ResultUnit)
  setRole(principal: Principal, role: T.Role): T.ResultUnit {
    return this.commons.setRole(context(), principalToText(principal), role);
  }

  @update([T.Settings], T.ResultSettings)
  setSettings(settings: T.Settings): T.ResultSettings {
    return this.commons.setSettings(context(), settings);
  }
}
