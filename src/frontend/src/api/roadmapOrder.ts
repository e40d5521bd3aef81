/**
 * Roadmap entries are keyed by slug and ordered by a number (DESIGN §3); people edit titles and
 * move entries up or down, and these turn that into slugs and order numbers.
 */

/** Slugs are `[a-z0-9]+(-[a-z0-9]+)*`, at most 64 characters. */
export const SLUG_MAX = 64;

/** A slug from a title: `Threshold Schnorr / EdDSA` → `threshold-schnorr-eddsa`. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, '');
}

/** The order number for a new entry: after its last sibling. */
export function nextOrder(siblings: readonly { order: number }[]): number {
  return siblings.reduce((max, s) => Math.max(max, s.order + 1), 0);
}

/**
 * New order numbers after moving the sibling at `from` to `to`, given the siblings' current
 * numbers in display order. Distinct increasing numbers are kept and handed around, so a swap of
 * neighbours changes two entries; ties (which order only by id) are renumbered 0, 1, 2, …
 */
export function reorder(orders: readonly number[], from: number, to: number): number[] {
  const arrangement = orders.map((_, i) => i);
  const [moved] = arrangement.splice(from, 1);
  if (moved === undefined) return [...orders];
  arrangement.splice(to, 0, moved);
  const increasing = orders.every((o, i) => i === 0 || o > (orders[i - 1] as number));
  const slots = increasing ? orders : orders.map((_, i) => i);
  const next = [...orders];
  arrangement.forEach((original, position) => {
    next[original] = slots[position] as number;
  });
  return next;
}
