import { invalid, ok, type Result } from './result';

// Text without control characters other than \n and \t, DEL or the C1 range. Written as an
// anchored match of allowed characters: one pass, where an unanchored search for a forbidden
// one costs several times more in the canister's regex engine.
// eslint-disable-next-line no-control-regex
const NO_FORBIDDEN_CONTROL = /^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$/;
const LINE_BREAK = /[\n\u2028\u2029]/;

export type TextRule = {
  field: string;
  min: number;
  max: number;
  /** Titles and names: no line breaks and no tabs. */
  singleLine?: boolean;
};

/**
 * Trims and checks user text. Lengths count code points, so an emoji counts once as a person
 * would count it.
 */
export function cleanText(raw: string, rule: TextRule): Result<string> {
  const text = raw.trim();
  if (!NO_FORBIDDEN_CONTROL.test(text)) {
    return invalid(rule.field, 'must not contain control characters');
  }
  if (rule.singleLine === true && (LINE_BREAK.test(text) || text.includes('\t'))) {
    return invalid(rule.field, 'must be a single line');
  }
  const length = codePointLength(text, rule);
  if (length < rule.min) {
    return invalid(
      rule.field,
      rule.min === 1 ? 'must not be empty' : `must be at least ${rule.min} characters`,
    );
  }
  if (length > rule.max) return invalid(rule.field, `must be at most ${rule.max} characters`);
  return ok(text);
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
