/**
 * Client-side highlighting of search matches. The backend stems words, so the exact words it
 * matched are unknown here: a word is marked when it starts with the first four letters of a
 * query word (or is that whole query word when shorter), compared case- and accent-insensitively.
 */

/** Lower case without diacritics, one output character per input character where possible. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The folded stems the highlighter looks for: each query word cut to its first four letters. */
export function queryStems(query: string): string[] {
  const stems = new Set<string>();
  for (const word of fold(query).match(WORD) ?? [])
    stems.add(word.length > 4 ? word.slice(0, 4) : word);
  return [...stems];
}

export interface Segment {
  text: string;
  match: boolean;
}

/** `text` cut into alternating plain and matching runs, in order; joined they give `text`. */
export function highlightSegments(text: string, stems: readonly string[]): Segment[] {
  if (stems.length === 0 || text === '') return text === '' ? [] : [{ text, match: false }];
  const segments: Segment[] = [];
  let plainFrom = 0;
  for (const found of text.matchAll(WORD)) {
    const word = found[0];
    const folded = fold(word);
    if (!stems.some((stem) => folded.startsWith(stem))) continue;
    const at = found.index;
    if (at > plainFrom) segments.push({ text: text.slice(plainFrom, at), match: false });
    segments.push({ text: word, match: true });
    plainFrom = at + word.length;
  }
  if (plainFrom < text.length) segments.push({ text: text.slice(plainFrom), match: false });
  return segments;
}
