import { toNfc } from './nfc';
import { invalid, ok, type Result } from './result';
import { matchesWhole, wholeTextOf } from './whole-match';

// Text without control characters other than \n and \t, DEL or the C1 range. Written as an
// anchored match of allowed characters: one pass, where an unanchored search for a forbidden
// one costs several times more in the canister's regex engine. The whole-text tests here are
// sticky (`y`, used through matchesWhole) so that a mismatch is not retried at every position.
const NO_FORBIDDEN_CONTROL = wholeTextOf(String.raw`[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]`);
/** The same test that also proves there is no bidi control to close: one pass for most text. */
const NO_CONTROL_OR_BIDI = wholeTextOf(
  String.raw`[^\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]`,
);
const LINE_BREAK = /[\n\u2028\u2029]/;
/** ASCII is already in NFC; testing for it is cheaper than normalising. */
const ASCII = wholeTextOf(String.raw`[^\u0080-\uffff]`);
/**
 * Printable ASCII, tabs and newlines: most text people write. One pass proves it is in NFC,
 * has no forbidden control character and nothing invisible, which the general path takes
 * three passes over a long body to learn (about a million instructions each for 10,000
 * characters in the canister).
 */
const PLAIN_ASCII = wholeTextOf(String.raw`[^\u0000-\u0008\u000b-\u001f\u007f-\uffff]`);

/**
 * Characters that render as nothing: format controls (bidi controls, zero-width spaces and
 * joiners, soft hyphens) and the other default-ignorable code points (Hangul fillers,
 * variation selectors, tag characters). They let two texts that look the same differ, and a
 * text that looks empty pass a length check.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
/** Something a reader can see: not space, not invisible, not a mark on nothing, not blank. */
const VISIBLE = /[^\s\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}\u2800]/u;
/**
 * The invisible characters that single-line text may keep, in the one place each does
 * something: joiners between two visible characters (emoji sequences, Persian and Indic
 * spelling) and emoji presentation selectors after one.
 */
const JOINER_IN_WORD =
  /(?<=[^\s\p{Cf}\p{Default_Ignorable_Code_Point}])[\u200c\u200d](?=[^\s\p{Cf}\p{Default_Ignorable_Code_Point}])/gu;
const PRESENTATION_SELECTOR = /(?<=[^\s\p{Cf}\p{Default_Ignorable_Code_Point}])[\ufe0e\ufe0f]/gu;

/** Bidi embeddings, overrides and isolates: the controls whose effect lasts until closed. */
const BIDI_SCOPED = /[\u202a-\u202e\u2066-\u2069]/;

export type TextRule = {
  field: string;
  min: number;
  max: number;
  /**
   * Titles and names: no line breaks and no tabs, and no invisible characters (a title
   * reversed by a right-to-left override, a name made unique by a zero-width space). Multi-line
   * text keeps them, but a bidi control never reaches past its own line.
   */
  singleLine?: boolean;
};

/**
 * Normalises (NFC), trims and checks user text. Lengths count code points, so an emoji counts
 * once as a person would count it. Text that must not be empty must have something visible;
 * optional text with nothing visible becomes empty. `plainAscii`: the caller knows `raw` to be
 * printable ASCII, tabs and newlines (a call's own argument, see CallContext), so the test for
 * it is skipped: about a million instructions for a 10,000-character body.
 */
export function cleanText(raw: string, rule: TextRule, plainAscii = false): Result<string> {
  if (plainAscii || matchesWhole(PLAIN_ASCII, raw)) {
    return cleanPlainAscii(raw.trim(), rule);
  }
  const text = toNfc(raw).trim();
  const noBidi = matchesWhole(NO_CONTROL_OR_BIDI, text);
  if (!noBidi && !matchesWhole(NO_FORBIDDEN_CONTROL, text)) {
    return invalid(rule.field, 'must not contain control characters');
  }
  if (rule.singleLine === true && (LINE_BREAK.test(text) || text.includes('\t'))) {
    return invalid(rule.field, 'must be a single line');
  }
  const ascii = matchesWhole(ASCII, text);
  if (!ascii && rule.singleLine === true && hasStrayInvisible(text)) {
    return invalid(rule.field, 'must not contain invisible or text-direction characters');
  }
  // Trimmed ASCII that is not empty has something visible: control characters are refused.
  if (!ascii && text !== '' && !VISIBLE.test(text)) {
    if (rule.min === 0) return ok('');
    return invalid(rule.field, 'must not be empty');
  }
  const length = codePointLength(text, rule);
  if (length < rule.min) {
    return invalid(
      rule.field,
      rule.min === 1 ? 'must not be empty' : `must be at least ${rule.min} characters`,
    );
  }
  if (length > rule.max) return invalid(rule.field, `must be at most ${rule.max} characters`);
  return ok(noBidi || !BIDI_SCOPED.test(text) ? text : closeBidiPerLine(text));
}

