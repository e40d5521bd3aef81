/**
 * Text analysis for search: folding, words, stop words and English stems. In the canister
 * every interpreted JavaScript step costs about a thousand instructions while a native regex
 * or String method costs a few hundred per character, so the work per character is done by
 * native passes (lower-casing, normalising, one tokenising match) and JavaScript only runs
 * once per word.
 */
import { stem as porter2 } from 'porter2';

/** Text a reader could type without accents: printable ASCII, tabs and newlines. */
const PLAIN_ASCII = /^[\t\n\u0020-\u007e]*$/;
/**
 * After NFD, accents are combining marks; a few letters carry no decomposition and are folded
 * by hand (German ß, Danish ø, Polish ł, …), so "Straße" finds "strasse" and "Łódź" "lodz".
 */
const MARKS_AND_LIGATURES = /[\p{M}ßæœøłđðþı]/gu;
const LIGATURES: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const fold1 = (c: string): string => LIGATURES[c] ?? '';
/**
 * Words: runs of letters and digits, except that Han, Hiragana and Katakana, written without
 * spaces, count one character per word (a query in Chinese then matches by characters).
 */
const ASCII_WORDS = /[a-z0-9]{1,40}/g;
const WORDS = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[\p{L}\p{N}]{1,40}/gu;
const CJK_IN_WORD = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
const WORDS_OUTSIDE_CJK =
  /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/gu;

/**
 * Words too common to tell proposals apart (Lucene's English stop set). They are not indexed,
 * so they cost neither memory nor query time.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(
    ' ',
  ),
);

/**
 * Longest word indexed (the `{1,40}` of the patterns): longer runs are identifiers or noise,
 * cut into pieces so a term stays small.
 */
export const MAX_WORD = 40;
const ENGLISH_WORD = /^[a-z]+$/;
/** A lone Latin letter ("t" of "don't", "s" of "node's") finds nothing useful. */
const SINGLE_LETTER = /^[a-z]$/;

/** Lower-cased, accents and ligatures folded: "Résumé" → "resume", "STRASSE" = "Straße". */
export function fold(text: string): string {
  const lower = text.toLowerCase();
  if (PLAIN_ASCII.test(lower)) return lower;
  return lower.normalize('NFD').replace(MARKS_AND_LIGATURES, fold1);
}

/**
 * The folded words of a text, stop words included, in order. Plain ASCII text (most of it)
 * takes the cheaper ASCII pattern and skips normalising.
 */
export function words(text: string): string[] {
  const lower = text.toLowerCase();
  if (PLAIN_ASCII.test(lower)) return lower.match(ASCII_WORDS) ?? [];
  const found = lower.normalize('NFD').replace(MARKS_AND_LIGATURES, fold1).match(WORDS);
  if (found === null) return [];
  // The pattern takes a CJK character alone only where a word starts: split words that
  // continue into CJK the same way.
  for (let i = 0; i < found.length; i++) {
    const word = found[i]!;
    if (word.length > 1 && CJK_IN_WORD.test(word)) {
      const pieces = word.match(WORDS_OUTSIDE_CJK)!;
      found.splice(i, 1, ...pieces);
      i += pieces.length - 1;
    }
  }
  return found;
}

/**
 * The index term of a folded word: its Porter2 (Snowball English) stem for Latin-letter words
 * of three letters or more ("shuffling" and "shuffle" → "shuffl"), the word itself otherwise
 * (numbers, other scripts, "ic"). Undefined for stop words and lone letters. One stem costs
 * about 60,000 instructions in the canister, so the index remembers each word's term (see
 * `SearchIndex.termOf`) and this runs once per new word.
 */
export function stemWord(word: string): string | undefined {
  if (STOP_WORDS.has(word) || SINGLE_LETTER.test(word)) return undefined;
  if (word.length < 3 || !ENGLISH_WORD.test(word)) return word;
  return porter2(word);
}

/** A word and the term it is indexed under. */
export type Token = { word: string; term: string };

/** The tokens of a text (stop words left out), in order. */
export function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (const word of words(text)) {
    const term = stemWord(word);
    if (term !== undefined) out.push({ word, term });
  }
  return out;
}
