/**
 * Candid → app model conversion (and back for inputs). bigint ids become decimal strings,
 * nanosecond times become Dates, `[] | [x]` options become `x | undefined`, variants become
 * `{ kind }` unions.
 */
import type { Principal } from '@dfinity/principal';
import type {
  CActivityEntry,
  CComment,
  CContentRef,
  CHiding,
  CItem,
  CItemDetail,
  CMe,
  CMerge,
  CLapsedNeuron,
  CMilestone,
  CMyNeurons,
  CNeuronLink,
  CNnsLink,
  CNnsLinkTarget,
  CNnsProposalInfo,
  CNotification,
  CNotificationKind,
  CModerationAction,
  CModerationSettings,
  CPriorityAllocation,
  CProfile,
  CProposalDetail,
  CProposalFacets,
  CResponseRevision,
  CProposalRevision,
  CProposalSort,
  CProposalStatus,
  CProposalStatusKind,
  CProposalSummary,
  CReport,
  CReportGroup,
  CReportReason,
  CReportTarget,
  CReportedContent,
  CRoadmap,
  CRoadmapStatus,
  CRole,
  CRoleGrant,
  CSettings,
  CSuspension,
  CTarget,
  CTheme,
  CVote,
  CVoteTally,
} from './backendTypes';
import type {
  ActivityEntry,
  ActivitySubject,
  Comment,
  ContentRef,
  Hiding,
  Id,
  ItemDetail,
  Me,
  LapsedNeuron,
  Merge,
  Milestone,
  ModerationAction,
  MyNeurons,
  NeuronLink,
  NnsLink,
  NnsLinkTarget,
  NnsProposalInfo,
  Notification,
  NotificationKind,
  FollowTarget,
  ModerationSettings,
  PriorityAllocation,
  Profile,
  ProposalDetail,
  ProposalFacets,
  ProposalRevision,
  ProposalSort,
  ProposalStatus,
  ProposalStatusKind,
  ProposalSummary,
  Roadmap,
  RoadmapItem,
  Report,
  ReportGroup,
  ReportReason,
  ReportTarget,
  ReportedContent,
  ResponseRevision,
  RoadmapStatus,
  Role,
  RoleGrant,
  Settings,
  Suspension,
  Target,
  Theme,
  VoteDirection,
  VoteTally,
} from './models';
import { PROPOSAL_STATUS_KINDS } from './models';

type Opt<T> = [] | [T];

export function opt<T>(value: Opt<T>): T | undefined {
  return value.length === 0 ? undefined : value[0];
}

export function toOpt<T>(value: T | undefined | null): Opt<T> {
  return value === undefined || value === null ? [] : [value];
}

export function idOf(value: bigint): Id {
  return value.toString();
}

export function toId(id: Id): bigint {
  if (!/^\d+$/.test(id)) throw new RangeError(`Not an id: ${id}`);
  return BigInt(id);
}

export function timeOf(nanos: bigint): Date {
  return new Date(Number(nanos / 1_000_000n));
}

/** The single key of a candid variant. */
export function variantKey<V extends object>(variant: V): keyof V & string {
  const key = Object.keys(variant)[0];
  if (key === undefined) throw new TypeError('Empty variant');
  return key as keyof V & string;
}

export function roadmapStatus(s: CRoadmapStatus): RoadmapStatus {
  return variantKey(s);
}

export function toRoadmapStatus(s: RoadmapStatus): CRoadmapStatus {
  return { [s]: null } as CRoadmapStatus;
}

export function role(r: CRole): Role {
  return variantKey(r);
}

export function toRole(r: Role): CRole {
  return { [r]: null } as CRole;
}

export function vote(v: Opt<CVote>): VoteDirection | undefined {
  const value = opt(v);
  return value === undefined ? undefined : variantKey(value);
}

export function toVote(v: VoteDirection | undefined): Opt<CVote> {
  return v === undefined ? [] : [{ [v]: null } as CVote];
}

export function proposalStatus(s: CProposalStatus): ProposalStatus {
  if ('Planned' in s) return { kind: 'Planned', itemId: idOf(s.Planned) };
  if ('Declined' in s) return { kind: 'Declined', reason: s.Declined };
  if ('Duplicate' in s) return { kind: 'Duplicate', proposalId: idOf(s.Duplicate) };
  if ('UnderReview' in s) return { kind: 'UnderReview' };
  if ('Done' in s) return { kind: 'Done' };
  return { kind: 'Open' };
}

