/** Shared by the codec tests: value arbitraries built from IDL types, and the contract. */
import { IDL } from '@dfinity/candid';
import fc from 'fast-check';

import { principalIdFromBytes } from '../../../../src/backend/codec';
import * as T from '../../../../src/backend/canister/idl';
import { idlFactory } from '../../../../src/declarations/backend/backend.did.js';

/** Characters that have tripped UTF-8 and candid-text code before. */
const EDGE_CHARS = [
  '\u0000', // NUL
  '\u0001',
  '\b',
  '\f',
  '\n',
  '\r',
  '\t',
  '"',
  '\\',
  '\\u',
  "'",
  '\u007f',
  '\u0080',
  'é',
  'e\u0301', // combining mark
  '€',
  '\u2028', // line separator: JSON keeps it, JS source once did not
  '\u2029',
  '\ufeff',
  '\uffff',
  '\ud83d\ude00', // astral
  '\u{10ffff}',
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
];

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

export const textArb: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: anyCodeUnit }),
  fc.array(fc.constantFrom(...EDGE_CHARS), { maxLength: 12 }).map((parts) => parts.join('')),
);

export const principalIdArb = fc
  .uint8Array({ maxLength: 29 })
  .map((bytes) => principalIdFromBytes(bytes));

/** Lone surrogates come back as U+FFFD: what a round trip through UTF-8 must return. */
export function wellFormed<V>(value: V): V {
  if (typeof value === 'string') {
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(
      new TextEncoder().encode(value),
    ) as V;
  }
  if (Array.isArray(value)) return value.map(wellFormed) as V;
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = wellFormed(v);
    return out as V;
  }
  return value;
}

/** An arbitrary of codec values (PrincipalIds) of any IDL type; recursion is depth-bounded. */
class ArbitraryBuilder extends IDL.Visitor<null, fc.Arbitrary<unknown>> {
  private depth = 3;

  build(t: IDL.Type): fc.Arbitrary<unknown> {
    return t.accept(this, null);
  }
  override visitType(t: IDL.Type): fc.Arbitrary<unknown> {
    throw new Error('no arbitrary for ' + t.display());
  }
  override visitBool() {
    return fc.boolean();
  }
  override visitNull() {
    return fc.constant(null);
  }
  override visitReserved() {
    return fc.constant(null);
  }
  override visitText() {
    return textArb;
  }
  override visitNat() {
    return fc.oneof(
      fc.bigInt({ min: 0n, max: 2n ** 70n }),
      fc.constantFrom(0n, 127n, 128n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 64n),
    );
  }
  override visitInt() {
    return fc.oneof(
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
      fc.constantFrom(0n, -1n, 63n, 64n, -64n, -65n),
    );
  }
  override visitFloat() {
    return fc.double();
  }
  override visitFixedNat(t: IDL.FixedNatClass) {
    if (t._bits === 64) {
      return fc.oneof(
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.constantFrom(0n, 1n, 2n ** 63n, 2n ** 64n - 1n),
      );
    }
    return fc.integer({ min: 0, max: 2 ** t._bits - 1 });
  }
  override visitFixedInt(t: IDL.FixedIntClass) {
    if (t._bits === 64) {
      return fc.oneof(
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, -1n),
      );
    }
    return fc.integer({ min: -(2 ** (t._bits - 1)), max: 2 ** (t._bits - 1) - 1 });
  }
  override visitPrincipal() {
    return principalIdArb;
  }
  override visitVec<E>(_t: IDL.VecClass<E>, element: IDL.Type<E>) {
    if (element instanceof IDL.FixedNatClass && element._bits === 8) return fc.uint8Array();
    if (this.depth <= 0) return fc.constant([]);
    const values = fc.array(this.build(element), { maxLength: 3 });
    // Other fixed-width nats decode to typed arrays (as IDL.decode does): values are those.
    if (element instanceof IDL.FixedNatClass && element._bits === 64) {
      return values.map((v) => BigUint64Array.from(v as bigint[]));
    }
    if (element instanceof IDL.FixedNatClass && element._bits === 32) {
      return values.map((v) => Uint32Array.from(v as number[]));
    }
    if (element instanceof IDL.FixedNatClass && element._bits === 16) {
      return values.map((v) => Uint16Array.from(v as number[]));
    }
    return values;
  }
  override visitOpt<E>(_t: IDL.OptClass<E>, inner: IDL.Type<E>) {
    if (this.depth <= 0) return fc.constant([]);
    return fc
      .option(this.build(inner), { nil: undefined })
      .map((v) => (v === undefined ? [] : [v]));
  }
  override visitRecord(_t: IDL.RecordClass, fields: Array<[string, IDL.Type]>) {
    const shape: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, type] of fields) shape[name] = this.build(type);
    return fc.record(shape);
  }
  override visitTuple<E extends unknown[]>(_t: IDL.TupleClass<E>, components: IDL.Type[]) {
    return fc.tuple(...components.map((c) => this.build(c)));
  }
  override visitVariant(_t: IDL.VariantClass, fields: Array<[string, IDL.Type]>) {
    return fc.oneof(
      ...fields.map(([name, type]) => this.build(type).map((v) => ({ [name]: v }) as unknown)),
    );
  }
  override visitRec<E>(_t: IDL.RecClass<E>, inner: IDL.ConstructType<E>) {
    this.depth--;
    try {
      return this.build(inner);
    } finally {
      this.depth++;
    }
  }
}

