/** Tags are `[a-z0-9-]{1,24}` (DESIGN §3) and shown with a leading `#`. */
export const TAG_PATTERN = /^[a-z0-9-]{1,24}$/;

/** What a person types into a tag filter, as the backend spells the tag: `#Security` → `security`. */
export function normalizeTag(input: string): string {
  return input.trim().replace(/^#+/, '').trim().toLowerCase();
}

export function isTag(value: string): boolean {
  return TAG_PATTERN.test(value);
}
