import { requireAdmin, requireSignedIn, seconds, type CallContext } from './context';
import type { Db, ProposalCard, VoteDirection } from './db';
import { decodeCursor, encodeCursor, trailingDescId, u32, u64, u64Desc } from './keys';
import {
  ANONYMOUS,
  type Id,
  type ListProposalsRequest,
  type Opt,
  type PrincipalText,
  type Proposal,
  type ProposalDetail,
  type ProposalInput,
  type ProposalPage,
  type ProposalRevision,
  type ProposalStatus,
  type ProposalStatusKind,
  type ProposalSummary,
  type Vote,
  type VoteTally,
} from './model';
import type { RateLimiter } from './rate-limits';
import { conflict, forbidden, invalid, isErr, notFound, ok, type Result } from './result';
import { plainExcerpt } from './plain-text';
import { cleanTags, cleanText } from './text';

export const MAX_PAGE = 50;
export const DEFAULT_PAGE = 20;
export const MAX_HISTORY_PAGE = 100;
/**
 * Index entries a filtered listing may examine per call before handing back a cursor (possibly
 * with an empty page). Each costs one index key and one small card read.
 */
export const MAX_SCANNED = 150;
/** Excerpts are the first this many code points of the body as plain text. */
export const EXCERPT_LENGTH = 280;

export function proposalCard(p: Proposal): ProposalCard {
  return {
    id: p.id,
    author: p.author,
    title: p.title,
    excerpt: plainExcerpt(p.body, EXCERPT_LENGTH),
    themeId: p.themeId,
    tags: p.tags,
    status: p.status,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    up: p.up,
    down: p.down,
    commentCount: p.commentCount,
  };
}

/**
 * Page sizes are clamped rather than rejected: queries return pages, not Results, and a client
 * asking for 0 or 1000 still gets a useful page (0 means the default).
 */
export function clampLimit(limit: number): number {
  if (limit <= 0) return DEFAULT_PAGE;
  return Math.min(limit, MAX_PAGE);
}

export const statusKind = (status: ProposalStatus | ProposalStatusKind): string =>
  Object.keys(status)[0]!;

/** Votes are closed once a proposal is Declined, a Duplicate or Done. */
export const votingClosed = (status: ProposalStatus): boolean =>
  'Declined' in status || 'Duplicate' in status || 'Done' in status;

/**
 * Reddit's "hot" rank: the order of magnitude of the net score plus creation time in units of
 * 12.5 hours. It does not depend on the current time, so it can live in an index and only
 * changes when a vote changes the score. Fixed-point with 7 decimals, offset to stay positive.
 */
export function hotRank(up: number, down: number, createdAt: bigint): bigint {
  const score = up - down;
  const order = Math.log10(Math.max(Math.abs(score), 1));
  const sign = Math.sign(score);
  const rank = sign * order + seconds(createdAt) / 45000;
  return BigInt(Math.round(rank * 1e7)) + 100_000_000n;
}

type SortCode = 'H' | 'T' | 'N' | 'D';
const SORTS: SortCode[] = ['H', 'T', 'N', 'D'];

function sortCode(sort: ListProposalsRequest['sort']): SortCode {
  if ('Hot' in sort) return 'H';
  if ('Top' in sort) return 'T';
  if ('MostDiscussed' in sort) return 'D';
  return 'N';
}

/** Larger first, as fixed-width hex. */
function sortKey(code: SortCode, p: Proposal): string {
  switch (code) {
    case 'H':
      return u64Desc(hotRank(p.up, p.down, p.createdAt));
    case 'T':
      return u32(0x7fffffff - (p.up - p.down));
    case 'D':
      return u32(0xffffffff - p.commentCount);
    case 'N':
      return '';
  }
}

function scopes(p: Proposal): string[] {
  const list = ['all', `s:${statusKind(p.status)}`, `a:${p.author}`];
  if (p.themeId.length === 1) list.push(`t:${u64(p.themeId[0])}`);
  for (const tag of p.tags) list.push(`g:${tag}`);
  return list;
}

/**
 * Every listing order has an index per filter scope, keyed
 * `${sort}/${scope}/${sortKey}${u64Desc(id)}`, so a listing with one filter reads only its
 * page. Ties fall to the newer proposal.
 */
export function indexKeys(p: Proposal): string[] {
  const keys: string[] = [];
  for (const code of SORTS) {
    for (const scope of scopes(p))
      keys.push(`${code}/${scope}/${sortKey(code, p)}${u64Desc(p.id)}`);
  }
  return keys;
}

type Clean = { title: string; body: string; themeId: Opt<Id>; tags: string[] };

export class ProposalService {
  constructor(
    private readonly db: Db,
    private readonly limiter: RateLimiter,
  ) {}

  private clean(input: ProposalInput): Result<Clean> {
    const title = cleanText(input.title, { field: 'title', min: 4, max: 120, singleLine: true });
    if (isErr(title)) return title;
    const body = cleanText(input.body, { field: 'body', min: 0, max: 10_000 });
    if (isErr(body)) return body;
    const tags = cleanTags(input.tags);
    if (isErr(tags)) return tags;
    if (input.themeId.length === 1 && this.db.theme(input.themeId[0]) === undefined) {
      return notFound(`theme ${input.themeId[0]}`);
    }
    return ok({ title: title.Ok, body: body.Ok, themeId: input.themeId, tags: tags.Ok });
  }