export function toProposalStatus(s: ProposalStatus): CProposalStatus {
  switch (s.kind) {
    case 'Planned':
      return { Planned: toId(s.itemId) };
    case 'Declined':
      return { Declined: s.reason };
    case 'Duplicate':
      return { Duplicate: toId(s.proposalId) };
    case 'Open':
      return { Open: null };
    case 'UnderReview':
      return { UnderReview: null };
    case 'Done':
      return { Done: null };
  }
}

export function toProposalStatusKind(k: ProposalStatusKind): CProposalStatusKind {
  return { [k]: null } as CProposalStatusKind;
}

export function toSort(sort: ProposalSort): CProposalSort {
  return { [sort]: null } as CProposalSort;
}

export function target(t: CTarget): Target {
  if ('Proposal' in t) return { kind: 'Proposal', id: idOf(t.Proposal) };
  if ('Item' in t) return { kind: 'Item', id: idOf(t.Item) };
  return { kind: 'Milestone', id: idOf(t.Milestone) };
}

export function toTarget(t: Target): CTarget {
  switch (t.kind) {
    case 'Proposal':
      return { Proposal: toId(t.id) };
    case 'Item':
      return { Item: toId(t.id) };
    case 'Milestone':
      return { Milestone: toId(t.id) };
  }
}

export function item(i: CItem): RoadmapItem {
  return {
    id: idOf(i.id),
    milestoneId: idOf(i.milestoneId),
    slug: i.slug,
    title: i.title,
    description: i.description,
    status: roadmapStatus(i.status),
    links: i.links.map((l) => ({ label: l.label, url: l.url })),
    order: i.order,
    priority: { votes: i.priority.votes, supporters: i.priority.supporters },
    commentCount: i.commentCount,
  };
}

export function milestone(m: CMilestone, items: CItem[]): Milestone {
  return {
    id: idOf(m.id),
    themeId: idOf(m.themeId),
    slug: m.slug,
    name: m.name,
    summary: m.summary,
    status: roadmapStatus(m.status),
    eta: opt(m.eta),
    order: m.order,
    commentCount: m.commentCount,
    items: items.map(item),
  };
}

export function theme(t: CTheme, milestones: Milestone[]): Theme {
  return {
    id: idOf(t.id),
    slug: t.slug,
    title: t.title,
    summary: t.summary,
    order: t.order,
    milestones,
  };
}

export function roadmap(r: CRoadmap): Roadmap {
  // Only items with supporters' power > 0 are listed; the rest have none.
  const power = new Map(r.itemPower.map((p) => [p.itemId, p.power]));
  const withPower = (m: CMilestone, items: CItem[]): Milestone => {
    const converted = milestone(m, items);
    return {
      ...converted,
      items: converted.items.map((i) => ({ ...i, supporterPower: power.get(toId(i.id)) ?? 0n })),
    };
  };
  return {
    themes: r.themes.map((t) =>
      theme(
        t.theme,
        t.milestones.map((m) => withPower(m.milestone, m.items)),
      ),
    ),
  };
}

export function itemDetail(d: CItemDetail): ItemDetail {
  const { items: _items, ...m } = milestone(d.milestone, []);
  const { milestones: _milestones, ...t } = theme(d.theme, []);
  return {
    item: { ...item(d.item), supporterPower: d.supporterPower },
    milestone: m,
    theme: t,
    myVotes: d.myVotes,
    nns: nnsLinkOf(opt(d.nns)),
  };
}

export function merge(m: CMerge): Merge {
  return {
    duplicate: idOf(m.duplicate),
    into: idOf(m.into),
    by: m.by.toText(),
    at: timeOf(m.at),
    note: opt(m.note),
    state: 'Merging' in m.state ? 'Merging' : 'Unmerging' in m.state ? 'Unmerging' : 'Merged',
    votesMoved: m.votesMoved,
  };
}

export function nnsProposalInfo(i: CNnsProposalInfo): NnsProposalInfo {
  return {
    status: variantKey(i.status),
    title: i.title,
    topic: i.topic,
    yes: i.yes,
    no: i.no,
    total: i.total,
    fetchedAt: timeOf(i.fetchedAt),
  };
}

export function nnsLinkOf(l: CNnsLink | undefined): NnsLink | undefined {
  if (!l) return undefined;
  const info = opt(l.info);
  return {
    proposalId: idOf(l.proposalId),
    deployOnExecution: l.deployOnExecution,
    info: info && nnsProposalInfo(info),
  };
}

