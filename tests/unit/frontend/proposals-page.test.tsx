import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import type { ProposalFilters } from '../../../src/frontend/src/api/models';
import ProposalsPage, { filtersFromParams } from '../../../src/frontend/src/pages/ProposalsPage';
import { sampleRoadmap, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({ listProposals: vi.fn(), getRoadmap: vi.fn() }));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: 'anonymous', principal: undefined, signIn: vi.fn() }),
}));

let search = '';
function Location() {
  search = useLocation().search;
  return null;
}

function renderPage(url = '/proposals') {
  return render(
    <QueryClientProvider client={testQueryClient()}>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route path="/proposals" element={<ProposalsPage />} />
        </Routes>
        <Location />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const lastFilters = () => api.listProposals.mock.lastCall?.[0] as ProposalFilters;

describe('filtersFromParams', () => {
  it('lists open, under review and planned proposals unless another status is asked for', () => {
    expect(filtersFromParams(new URLSearchParams('')).statuses).toEqual([
      'Open',
      'UnderReview',
      'Planned',
    ]);
    expect(filtersFromParams(new URLSearchParams('status=closed')).statuses).toEqual([
      'Declined',
      'Duplicate',
      'Done',
    ]);
    expect(filtersFromParams(new URLSearchParams('status=any')).statuses).toBeUndefined();
    expect(filtersFromParams(new URLSearchParams('status=Done')).statuses).toEqual(['Done']);
  });

  it('reads a tag as it is shown, with its #', () => {
    expect(filtersFromParams(new URLSearchParams('tag=%23Security')).tag).toBe('security');
  });
});

describe('proposal list filters', () => {
  beforeEach(() => {
    api.listProposals.mockReset();
    api.listProposals.mockResolvedValue({ proposals: [], nextCursor: undefined });
    api.getRoadmap.mockResolvedValue(sampleRoadmap());
  });

  it('shows the active proposals by default and the closed ones through the status filter', async () => {
    renderPage();
    await waitFor(() => expect(api.listProposals).toHaveBeenCalled());
    expect(lastFilters().statuses).toEqual(['Open', 'UnderReview', 'Planned']);
    await screen.findByText('No open proposals right now.', { exact: false });
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'closed');
    await waitFor(() => expect(lastFilters().statuses).toEqual(['Declined', 'Duplicate', 'Done']));
    expect(search).toBe('?status=closed');
  });

  it('applies a tag typed with its # without an Apply button', async () => {
    renderPage();
    expect(screen.queryByRole('button', { name: 'Apply' })).toBeNull();
    await userEvent.type(screen.getByLabelText('Tag'), '#Security');
    await waitFor(() => expect(lastFilters().tag).toBe('security'), { timeout: 2000 });
    expect(search).toBe('?tag=security');
    // The field keeps what was typed.
    expect((screen.getByLabelText('Tag') as HTMLInputElement).value).toBe('#Security');
  });

  it('explains the tag rules instead of searching for an impossible tag', async () => {
    renderPage();
    await userEvent.type(screen.getByLabelText('Tag'), 'node shuffling{Enter}');
    expect(screen.getByText('Tags use a–z, 0–9 and -, up to 24 characters.')).toBeTruthy();
    expect(search).toBe('');
  });
});
