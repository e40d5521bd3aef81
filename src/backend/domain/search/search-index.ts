/**
 * The full-text index of proposals, on the heap: per term, impact-ordered postings
 * (postings.ts); per proposal, the postings it is in (to take it out again); per folded word,
 * its term, and all words sorted, for prefixes.
 *
 * Impacts are a BM25 weight computed once per proposal and term, with title, tags and body
 * each saturated on their own and weighted 3 : 2 : 1 (a sum of per-field BM25 in the manner of
 * BM25F). The body's length is normalised against a fixed length rather than the board's
 * running average, so an impact never changes when other proposals come and go: the index
 * built one write at a time is exactly the index a rebuild gives.
 */
import { stemWord, words } from './analyze';
import { ID_LIMIT, MAX_IMPACT, Postings, idOfPosting } from './postings';

const ID_MASK = ID_LIMIT - 1;
/** A ranking key's unit of matched words: score and id fit below it (see `rank`). */
const MATCH_UNIT = 2 ** 44;

export type SearchDocument = { title: string; tags: readonly string[]; body: string };

const K1 = 1.2;
const B = 0.75;
/** Body length (in indexed words) that the length normalisation treats as average. */
export const BODY_AVERAGE = 120;
export const WEIGHTS = { title: 3, tags: 2, body: 1 } as const;
/** Impact of a term met infinitely often in every field: the top of the 8-bit scale. */
const IMPACT_CEILING = (WEIGHTS.title + WEIGHTS.tags + WEIGHTS.body) * (K1 + 1);

/** BM25's saturation of a term frequency, with `norm` the field's length ratio. */
const saturate = (tf: number, norm: number): number =>
  tf === 0 ? 0 : (tf * (K1 + 1)) / (tf + K1 * norm);

/**
 * The 8-bit impact of a term with these field frequencies. One title occurrence (3 · 1.0 of
 * 13.2) outweighs any number in the body (under 1 · 2.2), so a title match outranks a
 * body-only one.
 */
export function impactOf(title: number, tags: number, body: number, bodyLength: number): number {
  const bodyNorm = 1 - B + (B * bodyLength) / BODY_AVERAGE;
  const weight =
    WEIGHTS.title * saturate(title, 1) +
    WEIGHTS.tags * saturate(tags, 1) +
    WEIGHTS.body * saturate(body, bodyNorm);
  return Math.max(1, Math.min(MAX_IMPACT, Math.round((weight / IMPACT_CEILING) * MAX_IMPACT)));
}

/**
 * A proposal's postings, to take it out again and to look its terms up: one uint32 per term,
 * the term's list number · 256 + the impact, in ascending order. Four bytes a term, where an
 * array of references would take eight or more.
 */
type Entry = Uint32Array;

/** One query word: the terms it may mean (one, or a prefix's completions), best one counts. */
export type Slot = readonly Postings[];

/** How far a prefix is looked up: words scanned in order, and completions kept (commonest). */
export const PREFIX_SCAN = 32;
export const PREFIX_TERMS = 8;

export class SearchIndex {
  private readonly terms = new Map<string, Postings>();
  /** Every term's postings by number; a term that loses its last posting keeps its number. */
  private readonly lists: Postings[] = [];
  private readonly entries: Array<Entry | undefined> = [];
  /** Folded word → its term ('' for a stop word): stems are computed once per word. */
  private readonly dictionary = new Map<string, string>();
  /** Every indexed word, sorted, for prefix lookups. Only grows, like the vocabulary. */
  private readonly sortedWords: string[] = [];
  private indexed = 0;
  private scratchArrays:
    { score: Float64Array; matched: Uint8Array; best: Float64Array } | undefined;

  /** Proposals in the index. */
  get size(): number {
    return this.indexed;
  }

  has(id: bigint): boolean {
    return this.entries[Number(id)] !== undefined;
  }

  /** The term of a folded word, from the dictionary when known. */
  termOf(word: string): string | undefined {
    const known = this.dictionary.get(word);
    if (known !== undefined) return known === '' ? undefined : known;
    return stemWord(word);
  }

  /** A term's postings, when it has any. */
  postings(term: string): Postings | undefined {
    const list = this.terms.get(term);
    return list === undefined || list.size === 0 ? undefined : list;
  }

