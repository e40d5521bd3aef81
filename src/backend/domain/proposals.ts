import { maySeeHidden, requireAdmin, requireWriter, type CallContext } from './context';
import { idKey, pairKey, type Db, type ProposalCore, type VoteDirection } from './db';
import { decodeCursor, encodeCursor } from './cursor';
import { authorScope, idOfKey, sortCode, statusKind, type ProposalCard } from './proposal-index';
import {
  ANONYMOUS,
  type Id,
  type OfficialResponse,
  type ListProposalsRequest,
  type MemberVote,
  type MemberVotePage,
  type Opt,
  type PrincipalId,
  type Proposal,
  type ProposalDetail,
  type ProposalFacets,
  type ProposalInput,
  type ProposalPage,
  type ProposalRevision,
  type ProposalStatus,
  type ProposalStatusKind,
  type ProposalSummary,
  type ResponseRevision,
  type Vote,
  type VoteTally,
} from './model';
import type { RateLimiter } from './rate-limits';
import { conflict, forbidden, invalid, isErr, notFound, ok, type Result } from './result';
import { mergeView } from './merge-store';
import { nnsLinkView } from './nns';
import { plainExcerpt } from './plain-text';
import { cleanTags, cleanText } from './text';

export const MAX_PAGE = 50;
export const DEFAULT_PAGE = 20;
export const MAX_HISTORY_PAGE = 100;
/** The prefix of the cursors of `votesBy`. */
const VOTES_CURSOR = 'votes/';
/**
 * Index entries a filtered listing may examine per call before handing back a cursor (possibly
 * with an empty page). Each costs one index key and one small card read.
 */
export const MAX_SCANNED = 150;
/** Excerpts are the first this many code points of the body as plain text. */
export const EXCERPT_LENGTH = 280;

/** Tags in the facets: the most used ones. */
const MAX_FACET_TAGS = 100;
/** Tags one listing may require at once. */
const MAX_FILTER_TAGS = 5;

const STATUS_KINDS = ['Open', 'UnderReview', 'Planned', 'Declined', 'Duplicate', 'Done'] as const;

/** Proposals a maintainer still owes an answer: open or under review. */
function awaitsResponse(card: ProposalCard): boolean {
  return 'Open' in card.status || 'UnderReview' in card.status;
}

/**
 * The tags of a listing's tag filter: one or several, separated by spaces or commas, each with
 * or without the `#` they are shown with, in any case (tags are stored in lower case).
 */
