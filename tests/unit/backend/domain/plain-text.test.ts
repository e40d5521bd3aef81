import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// Excerpts in proposal lists are the plain text of the body, cut after stripping (so a cut
// never leaves half a markdown construct behind).
import {
  markdownToPlainText,
  WHITESPACE_BUT_SPACE,
} from '../../../../src/backend/domain/plain-text';

describe('markdownToPlainText', () => {
  it('drops heading markers, keeps headings as labels and joins lines', () => {
    expect(markdownToPlainText('## Motivation\nA subnet can be taken over.')).toBe(
      'Motivation: A subnet can be taken over.',
    );
    expect(markdownToPlainText('# Title #\n\nSetext\n======\n\nText')).toBe('Title: Setext Text');
    expect(markdownToPlainText('### Why now?\nBecause.')).toBe('Why now? Because.');
  });

  it('keeps the words of emphasis, strikethrough and inline code', () => {
    expect(
      markdownToPlainText('Use **threshold** _Schnorr_ and *EdDSA* ~~not RSA~~ `sign()`'),
    ).toBe('Use threshold Schnorr and EdDSA not RSA sign()');
    expect(markdownToPlainText('__strong__ and ***both***')).toBe('strong and both');
  });

  it('leaves snake_case, arithmetic and lone asterisks alone', () => {
    expect(markdownToPlainText('call node_shuffle_interval with 2*3*4 or a * b')).toBe(
      'call node_shuffle_interval with 2*3*4 or a * b',
    );
  });

  it('turns links and images into their text', () => {
    expect(
      markdownToPlainText(
        'See [the forum](https://forum.dfinity.org/t/1) and ![diagram](https://x.example/a.png) or <https://internetcomputer.org>.',
      ),
    ).toBe('See the forum and diagram or https://internetcomputer.org.');
    expect(markdownToPlainText('A [reference][1] link.\n\n[1]: https://example.org')).toBe(
      'A reference link.',
    );
  });

  it('drops code fences but keeps the code', () => {
    expect(markdownToPlainText('Before\n```ts\nconst x = 1;\n```\nAfter')).toBe(
      'Before const x = 1; After',
    );
  });

  it('drops list markers, task boxes, quotes and rules', () => {
    expect(markdownToPlainText('- one\n* two\n+ three\n1. four\n2) five')).toBe(
      'one two three four five',
    );
    expect(markdownToPlainText('- [x] done\n- [ ] todo\n\n---\n\n> quoted\n> > nested')).toBe(
      'done todo quoted nested',
    );
  });

  it('reduces tables to their cells', () => {
    expect(markdownToPlainText('| a | b |\n|---|:--:|\n| 1 | 2 |')).toBe('a b 1 2');
  });

  it('shows no HTML tags and decodes entities', () => {
    expect(markdownToPlainText('Hi <b>there</b> <img src=x onerror=alert(1)> &amp; &lt;3')).toBe(
      'Hi there & <3',
    );
  });

  it('keeps escaped characters as text', () => {
    expect(markdownToPlainText('\\*not emphasis\\* and \\# not a heading')).toBe(
      '*not emphasis* and # not a heading',
    );
  });

  it('reads inline syntax that spans lines as it reads it on one line', () => {
    const spanning = [
      ['**bold\ntext** after', 'bold text after'],
      ['a `code\nspan` b', 'a code span b'],
      ['see [the\nlink](https://example.org) here', 'see the link here'],
      ['before <!-- a\ncomment --> after', 'before after'],
      ['~~struck\nout~~ and _some\nstress_', 'struck out and some stress'],
    ];
    for (const [markdown, plain] of spanning) {
      expect(markdownToPlainText(markdown!)).toBe(plain);
      expect(markdownToPlainText(markdown!.replace('\n', ' '))).toBe(plain);
    }
  });

  it('knows the whitespace other than the space exactly as \\s does', () => {
    const others = new RegExp(`[${WHITESPACE_BUT_SPACE}]`);
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      expect(others.test(char), `U+${code.toString(16)}`).toBe(/\s/.test(char) && char !== ' ');
    }
  });

  it('turns every run of whitespace into one space, as a reader sees prose', () => {
    const word = fc.stringMatching(/^[a-zA-Z][a-zA-Z,]{0,7}$/);
    const space = fc.constantFrom(' ', '  ', '\t', ' \t ', '\u00a0', '\u3000', '\n', ' \n  ');
    fc.assert(
      fc.property(fc.array(fc.tuple(word, space), { maxLength: 12 }), (pairs) => {
        const text = pairs.map(([w, s]) => w + s).join('');
        expect(markdownToPlainText(text)).toBe(text.replace(/\s+/g, ' ').trim());
      }),
    );
  });
});
