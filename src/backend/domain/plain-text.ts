/**
 * Markdown → plain text for proposal excerpts: the words stay, the syntax goes (headings,
 * emphasis, links and images → their text, code fences and rules dropped, list and quote
 * markers removed, HTML tags dropped, entities decoded). A small line-based stripper rather
 * than a markdown parser, so it costs one pass over the body and runs only when a proposal is
 * written, never when a list is read.
 */

import { matchesWhole, wholeTextOf } from './whole-match';

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X'
          ? Number.parseInt(name.slice(2), 16)
          : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Block syntax: line prefixes (headings, quotes, list markers) and whole syntax lines. */
function stripLine(line: string): string | undefined {
  let s = line;
  // Most lines of prose start with a letter: no block syntax to look for.
  if (PLAIN_LINE_START.test(s)) return s.includes('|') ? stripTableBars(s) : s;
  if (/^\s*(```|~~~)/.test(s)) return undefined;
  if (/^\s{0,3}([-*_=])(\s*\1){2,}\s*$/.test(s)) return undefined;
  if (/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(s)) return undefined;
  if (/^\s{0,3}\[[^\]]+\]:\s*\S+/.test(s)) return undefined;
  for (;;) {
    const before = s;
    s = s.replace(/^\s*>\s?/, '');
    s = s.replace(/^\s*([-*+]|\d{1,9}[.)])\s+/, '');
    s = s.replace(/^\s*\[[ xX]\]\s+/, '');
    if (s === before) break;
  }
  const heading = /^\s{0,3}#{1,6}(\s+|$)/;
  if (heading.test(s)) {
    // A heading reads as a label for the text after it once lines are joined.
    s = s
      .replace(heading, '')
      .replace(/\s+#+\s*$/, '')
      .trim();
    if (s !== '' && !/[.:!?…]$/.test(s)) s += ':';
  }
  if (s.includes('|')) s = stripTableBars(s);
  return s;
}

/** A line starting with a letter or digit other than a list number: prose, no block syntax. */
const PLAIN_LINE_START = /^[\p{L}\p{N}](?![\d]{0,8}[.)]\s)/u;

function stripTableBars(line: string): string {
  return line.replace(/^\s*\||\|\s*$/g, '').replace(/\s*\|\s*/g, ' ');
}

/** Inline syntax: links, images, code spans, emphasis, autolinks, HTML tags, escapes. */
function stripInline(text: string): string {
  // Each regex pass costs its text's length in the canister: skip the syntax that is absent.
  if (matchesWhole(NO_INLINE_SYNTAX, text)) return text;
  const escaped: string[] = [];
  let s = text;
  if (s.includes('\\')) {
    s = s.replace(/\\([!-/:-@[-`{-~])/g, (_, ch: string) => {
      escaped.push(ch);
      return `\uE000${escaped.length - 1}\uE000`;
    });
  }
  const code: string[] = [];
  if (s.includes('`')) {
    s = s.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_, _ticks: string, body: string) => {
      code.push(body.trim());
      return `\uE001${code.length - 1}\uE001`;
    });
  }
  if (s.includes('[')) {
    s = s
      .replace(/!\[([^\]]*)\]\([^)]*\)?/g, '$1')
      .replace(/\[([^\]]*)\]\([^)]*\)?/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1');
  }
  if (s.includes('<')) {
    s = s
      .replace(/<((?:https?|mailto):[^>\s]*)>/gi, '$1')
      .replace(/<\/?[a-z][a-z0-9-]*(\s[^<>]*)?\/?>/gi, '')
      .replace(/<!--[\s\S]*?(-->|$)/g, '');
  }
  if (EMPHASIS.test(s)) {
    s = s
      .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
      .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])/g, '$1$2')
      .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1$2')
      .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
      .replace(/(^|\s)(\*{1,3}|_{1,3}|~~)(?=\S)/g, '$1')
      .replace(/\*\*|~~/g, '');
  }
  if (s.includes('`')) s = s.replace(/`+/g, '');
  if (code.length > 0) s = s.replace(/\uE001(\d+)\uE001/g, (_, i: string) => code[Number(i)] ?? '');
  if (escaped.length > 0) {
    s = s.replace(/\uE000(\d+)\uE000/g, (_, i: string) => escaped[Number(i)] ?? '');
  }
  return s.includes('&') ? decodeEntities(s) : s;
}

/**
 * Text without a character that starts inline syntax, escapes or entities; anchored and
 * sticky, so the regex engine makes one pass instead of a search from every position.
 */
const NO_INLINE_SYNTAX = wholeTextOf('[^\\\\`[<*_~&]');
const EMPHASIS = /[*_~]/;

/** The words of a markdown text on one line, without markdown syntax or HTML. */
export function markdownToPlainText(markdown: string): string {
  const kept: string[] = [];
  const unixLines = markdown.includes('\r') ? markdown.replace(/\r\n?/g, '\n') : markdown;
  for (const line of unixLines.split('\n')) {
    const stripped = stripLine(line);
    if (stripped !== undefined) kept.push(stripped);
  }
  // Joined with a space, not a line break: the result is one line anyway, and every regex of
  // stripInline treats the two alike (each class holds both or neither), so prose without
  // syntax can pass the one test below instead of two passes and a replace.
  const joined = kept.join(' ');
  if (matchesWhole(PLAIN_PROSE, joined) && !joined.includes('  ')) return joined.trim();
  const plain = stripInline(joined);
  return (isSingleSpaced(plain) ? plain : plain.replace(WHITESPACE_TO_COLLAPSE, ' ')).trim();
}

/**
 * Whitespace other than the space, as a class body: what `\s` matches, less U+0020. A unit
 * test checks it against `\s` for every UTF-16 code unit.
 */
export const WHITESPACE_BUT_SPACE = String.raw`\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff`;

/** Text with neither inline syntax nor whitespace to collapse, other than double spaces. */
const PLAIN_PROSE = wholeTextOf(`[^\\\\\`[<*_~&${WHITESPACE_BUT_SPACE}]`);
const NO_WHITESPACE_BUT_SPACE = wholeTextOf(`[^${WHITESPACE_BUT_SPACE}]`);

/**
 * Words separated by single spaces (perhaps with one before or after), as most prose is: what
 * `/\s+/g → ' '` and a trim leave as the trim alone would. A native search for two spaces and
 * one anchored pass (see whole-match.ts), where `/^\S*(?: \S+)*$/` saved a backtracking state
 * per word (≈ 0.2 M instructions for 400 characters in the canister).
 */
function isSingleSpaced(text: string): boolean {
  return !text.includes('  ') && matchesWhole(NO_WHITESPACE_BUT_SPACE, text);
}

/**
 * Whitespace that is not already a single space: what `/\s+/g → ' '` changes, without matching
 * (and replacing with itself) every space between two words, which costs the canister's regex
 * engine thousands of instructions a match.
 */
const WHITESPACE_TO_COLLAPSE = /\s{2,}|[^\S ]/g;

/**
 * How much markdown an excerpt of `length` code points is taken from. Stripping syntax only
 * shortens text, so with this much to spare the excerpt is the same as the whole body's unless
 * more than three quarters of it is syntax; a 10,000-character body then costs what its first
 * lines cost, not a pass of every regex over all of it.
 */
const EXCERPT_SOURCE_FACTOR = 2;

/** The first `length` code points of the plain text of `markdown`. */
export function plainExcerpt(markdown: string, length: number): string {
  let budget = length * EXCERPT_SOURCE_FACTOR;
  for (;;) {
    const source = excerptSource(markdown, budget);
    const text = firstCodePoints(markdownToPlainText(source), length);
    // Mostly syntax: take more of the body, until the excerpt is full or the body is used up.
    if (text.length >= length || source.length === markdown.length) return text;
    budget *= 4;
  }
}

/** Text without a high surrogate (anchored and sticky: one pass, see whole-match.ts). */
const NO_HIGH_SURROGATE = wholeTextOf(String.raw`[^\ud800-\udbff]`);

/** Cut by code points, so an emoji is never split; a slice when there are no pairs to count. */
function firstCodePoints(text: string, length: number): string {
  const start = text.slice(0, length);
  // No pair starts in the first `length` code units: they are the first `length` code points.
  if (matchesWhole(NO_HIGH_SURROGATE, start)) return start;
  const head = text.slice(0, 2 * length);
  let end = 0;
  for (let count = 0; count < length && end < head.length; count++) {
    const code = head.charCodeAt(end);
    end += code >= 0xd800 && code < 0xdc00 && end + 1 < head.length ? 2 : 1;
  }
  return head.slice(0, end);
}

/** The whole lines of `markdown` that hold its first `budget` characters, and one more. */
function excerptSource(markdown: string, budget: number): string {
  if (markdown.length <= budget) return markdown;
  // Searched in a copy of the next `budget` characters only: a search of the whole remaining
  // body for a line break that a long paragraph does not have costs more than the excerpt.
  const lineEnd = markdown.slice(budget, 2 * budget + 1).indexOf('\n');
  // A single very long line is cut at the last space within the budget.
  const end = lineEnd !== -1 ? budget + lineEnd : markdown.lastIndexOf(' ', budget);
  return markdown.slice(0, end > 0 ? end : budget);
}