export function arbitraryOf(type: IDL.Type): fc.Arbitrary<unknown> {
  return new ArbitraryBuilder().build(type);
}

export function argsArbitrary(types: IDL.Type[]): fc.Arbitrary<unknown[]> {
  return fc.tuple(...types.map((t) => arbitraryOf(t)));
}

/** The contract as the canister declares it (canister.ts), method by method. */
export const CONTRACT: Record<string, { args: IDL.Type[]; rets: IDL.Type[] }> = {
  whoami: { args: [], rets: [T.Me] },
  getRoadmap: { args: [], rets: [T.Roadmap] },
  getItem: { args: [T.Id], rets: [IDL.Opt(T.ItemDetail)] },
  listProposals: { args: [T.ListProposalsRequest], rets: [T.ProposalPage] },
  getProposal: { args: [T.Id], rets: [IDL.Opt(T.ProposalDetail)] },
  getProposalHistory: {
    args: [T.Id, IDL.Opt(IDL.Text), IDL.Nat32],
    rets: [IDL.Vec(T.ProposalRevision)],
  },
  getThread: { args: [T.Target, IDL.Opt(IDL.Text), IDL.Nat32], rets: [T.ThreadPage] },
  getComment: { args: [T.Id], rets: [IDL.Opt(T.Comment)] },
  getCommentHistory: { args: [T.Id], rets: [IDL.Vec(T.CommentRevision)] },
  listCommentsByAuthor: {
    args: [IDL.Principal, IDL.Opt(IDL.Text), IDL.Nat32],
    rets: [T.CommentPage],
  },
  getProfile: { args: [IDL.Principal], rets: [IDL.Opt(T.Profile)] },
  getMyPriorities: { args: [], rets: [T.PriorityAllocation] },
  getActivity: { args: [IDL.Opt(IDL.Text), IDL.Nat32], rets: [T.ActivityPage] },
  listRoles: { args: [], rets: [IDL.Vec(T.RoleGrant)] },
  getSettings: { args: [], rets: [T.Settings] },
  getModerationSettings: { args: [], rets: [T.ModerationSettings] },
  listReports: { args: [IDL.Opt(IDL.Text), IDL.Nat32], rets: [T.ResultReportPage] },
  setProfile: { args: [T.ProfileInput], rets: [T.ResultProfile] },
  submitProposal: { args: [T.ProposalInput], rets: [T.ResultProposal] },
  editProposal: { args: [T.Id, T.ProposalInput], rets: [T.ResultProposal] },
  voteProposal: { args: [T.Id, IDL.Opt(T.Vote)], rets: [T.ResultVoteTally] },
  postComment: { args: [T.CommentInput], rets: [T.ResultComment] },
  editComment: { args: [T.Id, IDL.Text], rets: [T.ResultComment] },
  deleteComment: { args: [T.Id], rets: [T.ResultUnit] },
  setPriorityVotes: { args: [T.Id, IDL.Nat32], rets: [T.ResultPriorityAllocation] },
  importRoadmap: { args: [T.RoadmapImport], rets: [T.ResultImportReport] },
  upsertTheme: { args: [T.ThemeInput], rets: [T.ResultTheme] },
  upsertMilestone: { args: [T.MilestoneInput], rets: [T.ResultMilestone] },
  upsertItem: { args: [T.ItemInput], rets: [T.ResultItem] },
  setProposalStatus: {
    args: [T.Id, T.ProposalStatus, IDL.Opt(IDL.Text)],
    rets: [T.ResultProposal],
  },
  setRole: { args: [IDL.Principal, T.Role], rets: [T.ResultUnit] },
  setSettings: { args: [T.Settings], rets: [T.ResultSettings] },
  report: { args: [T.ReportInput], rets: [T.ResultUnit] },
  moderate: { args: [T.ModerationRequest], rets: [T.ResultUnit] },
  setModerationSettings: { args: [T.ModerationSettings], rets: [T.ResultModerationSettings] },
  searchProposals: { args: [T.SearchRequest], rets: [T.ResultSearchPage] },
  similarProposals: { args: [T.SimilarRequest], rets: [IDL.Vec(T.ProposalSummary)] },
  getMyNeurons: { args: [], rets: [T.MyNeurons] },
  linkNeuron: { args: [IDL.Nat64], rets: [T.ResultNeuronLink] },
  unlinkNeuron: { args: [IDL.Nat64], rets: [T.ResultMyNeurons] },
  refreshMyNeurons: { args: [], rets: [T.ResultMyNeurons] },
  linkNnsProposal: { args: [T.NnsLinkInput], rets: [T.ResultNnsLink] },
  isFollowing: { args: [T.ItemOrProposal], rets: [IDL.Bool] },
  getNotifications: { args: [IDL.Opt(IDL.Text), IDL.Nat32], rets: [T.NotificationPage] },
  getUnreadCount: { args: [], rets: [IDL.Nat32] },
  follow: { args: [T.ItemOrProposal], rets: [T.ResultUnit] },
  unfollow: { args: [T.ItemOrProposal], rets: [T.ResultUnit] },
  markNotificationsRead: { args: [IDL.Opt(IDL.Nat64)], rets: [T.ResultUnit] },
  mergeProposal: { args: [T.MergeRequest], rets: [T.ResultMerge] },
  unmergeProposal: { args: [T.Id], rets: [T.ResultMerge] },
  listVotesByMember: {
    args: [IDL.Principal, IDL.Opt(IDL.Text), IDL.Nat32],
    rets: [T.MemberVotePage],
  },
  getProposalFacets: { args: [], rets: [T.ProposalFacets] },
  getResponseHistory: { args: [T.Id], rets: [IDL.Vec(T.ResponseRevision)] },
  http_request: { args: [T.HttpRequest], rets: [T.HttpResponse] },
  http_request_update: { args: [T.HttpUpdateRequest], rets: [T.HttpResponse] },
  getTallyProof: { args: [T.TallyProofRequest], rets: [T.ResultTallyProof] },
};