export function toNnsLinkTarget(t: NnsLinkTarget): CNnsLinkTarget {
  return t.kind === 'Item' ? { Item: toId(t.id) } : { Proposal: toId(t.id) };
}

export function neuronLink(n: CNeuronLink): NeuronLink {
  return {
    neuronId: idOf(n.neuronId),
    votingPower: n.votingPower,
    dissolveDelaySeconds: Number(n.dissolveDelaySeconds),
    linkedAt: timeOf(n.linkedAt),
    checkedAt: timeOf(n.checkedAt),
  };
}

function lapsedNeuron(n: CLapsedNeuron): LapsedNeuron {
  return { neuronId: idOf(n.neuronId), reason: n.reason, at: timeOf(n.at) };
}

export function myNeurons(m: CMyNeurons): MyNeurons {
  return {
    links: m.links.map(neuronLink),
    votingPower: m.votingPower,
    lapsed: m.lapsed.map(lapsedNeuron),
  };
}

export function proposalSummary(p: CProposalSummary): ProposalSummary {
  return {
    id: idOf(p.id),
    author: p.author.toText(),
    authorName: opt(p.authorName),
    title: p.title,
    excerpt: p.excerpt,
    themeId: opt(p.themeId)?.toString(),
    tags: [...p.tags],
    status: proposalStatus(p.status),
    createdAt: timeOf(p.createdAt),
    updatedAt: timeOf(p.updatedAt),
    up: p.up,
    down: p.down,
    upPower: p.upPower,
    downPower: p.downPower,
    commentCount: p.commentCount,
    myVote: vote(p.myVote),
    hidden: hiding(p.hidden),
  };
}

export function hiding(h: Opt<CHiding>): Hiding | undefined {
  const value = opt(h);
  if (!value) return undefined;
  return { reason: value.reason, at: timeOf(value.at), by: opt(value.by)?.toText() };
}

export function proposalDetail(d: CProposalDetail): ProposalDetail {
  const p = d.proposal;
  const response = opt(p.officialResponse);
  const info = opt(d.response);
  const merged = opt(d.merge);
  return {
    id: idOf(p.id),
    author: p.author.toText(),
    authorName: opt(d.authorName),
    title: p.title,
    body: p.body,
    themeId: opt(p.themeId)?.toString(),
    tags: [...p.tags],
    status: proposalStatus(p.status),
    createdAt: timeOf(p.createdAt),
    updatedAt: timeOf(p.updatedAt),
    up: p.up,
    down: p.down,
    upPower: p.upPower,
    downPower: p.downPower,
    commentCount: p.commentCount,
    revisionCount: p.revisionCount,
    officialResponse: response && {
      body: response.body,
      by: response.by.toText(),
      at: timeOf(response.at),
      forStatus: info && proposalStatus(info.forStatus),
      revisions: info?.revisions ?? 0,
    },
    myVote: vote(d.myVote),
    hidden: hiding(d.hidden),
    nns: nnsLinkOf(opt(d.nns)),
    merge: merged && merge(merged),
    mergedFrom: d.mergedFrom.map(merge),
  };
}

export function proposalRevision(r: CProposalRevision): ProposalRevision {
  return { title: r.title, body: r.body, tags: [...r.tags], replacedAt: timeOf(r.replacedAt) };
}

export function responseRevision(r: CResponseRevision): ResponseRevision {
  const status = opt(r.forStatus);
  return {
    body: r.body,
    by: r.by.toText(),
    at: timeOf(r.at),
    forStatus: status && proposalStatus(status),
    replacedAt: timeOf(r.replacedAt),
  };
}

export function proposalFacets(f: CProposalFacets): ProposalFacets {
  const statuses = Object.fromEntries(PROPOSAL_STATUS_KINDS.map((k) => [k, 0])) as Record<
    ProposalStatusKind,
    number
  >;
  for (const { status, count } of f.statuses)
    statuses[variantKey(status) as ProposalStatusKind] = count;
  return {
    statuses,
    tags: f.tags.map(({ tag, count }) => ({ tag, count })),
    needsResponse: f.needsResponse,
  };
}

export function voteTally(t: CVoteTally): VoteTally {
  return { up: t.up, down: t.down, myVote: vote(t.myVote) };
}

export function comment(c: CComment, depth: number, authorName: string | undefined): Comment {
  return {
    id: idOf(c.id),
    target: target(c.target),
    parentId: opt(c.parentId)?.toString(),
    author: c.author.toText(),
    authorName,
    body: c.body,
    createdAt: timeOf(c.createdAt),
    updatedAt: timeOf(c.updatedAt),
    revisionCount: c.revisionCount,
    deleted: c.deleted.length > 0,
    hiddenReason: opt(c.hidden)?.reason,
    depth,
  };
}

