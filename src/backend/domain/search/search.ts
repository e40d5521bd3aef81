/**
 * Full-text search over proposals and similar ideas for a draft, and the upkeep of the index.
 *
 * Writes do not index: they put the proposal in `Db.searchBacklog`, and the canister indexes
 * the backlog in a follow-up timer message (`indexBacklog`). Indexing a proposal costs a few
 * million instructions per thousand characters here (see README), which would push a
 * 10,000-character submission past its budget; a follow-up message makes it searchable within
 * a round or two instead. After an upgrade the whole board is in the backlog and the same
 * timer works through it in bounded messages.
 */
import type { CallContext } from '../context';
import { decodeCursor, encodeCursor } from '../cursor';
import type { Db } from '../db';
import type { Opt, ProposalStatusKind, ProposalSummary } from '../model';
import type { ProposalCard } from '../proposal-index';
import { invalid, isErr, ok, type Result } from '../result';
import { cleanText } from '../text';
import { words } from './analyze';
import type { Ranking, Slot } from './search-index';

export type SearchRequest = {
  query: string;
  status: Opt<ProposalStatusKind>;
  cursor: Opt<string>;
  limit: Opt<number>;
};

export type SearchPage = {
  proposals: ProposalSummary[];
  nextCursor: Opt<string>;
  /**
   * Proposals written or changed but not indexed yet (0 almost always): while it is not 0, a
   * page may miss or misplace them, e.g. in the first minute after an upgrade.
   */
  pending: number;
};

export type SimilarRequest = { title: string; body: Opt<string> };

export const MAX_QUERY = 200;
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 50;
/** Query words that count; more are ignored (each costs a share of the posting budget). */
export const MAX_QUERY_WORDS = 8;
/**
 * Postings a query of several words (or of a prefix with several completions) reads in all,
 * whatever the size of the board: about 15,000 instructions each, scoring and sorting
 * included, so a page of 20 stays under 20 M (its 20 summaries take 11–12 M), with room
 * for the lookup of a prefix's completions.
 */
export const POSTING_BUDGET = 256;
/**
 * Ranked proposals a page examines at most (hidden ones and, with a status filter, other
 * statuses are skipped): past it the page ends early and its cursor goes on from there.
 */
export const MAX_EXAMINED = 200;
export const SIMILAR_LIMIT = 5;
/**
 * Ranked proposals whose own terms `similarProposals` checks for the draft's words: its
 * ranking reads the top of each word's postings only, and on a large board the tops of two
 * common words rarely overlap, so most proposals with both show up having one.
 */
export const SIMILAR_CANDIDATES = 32;
/** How much of a draft is read: its title, and the start of its body for rare words. */
const DRAFT_TITLE = 200;
const DRAFT_BODY = 2000;
const DRAFT_BODY_WORDS = 4;

/** A word being typed: the query ends inside it (no space, no punctuation after it). */
const ENDS_IN_WORD = /[\p{L}\p{N}]$/u;

export class SearchService {
  constructor(
    private readonly db: Db,
    private readonly summaries: (
      ctx: CallContext,
      cards: readonly ProposalCard[],
    ) => ProposalSummary[],
  ) {}

  search(ctx: CallContext, request: SearchRequest): Result<SearchPage> {
    const limit = request.limit.length === 0 ? DEFAULT_LIMIT : request.limit[0];
    if (!(limit >= 1 && limit <= MAX_LIMIT)) {
      return invalid('limit', `must be between 1 and ${MAX_LIMIT}`);
    }
    const query = cleanText(request.query, {
      field: 'query',
      min: 1,
      max: MAX_QUERY,
      singleLine: true,
    });
    if (isErr(query)) return query;
    const typing = ENDS_IN_WORD.test(request.query);
    const slots = this.slots(query.Ok, typing, MAX_QUERY_WORDS);
    const status = request.status.length === 1 ? tagOf(request.status[0]) : '';
    // A cursor names a place in one ranking: the same words, typing or not, the same status.
    const prefix = `${fingerprint(`${status}|${typing}|${words(query.Ok).join(' ')}`)}:`;
    let after: { kind: string; key: number } | undefined;
    if (request.cursor.length === 1) {
      const key = decodeCursor(request.cursor[0], prefix);
      const rest = key?.slice(prefix.length);
      if (rest === undefined || !/^[ps]-?[0-9]{1,16}$/.test(rest)) {
        return invalid('cursor', 'is not a cursor of this search (same query and status)');
      }
      after = { kind: rest[0]!, key: Number(rest.slice(1)) };
    }
    const pending = this.db.searchBacklog.size;
    if (slots.length === 0) return ok({ proposals: [], nextCursor: [], pending });
    const ranking = this.db.searchIndex.rank(slots, POSTING_BUDGET);
    if (after !== undefined && after.kind !== ranking.kind) {
      // The words' terms changed between pages (a completion appeared): a fresh search it is.
      return invalid('cursor', 'is out of date: the results changed, search again');
    }
    const start = after === undefined ? 0 : ranking.after(after.key);
    const { cards, last } = this.pick(ranking, start, limit, (card) =>
      status === '' ? true : status in card.status,
    );
    const more = last !== undefined && last < ranking.size - 1;
    return ok({
      proposals: this.summaries(ctx, cards),
      nextCursor: more ? [encodeCursor(`${prefix}${ranking.kind}${ranking.key(last)}`)] : [],
      pending,
    });
  }

