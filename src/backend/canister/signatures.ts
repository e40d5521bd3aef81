/**
 * Every method's candid signature, in one table that the canister serves from and the build
 * generates the codecs of (scripts/generate-codecs.ts writes codecs.generated.ts from
 * `codecRoots` and `headerLists`). Loads in Node: no 'azle' import.
 */
import { IDL } from '@dfinity/candid';

import type { CodecUse } from '../codec';
import { GET_PROPOSAL_INFO_ARGS, LIST_NEURONS_ARGS } from './governance-idl';
import * as T from './idl';
import { RECORD_TYPES } from './records';

export type Signature = { params: IDL.Type[]; returns: [IDL.Type]; kind: 'query' | 'update' };

/** Built once: the codec caches each message header by the identity of these arrays. */
function signature(
  params: IDL.Type[],
  returns: IDL.Type,
  kind: 'query' | 'update' = 'query',
): Signature {
  return { params, returns: [returns], kind };
}

/** The install and upgrade argument. */
export const INIT_PARAMS = [T.InitArgs];

const ID = [T.Id];
const PAGE = [IDL.Opt(IDL.Text), IDL.Nat32];

export const M = {
  whoami: signature([], T.Me),
  getRoadmap: signature([], T.Roadmap),
  getItem: signature(ID, IDL.Opt(T.ItemDetail)),
  listProposals: signature([T.ListProposalsRequest], T.ProposalPage),
  getProposal: signature(ID, IDL.Opt(T.ProposalDetail)),
  getProposalHistory: signature([T.Id, ...PAGE], IDL.Vec(T.ProposalRevision)),
  getThread: signature([T.Target, ...PAGE], T.ThreadPage),
  getComment: signature(ID, IDL.Opt(T.Comment)),
  getCommentHistory: signature(ID, IDL.Vec(T.CommentRevision)),
  listCommentsByAuthor: signature([IDL.Principal, ...PAGE], T.CommentPage),
  getProfile: signature([IDL.Principal], IDL.Opt(T.Profile)),
  getMyPriorities: signature([], T.PriorityAllocation),
  getActivity: signature(PAGE, T.ActivityPage),
  listRoles: signature([], IDL.Vec(T.RoleGrant)),
  getSettings: signature([], T.Settings),
  getModerationSettings: signature([], T.ModerationSettings),
  listReports: signature(PAGE, T.ResultReportPage),
  setProfile: signature([T.ProfileInput], T.ResultProfile, 'update'),
  submitProposal: signature([T.ProposalInput], T.ResultProposal, 'update'),
  editProposal: signature([T.Id, T.ProposalInput], T.ResultProposal, 'update'),
  voteProposal: signature([T.Id, IDL.Opt(T.Vote)], T.ResultVoteTally, 'update'),
  postComment: signature([T.CommentInput], T.ResultComment, 'update'),
  editComment: signature([T.Id, IDL.Text], T.ResultComment, 'update'),
  deleteComment: signature(ID, T.ResultUnit, 'update'),
  setPriorityVotes: signature([T.Id, IDL.Nat32], T.ResultPriorityAllocation, 'update'),
  importRoadmap: signature([T.RoadmapImport], T.ResultImportReport, 'update'),
  upsertTheme: signature([T.ThemeInput], T.ResultTheme, 'update'),
  upsertMilestone: signature([T.MilestoneInput], T.ResultMilestone, 'update'),
  upsertItem: signature([T.ItemInput], T.ResultItem, 'update'),
  setProposalStatus: signature(
    [T.Id, T.ProposalStatus, IDL.Opt(IDL.Text)],
    T.ResultProposal,
    'update',
  ),
  setRole: signature([IDL.Principal, T.Role], T.ResultUnit, 'update'),
  setSettings: signature([T.Settings], T.ResultSettings, 'update'),
  report: signature([T.ReportInput], T.ResultUnit, 'update'),
  moderate: signature([T.ModerationRequest], T.ResultUnit, 'update'),
  setModerationSettings: signature([T.ModerationSettings], T.ResultModerationSettings, 'update'),
  // Appended rather than grouped with the queries: the generated codecs keep their order.
  searchProposals: signature([T.SearchRequest], T.ResultSearchPage),
  similarProposals: signature([T.SimilarRequest], IDL.Vec(T.ProposalSummary)),
  getMyNeurons: signature([], T.MyNeurons),
  linkNeuron: signature([IDL.Nat64], T.ResultNeuronLink, 'update'),
  unlinkNeuron: signature([IDL.Nat64], T.ResultMyNeurons, 'update'),
  refreshMyNeurons: signature([], T.ResultMyNeurons, 'update'),
  linkNnsProposal: signature([T.NnsLinkInput], T.ResultNnsLink, 'update'),
  isFollowing: signature([T.ItemOrProposal], IDL.Bool),
  getNotifications: signature(PAGE, T.NotificationPage),
  getUnreadCount: signature([], IDL.Nat32),
  follow: signature([T.ItemOrProposal], T.ResultUnit, 'update'),
  unfollow: signature([T.ItemOrProposal], T.ResultUnit, 'update'),
  markNotificationsRead: signature([IDL.Opt(IDL.Nat64)], T.ResultUnit, 'update'),
  mergeProposal: signature([T.MergeRequest], T.ResultMerge, 'update'),
  unmergeProposal: signature(ID, T.ResultMerge, 'update'),
  listVotesByMember: signature([IDL.Principal, ...PAGE], T.MemberVotePage),
  getProposalFacets: signature([], T.ProposalFacets),
  getResponseHistory: signature(ID, IDL.Vec(T.ResponseRevision)),
  http_request: signature([T.HttpRequest], T.HttpResponse),
  http_request_update: signature([T.HttpUpdateRequest], T.HttpResponse, 'update'),
  getTallyProof: signature([T.TallyProofRequest], T.ResultTallyProof),
};

/**
 * The types whose codecs are generated at build time, in a fixed order: each method's
 * parameters and return type, then each record kind's. Adding a method or a record kind
 * changes the list; the build regenerates the codecs with it.
 */
export function codecRoots(): IDL.Type[] {
  return codecRootUses().map(([type]) => type);
}

/**
 * `codecRoots` with what the canister does with each: it only decodes arguments and only
 * encodes replies, so the build leaves the other functions out of those codecs (half the
 * generated code, which init parses); record kinds are stored, read and read verbatim.
 */
export function codecRootUses(): Array<[IDL.Type, CodecUse[]]> {
  const roots: Array<[IDL.Type, CodecUse[]]> = INIT_PARAMS.map((t) => [t, ['decode']]);
  for (const method of Object.values(M)) {
    for (const t of method.params) roots.push([t, ['decode']]);
    for (const t of method.returns) roots.push([t, ['encode']]);
  }
  for (const t of Object.values(RECORD_TYPES)) roots.push([t, ['encode', 'decode', 'decodeRaw']]);
  // The canister's own calls to NNS governance send these.
  for (const t of [...LIST_NEURONS_ARGS, ...GET_PROPOSAL_INFO_ARGS]) roots.push([t, ['encode']]);
  return roots;
}

/** The type lists whose message headers are computed at build time, in a fixed order. */
export function headerLists(): IDL.Type[][] {
  return [
    INIT_PARAMS,
    ...Object.values(M).flatMap((method) => [method.params, method.returns]),
    LIST_NEURONS_ARGS,
    GET_PROPOSAL_INFO_ARGS,
  ];
}
