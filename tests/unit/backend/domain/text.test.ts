import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { cleanTags, cleanText, cleanUrl } from '../../../../src/backend/domain/text';

const title = { field: 'title', min: 4, max: 120, singleLine: true };

describe('cleanText', () => {
  it('trims surrounding whitespace', () => {
    expect(cleanText('  Node shuffling \n', title)).toEqual({ Ok: 'Node shuffling' });
  });

  it.each([
    ['\u0000', 'NUL'],
    ['\u0007', 'BEL'],
    ['\u001b', 'ESC'],
    ['\u007f', 'DEL'],
    ['\u0085', 'NEL'],
    ['\r', 'carriage return'],
  ])('rejects the control character %j (%s)', (control) => {
    expect(cleanText(`abc${control}def`, { field: 'body', min: 1, max: 100 })).toEqual({
      Err: { Invalid: { field: 'body', reason: 'must not contain control characters' } },
    });
  });

  it('keeps newlines and tabs in multi-line text', () => {
    expect(cleanText('a\n\tb', { field: 'body', min: 1, max: 100 })).toEqual({ Ok: 'a\n\tb' });
  });

  it('rejects line breaks and tabs in single-line text', () => {
    for (const text of ['two\nlines', 'tab\there', 'sep\u2028arator']) {
      expect(cleanText(text, title)).toEqual({
        Err: { Invalid: { field: 'title', reason: 'must be a single line' } },
      });
    }
  });

  it('counts code points, so an emoji counts once', () => {
    expect(cleanText('🚀🚀🚀🚀', title)).toEqual({ Ok: '🚀🚀🚀🚀' });
    expect('Err' in cleanText('🚀🚀🚀', title)).toBe(true);
  });

  it('accepts exactly the lengths within the bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 130 }), (length) => {
        const result = cleanText('x'.repeat(length), title);
        expect('Ok' in result).toBe(length >= 4 && length <= 120);
      }),
    );
  });

  it('says empty rather than too short when a text of at least one character is empty', () => {
    expect(cleanText('   ', { field: 'body', min: 1, max: 5 })).toEqual({
      Err: { Invalid: { field: 'body', reason: 'must not be empty' } },
    });
  });
});

describe('cleanTags', () => {
  it('accepts up to five tags of [a-z0-9-]{1,24} and drops duplicates', () => {
    expect(cleanTags(['ai', 'gpu', 'ai', 'wasm-64'])).toEqual({ Ok: ['ai', 'gpu', 'wasm-64'] });
  });

  it.each([
    [['a', 'b', 'c', 'd', 'e', 'f']],
    [['UPPER']],
    [['']],
    [['x'.repeat(25)]],
    [['with space']],
  ])('rejects %j', (tags) => {
    const result = cleanTags(tags);
    expect('Err' in result && 'Invalid' in result.Err && result.Err.Invalid.field).toBe('tags');
  });
});

describe('cleanUrl', () => {
  it('accepts https and rejects everything else', () => {
    expect(cleanUrl('https://internetcomputer.org/roadmap', 'url')).toEqual({
      Ok: 'https://internetcomputer.org/roadmap',
    });
    for (const url of ['http://x.org', 'javascript:alert(1)', 'https://', 'ftp://x']) {
      expect('Err' in cleanUrl(url, 'url')).toBe(true);
    }
  });
});