  /** Puts a proposal in (replacing what it had). */
  add(id: bigint, doc: SearchDocument): void {
    const n = Number(id);
    if (n >= ID_LIMIT) throw new Error('proposal ids beyond 2^24 do not fit the search index');
    this.remove(id);
    // term → frequencies in title, tags and body
    const counts = new Map<string, [number, number, number]>();
    const count = (text: string, field: 0 | 1 | 2): number => {
      let indexedWords = 0;
      const found = words(text);
      // Indexed loops: an iterator costs several interpreted steps per word in the canister.
      for (let i = 0; i < found.length; i++) {
        const term = this.learn(found[i]!);
        if (term === '') continue;
        indexedWords++;
        const frequencies = counts.get(term);
        if (frequencies === undefined) {
          const fresh: [number, number, number] = [0, 0, 0];
          fresh[field] = 1;
          counts.set(term, fresh);
        } else frequencies[field]++;
      }
      return indexedWords;
    };
    count(doc.title, 0);
    // Tags are written with hyphens ("node-shuffling"): their words count, not the whole.
    if (doc.tags.length > 0) count(doc.tags.join(' '), 1);
    const bodyLength = count(doc.body, 2);
    const entry = new Uint32Array(counts.size);
    let terms = 0;
    // Most terms are in the body only, a few times: their impacts are worked out once each.
    const bodyOnly: number[] = [];
    counts.forEach(([title, tags, body], term) => {
      let list = this.terms.get(term);
      if (list === undefined) {
        list = new Postings(term, this.lists.length);
        this.terms.set(term, list);
        this.lists.push(list);
      }
      const impact =
        title === 0 && tags === 0
          ? (bodyOnly[body] ??= impactOf(0, 0, body, bodyLength))
          : impactOf(title, tags, body, bodyLength);
      list.insert(n, impact);
      entry[terms++] = list.number * 256 + impact;
    });
    // Sorted natively, so that `rescore` finds a term by binary search.
    entry.sort();
    this.entries[n] = entry;
    this.indexed++;
    this.scratch();
  }

  /** Takes a proposal out, if it is in. */
  remove(id: bigint): void {
    const n = Number(id);
    const entry = this.entries[n];
    if (entry === undefined) return;
    for (let i = 0; i < entry.length; i++) {
      const packed = entry[i]!;
      this.lists[packed >>> 8]!.delete(n, packed & 255);
    }
    this.entries[n] = undefined;
    this.indexed--;
  }

  /** The term of a word being indexed ('' for a stop word), adding new words to the dictionary. */
  private learn(word: string): string {
    const known = this.dictionary.get(word);
    if (known !== undefined) return known;
    const term = stemWord(word) ?? '';
    this.dictionary.set(word, term);
    if (term !== '') {
      this.sortedWords.splice(firstWordAtLeast(this.sortedWords, word), 0, word);
    }
    return term;
  }

  /**
   * What a word being typed may become: the terms of the indexed words it begins (the first
   * `PREFIX_SCAN` in order), the commonest `PREFIX_TERMS` of them, plus its own term.
   */
  completions(prefix: string): Postings[] {
    const found: Postings[] = [];
    const own = this.termOf(prefix);
    const exact = own === undefined ? undefined : this.postings(own);
    if (exact !== undefined) found.push(exact);
    const start = firstWordAtLeast(this.sortedWords, prefix);
    const end = Math.min(this.sortedWords.length, start + PREFIX_SCAN);
    for (let i = start; i < end; i++) {
      const word = this.sortedWords[i]!;
      if (!word.startsWith(prefix)) break;
      const list = this.postings(this.dictionary.get(word)!);
      if (list !== undefined && !found.includes(list)) found.push(list);
    }
    if (found.length <= PREFIX_TERMS) return found;
    const rest = found.slice(exact === undefined ? 0 : 1).sort((a, b) => b.size - a.size);
    return [...(exact === undefined ? [] : [exact]), ...rest].slice(0, PREFIX_TERMS);
  }

  /** Inverse document frequency (BM25's, never negative). */
  idf(list: Postings): number {
    return Math.log(1 + (this.indexed - list.size + 0.5) / (list.size + 0.5));
  }

