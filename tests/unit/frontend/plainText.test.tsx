import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ProposalSummary } from '../../../src/frontend/src/api/models';
import { ProposalCard } from '../../../src/frontend/src/components/ProposalCard';
import {
  EXCERPT_LENGTH,
  excerptText,
  markdownToPlainText,
} from '../../../src/frontend/src/components/plainText';
import { Providers, testQueryClient } from './helpers';

vi.mock('../../../src/frontend/src/api/backend', () => ({ api: {} }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: 'signedOut', principal: undefined, signIn: vi.fn() }),
}));

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

  it('copes with syntax cut off at the end', () => {
    expect(markdownToPlainText('Read [the design](https://forum.dfin')).toBe('Read the design');
    expect(markdownToPlainText('This is **very imp')).toBe('This is very imp');
    expect(markdownToPlainText('Open link [to the')).toBe('Open link to the');
    expect(markdownToPlainText('Code `unfinished')).toBe('Code unfinished');
  });
});

describe('excerptText', () => {
  it('adds an ellipsis only when the backend cut the excerpt', () => {
    expect(excerptText('## Short\nbody.')).toBe('Short: body.');
    const cut = `## Motivation\n${'word '.repeat(100)}`.slice(0, EXCERPT_LENGTH);
    const shown = excerptText(cut);
    expect(shown.startsWith('Motivation: word word')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
    expect(shown).not.toContain('#');
  });
});

describe('ProposalCard', () => {
  it('shows the excerpt as plain text, not raw markdown', () => {
    const proposal: ProposalSummary = {
      id: '3',
      author: 'aaaaa-aa',
      authorName: 'Alice',
      title: 'Node shuffling',
      excerpt: '## Motivation\nA subnet **could** be [taken over](https://x.example).',
      themeId: undefined,
      tags: [],
      status: { kind: 'Open' },
      createdAt: new Date(0),
      updatedAt: new Date(0),
      up: 0,
      down: 0,
      commentCount: 0,
      myVote: undefined,
    };
    const { container } = render(
      <Providers client={testQueryClient()}>
        <ProposalCard proposal={proposal} />
      </Providers>,
    );
    expect(screen.getByText('Motivation: A subnet could be taken over.')).toBeTruthy();
    expect(container.textContent).not.toContain('##');
    expect(container.textContent).not.toContain('**');
    expect(container.querySelector('.excerpt a')).toBeNull();
  });
});
