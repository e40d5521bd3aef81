import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  MAX_WORD,
  fold,
  stemWord,
  tokens,
  words,
} from '../../../../src/backend/domain/search/analyze';

describe('fold', () => {
  it('lower-cases and folds accents and letters without a decomposition', () => {
    expect(fold('Résumé')).toBe('resume');
    expect(fold('NAÏVE Ångström')).toBe('naive angstrom');
    expect(fold('Straße')).toBe('strasse');
    expect(fold('Łódź Øresund Æther')).toBe('lodz oresund aether');
  });

  it('leaves plain ASCII as lower case only', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcXYZ019 .,-!'.split('')) }), (text) => {
        expect(fold(text)).toBe(text.toLowerCase());
      }),
    );
  });
});

describe('words', () => {
  it('splits on everything but letters and digits', () => {
    expect(words("Node-shuffling (t-ECDSA), v2.0; don't!")).toEqual([
      'node',
      'shuffling',
      't',
      'ecdsa',
      'v2',
      '0',
      'don',
      't',
    ]);
  });

  it('keeps other scripts, and takes CJK one character at a time', () => {
    expect(words('Ротация узлов')).toEqual(['ротация', 'узлов']);
    expect(words('節點輪換 nodes')).toEqual(['節', '點', '輪', '換', 'nodes']);
  });

  it('cuts very long runs into pieces', () => {
    expect(words('x'.repeat(100))).toEqual([
      'x'.repeat(MAX_WORD),
      'x'.repeat(MAX_WORD),
      'x'.repeat(20),
    ]);
    expect(words('é'.repeat(50))).toEqual(['e'.repeat(MAX_WORD), 'e'.repeat(10)]);
  });

  it('splits a word that runs into CJK', () => {
    expect(words('nodes節點 ok')).toEqual(['nodes', '節', '點', 'ok']);
  });

  it('finds the same words in a text and in its upper-case or decomposed form', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aeiouéàüñ ÉÀ-'.split('')) }), (text) => {
        expect(words(text.toUpperCase())).toEqual(words(text));
        expect(words(text.normalize('NFD'))).toEqual(words(text));
      }),
    );
  });
});

describe('stemWord', () => {
  it('gives inflections of an English word one term (Porter2)', () => {
    expect(stemWord('shuffling')).toBe(stemWord('shuffle'));
    expect(stemWord('shuffles')).toBe(stemWord('shuffle'));
    expect(stemWord('subnets')).toBe('subnet');
    expect(stemWord('proposals')).toBe(stemWord('proposal'));
  });

  it('drops stop words and lone letters, keeps numbers and other scripts as they are', () => {
    expect(stemWord('the')).toBeUndefined();
    expect(stemWord('t')).toBeUndefined();
    expect(stemWord('2')).toBe('2');
    expect(stemWord('ротация')).toBe('ротация');
    expect(stemWord('ic')).toBe('ic');
  });
});

describe('tokens', () => {
  it('pairs each word with its term and leaves stop words out', () => {
    expect(tokens('The shuffling of nodes')).toEqual([
      { word: 'shuffling', term: 'shuffl' },
      { word: 'nodes', term: 'node' },
    ]);
  });
});