  /** Writes a proposal and moves exactly the index entries whose keys changed. */
  save(previous: Proposal | undefined, next: Proposal): void {
    const before = new Set(previous === undefined ? [] : indexKeys(previous));
    const after = new Set(indexKeys(next));
    for (const key of before) if (!after.has(key)) this.db.proposalIndex.delete(key);
    for (const key of after) if (!before.has(key)) this.db.proposalIndex.set(key, null);
    this.db.proposals.set(u64(next.id), next);
    this.db.proposalCards.set(u64(next.id), proposalCard(next));
  }

  submit(ctx: CallContext, input: ProposalInput): Result<Proposal> {
    const anonymous = requireSignedIn(ctx);
    if (anonymous) return anonymous;
    const clean = this.clean(input);
    if (isErr(clean)) return clean;
    const limited = this.limiter.check(ctx, 'proposal');
    if (limited) return limited;
    const proposal: Proposal = {
      id: this.db.nextId('proposal'),
      author: ctx.caller,
      ...clean.Ok,
      status: { Open: null },
      createdAt: ctx.now,
      updatedAt: ctx.now,
      up: 0,
      down: 0,
      commentCount: 0,
      revisionCount: 0,
      officialResponse: [],
    };
    this.save(undefined, proposal);
    this.limiter.record(ctx, 'proposal');
    return ok(proposal);
  }

  edit(ctx: CallContext, id: Id, input: ProposalInput): Result<Proposal> {
    const anonymous = requireSignedIn(ctx);
    if (anonymous) return anonymous;
    const proposal = this.db.proposal(id);
    if (proposal === undefined) return notFound(`proposal ${id}`);
    if (proposal.author !== ctx.caller) return forbidden('only the author may edit a proposal');
    if (!('Open' in proposal.status)) return conflict('only open proposals can be edited');
    const clean = this.clean(input);
    if (isErr(clean)) return clean;
    const limited = this.limiter.check(ctx, 'comment');
    if (limited) return limited;
    const revision: ProposalRevision = {
      title: proposal.title,
      body: proposal.body,
      tags: proposal.tags,
      replacedAt: ctx.now,
    };
    this.db.proposalRevisions.set(`${u64(id)}${u32(proposal.revisionCount)}`, revision);
    const next: Proposal = {
      ...proposal,
      ...clean.Ok,
      updatedAt: ctx.now,
      revisionCount: proposal.revisionCount + 1,
    };
    this.save(proposal, next);
    this.limiter.record(ctx, 'comment');
    return ok(next);
  }

  /**
   * Earlier versions, oldest first. The result carries no cursor, so the cursor here is the
   * number of versions to skip, in decimal; `limit` is clamped to 1–100 (0 means 100), which
   * keeps a page of 10,000-character bodies under the reply size limit.
   */
  history(id: Id, cursor: Opt<string>, limit: number): ProposalRevision[] {
    const prefix = u64(id);
    let after: string | undefined;
    if (cursor.length === 1) {
      if (!/^[0-9]{1,9}$/.test(cursor[0])) return [];
      const skip = Number(cursor[0]);
      if (skip > 0) after = `${prefix}${u32(skip - 1)}`;
    }
    const size = limit <= 0 ? MAX_HISTORY_PAGE : Math.min(limit, MAX_HISTORY_PAGE);
    return this.db.proposalRevisions.scan(prefix, after, size).map(([, r]) => r);
  }

  myVote(caller: PrincipalText, id: Id): Opt<Vote> {
    if (caller === ANONYMOUS) return [];
    const direction = this.db.proposalVotes.get(`${u64(id)}${caller}`);
    return direction === undefined ? [] : [{ [direction]: null } as Vote];
  }

  vote(ctx: CallContext, id: Id, vote: Opt<Vote>): Result<VoteTally> {
    const anonymous = requireSignedIn(ctx);
    if (anonymous) return anonymous;
    const proposal = this.db.proposal(id);
    if (proposal === undefined) return notFound(`proposal ${id}`);
    if (votingClosed(proposal.status)) return conflict('voting is closed on this proposal');
    const key = `${u64(id)}${ctx.caller}`;
    const previous = this.db.proposalVotes.get(key);
    const next: VoteDirection | undefined =
      vote.length === 0 ? undefined : 'Up' in vote[0] ? 'Up' : 'Down';
    if (previous === next) return ok(tally(proposal, vote));
    const limited = this.limiter.check(ctx, 'vote');
    if (limited) return limited;
    const updated: Proposal = {
      ...proposal,
      up: proposal.up - Number(previous === 'Up') + Number(next === 'Up'),
      down: proposal.down - Number(previous === 'Down') + Number(next === 'Down'),
    };
    if (next === undefined) this.db.proposalVotes.delete(key);
    else this.db.proposalVotes.set(key, next);
    this.save(proposal, updated);
    this.limiter.record(ctx, 'vote');
    return ok(tally(updated, vote));
  }

