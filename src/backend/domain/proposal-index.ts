/**
 * Proposal listings on the heap: a card per proposal (everything listings filter and sort on,
 * no texts) and, for every sort, one sorted key set per filter scope — all proposals, each
 * status, author, theme and tag — so a listing with one filter reads only its own page.
 *
 * A listing key is one number: −(primary · 2²⁶ + id). Ascending keys are descending primaries,
 * ties to the newer proposal, and a number compares natively (no string keys to build or
 * sort). Primaries stay below 2²⁷ so the key is an exact integer (2⁵³); ids below 2²⁶.
 */
import { SortedKeys } from './storage/sorted-keys';
import type {
  Id,
  PrincipalId,
  Proposal,
  ProposalSort,
  ProposalStatus,
  ProposalStatusKind,
} from './model';

export type ProposalCard = Omit<Proposal, 'title' | 'body' | 'officialResponse'>;

export type SortCode = 'H' | 'T' | 'N' | 'D' | 'P';
/** The order of the key lists `rebuild` keeps per scope. */
const SORTS: SortCode[] = ['H', 'T', 'N', 'D', 'P'];
/** Where each sort's keys sit in a scope's lists: its place in SORTS. */
const SORT_SLOT = Object.fromEntries(SORTS.map((code, slot) => [code, slot])) as Record<
  SortCode,
  number
>;

const ID_SPAN = 2 ** 26;
const PRIMARY_SPAN = 2 ** 27;

export function sortCode(sort: ProposalSort): SortCode {
  if ('Hot' in sort) return 'H';
  if ('Top' in sort) return 'T';
  if ('MostDiscussed' in sort) return 'D';
  if ('VotingPower' in sort) return 'P';
  return 'N';
}

/** Steps per power of ten in `powerRank`: neighbouring ranks differ by under one part in 10⁶. */
const POWER_STEPS_PER_DECADE = 3_000_000;

/**
 * The net voting power (up − down, e8s) on a log scale around the middle of the primary's
 * span: e8s up to 10¹⁸ (ten billion ICP) fit either side, in the order of their values.
 */
export function powerRank(upPower: bigint, downPower: bigint): number {
  const net = upPower - downPower;
  const magnitude = Number(net < 0n ? -net : net);
  const steps = Math.round(Math.log10(1 + magnitude) * POWER_STEPS_PER_DECADE);
  return ID_SPAN + (net < 0n ? -steps : steps);
}

export const statusKind = (status: ProposalStatus | ProposalStatusKind): string =>
  Object.keys(status)[0]!;

/**
 * Reddit's "hot" rank: the order of magnitude of the net score plus creation time in units of
 * 12.5 hours. It does not depend on the current time, so it can live in an index and only
 * changes when a vote changes the score. Kept to 1/1000 of a unit (45 seconds of age).
 */
export function hotRank(up: number, down: number, createdAt: bigint): number {
  const score = up - down;
  const order = Math.log10(Math.max(Math.abs(score), 1));
  const seconds = Number(createdAt / 1_000_000_000n);
  return Math.round((Math.sign(score) * order + seconds / 45000) * 1000);
}

function primary(code: SortCode, card: ProposalCard): number {
  let value: number;
  switch (code) {
    case 'H':
      value = hotRank(card.up, card.down, card.createdAt);
      break;
    case 'T':
      value = card.up - card.down + ID_SPAN;
      break;
    case 'D':
      value = card.commentCount;
      break;
    case 'N':
      value = 0;
      break;
    case 'P':
      value = powerRank(card.upPower, card.downPower);
      break;
  }
  return Math.min(Math.max(value, 0), PRIMARY_SPAN - 1);
}

export function listingKey(code: SortCode, card: ProposalCard): number {
  return -(primary(code, card) * ID_SPAN + Number(card.id));
}

/** The proposal id inside a listing key. */
export function idOfKey(key: number): Id {
  return BigInt(-key % ID_SPAN);
}

/** The listings a proposal is in; a hidden one stays only in its author's. */
export function scopes(card: ProposalCard, hidden = false): string[] {
  if (hidden) return [`a:${card.author}`];
  const list = ['all', `s:${statusKind(card.status)}`, `a:${card.author}`];
  if (card.themeId.length === 1) list.push(`t:${card.themeId[0]}`);
  for (const tag of card.tags) list.push(`g:${tag}`);
  return list;
}