  /**
   * Ranks proposals for the query words `slots`, best first: proposals matching more of the
   * words come first, then by the sum over words of idf · impact (a prefix's completions count
   * once, by the best), then newest first.
   *
   * One word with one term needs no scoring: its postings are the ranking, and every one of
   * them can be paged through. Otherwise at most `budget` postings are read in all: words are
   * taken rarest first, and each reads at most its share of what is left from the top of its
   * postings (the highest impacts). A rare word is read whole, a word in half the board only as
   * far as its best matches, so the work is bounded whatever the size of the board and common
   * words cannot crowd out rare ones.
   */
  rank(slots: readonly Slot[], budget: number): Ranking {
    const only = slots.length === 1 && slots[0]!.length === 1 ? slots[0]![0]! : undefined;
    if (only !== undefined) return new PostingRanking(only);
    const { score, matched, best } = this.scratch();
    const touched = new Int32Array(Math.min(budget, this.entries.length));
    let candidates = 0;
    const sized = slots
      .map((slot) => ({ slot, size: slot.reduce((sum, list) => sum + list.size, 0) }))
      .filter((s) => s.size > 0)
      .sort((a, b) => a.size - b.size);
    let left = budget;
    for (let i = 0; i < sized.length; i++) {
      const slot = sized[i]!.slot;
      const share = Math.floor(left / (sized.length - i));
      if (slot.length === 1) {
        // One term: each proposal has at most one posting, so it adds straight to the score.
        const list = slot[0]!;
        const idf = this.idf(list);
        const read = Math.min(list.size, share);
        const keys = list.keys;
        for (let k = 0; k < read; k++) {
          const key = keys[k]!;
          const id = ID_MASK - (key & ID_MASK);
          const count = matched[id]!;
          if (count === 0) touched[candidates++] = id;
          matched[id] = count + 1;
          score[id] = score[id]! + idf * (MAX_IMPACT - (key >>> 24));
        }
        left -= read;
        continue;
      }
      // A prefix's completions: a proposal counts once, with its best completion.
      const inSlot = new Int32Array(share);
      let found = 0;
      let spent = 0;
      for (let j = 0; j < slot.length; j++) {
        const list = slot[j]!;
        const idf = this.idf(list);
        const read = Math.min(list.size, Math.floor((share - spent) / (slot.length - j)));
        spent += read;
        const keys = list.keys;
        for (let k = 0; k < read; k++) {
          const key = keys[k]!;
          const id = ID_MASK - (key & ID_MASK);
          const value = idf * (MAX_IMPACT - (key >>> 24));
          const previous = best[id]!;
          if (value > previous) {
            if (previous === 0) inSlot[found++] = id;
            best[id] = value;
          }
        }
      }
      left -= spent;
      for (let k = 0; k < found; k++) {
        const id = inSlot[k]!;
        const count = matched[id]!;
        if (count === 0) touched[candidates++] = id;
        matched[id] = count + 1;
        score[id] = score[id]! + best[id]!;
        best[id] = 0;
      }
    }
    const keys = new Float64Array(candidates);
    for (let i = 0; i < candidates; i++) {
      const id = touched[i]!;
      keys[i] = rankKey(matched[id]!, score[id]!, id);
      // The scratch arrays are all zeros again for the next query.
      matched[id] = 0;
      score[id] = 0;
    }
    // Numbers in a typed array sort natively, with no comparator to call per comparison.
    return new ScoredRanking(keys.sort());
  }

