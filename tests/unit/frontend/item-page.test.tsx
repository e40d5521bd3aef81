import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  ItemDetail,
  ProposalStatus,
  ProposalSummary,
} from '../../../src/frontend/src/api/models';
import ItemPage from '../../../src/frontend/src/pages/ItemPage';
import { sampleRoadmap, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  getItem: vi.fn(),
  getRoadmap: vi.fn(),
  getThread: vi.fn(),
  listProposals: vi.fn(),
  listRoles: vi.fn(),
  whoami: vi.fn(),
}));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: 'signedOut', principal: undefined, signIn: vi.fn() }),
}));

function proposal(id: string, title: string, status: ProposalStatus, up: number): ProposalSummary {
  return {
    id,
    author: 'bob-principal',
    authorName: 'Bob',
    title,
    excerpt: '',
    themeId: undefined,
    tags: [],
    status,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    up,
    down: 0,
    commentCount: 2,
    myVote: undefined,
    hidden: undefined,
  };
}

function detail(status: ItemDetail['item']['status']): ItemDetail {
  const roadmap = sampleRoadmap();
  const theme = roadmap.themes[0];
  const milestone = theme?.milestones[0];
  const item = milestone?.items[0];
  if (!theme || !milestone || !item) throw new Error('fixture has no item');
  return { item: { ...item, status }, milestone, theme, myVotes: 0 };
}

function renderItem() {
  return render(
    <QueryClientProvider client={testQueryClient()}>
      <MemoryRouter initialEntries={['/roadmap/items/1']}>
        <Routes>
          <Route path="/roadmap/items/:id" element={<ItemPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  api.getRoadmap.mockReset().mockResolvedValue(sampleRoadmap());
  api.getThread.mockReset().mockResolvedValue({ comments: [], nextCursor: undefined });
  api.listRoles.mockReset().mockResolvedValue([]);
  // Planned proposals of every item, over two pages: the item's own are on both.
  api.listProposals.mockReset().mockImplementation((_filters: unknown, cursor?: string) =>
    cursor === undefined
      ? {
          proposals: [
            proposal('4', 'Node shuffling', { kind: 'Planned', itemId: '1' }, 5),
            proposal('5', 'Something else', { kind: 'Planned', itemId: '2' }, 9),
          ],
          nextCursor: 'page-2',
        }
      : {
          proposals: [proposal('6', 'Shuffle subnets', { kind: 'Planned', itemId: '1' }, 2)],
          nextCursor: undefined,
        },
  );
});

describe('item page', () => {
  it('leads back through its milestone and theme to the roadmap', async () => {
    const { item, milestone, theme } = detail('Upcoming');
    api.getItem.mockResolvedValue(detail('Upcoming'));
    renderItem();
    await screen.findByRole('heading', { level: 1, name: item.title });
    const trail = screen.getByRole('navigation', { name: 'Breadcrumb' });
    expect(
      within(trail)
        .getAllByRole('link')
        .map((a) => [a.textContent, a.getAttribute('href')]),
    ).toEqual([
      ['Roadmap', '/'],
      [theme.title, `/roadmap/themes/${theme.id}`],
      [milestone.name, `/roadmap/milestones/${milestone.id}`],
    ]);
  });

  it('shows the proposals planned as the item, and invites their supporters to fund it', async () => {
    api.getItem.mockResolvedValue(detail('Upcoming'));
    renderItem();
    const section = await screen.findByRole('region', { name: 'Proposals planned as this item' });
    await within(section).findByRole('link', { name: 'Shuffle subnets' });
    expect(
      within(section)
        .getAllByRole('heading', { level: 3 })
        .map((h) => h.textContent),
    ).toEqual(['Node shuffling', 'Shuffle subnets']);
    expect(api.listProposals).toHaveBeenCalledWith(
      expect.objectContaining({ statuses: ['Planned'] }),
      undefined,
    );
    await waitFor(() => expect(section.textContent).toContain('(7 supporters in all)'));
    expect(
      within(section)
        .getByRole('link', { name: 'Give this item priority votes' })
        .getAttribute('href'),
    ).toBe('#priority-heading');
  });

  it('does not ask for priority votes on a deployed item, and shows nothing when none led to it', async () => {
    api.getItem.mockResolvedValue(detail('Deployed'));
    renderItem();
    const section = await screen.findByRole('region', { name: 'Proposals planned as this item' });
    expect(within(section).queryByRole('link', { name: /priority votes/ })).toBeNull();

    api.listProposals.mockReset().mockResolvedValue({ proposals: [], nextCursor: undefined });
    api.getItem.mockResolvedValue(detail('Upcoming'));
    const { container } = renderItem();
    await within(container).findByRole('heading', { name: 'Community priority' });
    await waitFor(() => expect(api.listProposals).toHaveBeenCalled());
    expect(within(container).queryByRole('region', { name: /planned as this item/ })).toBeNull();
  });
});
