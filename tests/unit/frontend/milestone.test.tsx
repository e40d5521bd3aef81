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
    expect(container.querySelector('.item-stats')?.textContent).toBe('1 vote1 supporter1 comment');
  });
});
