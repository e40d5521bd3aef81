import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PriorityAllocation, Roadmap } from '../../../src/frontend/src/api/models';
import { LiveRegion } from '../../../src/frontend/src/components/LiveRegion';
import { allocationsOf, MyPriorities } from '../../../src/frontend/src/components/MyPriorities';
import { queryKeys } from '../../../src/frontend/src/hooks/queryKeys';
import { Providers, sampleRoadmap, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  getMyPriorities: vi.fn(),
  getRoadmap: vi.fn(),
  setPriorityVotes: vi.fn(),
  whoami: vi.fn(),
  getItem: vi.fn(),
}));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: 'signedIn', principal: 'me', signIn: vi.fn() }),
}));

function roadmapWithOpenItems(): Roadmap {
  const roadmap = sampleRoadmap();
  const milestone = roadmap.themes[0]?.milestones[0];
  const base = milestone?.items[0];
  if (!milestone || !base) throw new Error('fixture has no item');
  milestone.items.push(
    { ...base, id: '2', slug: 'vetkeys', title: 'vetKeys', status: 'Upcoming' },
    { ...base, id: '3', slug: 'sev', title: 'SEV-SNP', status: 'Future' },
  );
  return roadmap;
}

// 3 votes (9 credits) on vetKeys and 6 votes (36 credits) on SEV-SNP: 45 of 50 spent.
const allocation: PriorityAllocation = {
  budget: 50,
  spent: 45,
  remaining: 5,
  votes: { '2': 3, '3': 6 },
};

function renderPriorities() {
  const client = testQueryClient();
  client.setQueryData(queryKeys.priorities(), allocation);
  client.setQueryData(queryKeys.roadmap(), roadmapWithOpenItems());
  render(
    <Providers client={client}>
      <MyPriorities />
      <LiveRegion />
    </Providers>,
  );
  return client;
}

describe('allocationsOf', () => {
  it('lists items by the credits they take, named from the roadmap, skipping zeros', () => {
    const rows = allocationsOf(
      { ...allocation, votes: { ...allocation.votes, '9': 0 } },
      roadmapWithOpenItems(),
    );
    expect(rows.map((r) => [r.item?.title, r.votes, r.cost])).toEqual([
      ['SEV-SNP', 6, 36],
      ['vetKeys', 3, 9],
    ]);
  });
});

describe('<MyPriorities>', () => {
  beforeEach(() => {
    api.setPriorityVotes.mockReset();
    api.whoami.mockResolvedValue({});
    api.getItem.mockResolvedValue(null);
    api.getRoadmap.mockResolvedValue(roadmapWithOpenItems());
  });

  it('shows where the credits went: item, votes and cost', () => {
    renderPriorities();
    expect(screen.getByText('45 of 50 credits spent, 5 left', { exact: false })).toBeTruthy();
    const rows = screen.getAllByRole('listitem');
    expect(rows.map((r) => r.textContent?.replace(/[−+]|Remove/g, ''))).toEqual([
      'SEV-SNP6 votes · 36 credits',
      'vetKeys3 votes · 9 credits',
    ]);
  });

  it('rebalances in place, keeping focus on the step button and announcing the result', async () => {
    renderPriorities();
    api.setPriorityVotes.mockResolvedValue({
      budget: 50,
      spent: 34,
      remaining: 16,
      votes: { '2': 3, '3': 5 },
    });
    const fewer = screen.getByRole('button', { name: /One vote fewer on SEV-SNP/ });
    expect(fewer.getAttribute('aria-label')).toContain('frees 11 credits');
    await userEvent.click(fewer);
    expect(api.setPriorityVotes).toHaveBeenCalledWith('3', 5);
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        '5 votes on SEV-SNP, costing 25. 16 credits left.',
      ),
    );
    expect(document.activeElement).toBe(fewer);
    expect(screen.getByText('34 of 50 credits spent, 16 left', { exact: false })).toBeTruthy();
  });

  it('refuses a step the credits cannot pay for and says why', async () => {
    renderPriorities();
    // A 4th vote on vetKeys costs 16 − 9 = 7 more credits; 5 are left.
    const more = screen.getByRole('button', { name: /One vote more on vetKeys/ });
    expect(more.getAttribute('aria-disabled')).toBe('true');
    await userEvent.click(more);
    expect(api.setPriorityVotes).not.toHaveBeenCalled();
    expect(screen.getByRole('status').textContent).toBe(
      'Not enough credits: one more vote on vetKeys costs 7, 5 left.',
    );
  });

  it('removes an allocation and moves focus to the list heading', async () => {
    renderPriorities();
    api.setPriorityVotes.mockResolvedValue({
      budget: 50,
      spent: 36,
      remaining: 14,
      votes: { '3': 6 },
    });
    const list = screen.getByRole('list');
    await userEvent.click(
      within(list).getByRole('button', { name: 'Remove your votes from vetKeys' }),
    );
    expect(api.setPriorityVotes).toHaveBeenCalledWith('2', 0);
    await waitFor(() => expect(screen.queryByText('vetKeys')).toBeNull());
    expect(document.activeElement).toBe(
      screen.getByRole('heading', { name: 'Your priority votes' }),
    );
    expect(screen.getByRole('status').textContent).toBe(
      'Removed your votes from vetKeys. 14 credits left.',
    );
  });
});