  /**
   * Ranks `ids` for the query words `slots` as `rank` does, from each proposal's own terms
   * rather than from the postings: `rank` reads the top of each word's postings only, so it sees
   * two common words in one proposal only when both of its postings are near the top.
   */
  rescore(ids: readonly number[], slots: readonly Slot[]): Ranking {
    // The query's terms: the lowest entry value of each term's list, its idf and its word.
    const floors: number[] = [];
    const idfs: number[] = [];
    const wordOf: number[] = [];
    for (let w = 0; w < slots.length; w++) {
      const slot = slots[w]!;
      for (let j = 0; j < slot.length; j++) {
        floors.push(slot[j]!.number * 256);
        idfs.push(this.idf(slot[j]!));
        wordOf.push(w);
      }
    }
    const best = new Float64Array(slots.length);
    const keys = new Float64Array(ids.length);
    for (let c = 0; c < ids.length; c++) {
      const id = ids[c]!;
      const entry = this.entries[id];
      let matched = 0;
      let score = 0;
      if (entry !== undefined) {
        best.fill(0);
        for (let t = 0; t < floors.length; t++) {
          const floor = floors[t]!;
          // Inline rather than `firstAbove`: this runs for each term of each candidate, and in
          // QuickJS a call costs more than the few steps of the search.
          let lo = 0;
          let hi = entry.length;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (entry[mid]! < floor) lo = mid + 1;
            else hi = mid;
          }
          if (lo === entry.length || entry[lo]! - floor > 255) continue;
          const value = idfs[t]! * (entry[lo]! & 255);
          const w = wordOf[t]!;
          const previous = best[w]!;
          if (value > previous) {
            if (previous === 0) matched++;
            score += value - previous;
            best[w] = value;
          }
        }
      }
      keys[c] = rankKey(matched, score, id);
    }
    return new ScoredRanking(keys.sort());
  }

  /**
   * Per-proposal score arrays for `rank`, zero everywhere, kept between queries. Allocating
   * them costs about an instruction a byte (3.4 MB at 100,000 proposals), so `add` makes them
   * in the indexing messages: a query's heap changes are dropped, and arrays a query allocated
   * would be allocated again by every query. `rank` clears what it touched before it returns.
   */
  private scratch(): { score: Float64Array; matched: Uint8Array; best: Float64Array } {
    const span = this.entries.length;
    if (this.scratchArrays === undefined || this.scratchArrays.matched.length < span) {
      // Grown with room, so a growing board reallocates them now and then, not per query.
      const size = Math.max(1024, span * 2);
      this.scratchArrays = {
        score: new Float64Array(size),
        matched: new Uint8Array(size),
        best: new Float64Array(size),
      };
    }
    return this.scratchArrays;
  }

  /**
   * Heap bytes the index takes, roughly (QuickJS's own object and string headers estimated):
   * postings arrays, per-proposal entries, the dictionary and the sorted words.
   */
  bytes(): number {
    let total = 8 * this.entries.length + 8 * this.sortedWords.length;
    for (const list of this.lists) total += list.bytes + 96 + list.term.length;
    for (const entry of this.entries) if (entry !== undefined) total += 64 + entry.byteLength;
    for (const word of this.dictionary.keys()) total += 64 + word.length;
    return total;
  }
}

/**
 * Proposals in rank order. Positions count from the best; each has a key, ascending with the
 * position and unique, which a cursor keeps to find its place again after the index changed.
 */
export interface Ranking {
  readonly size: number;
  /** 'p' for one term's postings, 's' for scores: a cursor holds one kind of key. */
  readonly kind: 'p' | 's';
  key(position: number): number;
  id(position: number): number;
  /** How many of the query's words the proposal at `position` has (1 for one term). */
  matched(position: number): number;
  /** The first position whose key is greater than `key`. */
  after(key: number): number;
}

class PostingRanking implements Ranking {
  readonly kind = 'p';
  constructor(private readonly list: Postings) {}
  get size(): number {
    return this.list.size;
  }
  key(position: number): number {
    return this.list.keys[position]!;
  }
  id(position: number): number {
    return idOfPosting(this.list.keys[position]!);
  }
  matched(): number {
    return 1;
  }
  after(key: number): number {
    return firstAbove(this.list.keys, this.list.size, key);
  }
}

class ScoredRanking implements Ranking {
  readonly kind = 's';
  constructor(private readonly keys: Float64Array) {}
  get size(): number {
    return this.keys.length;
  }
  key(position: number): number {
    return this.keys[position]!;
  }
  id(position: number): number {
    return -this.keys[position]! % ID_LIMIT;
  }
  matched(position: number): number {
    return Math.floor(-this.keys[position]! / MATCH_UNIT);
  }
  after(key: number): number {
    return firstAbove(this.keys, this.keys.length, key);
  }
}

/**
 * −(matched · 2⁴⁴ + ⌊score · 16⌋ · 2²⁴ + id), ascending from the best: more words first, then
 * the higher score, then the newer. Scores stay below 2²⁰ / 16 (12 words, idf below 17 up to
 * 2²⁴ proposals, impact ≤ 255), so the key is an exact integer.
 */
const rankKey = (matched: number, score: number, id: number): number =>
  -(matched * MATCH_UNIT + ((score * 16) | 0) * ID_LIMIT + id);

function firstAbove(keys: Uint32Array | Float64Array, size: number, key: number): number {
  let lo = 0;
  let hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstWordAtLeast(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