/** The service as the frontend's agent sees it (generated declarations). */
export function declaredService(): Map<string, IDL.FuncClass> {
  const service = idlFactory({ IDL }) as IDL.ServiceClass;
  return new Map(service._fields);
}

/**
 * A stand-in for azle's `candidEncode` (Rust's candid text parser) for text-only argument lists.
 * It accepts only the escapes candid text literals have (`\"` `\\` `\n` `\r` `\t`), so a text
 * the real parser would reject fails here too; it returns the bytes candid's spec (and
 * IDL.encode) defines for `(text, text, ...)`.
 */
export function fakeCandidEncode(candidText: string): Uint8Array {
  if (!candidText.startsWith('(') || !candidText.endsWith(')')) throw new Error('not an arg list');
  const inner = candidText.slice(1, -1);
  for (const escape of inner.match(/\\./gs) ?? []) {
    if (!['\\"', '\\\\', '\\n', '\\r', '\\t'].includes(escape)) {
      throw new Error('candid text parser: unsupported escape ' + escape);
    }
  }
  if (/[\ud800-\udfff]/.test(inner.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) {
    throw new Error('candid text parser: lone surrogate');
  }
  const texts = JSON.parse('[' + inner + ']') as string[];
  return new Uint8Array(
    IDL.encode(
      texts.map(() => IDL.Text),
      texts,
    ),
  );
}