  /**
   * Up to five Open, UnderReview or Planned proposals most like a draft: its title's words (the
   * last one as a prefix while it is being typed) and the rarest few words of its body. A
   * proposal must share two of those words (one when there is only one) to count as similar.
   * The ranking's first `SIMILAR_CANDIDATES` such proposals are the candidates; their own terms
   * tell how many of the words they share, and their score.
   */
  similar(ctx: CallContext, request: SimilarRequest): ProposalSummary[] {
    const title = request.title.slice(0, DRAFT_TITLE);
    const slots = this.slots(title, ENDS_IN_WORD.test(title), MAX_QUERY_WORDS);
    if (slots.length === 0) return [];
    const index = this.db.searchIndex;
    if (request.body.length === 1) {
      const seen = new Set(slots.flat());
      const rare = [];
      for (const word of new Set(words(request.body[0].slice(0, DRAFT_BODY)))) {
        const term = index.termOf(word);
        const list = term === undefined ? undefined : index.postings(term);
        if (list !== undefined && !seen.has(list)) {
          seen.add(list);
          rare.push(list);
        }
      }
      rare.sort((a, b) => a.size - b.size);
      for (const list of rare.slice(0, DRAFT_BODY_WORDS)) slots.push([list]);
    }
    const ranking = index.rank(slots, POSTING_BUDGET);
    const candidates = this.pick(ranking, 0, SIMILAR_CANDIDATES, isActive).cards;
    const rescored = index.rescore(
      candidates.map((card) => Number(card.id)),
      slots,
    );
    const enough = Math.min(2, slots.length);
    const cards: ProposalCard[] = [];
    // More words rank first: the walk ends at the first candidate with too few.
    for (let i = 0; i < rescored.size && cards.length < SIMILAR_LIMIT; i++) {
      if (rescored.matched(i) < enough) break;
      cards.push(this.db.card(BigInt(rescored.id(i)))!);
    }
    return this.summaries(ctx, cards);
  }

  /**
   * Indexes the backlog, one proposal at a time, until it is empty or `stop` says the message
   * has spent its share; returns how many proposals are left.
   */
  indexBacklog(stop: () => boolean): number {
    const { searchBacklog: backlog, searchIndex: index } = this.db;
    while (!stop()) {
      const id = backlog.take();
      if (id === undefined) break;
      const key = BigInt(id);
      if (this.db.card(key) === undefined || this.db.proposalIndex.isHidden(key)) {
        index.remove(key);
        continue;
      }
      const proposal = this.db.proposal(key, 'decoded');
      if (proposal === undefined) continue;
      index.add(key, { title: proposal.title, tags: proposal.tags, body: proposal.body });
    }
    return backlog.size;
  }

  /**
   * The query's slots: per distinct term, its postings; the last word, when still being typed,
   * also stands for the words it begins. Stop words and words in no proposal drop out.
   */
  private slots(text: string, typing: boolean, max: number): Slot[] {
    const index = this.db.searchIndex;
    const found = words(text);
    const slots: Slot[] = [];
    const seen = new Set<string>();
    found.forEach((word, i) => {
      if (slots.length === max) return;
      if (typing && i === found.length - 1 && word.length >= 2) {
        const completions = index.completions(word);
        if (completions.length > 0) slots.push(completions);
        return;
      }
      const term = index.termOf(word);
      if (term === undefined || seen.has(term)) return;
      seen.add(term);
      const list = index.postings(term);
      // A word in no proposal still counts, as a slot nothing matches: proposals with all
      // the other words then rank as partial matches.
      slots.push(list === undefined ? [] : [list]);
    });
    return slots.some((slot) => slot.length > 0) ? slots : [];
  }

  /**
   * Walks the ranking from `start`, keeping visible proposals that `accept`, until `limit` are
   * kept or `MAX_EXAMINED` are looked at; `last` is the position looked at last.
   */
  private pick(
    ranking: Ranking,
    start: number,
    limit: number,
    accept: (card: ProposalCard) => boolean,
  ): { cards: ProposalCard[]; last: number | undefined } {
    const cards: ProposalCard[] = [];
    let last: number | undefined;
    const stop = Math.min(ranking.size, start + MAX_EXAMINED);
    for (let i = start; i < stop && cards.length < limit; i++) {
      last = i;
      const card = this.visibleCard(ranking.id(i));
      if (card !== undefined && accept(card)) cards.push(card);
    }
    return { cards, last };
  }

  /** A proposal's card unless it is hidden (the index may not have caught up with a hide). */
  private visibleCard(id: number): ProposalCard | undefined {
    const key = BigInt(id);
    return this.db.proposalIndex.isHidden(key) ? undefined : this.db.card(key);
  }
}

const tagOf = (variant: object): string => Object.keys(variant)[0]!;

/** Statuses a draft may duplicate: a proposal still open, being reviewed or planned. */
const isActive = (card: ProposalCard): boolean =>
  'Open' in card.status || 'UnderReview' in card.status || 'Planned' in card.status;

/** FNV-1a, 32 bits, in hex: ties a cursor to its query without repeating the query. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