export function parseTagFilter(text: string): string[] {
  const tags = text
    .split(/[\s,]+/)
    .map((tag) => tag.replace(/^#+/, '').toLowerCase())
    .filter((tag) => tag !== '');
  return [...new Set(tags)].slice(0, MAX_FILTER_TAGS);
}

/**
 * Page sizes are clamped rather than rejected: queries return pages, not Results, and a client
 * asking for 0 or 1000 still gets a useful page (0 means the default).
 */
export function clampLimit(limit: number): number {
  if (limit <= 0) return DEFAULT_PAGE;
  return Math.min(limit, MAX_PAGE);
}

export { statusKind };

/** Votes are closed once a proposal is Declined, a Duplicate or Done. */
export const votingClosed = (status: ProposalStatus): boolean =>
  'Declined' in status || 'Duplicate' in status || 'Done' in status;

type Clean = { title: string; body: string; themeId: Opt<Id>; tags: string[] };

/**
 * Writes everything about a proposal: its records and its card with the listing keys. The
 * excerpt is recomputed only when the title or body changed.
 */
export function saveProposal(db: Db, next: Proposal, previous?: Proposal): void {
  const key = idKey(next.id);
  const { title, body, up, down, upPower, downPower, commentCount, officialResponse } = next;
  // The core's fields named rather than taken with `...rest`: a rest pattern copies the object
  // property by property against an exclusion list (≈ 30,000 instructions more per save).
  const core: ProposalCore = {
    id: next.id,
    author: next.author,
    themeId: next.themeId,
    tags: next.tags,
    status: next.status,
    createdAt: next.createdAt,
    updatedAt: next.updatedAt,
    revisionCount: next.revisionCount,
  };
  db.proposals.set(key, core);
  if (previous === undefined || previous.title !== title || previous.body !== body) {
    db.proposalTexts.set(key, { title, excerpt: plainExcerpt(body, EXCERPT_LENGTH) });
  }
  db.proposalBodies.set(key, { body, officialResponse });
  db.proposalTallies.set(key, { up, down, commentCount });
  db.proposalIndex.save({ ...core, up, down, upPower, downPower, commentCount });
  // Search reads title, tags and body; a status change or a vote leaves its entry as it is.
  if (
    previous === undefined ||
    previous.title !== title ||
    previous.body !== body ||
    previous.tags.join(' ') !== next.tags.join(' ')
  ) {
    db.searchBacklog.add(Number(next.id));
  }
}

/** Writes a change of tallies only: a vote or a comment never rewrites texts. */
export function saveTallies(db: Db, next: ProposalCard): void {
  const { up, down, commentCount } = next;
  db.proposalTallies.set(idKey(next.id), { up, down, commentCount });
  db.proposalIndex.save(next);
}

export class ProposalService {
  constructor(
    private readonly db: Db,
    private readonly limiter: RateLimiter,
  ) {}

  private clean(ctx: CallContext, input: ProposalInput): Result<Clean> {
    const plain = ctx.argumentsPlainAscii === true;
    const title = cleanText(
      input.title,
      { field: 'title', min: 4, max: 120, singleLine: true },
      plain,
    );
    if (isErr(title)) return title;
    const body = cleanText(input.body, { field: 'body', min: 0, max: 10_000 }, plain);
    if (isErr(body)) return body;
    const tags = cleanTags(input.tags);
    if (isErr(tags)) return tags;
    if (input.themeId.length === 1 && this.db.theme(input.themeId[0]) === undefined) {
      return notFound(`theme ${input.themeId[0]}`);
    }
    return ok({ title: title.Ok, body: body.Ok, themeId: input.themeId, tags: tags.Ok });
  }

  private saveCard(next: ProposalCard): void {
    saveTallies(this.db, next);
  }

  /** A new proposal starts with its author's up-vote (as in Fider and Canny). */
  submit(ctx: CallContext, input: ProposalInput): Result<Proposal> {
    const refused = requireWriter(this.db, ctx);
    if (refused) return refused;
    const clean = this.clean(ctx, input);
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
      up: 1,
      down: 0,
      upPower: 0n,
      downPower: 0n,
      commentCount: 0,
      revisionCount: 0,
      officialResponse: [],
    };
    saveProposal(this.db, proposal);
    this.db.proposalVotes.set(pairKey(proposal.id, ctx.caller), 'Up');
    this.db.lens.votedOnNew(ctx.caller, `p${proposal.id}`, 'up');
    this.db.inbox.followNew(ctx.caller, { Proposal: proposal.id });
    this.limiter.record(ctx, 'proposal');
    const power = this.db.lens.tally(`p${proposal.id}`);
    return ok({ ...proposal, upPower: power.up, downPower: power.down });
  }

  edit(ctx: CallContext, id: Id, input: ProposalInput): Result<Proposal> {
    const refused = requireWriter(this.db, ctx);
    if (refused) return refused;
    const proposal = this.db.proposal(id, 'verbatim');
    if (proposal === undefined) return notFound(`proposal ${id}`);
    if (proposal.author !== ctx.caller) return forbidden('only the author may edit a proposal');
    if (!('Open' in proposal.status)) return conflict('only open proposals can be edited');
    const clean = this.clean(ctx, input);
    if (isErr(clean)) return clean;
    const limited = this.limiter.check(ctx, 'comment');
    if (limited) return limited;
    const revision: ProposalRevision = {
      title: proposal.title,
      body: proposal.body,
      tags: proposal.tags,
      replacedAt: ctx.now,
    };
    this.db.proposalRevisions.set(pairKey(id, proposal.revisionCount), revision);
    const next: Proposal = {
      ...proposal,
      ...clean.Ok,
      updatedAt: ctx.now,
      revisionCount: proposal.revisionCount + 1,
    };
    saveProposal(this.db, next, proposal);
    this.limiter.record(ctx, 'comment');
    return ok(next);
  }

  /**
   * Earlier versions, oldest first. The result carries no cursor, so the cursor here is the
   * number of versions to skip, in decimal; `limit` is clamped to 1–100 (0 means 100), which
   * keeps a page of 10,000-character bodies under the reply size limit.
   */
  history(ctx: CallContext, id: Id, cursor: Opt<string>, limit: number): ProposalRevision[] {
    const card = this.db.card(id);
    if (card === undefined) return [];
    if (this.db.proposalIndex.isHidden(id) && !maySeeHidden(this.db, ctx, card.author)) return [];
    let skip = 0;
    if (cursor.length === 1) {
      if (!/^[0-9]{1,9}$/.test(cursor[0])) return [];
      skip = Number(cursor[0]);
    }
    const size = limit <= 0 ? MAX_HISTORY_PAGE : Math.min(limit, MAX_HISTORY_PAGE);
    const revisions: ProposalRevision[] = [];
    for (let n = skip; n < card.revisionCount && revisions.length < size; n++) {
      const revision = this.db.proposalRevisions.getVerbatim(pairKey(id, n));
      if (revision !== undefined) revisions.push(revision);
    }
    return revisions;
  }

  myVote(caller: PrincipalId, id: Id): Opt<Vote> {
    if (caller === ANONYMOUS || !this.db.lens.hasVoted(caller)) return [];
    const direction = this.db.proposalVotes.get(pairKey(id, caller));
    return direction === undefined ? [] : [{ [direction]: null } as Vote];
  }

  /** Authors may withdraw the up-vote their proposal starts with, never vote against it. */
  vote(ctx: CallContext, id: Id, vote: Opt<Vote>): Result<VoteTally> {
    const refused = requireWriter(this.db, ctx);
    if (refused) return refused;
    const proposal = this.db.card(id);
    if (proposal === undefined) return notFound(`proposal ${id}`);
    if (votingClosed(proposal.status)) return conflict('voting is closed on this proposal');
    if (this.db.proposalIndex.isHidden(id)) {
      return conflict('votes are frozen while the proposal is hidden');
    }
    if (proposal.author === ctx.caller && vote.length === 1 && 'Down' in vote[0]) {
      return conflict('authors cannot vote against their own proposal');
    }
    const key = pairKey(id, ctx.caller);
    const previous = this.db.proposalVotes.get(key);
    const next: VoteDirection | undefined =
      vote.length === 0 ? undefined : 'Up' in vote[0] ? 'Up' : 'Down';
    if (previous === next) return ok(tally(proposal, vote));
    const limited = this.limiter.check(ctx, 'vote');
    if (limited) return limited;
    const updated: ProposalCard = {
      ...proposal,
      up: proposal.up - Number(previous === 'Up') + Number(next === 'Up'),
      down: proposal.down - Number(previous === 'Down') + Number(next === 'Down'),
    };
    if (next === undefined) this.db.proposalVotes.delete(key);
    else this.db.proposalVotes.set(key, next);
    this.saveCard(updated);
    this.db.lens.voted(
      ctx.caller,
      `p${id}`,
      next === undefined ? undefined : next === 'Up' ? 'up' : 'down',
      previous === undefined,
    );
    if (next !== undefined) this.db.inbox.follow(ctx.caller, { Proposal: id }, false);
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
    const proposal = this.db.proposal(id, 'verbatim');
    if (proposal === undefined) return notFound(`proposal ${id}`);
    let clean: ProposalStatus = status;
    if ('Planned' in status && this.db.item(status.Planned) === undefined) {
      return notFound(`item ${status.Planned}`);
    }
    if ('Duplicate' in status) {
      if (status.Duplicate === id) return invalid('status', 'a proposal cannot duplicate itself');
      if (this.db.card(status.Duplicate) === undefined) {
        return notFound(`proposal ${status.Duplicate}`);
      }
    }
    if ('Declined' in status) {
      const reason = cleanText(status.Declined, { field: 'reason', min: 1, max: 1000 });
      if (isErr(reason)) return reason;
      clean = { Declined: reason.Ok };
    }
    // `[]` keeps the response as it is; a text sets or edits it; an empty text clears it.
    let officialResponse = proposal.officialResponse;
    if (response.length === 1) {
      const body = cleanText(
        response[0],
        { field: 'response', min: 0, max: 5000 },
        ctx.argumentsPlainAscii === true,
      );
      if (isErr(body)) return body;
      officialResponse = body.Ok === '' ? [] : [{ body: body.Ok, by: ctx.caller, at: ctx.now }];
    }
    const next: Proposal = { ...proposal, status: clean, officialResponse, updatedAt: ctx.now };
    saveProposal(this.db, next, proposal);
    if (response.length === 1) {
      this.db.responses.changed(id, proposal.officialResponse, officialResponse, clean, ctx.now);
    }
    this.db.log(ctx.caller, ctx.now, { ProposalStatusChanged: { proposalId: id, status: clean } });
    this.db.inbox.tellFollowers(
      { Proposal: id },
      ctx.now,
      { StatusChanged: { proposalId: id, status: clean, response: response.length === 1 } },
      [ctx.caller],
    );
    return ok(next);
  }

  /**
   * A hidden proposal reads as a placeholder (no title, body or response) to everyone but its
   * author and moderators; `hidden` says why.
   */
  detail(ctx: CallContext, id: Id): Opt<ProposalDetail> {
    const proposal = this.db.proposal(id, 'verbatim');
    if (proposal === undefined) return [];
    const hiding = this.db.hiding({ Proposal: id });
    const merge = this.db.merges.of(id);
    const shown =
      hiding === undefined || maySeeHidden(this.db, ctx, proposal.author)
        ? proposal
        : { ...proposal, title: '', body: '', officialResponse: [] as Opt<OfficialResponse> };
    return [
      {
        proposal: shown,
        authorName: optional(this.db.displayName(proposal.author)),
        myVote: this.myVote(ctx.caller, id),
        hidden: optional(hiding),
        nns: nnsLinkView(this.db, `p${id}`),
        merge: optional(merge && mergeView(id, merge)),
        mergedFrom: this.db.merges
          .duplicatesMergedInto(id)
          .map((duplicate) => mergeView(duplicate, this.db.merges.of(duplicate)!)),
        response: shown.officialResponse.length === 1 ? this.db.responses.about(id) : [],
      },
    ];
  }

  /** Earlier versions of a proposal's official response, oldest first. */
  responseHistory(ctx: CallContext, id: Id): ResponseRevision[] {
    const card = this.db.card(id);
    if (card === undefined) return [];
    if (this.db.proposalIndex.isHidden(id) && !maySeeHidden(this.db, ctx, card.author)) return [];
    return this.db.responses.history(id);
  }

  /**
   * Counts of visible proposals per status and per tag (the sizes of their listings, kept on
   * the heap) and of those that need a response: Open and Under review ones without one.
   */
  facets(): ProposalFacets {
    const index = this.db.proposalIndex;
    const statuses = STATUS_KINDS.map((kind) => ({
      status: { [kind]: null } as ProposalStatusKind,
      count: index.scopeSize(`s:${kind}`),
    }));
    const tags = index
      .tagNames()
      .map((tag) => ({ tag, count: index.scopeSize(`g:${tag}`) }))
      .filter((entry) => entry.count > 0)
      .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : 1))
      .slice(0, MAX_FACET_TAGS);
    let answered = 0;
    for (const id of this.db.responses.answeredIds()) {
      const card = this.db.card(id);
      if (card !== undefined && awaitsResponse(card) && !index.isHidden(id)) answered++;
    }
    const waiting = index.scopeSize('s:Open') + index.scopeSize('s:UnderReview');
    return { statuses, tags, needsResponse: waiting - answered };
  }

  list(ctx: CallContext, request: ListProposalsRequest): ProposalPage {
    const limit = clampLimit(request.limit);
    const oldest = 'Oldest' in request.sort;
    const code = sortCode(request.sort);
    const tags = request.tag.length === 1 ? parseTagFilter(request.tag[0]) : [];
    const needsResponse = request.needsResponse.length === 1 && request.needsResponse[0];
    const index = this.db.proposalIndex;
    // The most selective filter picks the index; the others are checked per entry.
    const scope =
      request.author.length === 1
        ? authorScope(request.author[0])
        : tags.length > 0
          ? tags
              .map((tag) => `g:${tag}`)
              .reduce((a, b) => (index.scopeSize(b) < index.scopeSize(a) ? b : a))
          : request.themeId.length === 1
            ? `t:${request.themeId[0]}`
            : request.status.length === 1
              ? `s:${statusKind(request.status[0])}`
              : 'all';
    // Oldest walks New's keys backwards, under cursors of its own.
    const prefix = `${oldest ? 'O' : code}/${scope}/`;
    let after: number | undefined;
    if (request.cursor.length === 1) {
      const key = decodeCursor(request.cursor[0], prefix);
      const position = key === undefined ? NaN : Number(key.slice(prefix.length));
      if (!Number.isSafeInteger(position)) return { proposals: [], nextCursor: [] };
      after = position;
    }
    const matches = (p: ProposalCard): boolean =>
      (request.status.length === 0 || statusKind(p.status) === statusKind(request.status[0])) &&
      (request.themeId.length === 0 ||
        (p.themeId.length === 1 && p.themeId[0] === request.themeId[0])) &&
      tags.every((tag) => p.tags.includes(tag)) &&
      (request.author.length === 0 || p.author === request.author[0]) &&
      (!needsResponse || (awaitsResponse(p) && !this.db.responses.has(p.id)));

    const listing = index.listing(code, scope);
    if (listing === undefined) return { proposals: [], nextCursor: [] };
    const cards: ProposalCard[] = [];
    // A filter beyond the one that picked the listing is checked per card, up to the scan cap;
    // one key more than needed tells whether anything follows.
    const filters =
      request.author.length +
      tags.length +
      request.themeId.length +
      request.status.length +
      Number(needsResponse);
    const wanted = (filters > 1 || needsResponse ? MAX_SCANNED : limit) + 1;
    const keys = oldest ? listing.rangeBelow(after, wanted) : listing.range(after, wanted);
    let scanned = 0;
    let lastKey: number | undefined;
    for (const key of keys) {
      if (cards.length === limit || scanned === MAX_SCANNED) break;
      scanned++;
      lastKey = key;
      const card = this.db.card(idOfKey(key));
      if (card !== undefined && matches(card)) cards.push(card);
    }
    const proposals = this.summaries(ctx, cards);
    const more = lastKey !== undefined && keys.length > scanned;
    return { proposals, nextCursor: more ? [encodeCursor(`${prefix}${lastKey}`)] : [] };
  }

  /** The summaries of a page of cards, each with the reader's vote (see readerVotes). */
  summaries(ctx: CallContext, cards: readonly ProposalCard[]): ProposalSummary[] {
    const voteOf = this.readerVotes(ctx.caller, cards.length);
    return cards.map((card) => this.summary(ctx, card, voteOf(card.id)));
  }

  /**
   * How to find the reader's vote on each card of a page of `cards` cards. Every vote puts its
   * target on the voter's lens list (lens.ts; also the votes a merge moves and those the
   * migration carried over), so a reader who never voted needs no lookup at all, and a reader
   * whose list is under half the page is looked up through it: reading the list costs fewer
   * records than a lookup per card, and a card the list does not name has no vote. Readers
   * with more votes than that cost one lookup per card.
   */
  private readerVotes(caller: PrincipalId, cards: number): (id: Id) => Opt<Vote> {
    if (caller === ANONYMOUS || cards === 0 || !this.db.lens.hasVoted(caller)) return () => [];
    const length = this.db.lens.listLengthBelow(caller, Math.ceil(cards / 2));
    if (length === undefined) return (id) => this.myVote(caller, id);
    const voted = new Set<string>();
    for (let position = 0; position < length; position++) {
      const target = this.db.lens.listedAt(caller, position);
      if (target !== undefined) voted.add(target);
    }
    return (id) => (voted.has(`p${id}`) ? this.myVote(caller, id) : []);
  }

  /**
   * Hidden proposals are listed only in their author's listing, as a placeholder to others.
   * `myVote` is passed by a caller that already read it (a member's own list of votes).
   */
  summary(
    ctx: CallContext,
    card: ProposalCard,
    myVote: Opt<Vote> = this.myVote(ctx.caller, card.id),
  ): ProposalSummary {
    const hiding = this.db.proposalIndex.isHidden(card.id)
      ? this.db.hiding({ Proposal: card.id })
      : undefined;
    const readable = hiding === undefined || maySeeHidden(this.db, ctx, card.author);
    // Title and excerpt are only repeated to the client: taken verbatim, never decoded.
    const texts = readable ? this.db.proposalTexts.getVerbatim(idKey(card.id)) : undefined;
    const { revisionCount: _revisions, ...listed } = card;
    return {
      ...listed,
      title: texts?.title ?? '',
      excerpt: texts?.excerpt ?? '',
      authorName: optional(this.db.displayName(card.author)),
      myVote,
      hidden: optional(hiding),
    };
  }

  /**
   * The proposals a member votes on now, newest first vote first, with their vote (votes are
   * public, as every vote on the chain is). The lens's list of the member's votes is walked
   * backwards, examining at most `MAX_SCANNED` entries per page; the cursor is the position to
   * go on below. A proposal voted on, withdrawn and voted on again is listed twice on that list:
   * a page shows it once, and a later page may show it again.
   */
  votesBy(
    ctx: CallContext,
    member: PrincipalId,
    cursor: Opt<string>,
    limit: number,
  ): MemberVotePage {
    const size = clampLimit(limit);
    let position = this.db.lens.listLength(member) - 1;
    if (cursor.length === 1) {
      const key = decodeCursor(cursor[0], VOTES_CURSOR);
      const below = key === undefined ? NaN : Number(key.slice(VOTES_CURSOR.length));
      if (!Number.isSafeInteger(below) || below < 0) return { votes: [], nextCursor: [] };
      position = Math.min(position, below - 1);
    }
    const votes: MemberVote[] = [];
    const seen = new Set<string>();
    // Members reading their own list (their profile) already hold their vote.
    const readerVoteOf = ctx.caller === member ? undefined : this.readerVotes(ctx.caller, size);
    for (
      let scanned = 0;
      position >= 0 && votes.length < size && scanned < MAX_SCANNED;
      scanned++
    ) {
      const target = this.db.lens.listedAt(member, position--);
      if (target === undefined || target[0] !== 'p') continue;
      if (seen.has(target)) continue;
      seen.add(target);
      const id = BigInt(target.slice(1));
      const card = this.db.card(id);
      if (card === undefined) continue;
      if (this.db.proposalIndex.isHidden(id) && !maySeeHidden(this.db, ctx, card.author)) continue;
      const side = this.db.proposalVotes.get(pairKey(id, member));
      if (side === undefined) continue;
      const vote = { [side]: null } as Vote;
      const proposal = this.summary(ctx, card, readerVoteOf?.(id) ?? [vote]);
      votes.push({ proposal, vote });
    }
    return {
      votes,
      nextCursor: position >= 0 ? [encodeCursor(`${VOTES_CURSOR}${position + 1}`)] : [],
    };
  }

  /** Keeps commentCount, and with it the MostDiscussed index, in step with live comments. */
  adjustCommentCount(id: Id, delta: number): void {
    const card = this.db.card(id);
    if (card === undefined) return;
    this.saveCard({ ...card, commentCount: Math.max(0, card.commentCount + delta) });
  }
}

function tally(p: ProposalCard, myVote: Opt<Vote>): VoteTally {
  return { proposalId: p.id, up: p.up, down: p.down, myVote };
}

export function optional<T>(value: T | undefined): Opt<T> {
  return value === undefined ? [] : [value];
}