export const authorScope = (author: PrincipalId): string => `a:${author}`;

/** What a write does to one listing's keys. */
interface KeySet {
  insert(key: number): void;
  delete(key: number): void;
  replace(from: number, to: number): void;
}

/** Distinct keys in no order: an unsorted author listing, edited until it is first read. */
class UnsortedKeys implements KeySet {
  constructor(private readonly keys: number[]) {}

  insert(key: number): void {
    if (!this.keys.includes(key)) this.keys.push(key);
  }

  delete(key: number): void {
    const at = this.keys.indexOf(key);
    if (at >= 0) this.keys.splice(at, 1);
  }

  replace(from: number, to: number): void {
    this.delete(from);
    this.insert(to);
  }
}

export class ProposalIndex {
  private readonly cards: Array<ProposalCard | undefined> = [];
  /** scope → the keys of each sort within it, in SORTS order (one lookup serves every sort) */
  private readonly listings = new Map<string, SortedKeys[]>();
  /**
   * Author scopes as the last rebuild found them: their keys per sort, not yet sorted. There is
   * one per author, most hold a few proposals and few are ever listed, so post_upgrade leaves
   * them as plain arrays; a scope becomes sorted lists when first used (see `lists`).
   */
  private readonly unsortedAuthorScopes = new Map<string, number[][]>();
  private readonly hidden = new Set<number>();
  private readonly tags = new Set<string>();

  /** Told of every card written (votes, status, comment count may have changed): O(1) please. */
  constructor(private readonly saved?: (id: Id) => void) {}

  card(id: Id): ProposalCard | undefined {
    return this.cards[Number(id)];
  }

  get size(): number {
    return this.cards.length;
  }

  /** Whether a proposal with this id exists: for walks over every id, without a BigInt each. */
  hasId(id: number): boolean {
    return this.cards[id] !== undefined;
  }

  /** How many visible proposals a scope holds (hidden ones count only in their author's). */
  scopeSize(scope: string): number {
    return this.lists(scope)?.[SORT_SLOT.N]!.size ?? 0;
  }

  /** Every tag a proposal was ever listed under (some may list none now). */
  tagNames(): string[] {
    return [...this.tags];
  }

  /** The keys of one sort within one scope (possibly empty). */
  listing(code: SortCode, scope: string): SortedKeys | undefined {
    return this.lists(scope)?.[SORT_SLOT[code]];
  }

  /** A scope's lists if it has any, sorting an author scope the last rebuild left unsorted. */
  private lists(scope: string): SortedKeys[] | undefined {
    const lists = this.listings.get(scope);
    if (lists !== undefined) return lists;
    const unsorted = this.unsortedAuthorScopes.get(scope);
    if (unsorted === undefined) return undefined;
    // Kept only when an update sorts it: a query's heap changes are not.
    this.unsortedAuthorScopes.delete(scope);
    const sorted = unsorted.map((keys) => SortedKeys.from(keys));
    this.listings.set(scope, sorted);
    return sorted;
  }

  isHidden(id: Id): boolean {
    return this.hidden.has(Number(id));
  }

  /** Takes a proposal out of every listing but its author's, or puts it back. */
  setHidden(id: Id, hidden: boolean): void {
    const card = this.card(id);
    if (card === undefined || this.isHidden(id) === hidden) return;
    this.move(card, card, !hidden, hidden);
  }

  /**
   * Sets the voting power behind a proposal (the lens changed it): only the VotingPower
   * listings move, so re-weighing a member's many votes costs little per vote.
   */
  setPower(id: Id, upPower: bigint, downPower: bigint): void {
    const card = this.card(id);
    if (card === undefined) return;
    const next = { ...card, upPower, downPower };
    this.cards[Number(id)] = next;
    const before = listingKey('P', card);
    const after = listingKey('P', next);
    if (before === after) return;
    for (const scope of scopes(next, this.isHidden(id))) {
      this.keys(scope)[SORT_SLOT.P]!.replace(before, after);
    }
  }

  /** Writes a card and moves exactly the listing keys that changed. */
  save(next: ProposalCard): void {
    const id = Number(next.id);
    if (id >= ID_SPAN) throw new Error('proposal ids beyond 2^26 do not fit the listing keys');
    const previous = this.cards[id];
    this.cards[id] = next;
    const hidden = this.isHidden(next.id);
    this.move(previous, next, hidden, hidden);
    this.saved?.(next.id);
  }