/** `cleanText` for trimmed printable ASCII: every char is one code point and visible or space. */
function cleanPlainAscii(text: string, rule: TextRule): Result<string> {
  if (rule.singleLine === true && (text.includes('\n') || text.includes('\t'))) {
    return invalid(rule.field, 'must be a single line');
  }
  if (text.length < rule.min) {
    return invalid(
      rule.field,
      rule.min === 1 ? 'must not be empty' : `must be at least ${rule.min} characters`,
    );
  }
  if (text.length > rule.max) return invalid(rule.field, `must be at most ${rule.max} characters`);
  return ok(text);
}

function hasStrayInvisible(text: string): boolean {
  if (!INVISIBLE.test(text)) return false;
  return INVISIBLE.test(text.replace(JOINER_IN_WORD, '').replace(PRESENTATION_SELECTOR, ''));
}

const PDF = '\u202c';
const PDI = '\u2069';

/**
 * Closes, at the end of each line, every bidi embedding, override and isolate the line opened,
 * so that a right-to-left override cannot reverse the lines after it, or whatever the app shows
 * next to the text once markdown joins the lines of a paragraph. Follows the nesting of the
 * Unicode bidi algorithm: a PDI also closes the embeddings opened inside its isolate; closers
 * without an opener do nothing and stay.
 */
export function closeBidiPerLine(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (!BIDI_SCOPED.test(line)) return line;
      const open: string[] = [];
      for (const ch of line) {
        if (ch >= '\u202a' && ch <= '\u202e' && ch !== PDF) open.push(PDF);
        else if (ch >= '\u2066' && ch <= '\u2068') open.push(PDI);
        else if (ch === PDF && open[open.length - 1] === PDF) open.pop();
        else if (ch === PDI && open.includes(PDI)) open.length = open.lastIndexOf(PDI);
      }
      return line + open.reverse().join('');
    })
    .join('\n');
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function cleanSlug(raw: string, field: string): Result<string> {
  const slug = raw.trim();
  if (slug.length === 0 || slug.length > 64 || !SLUG.test(slug)) {
    return invalid(field, 'must be 1–64 characters of a-z, 0-9 and single hyphens');
  }
  return ok(slug);
}

const TAG = /^[a-z0-9-]{1,24}$/;

export function cleanTags(raw: readonly string[]): Result<string[]> {
  if (raw.length > 5) return invalid('tags', 'at most 5 tags');
  const tags: string[] = [];
  for (const candidate of raw) {
    const tag = candidate.trim();
    if (!TAG.test(tag)) return invalid('tags', `"${tag.slice(0, 30)}" must match [a-z0-9-]{1,24}`);
    if (!tags.includes(tag)) tags.push(tag);
  }
  return ok(tags);
}

/** Links must be https: the frontend renders them as anchors. */
export function cleanUrl(raw: string, field: string): Result<string> {
  const url = raw.trim();
  if (!/^https:\/\/[^\s/?#]+[^\s]*$/.test(url) || url.length > 2048) {
    return invalid(field, 'must be an https URL');
  }
  return ok(url);
}

/**
 * The length in code points, counted only when the UTF-16 length cannot settle the rule: a
 * text has between half its UTF-16 length and its UTF-16 length in code points, and counting
 * walks every character (about a thousand instructions each in the canister).
 */
function codePointLength(text: string, rule: TextRule): number {
  if (text.length <= rule.max && Math.ceil(text.length / 2) >= rule.min) return text.length;
  const pairs = text.match(/[\ud800-\udbff][\udc00-\udfff]/g);
  return text.length - (pairs === null ? 0 : pairs.length);
}