  setStatus(
    ctx: CallContext,
    id: Id,
    status: ProposalStatus,
    response: Opt<string>,
  ): Result<Proposal> {
    const denied = requireAdmin(this.db, ctx);
    if (denied) return denied;
    const proposal = this.db.proposal(id);
    if (proposal === undefined) return notFound(`proposal ${id}`);
    let clean: ProposalStatus = status;
    if ('Planned' in status && this.db.item(status.Planned) === undefined) {
      return notFound(`item ${status.Planned}`);
    }
    if ('Duplicate' in status) {
      if (status.Duplicate === id) return invalid('status', 'a proposal cannot duplicate itself');
      if (this.db.proposal(status.Duplicate) === undefined) {
        return notFound(`proposal ${status.Duplicate}`);
      }
    }
    if ('Declined' in status) {
      const reason = cleanText(status.Declined, { field: 'reason', min: 1, max: 1000 });
      if (isErr(reason)) return reason;
      clean = { Declined: reason.Ok };
    }
    let officialResponse = proposal.officialResponse;
    if (response.length === 1) {
      const body = cleanText(response[0], { field: 'response', min: 1, max: 5000 });
      if (isErr(body)) return body;
      officialResponse = [{ body: body.Ok, by: ctx.caller, at: ctx.now }];
    }
    const next: Proposal = { ...proposal, status: clean, officialResponse, updatedAt: ctx.now };
    this.save(proposal, next);
    this.db.log(ctx.caller, ctx.now, { ProposalStatusChanged: { proposalId: id, status: clean } });
    return ok(next);
  }

  detail(caller: PrincipalText, id: Id): Opt<ProposalDetail> {
    const proposal = this.db.proposal(id);
    if (proposal === undefined) return [];
    return [
      {
        proposal,
        authorName: optional(this.db.displayName(proposal.author)),
        myVote: this.myVote(caller, id),
      },
    ];
  }

  list(ctx: CallContext, request: ListProposalsRequest): ProposalPage {
    const limit = clampLimit(request.limit);
    const code = sortCode(request.sort);
    // The most selective filter picks the index; the others are checked per entry.
    const scope =
      request.author.length === 1
        ? `a:${request.author[0]}`
        : request.tag.length === 1
          ? `g:${request.tag[0]}`
          : request.themeId.length === 1
            ? `t:${u64(request.themeId[0])}`
            : request.status.length === 1
              ? `s:${statusKind(request.status[0])}`
              : 'all';
    const prefix = `${code}/${scope}/`;
    let after: string | undefined;
    if (request.cursor.length === 1) {
      after = decodeCursor(request.cursor[0], prefix);
      if (after === undefined) return { proposals: [], nextCursor: [] };
    }
    const matches = (p: ProposalCard): boolean =>
      (request.status.length === 0 || statusKind(p.status) === statusKind(request.status[0])) &&
      (request.themeId.length === 0 ||
        (p.themeId.length === 1 && p.themeId[0] === request.themeId[0])) &&
      (request.tag.length === 0 || p.tags.includes(request.tag[0])) &&
      (request.author.length === 0 || p.author === request.author[0]);

    const proposals: ProposalSummary[] = [];
    let scanned = 0;
    let lastKey: string | undefined;
    let exhausted = false;
    while (proposals.length < limit && scanned < MAX_SCANNED) {
      const batch = this.db.proposalIndex.scan(
        prefix,
        after,
        Math.min(limit - proposals.length + 1, MAX_SCANNED - scanned),
      );
      if (batch.length === 0) {
        exhausted = true;
        break;
      }
      for (const [key] of batch) {
        if (proposals.length === limit) break;
        scanned++;
        lastKey = key;
        after = key;
        const card = this.db.proposalCards.get(u64(trailingDescId(key)));
        if (card !== undefined && matches(card)) proposals.push(this.summary(ctx.caller, card));
      }
    }
    if (!exhausted && lastKey !== undefined) {
      // Only hand out a cursor when something may follow, so clients can stop on an empty one.
      const more = this.db.proposalIndex.scan(prefix, lastKey, 1).length > 0;
      if (more) return { proposals, nextCursor: [encodeCursor(lastKey)] };
    }
    return { proposals, nextCursor: [] };
  }

  summary(caller: PrincipalText, card: ProposalCard): ProposalSummary {
    return {
      ...card,
      authorName: optional(this.db.displayName(card.author)),
      myVote: this.myVote(caller, card.id),
    };
  }

  /** Keeps commentCount, and with it the MostDiscussed index, in step with live comments. */
  adjustCommentCount(id: Id, delta: number): void {
    const proposal = this.db.proposal(id);
    if (proposal === undefined) return;
    this.save(proposal, { ...proposal, commentCount: Math.max(0, proposal.commentCount + delta) });
  }
}

function tally(p: Proposal, myVote: Opt<Vote>): VoteTally {
  return { proposalId: p.id, up: p.up, down: p.down, myVote };
}

export function optional<T>(value: T | undefined): Opt<T> {
  return value === undefined ? [] : [value];
}