export function profile(p: CProfile): Profile {
  return {
    principal: p.principal.toText(),
    displayName: p.displayName,
    bio: p.bio,
    joinedAt: timeOf(p.joinedAt),
    role: role(p.role),
    votingPower: p.votingPower,
  };
}

export function me(m: CMe): Me {
  const prof = opt(m.profile);
  return {
    principal: m.principal.toText(),
    isAnonymous: m.isAnonymous,
    profile: prof && profile(prof),
    role: role(m.role),
    creditBudget: m.creditBudget,
    creditsLeft: m.creditsLeft,
    suspension: suspensionOf(m.suspension),
  };
}

export function suspensionOf(s: Opt<CSuspension>): Suspension | undefined {
  const value = opt(s);
  if (!value) return undefined;
  const until = opt(value.until);
  return {
    member: value.member.toText(),
    reason: value.reason,
    at: timeOf(value.at),
    by: value.by.toText(),
    until: until === undefined ? undefined : timeOf(until),
  };
}

export function reportReason(r: CReportReason): ReportReason {
  return variantKey(r);
}

export function toReportReason(r: ReportReason): CReportReason {
  return { [r]: null } as CReportReason;
}

export function reportTarget(t: CReportTarget): ReportTarget {
  if ('Member' in t) return { kind: 'Member', principal: t.Member.toText() };
  if ('Comment' in t) return { kind: 'Comment', id: idOf(t.Comment) };
  return { kind: 'Proposal', id: idOf(t.Proposal) };
}

/** Principals are checked by the caller (api/backend.ts) so a typo becomes a field error. */
export function toReportTarget(
  t: ReportTarget,
  principal: (text: string) => Principal,
): CReportTarget {
  switch (t.kind) {
    case 'Member':
      return { Member: principal(t.principal) };
    case 'Comment':
      return { Comment: toId(t.id) };
    case 'Proposal':
      return { Proposal: toId(t.id) };
  }
}

export function toContentRef(t: ContentRef): CContentRef {
  return t.kind === 'Comment' ? { Comment: toId(t.id) } : { Proposal: toId(t.id) };
}

function report(r: CReport): Report {
  return {
    reporter: r.reporter.toText(),
    reason: reportReason(r.reason),
    note: opt(r.note),
    at: timeOf(r.at),
  };
}

function reportedContent(c: CReportedContent): ReportedContent {
  if ('Missing' in c) return { kind: 'Missing' };
  if ('Member' in c) {
    const m = c.Member;
    const prof = opt(m.profile);
    return {
      kind: 'Member',
      member: m.member.toText(),
      profile: prof && profile(prof),
      suspension: suspensionOf(m.suspension),
    };
  }
  if ('Comment' in c) {
    const { comment: cm, authorName } = c.Comment;
    return { kind: 'Comment', comment: comment(cm, 0, opt(authorName)) };
  }
  const p = c.Proposal;
  return {
    kind: 'Proposal',
    id: idOf(p.id),
    author: p.author.toText(),
    authorName: opt(p.authorName),
    title: p.title,
    excerpt: p.excerpt,
    up: p.up,
    down: p.down,
  };
}

export function reportGroup(g: CReportGroup): ReportGroup {
  return {
    target: reportTarget(g.target),
    count: g.count,
    reports: g.reports.map(report),
    hidden: hiding(g.hidden),
    content: reportedContent(g.content),
    firstReportedAt: timeOf(g.firstReportedAt),
  };
}

export function toModerationAction(
  a: ModerationAction,
  principal: (text: string) => Principal,
): CModerationAction {
  switch (a.kind) {
    case 'Hide':
      return { Hide: toContentRef(a.target) };
    case 'Restore':
      return { Restore: toContentRef(a.target) };
    case 'Dismiss':
      return { Dismiss: toReportTarget(a.target, principal) };
    case 'Suspend':
      return { Suspend: { member: principal(a.member), days: toOpt(a.days) } };
    case 'Unsuspend':
      return { Unsuspend: principal(a.member) };
  }
}

export function moderationSettings(s: CModerationSettings): ModerationSettings {
  return { ...s };
}

