import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextOrder, reorder, slugify } from '../../../src/frontend/src/api/roadmapOrder';

describe('slugify', () => {
  it('derives the slug the backend accepts from a title', () => {
    expect(slugify('Threshold Schnorr / EdDSA')).toBe('threshold-schnorr-eddsa');
    expect(slugify('  vetKeys — Privacy!  ')).toBe('vetkeys-privacy');
    expect(slugify('Déploiement SEV-SNP')).toBe('deploiement-sev-snp');
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (title) => {
        const slug = slugify(title);
        expect(slug === '' || /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)).toBe(true);
        expect(slug.length).toBeLessThanOrEqual(64);
      }),
    );
  });
});

describe('reorder', () => {
  it('swaps two neighbours by exchanging their order numbers', () => {
    expect(reorder([0, 1, 2, 3], 2, 1)).toEqual([0, 2, 1, 3]);
    expect(reorder([10, 20, 30], 0, 1)).toEqual([20, 10, 30]);
  });

  it('renumbers siblings that share an order number', () => {
    expect(reorder([0, 0, 0], 2, 1)).toEqual([0, 2, 1]);
  });

  it('always yields the moved arrangement when sorted by the new numbers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.nat(),
        (raw, a, b) => {
          const orders = [...raw].sort((x, y) => x - y);
          const from = a % orders.length;
          const to = b % orders.length;
          const next = reorder(orders, from, to);
          const expected = orders.map((_, i) => i);
          expected.splice(to, 0, ...expected.splice(from, 1));
          // Display order: by order number, then by position (the backend breaks ties by id).
          const shown = orders
            .map((_, i) => i)
            .sort((x, y) => (next[x] as number) - (next[y] as number) || x - y);
          expect(shown).toEqual(expected);
        },
      ),
    );
  });
});

describe('nextOrder', () => {
  it('places a new entry after its last sibling', () => {
    expect(nextOrder([])).toBe(0);
    expect(nextOrder([{ order: 3 }, { order: 1 }])).toBe(4);
  });
});
