import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  isNfcQuick,
  NONZERO_COMBINING_CLASS,
  QUICK_CHECK_NOT_YES,
  toNfc,
} from '../../../../src/backend/domain/nfc';
import { classBody, nonZeroCombiningClass, quickCheckNotYes } from './nfc-data';

describe('the Unicode data behind the NFC quick check', () => {
  // A failure here prints the class body that the current Unicode data gives: paste it into
  // src/backend/domain/nfc.ts.
  it('lists every character NFC may change or compose with the one before it', () => {
    expect(QUICK_CHECK_NOT_YES).toBe(classBody(quickCheckNotYes()));
  });

  it('lists every character with a non-zero combining class', () => {
    expect(NONZERO_COMBINING_CLASS).toBe(classBody(nonZeroCombiningClass()));
  });
});

/** Characters that exercise NFC: starters, accents, jamo, singletons, compatibility forms. */
const interesting = [
  'a',
  'e',
  'o',
  'A',
  'C',
  ' ',
  '\n',
  'é',
  'ö',
  'Å',
  'ç',
  'ø',
  '€',
  'Я',
  'и',
  'й',
  '\u0301',
  '\u0300',
  '\u0308',
  '\u0327',
  '\u0323',
  '\u0345',
  '\u0334',
  '\u05B4',
  '\u05BC',
  'क',
  '\u093C',
  '\u094D',
  'ि',
  'ं',
  'स',
  '\u0958',
  'ह',
  '\u1100',
  '\u1161',
  '\u11A8',
  '가',
  '각',
  '\u212B',
  '\u2126',
  '\uF900',
  '\u0F73',
  '\u0344',
  '\u{1D15E}',
  '\u{1F600}',
  '\u200D',
  '\u3099',
  'か',
  'ｶ',
  'ﬁ',
  'Ω',
  'ά',
  '\u1F71',
];

const mixedText = fc
  .array(fc.oneof(fc.constantFrom(...interesting), fc.string({ unit: 'binary', maxLength: 3 })), {
    maxLength: 24,
  })
  .map((parts) => parts.join(''));

describe('toNfc', () => {
  it('gives exactly what String.prototype.normalize("NFC") gives', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        expect(toNfc(text)).toBe(text.normalize('NFC'));
      }),
      { numRuns: 5000 },
    );
  });

  it('clears by its quick check only text that is already in NFC', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        if (isNfcQuick(text)) expect(text.normalize('NFC')).toBe(text);
      }),
      { numRuns: 5000 },
    );
  });

  it('clears the text people write in many scripts without normalising it', () => {
    for (const text of [
      'Shared security through node shuffling',
      'Sécurité partagée: mélange des nœuds, 5 €',
      'Общая безопасность через перемешивание узлов',
      'नोड शफलिंग के माध्यम से साझा सुरक्षा',
      'ノードのシャッフルによる共有セキュリティ',
      '노드 셔플링을 통한 공유 보안',
      'אבטחה משותפת',
      'Emoji 🎉 and joiners 👩‍💻',
    ]) {
      expect(isNfcQuick(text), text).toBe(true);
    }
  });

  it('normalises decomposed accents, Hangul jamo and singletons', () => {
    expect(toNfc('e\u0301te\u0301')).toBe('été');
    expect(toNfc('\u1100\u1161\u11A8')).toBe('각');
    expect(toNfc('\u212B')).toBe('Å');
    expect(toNfc('a\u0323\u0302')).toBe('ậ');
    // Marks out of canonical order are reordered even where nothing composes.
    expect(toNfc('x\u0301\u0323')).toBe('x\u0323\u0301');
  });
});