export function priorityAllocation(a: CPriorityAllocation): PriorityAllocation {
  const votes: Record<Id, number> = {};
  for (const v of a.votes) votes[idOf(v.itemId)] = v.votes;
  return { budget: a.budget, spent: a.spent, remaining: a.remaining, votes };
}

export function settings(s: CSettings): Settings {
  return { ...s };
}

function statusText(s: ProposalStatus): string {
  switch (s.kind) {
    case 'Planned':
      return `Planned (roadmap item #${s.itemId})`;
    case 'Declined':
      return `Declined: ${s.reason}`;
    case 'Duplicate':
      return `Duplicate of #${s.proposalId}`;
    case 'UnderReview':
      return 'Under review';
    default:
      return s.kind;
  }
}

export function activityEntry(e: CActivityEntry): ActivityEntry {
  const base = { id: idOf(e.id), actor: e.actor.toText(), at: timeOf(e.at) };
  const entry = (
    action: string,
    subject: ActivitySubject | undefined,
    subjectText: string,
    detail: string,
    link: string | undefined,
  ): ActivityEntry => ({
    ...base,
    summary: [action, subjectText, detail].filter(Boolean).join(' '),
    action,
    subject,
    detail,
    link,
  });
  const k = e.kind;
  if ('ThemeUpserted' in k) {
    const t = k.ThemeUpserted;
    const subject = { kind: 'theme', id: idOf(t.themeId), slug: t.slug } as const;
    return entry('updated theme', subject, `"${t.slug}"`, '', '/');
  }
  if ('MilestoneUpserted' in k) {
    const m = k.MilestoneUpserted;
    const subject = { kind: 'milestone', id: idOf(m.milestoneId), slug: m.slug } as const;
    const link = `/roadmap/milestones/${idOf(m.milestoneId)}`;
    return entry('updated milestone', subject, `"${m.slug}"`, `(${roadmapStatus(m.status)})`, link);
  }
  if ('ItemUpserted' in k) {
    const i = k.ItemUpserted;
    const subject = { kind: 'item', id: idOf(i.itemId), slug: i.slug } as const;
    const link = `/roadmap/items/${idOf(i.itemId)}`;
    return entry('updated item', subject, `"${i.slug}"`, `(${roadmapStatus(i.status)})`, link);
  }
  if ('RoadmapImported' in k) {
    const r = k.RoadmapImported;
    const created = r.themesCreated + r.milestonesCreated + r.itemsCreated;
    const updated = r.themesUpdated + r.milestonesUpdated + r.itemsUpdated;
    return entry(
      'imported the roadmap',
      undefined,
      '',
      `(${created} created, ${updated} updated)`,
      '/',
    );
  }
  if ('ProposalStatusChanged' in k) {
    const c = k.ProposalStatusChanged;
    const id = idOf(c.proposalId);
    const detail = `to ${statusText(proposalStatus(c.status))}`;
    return entry('set proposal', { kind: 'proposal', id }, `#${id}`, detail, `/proposals/${id}`);
  }
  if ('RoleChanged' in k) {
    const c = k.RoleChanged;
    const who = c.principal.toText();
    return entry('made', { kind: 'member', principal: who }, who, role(c.role), `/members/${who}`);
  }
  if ('SettingsChanged' in k) {
    const detail = `(credit budget ${k.SettingsChanged.creditBudget})`;
    return entry('changed settings', undefined, '', detail, undefined);
  }
  if ('CommentRemoved' in k) {
    const removed = `removed comment #${idOf(k.CommentRemoved.commentId)}`;
    return entry(removed, undefined, '', '', undefined);
  }
  if ('ContentHidden' in k) {
    const c = k.ContentHidden;
    return contentEntry('hid', c.target, `(reason: ${c.reason})`);
  }
  if ('ContentAutoHidden' in k) {
    const c = k.ContentAutoHidden;
    return contentEntry('hid, pending review,', c.target, `after ${c.reports} reports`);
  }
  if ('ContentRestored' in k) {
    const c = k.ContentRestored;
    return contentEntry('restored', c.target, `(reason: ${c.reason})`);
  }
  if ('ReportsDismissed' in k) {
    const c = k.ReportsDismissed;
    const detail = `(${c.reports} ${c.reports === 1 ? 'report' : 'reports'}; reason: ${c.reason})`;
    if ('Member' in c.target) return memberEntry('dismissed reports on', c.target.Member, detail);
    return contentEntry('dismissed reports on', c.target, detail);
  }
  if ('MemberSuspended' in k) {
    const c = k.MemberSuspended;
    const until = c.until[0];
    const span =
      until === undefined
        ? 'until lifted'
        : `until ${new Date(Number(until / 1_000_000n)).toISOString().slice(0, 10)}`;
    return memberEntry('suspended', c.member, `${span} (reason: ${c.reason})`);
  }
  if ('SuspensionLifted' in k) {
    const c = k.SuspensionLifted;
    return memberEntry('lifted the suspension of', c.member, `(reason: ${c.reason})`);
  }
  if ('ItemDeployedByNns' in k) {
    const c = k.ItemDeployedByNns;
    const id = idOf(c.itemId);
    const detail = `when NNS proposal ${c.nnsProposalId} was executed`;
    const subject = { kind: 'item', id, slug: `#${id}` } as const;
    return entry('deployed item', subject, `#${id}`, detail, `/roadmap/items/${id}`);
  }
  if ('ProposalMerged' in k) {
    const c = k.ProposalMerged;
    const id = idOf(c.proposalId);
    const note = c.note[0] === undefined ? '' : ` (note: ${c.note[0]})`;
    const detail = `into proposal #${idOf(c.into)}, moving its votes there${note}`;
    return entry('merged proposal', { kind: 'proposal', id }, `#${id}`, detail, `/proposals/${id}`);
  }
  if ('ProposalUnmerged' in k) {
    const c = k.ProposalUnmerged;
    const id = idOf(c.proposalId);
    const detail = `into proposal #${idOf(c.into)}, taking its votes back`;
    const subject = { kind: 'proposal', id } as const;
    return entry('undid the merge of proposal', subject, `#${id}`, detail, `/proposals/${id}`);
  }
  const m = k.ModerationSettingsChanged;
  const detail = `(auto-hide after ${m.autoHideReports} reports; new members for ${m.newMemberHours} h)`;
  return entry('changed moderation settings', undefined, '', detail, undefined);

  function contentEntry(
    action: string,
    target: { Proposal: bigint } | { Comment: bigint },
    detail: string,
  ): ActivityEntry {
    if ('Proposal' in target) {
      const id = idOf(target.Proposal);
      return entry(action, { kind: 'proposal', id }, `proposal #${id}`, detail, `/proposals/${id}`);
    }
    // The entry holds only the comment's id: the log finds its thread when it shows the entry.
    const id = idOf(target.Comment);
    return entry(action, { kind: 'comment', id }, `comment #${id}`, detail, undefined);
  }

  function memberEntry(action: string, member: Principal, detail: string): ActivityEntry {
    const who = member.toText();
    return entry(action, { kind: 'member', principal: who }, who, detail, `/members/${who}`);
  }
}

