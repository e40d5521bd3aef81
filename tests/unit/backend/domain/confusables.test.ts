import fc from 'fast-check';
import CONFUSABLES from 'unhomoglyph/data.json';
import { describe, expect, it } from 'vitest';

import { nameKeys, skeleton } from '../../../../src/backend/domain/confusables';

const table: Record<string, string> = CONFUSABLES;

/** UTS #39 as written: NFD, prototypes, NFD. */
function reference(text: string): string {
  return [...text.normalize('NFD')]
    .map((ch) => table[ch] ?? ch)
    .join('')
    .normalize('NFD');
}

describe('skeleton', () => {
  it('is the UTS #39 skeleton, on the ASCII fast path too', { timeout: 30_000 }, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 40 }), (text) => {
        expect(skeleton(text)).toBe(reference(text));
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (text) => {
        expect(skeleton(text)).toBe(reference(text));
      }),
    );
  });

  it('maps lookalikes to one form', () => {
    expect(skeleton('\u0410lice')).toBe(skeleton('Alice'));
    expect(skeleton('paypa1')).toBe(skeleton('paypal'));
    expect(skeleton('rn')).toBe(skeleton('m'));
  });
});

describe('nameKeys', () => {
  it('share a key exactly when two names look alike', () => {
    const shared = (a: string, b: string) => nameKeys(a).some((key) => nameKeys(b).includes(key));
    expect(shared('Alice Ng', 'aLiCe nG')).toBe(true);
    expect(shared('Alice Ng', 'AIice Ng')).toBe(true);
    expect(shared('Alice Ng', 'Alice\u200b Ng')).toBe(true);
    expect(shared('Alice Ng', 'Alice Nq')).toBe(false);
  });
});
