import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { ProposalSummary } from '../../../src/frontend/src/api/models';
import RoadmapPage from '../../../src/frontend/src/pages/RoadmapPage';
import ThemePage from '../../../src/frontend/src/pages/ThemePage';
import { sampleRoadmap, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  getRoadmap: vi.fn(),
  listProposals: vi.fn(),
  getMyPriorities: vi.fn(),
}));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: 'anonymous', principal: undefined, signIn: vi.fn() }),
}));

const proposal: ProposalSummary = {
  id: '7',
  author: 'aaaaa-aa',
  authorName: 'Alice',
  title: 'Inference on GPUs',
  excerpt: 'Run models on subnets with GPUs.',
  themeId: '1',
  tags: [],
  status: { kind: 'Open' },
  createdAt: new Date(0),
  updatedAt: new Date(0),
  up: 3,
  down: 0,
  commentCount: 0,
  myVote: undefined,
};

function at(path: string) {
  return render(
    <QueryClientProvider client={testQueryClient()}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/" element={<RoadmapPage />} />
          <Route path="/roadmap/themes/:id" element={<ThemePage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('theme page', () => {
  it('lists the theme’s milestones with their items, and its active proposals', async () => {
    api.getRoadmap.mockResolvedValue(sampleRoadmap());
    api.listProposals.mockResolvedValue({ proposals: [proposal], nextCursor: undefined });
    at('/roadmap/themes/1');
    await screen.findByRole('heading', { name: 'Decentralized AI', level: 1 });
    const milestones = screen.getByRole('region', { name: 'Milestones' });
    within(milestones).getByRole('heading', { name: 'Cyclotron', level: 3 });
    expect(
      within(milestones)
        .getByRole('link', { name: 'Deterministic WebAssembly SIMD' })
        .getAttribute('href'),
    ).toBe('/roadmap/items/1');

    const proposals = screen.getByRole('region', { name: 'Proposals in this theme' });
    await within(proposals).findByRole('heading', { name: 'Inference on GPUs', level: 3 });
    expect(api.listProposals).toHaveBeenCalledWith(
      { sort: 'Hot', statuses: ['Open', 'UnderReview', 'Planned'], themeId: '1' },
      undefined,
    );
    expect(
      within(proposals)
        .getByRole('link', { name: 'All proposals in this theme, closed ones included' })
        .getAttribute('href'),
    ).toBe('/proposals?theme=1&status=any');
  });

  it('says so when the theme does not exist', async () => {
    api.getRoadmap.mockResolvedValue(sampleRoadmap());
    at('/roadmap/themes/99');
    await screen.findByRole('heading', { name: 'Theme not found' });
  });

  it('is linked from the theme’s heading on the roadmap', async () => {
    api.getRoadmap.mockResolvedValue(sampleRoadmap());
    at('/');
    const heading = await screen.findByRole('heading', { name: 'Decentralized AI', level: 2 });
    expect(within(heading).getByRole('link').getAttribute('href')).toBe('/roadmap/themes/1');
  });
});