export function roleGrant(g: CRoleGrant): RoleGrant {
  return { principal: g.principal.toText(), role: role(g.role) };
}

export function toFollowTarget(t: FollowTarget): CNnsLinkTarget {
  return t.kind === 'Item' ? { Item: toId(t.id) } : { Proposal: toId(t.id) };
}

export function contentRef(r: CContentRef): ContentRef {
  return 'Comment' in r
    ? { kind: 'Comment', id: idOf(r.Comment) }
    : { kind: 'Proposal', id: idOf(r.Proposal) };
}

export function notificationKind(k: CNotificationKind): NotificationKind {
  if ('Reply' in k) return { kind: 'Reply', ...commentNotice(k.Reply) };
  if ('NewComment' in k) return { kind: 'NewComment', ...commentNotice(k.NewComment) };
  if ('Mention' in k) return { kind: 'Mention', ...commentNotice(k.Mention) };
  if ('StatusChanged' in k) {
    const { proposalId, status, response } = k.StatusChanged;
    return {
      kind: 'StatusChanged',
      proposalId: idOf(proposalId),
      status: proposalStatus(status),
      response,
    };
  }
  if ('ItemDeployed' in k) return { kind: 'ItemDeployed', itemId: idOf(k.ItemDeployed.itemId) };
  if ('ContentHidden' in k) {
    const { target, reason } = k.ContentHidden;
    return { kind: 'ContentHidden', target: contentRef(target), reason };
  }
  const { target, reason } = k.ContentRestored;
  return { kind: 'ContentRestored', target: contentRef(target), reason };
}

function commentNotice(n: { by: Principal; commentId: bigint; target: CTarget }) {
  return { commentId: idOf(n.commentId), target: target(n.target), by: n.by.toText() };
}

export function notification(n: CNotification): Notification {
  return { seq: n.seq.toString(), at: timeOf(n.at), read: n.read, kind: notificationKind(n.kind) };
}