  private move(
    previous: ProposalCard | undefined,
    next: ProposalCard,
    wasHidden: boolean,
    hidden: boolean,
  ): void {
    if (hidden) this.hidden.add(Number(next.id));
    else this.hidden.delete(Number(next.id));
    const after = scopes(next, hidden);
    if (previous === undefined) {
      // A new proposal: each of its keys goes into each of its scopes, some 25 inserts, in
      // plain loops (a closure call per insert costs more than the rest of the loop).
      const keys = SORTS.map((code) => listingKey(code, next));
      for (const scope of after) {
        const sets = this.keys(scope);
        for (let slot = 0; slot < keys.length; slot++) sets[slot]!.insert(keys[slot]!);
      }
      return;
    }
    const before = scopes(previous, wasHidden);
    // A vote or a new comment leaves the scopes as they are and changes a sort or two.
    const sameScopes =
      before.length === after.length && before.every((scope, i) => scope === after[i]);
    // Each scope's key sets are looked up once for all sorts (a lookup hashes the scope name,
    // an author's principal among them).
    const afterKeys = after.map((scope) => this.keys(scope));
    const beforeKeys = sameScopes ? afterKeys : before.map((scope) => this.keys(scope));
    SORTS.forEach((code, slot) => {
      const oldKey = listingKey(code, previous);
      const newKey = listingKey(code, next);
      if (sameScopes) {
        if (oldKey === newKey) return;
        for (const keys of afterKeys) keys[slot]!.replace(oldKey, newKey);
        return;
      }
      before.forEach((scope, i) => {
        if (oldKey !== newKey || !after.includes(scope)) beforeKeys[i]![slot]!.delete(oldKey);
      });
      after.forEach((scope, i) => {
        if (oldKey !== newKey || !before.includes(scope)) afterKeys[i]![slot]!.insert(newKey);
      });
    });
  }

  /**
   * A scope's key sets for a write, one per sort in SORTS order; made empty on first use. An
   * author scope the last rebuild left unsorted stays so: its arrays are edited in place (a few
   * keys each), and only a read sorts them. Only author scopes are looked for there: a lookup
   * hashes the scope's name, ≈ 10,000 instructions.
   */
  private keys(scope: string): KeySet[] {
    if (scope.startsWith('a:')) {
      const unsorted = this.unsortedAuthorScopes.get(scope);
      if (unsorted !== undefined) return unsorted.map((keys) => new UnsortedKeys(keys));
    }
    let lists = this.listings.get(scope);
    if (lists === undefined) {
      lists = SORTS.map(() => new SortedKeys());
      this.listings.set(scope, lists);
      if (scope.startsWith('g:')) this.tags.add(scope.slice(2));
    }
    return lists;
  }

  /**
   * Replaces everything with `cards`, sorting each listing once. Runs in post_upgrade for
   * every proposal, so it works per scope rather than per (sort, scope): one lookup gives the
   * key lists of every sort of a scope.
   */
  rebuild(cards: readonly ProposalCard[], hiddenIds: ReadonlySet<number>): void {
    const unsorted = new Map<string, number[][]>();
    for (const card of cards) {
      this.cards[Number(card.id)] = card;
      const hidden = hiddenIds.size > 0 && hiddenIds.has(Number(card.id));
      if (hidden) this.hidden.add(Number(card.id));
      const hot = listingKey('H', card);
      const top = listingKey('T', card);
      const created = listingKey('N', card);
      const discussed = listingKey('D', card);
      const power = listingKey('P', card);
      for (const scope of scopes(card, hidden)) {
        let lists = unsorted.get(scope);
        if (lists === undefined) {
          lists = [[], [], [], [], []];
          unsorted.set(scope, lists);
        }
        lists[0]!.push(hot);
        lists[1]!.push(top);
        lists[2]!.push(created);
        lists[3]!.push(discussed);
        lists[4]!.push(power);
      }
    }
    this.listings.clear();
    this.unsortedAuthorScopes.clear();
    this.tags.clear();
    for (const [scope, lists] of unsorted) {
      if (scope.startsWith('a:')) {
        this.unsortedAuthorScopes.set(scope, lists);
        continue;
      }
      this.listings.set(
        scope,
        lists.map((keys) => SortedKeys.from(keys)),
      );
      if (scope.startsWith('g:')) this.tags.add(scope.slice(2));
    }
  }
}
