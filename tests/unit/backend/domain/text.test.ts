import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  cleanTags,
  cleanText,
  cleanUrl,
  closeBidiPerLine,
} from '../../../../src/backend/domain/text';

const title = { field: 'title', min: 4, max: 120, singleLine: true };

describe('cleanText', () => {
  it('checks printable ASCII the caller vouches for by the same rules, without testing it', () => {
    const plain = fc.stringMatching(/^[\t\n\x20-\x7e]{0,130}$/);
    const rules = [title, { field: 'body', min: 0, max: 100 }, { field: 'note', min: 1, max: 20 }];
    fc.assert(
      fc.property(plain, fc.constantFrom(...rules), (text, rule) => {
        expect(cleanText(text, rule, true)).toEqual(cleanText(text, rule));
      }),
    );
  });

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

describe('text that cannot deceive', () => {
  const body = { field: 'body', min: 1, max: 5000 };
  const bio = { field: 'bio', min: 0, max: 280 };
  const invisible = {
    Err: {
      Invalid: {
        field: 'title',
        reason: 'must not contain invisible or text-direction characters',
      },
    },
  };

  it('stores text in NFC', () => {
    const decomposed = 'Cafe\u0301 re\u0301sume\u0301';
    expect(cleanText(decomposed, title)).toEqual({ Ok: 'Café résumé' });
    expect(cleanText(decomposed, body)).toEqual({ Ok: 'Café résumé' });
  });

  it('refuses text whose visible content is empty', () => {
    expect(cleanText('\u200b\u200b\u200b\u200b', title)).toEqual(invisible);
    for (const text of [
      '\u200b\u200b\u200b',
      '\u2060\ufeff',
      '\u3164\u3164',
      ' \u00ad ',
      '\u0301\u0301',
    ]) {
      expect(cleanText(text, body)).toEqual({
        Err: { Invalid: { field: 'body', reason: 'must not be empty' } },
      });
    }
    // Optional text with nothing to see is simply empty.
    expect(cleanText('\u200b\u200d', bio)).toEqual({ Ok: '' });
  });

  it.each([
    ['\u202e', 'right-to-left override'],
    ['\u202d', 'left-to-right override'],
    ['\u2067', 'right-to-left isolate'],
    ['\u200f', 'right-to-left mark'],
    ['\u200b', 'zero-width space'],
    ['\u2060', 'word joiner'],
    ['\u00ad', 'soft hyphen'],
    ['\u3164', 'Hangul filler'],
    ['\u{e0041}', 'tag character'],
  ])('refuses %j (%s) in single-line text', (ch) => {
    expect(cleanText(`Node ${ch}shuffling`, title)).toEqual(invisible);
  });

  it('keeps joiners inside emoji and words, and emoji presentation selectors', () => {
    for (const text of ['Dev 👩‍💻 tools', 'I ❤️ ICP', 'می‌خواهم عنوان']) {
      expect(cleanText(text, title)).toEqual({ Ok: text });
    }
    expect(cleanText('Trailing join\u200d', title)).toEqual(invisible);
    expect(cleanText('\u200dLeading join', title)).toEqual(invisible);
  });

  it('closes bidi controls at the end of their line in multi-line text', () => {
    expect(cleanText('a \u202eevil\nnext line', body)).toEqual({
      Ok: 'a \u202eevil\u202c\nnext line',
    });
    expect(cleanText('\u2067x \u202by\n\u2066z\u2069 done', body)).toEqual({
      Ok: '\u2067x \u202by\u202c\u2069\n\u2066z\u2069 done',
    });
    // A PDI closes the embeddings opened inside its isolate.
    expect(closeBidiPerLine('\u2067a\u202eb\u2069c')).toBe('\u2067a\u202eb\u2069c');
    expect(cleanText('plain \u200f mark', body)).toEqual({ Ok: 'plain \u200f mark' });
  });
});
