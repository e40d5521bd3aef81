import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { matchesWhole, wholeTextOf } from '../../../../src/backend/domain/whole-match';

/** Texts of every length around the groups of 16, from a few chars that the classes split. */
const texts = fc
  .array(fc.constantFrom('a', ' ', '\t', '\n', '\u0000', '\u007f', 'é', '\u202e', '😀', '\ud800'), {
    maxLength: 70,
  })
  .map((chars) => chars.join(''));

const CLASSES: [string, '' | 'u'][] = [
  [String.raw`[^\u0000-\u0008\u000b-\u001f\u007f-\uffff]`, ''],
  [String.raw`[^\u0080-\uffff]`, ''],
  [String.raw`[^\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]`, ''],
  [String.raw`[^\u{1F600}\u0300-\u036f]`, 'u'],
];

describe('wholeTextOf', () => {
  it('matches exactly the texts made only of its class, as ^[…]*$ does', () => {
    for (const [cls, flags] of CLASSES) {
      const plain = new RegExp(`^${cls}*$`, flags);
      const unrolled = wholeTextOf(cls, flags);
      fc.assert(
        fc.property(texts, (text) => {
          expect(matchesWhole(unrolled, text)).toBe(plain.test(text));
        }),
        { numRuns: 300 },
      );
    }
  });

  it('answers again after a mismatch (its lastIndex is reset)', () => {
    const printable = wholeTextOf(String.raw`[^\u0000-\u0008\u000b-\u001f\u007f-\uffff]`);
    const long = 'a'.repeat(100);
    expect(matchesWhole(printable, `${long}\u0000`)).toBe(false);
    expect(matchesWhole(printable, long)).toBe(true);
    expect(matchesWhole(printable, '')).toBe(true);
  });
});
