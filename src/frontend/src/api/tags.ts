/** Tags are `[a-z0-9-]{1,24}` (DESIGN §3) and shown with a leading `#`. */
export const TAG_PATTERN = /^[a-z0-9-]{1,24}$/;

/** What a person types into a tag filter, as the backend spells the tag: `#Security` → `security`. */
export function normalizeTag(input: string): string {
  return input.trim().replace(/^#+/, '').trim().toLowerCase();
}

export function isTag(value: string): boolean {
  return TAG_PATTERN.test(value);
}

/**
 * Several tags as people type them: separated by spaces or commas, each with or without its
 * `#`, any case. Tags come back once each, in the order typed; `invalid` holds the words that
 * cannot be tags, so the field can say why instead of listing nothing.
 */
export function parseTags(input: string): { tags: string[]; invalid: string[] } {
  const words = input
    .split(/[\s,]+/)
    .map(normalizeTag)
    .filter((w) => w !== '');
  const tags = [...new Set(words.filter(isTag))];
  return { tags, invalid: words.filter((w) => !isTag(w)) };
}

/** Tags as the app shows them: `#security #consensus`. */
export function showTags(tags: readonly string[]): string {
  return tags.map((t) => `#${t}`).join(' ');
}
