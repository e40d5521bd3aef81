/**
 * Client-side validation mirroring the backend's limits (DESIGN §3) so people see problems
 * while typing. The backend stays the authority: its `Invalid` errors are shown too.
 */

export const LIMITS = {
  proposalTitle: { min: 4, max: 120 },
  proposalBody: { max: 10_000 },
  tags: { maxCount: 5, pattern: /^[a-z0-9-]{1,24}$/ },
  commentBody: { min: 1, max: 5_000 },
  displayName: { min: 3, max: 32 },
  bio: { max: 280 },
} as const;

// The backend rejects control characters other than \n and \t (C0, DEL and the C1 range), and
// line breaks or tabs in single-line text.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const LINE_BREAK = /[\n\t\u2028\u2029]/;

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/** Length as the backend counts it: Unicode code points, not UTF-16 units. */
export function textLength(text: string): number {
  return Array.from(text).length;
}

function checkText(
  value: string,
  label: string,
  opts: { min?: number; max: number; singleLine?: boolean },
): string | undefined {
  const text = value.trim();
  const len = textLength(text);
  if (FORBIDDEN_CONTROL.test(text)) return `${label} contains control characters.`;
  if (opts.singleLine && LINE_BREAK.test(text)) return `${label} must be a single line.`;
  if (opts.min !== undefined && len < opts.min) {
    return opts.min === 1
      ? `${label} is required.`
      : `${label} needs at least ${opts.min} characters (${len} now).`;
  }
  if (len > opts.max) return `${label} can have at most ${opts.max} characters (${len} now).`;
  return undefined;
}

/**
 * Splits a free-form tag field ("a, #b c") into normalized tags; repeats count once, as in the
 * backend. Tags are shown as "#tag", so a typed leading "#" is accepted and dropped.
 */
export function parseTags(input: string): string[] {
  const tags = input
    .split(/[\s,]+/)
    .map((t) => t.trim().replace(/^#/, '').toLowerCase())
    .filter((t) => t !== '');
  return [...new Set(tags)];
}

export function validateTags(tags: string[]): string | undefined {
  if (tags.length > LIMITS.tags.maxCount) return `At most ${LIMITS.tags.maxCount} tags.`;
  const bad = tags.find((t) => !LIMITS.tags.pattern.test(t));
  if (bad !== undefined) {
    return `Tag "${bad}" must be 1–24 characters of a–z, 0–9 and "-".`;
  }
  return undefined;
}

export interface ProposalDraft {
  title: string;
  body: string;
  tags: string;
  themeId: string;
}

export function validateProposal(draft: ProposalDraft): FieldErrors<'title' | 'body' | 'tags'> {
  const errors: FieldErrors<'title' | 'body' | 'tags'> = {};
  const title = checkText(draft.title, 'Title', { ...LIMITS.proposalTitle, singleLine: true });
  if (title) errors.title = title;
  const body = checkText(draft.body, 'Description', { max: LIMITS.proposalBody.max });
  if (body) errors.body = body;
  const tags = validateTags(parseTags(draft.tags));
  if (tags) errors.tags = tags;
  return errors;
}

export function validateComment(body: string): string | undefined {
  return checkText(body, 'Comment', LIMITS.commentBody);
}

export function validateProfile(input: {
  displayName: string;
  bio: string;
}): FieldErrors<'displayName' | 'bio'> {
  const errors: FieldErrors<'displayName' | 'bio'> = {};
  const name = checkText(input.displayName, 'Display name', {
    ...LIMITS.displayName,
    singleLine: true,
  });
  if (name) errors.displayName = name;
  const bio = checkText(input.bio, 'Bio', LIMITS.bio);
  if (bio) errors.bio = bio;
  return errors;
}

export function hasErrors(errors: Record<string, string | undefined>): boolean {
  return Object.values(errors).some((e) => e !== undefined);
}
