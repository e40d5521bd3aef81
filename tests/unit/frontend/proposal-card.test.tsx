import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ProposalSummary } from '../../../src/frontend/src/api/models';
import {
  displayExcerpt,
  EXCERPT_LENGTH,
  ProposalCard,
} from '../../../src/frontend/src/components/ProposalCard';
import { Providers, testQueryClient } from './helpers';

vi.mock('../../../src/frontend/src/api/backend', () => ({ api: {} }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: 'signedOut', principal: undefined, signIn: vi.fn() }),
}));

describe('ProposalCard', () => {
  it('shows the plain-text excerpt the backend stored, with tag filters and a comment count', () => {
    const proposal: ProposalSummary = {
      id: '3',
      author: 'aaaaa-aa',
      authorName: 'Alice',
      title: 'Node shuffling',
      excerpt: 'Motivation: A subnet could be taken over by <b>anyone</b>.',
      themeId: undefined,
      tags: ['security'],
      status: { kind: 'Open' },
      createdAt: new Date(0),
      updatedAt: new Date(0),
      up: 0,
      down: 0,
      commentCount: 1,
      myVote: undefined,
    };
    const { container } = render(
      <Providers client={testQueryClient()}>
        <ProposalCard proposal={proposal} />
      </Providers>,
    );
    // Text, never markup: whatever the excerpt holds is shown as characters.
    expect(
      screen.getByText('Motivation: A subnet could be taken over by <b>anyone</b>.'),
    ).toBeTruthy();
    expect(container.querySelector('.excerpt b')).toBeNull();
    expect(screen.getByRole('link', { name: 'Node shuffling' }).getAttribute('href')).toBe(
      '/proposals/3',
    );
    expect(screen.getByRole('link', { name: '#security' }).getAttribute('href')).toBe(
      '/proposals?tag=security',
    );
    expect(container.textContent).toContain('1 comment');
    expect(container.textContent).not.toContain('1 comments');
  });

  it('ends an excerpt the backend cut at a whole word with an ellipsis, and leaves short ones', () => {
    const words = 'shuffling nodes '.repeat(20);
    const cut = words.slice(0, EXCERPT_LENGTH);
    expect(cut.endsWith(' ')).toBe(false);
    const shown = displayExcerpt(cut);
    expect(shown.endsWith('…')).toBe(true);
    expect(words.startsWith(shown.slice(0, -1) + ' ')).toBe(true);
    expect(displayExcerpt('A short idea.')).toBe('A short idea.');
  });
});
