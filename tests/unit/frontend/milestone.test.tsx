import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import MilestonePage from '../../../src/frontend/src/pages/MilestonePage';
import { sampleRoadmap, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({ getRoadmap: vi.fn(), getThread: vi.fn() }));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: 'signedOut', principal: undefined, signIn: vi.fn() }),
}));

describe('milestone page', () => {
  it('counts an item’s votes, supporters and comments in the singular when there is one', async () => {
    const roadmap = sampleRoadmap();
    const item = roadmap.themes[0]?.milestones[0]?.items[0];
    if (!item) throw new Error('fixture has no item');
    item.priority = { votes: 1, supporters: 1 };
    item.commentCount = 1;
    api.getRoadmap.mockResolvedValue(roadmap);
    api.getThread.mockResolvedValue({ comments: [], nextCursor: undefined });
    const { container } = render(
      <QueryClientProvider client={testQueryClient()}>
        <MemoryRouter initialEntries={['/roadmap/milestones/1']}>
          <Routes>
            <Route path="/roadmap/milestones/:id" element={<MilestonePage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    );
    await screen.findByRole('heading', { name: 'Cyclotron' });
    expect(container.querySelector('.item-stats')?.textContent).toBe(
      'Final tally: 1 priority vote from 1 supporter1 comment',
    );
  });

  it('says a deployed item without votes got none before release, and names open tallies', async () => {
    const roadmap = sampleRoadmap();
    const milestone = roadmap.themes[0]?.milestones[0];
    const deployed = milestone?.items[0];
    if (!milestone || !deployed) throw new Error('fixture has no item');
    milestone.items.push({
      ...deployed,
      id: '2',
      slug: 'next',
      title: 'Next',
      status: 'Upcoming',
      priority: { votes: 7, supporters: 3 },
    });
    api.getRoadmap.mockResolvedValue(roadmap);
    api.getThread.mockResolvedValue({ comments: [], nextCursor: undefined });
    const { container } = render(
      <QueryClientProvider client={testQueryClient()}>
        <MemoryRouter initialEntries={['/roadmap/milestones/1']}>
          <Routes>
            <Route path="/roadmap/milestones/:id" element={<MilestonePage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    );
    await screen.findByRole('heading', { name: 'Cyclotron' });
    const stats = Array.from(container.querySelectorAll('.item-stats')).map((e) => e.textContent);
    expect(stats).toEqual([
      'No priority votes before release0 comments',
      '7 priority votes from 3 supporters0 comments',
    ]);
  });
});
