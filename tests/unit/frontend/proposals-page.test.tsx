import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import type { ProposalFilters } from '../../../src/frontend/src/api/models';
import ProposalsPage, { filtersFromParams } from '../../../src/frontend/src/pages/ProposalsPage';
import { sampleRoadmap, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  listProposals: vi.fn(),
  getRoadmap: vi.fn(),
  getProposalFacets: vi.fn(),
}));
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
    expect(filtersFromParams(new URLSearchParams('tag=%23Security')).tags).toEqual(['security']);
  });

  it('reads several tags, one per tag parameter or several in one, once each', () => {
    expect(filtersFromParams(new URLSearchParams('tag=security&tag=consensus')).tags).toEqual([
      'security',
      'consensus',
    ]);
    expect(
      filtersFromParams(new URLSearchParams('tag=%23security,%20Consensus&tag=security')).tags,
    ).toEqual(['security', 'consensus']);
    expect(filtersFromParams(new URLSearchParams('tag=')).tags).toBeUndefined();
  });
});

describe('proposal list filters', () => {
  beforeEach(() => {
    api.listProposals.mockReset();
    api.listProposals.mockResolvedValue({ proposals: [], nextCursor: undefined });
    api.getRoadmap.mockResolvedValue(sampleRoadmap());
    api.getProposalFacets.mockResolvedValue({
      statuses: { Open: 4, UnderReview: 1, Planned: 0, Declined: 0, Duplicate: 0, Done: 0 },
      tags: [
        { tag: 'security', count: 3 },
        { tag: 'consensus', count: 2 },
        { tag: 'ai', count: 1 },
      ],
      needsResponse: 2,
    });
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
    await userEvent.type(screen.getByLabelText('Tags'), '#Security');
    await waitFor(() => expect(lastFilters().tags).toEqual(['security']), { timeout: 2000 });
    expect(search).toBe('?tag=security');
    // The field keeps what was typed.
    expect((screen.getByLabelText('Tags') as HTMLInputElement).value).toBe('#Security');
  });

  it('takes several typed tags and lists proposals with all of them', async () => {
    renderPage();
    await userEvent.type(screen.getByLabelText('Tags'), '#security, Consensus{Enter}');
    await waitFor(() => expect(lastFilters().tags).toEqual(['security', 'consensus']));
    expect(new URLSearchParams(search).getAll('tag')).toEqual(['security', 'consensus']);
  });

  it('offers the most used tags with their counts, each applying at once', async () => {
    renderPage('/proposals?sort=Top');
    await userEvent.click(await screen.findByText('Choose tags'));
    const security = screen.getByRole('checkbox', { name: '#security (3)' });
    screen.getByRole('checkbox', { name: '#consensus (2)' });
    await userEvent.click(security);
    await waitFor(() => expect(lastFilters().tags).toEqual(['security']));
    await userEvent.click(screen.getByRole('checkbox', { name: '#consensus (2)' }));
    await waitFor(() => expect(lastFilters().tags).toEqual(['security', 'consensus']));
    // The other filters stay; the chosen tags show in the field, as typed ones would.
    expect(search).toBe('?sort=Top&tag=security&tag=consensus');
    expect((screen.getByLabelText('Tags') as HTMLInputElement).value).toBe('#security #consensus');
    expect(screen.getByText('Choose tags (2 chosen)')).toBeTruthy();

    await userEvent.click(security);
    await waitFor(() => expect(lastFilters().tags).toEqual(['consensus']));
    expect(search).toBe('?sort=Top&tag=consensus');
  });

  it('ticks the tags a link or a reload brings', async () => {
    renderPage('/proposals?tag=security&tag=ai');
    await userEvent.click(await screen.findByText('Choose tags (2 chosen)'));
    expect(
      (screen.getByRole('checkbox', { name: '#security (3)' }) as HTMLInputElement).checked,
    ).toBe(true);
    expect(
      (screen.getByRole('checkbox', { name: '#consensus (2)' }) as HTMLInputElement).checked,
    ).toBe(false);
    expect((screen.getByLabelText('Tags') as HTMLInputElement).value).toBe('#security #ai');
    expect(lastFilters().tags).toEqual(['security', 'ai']);
  });

  it('explains the tag rules instead of searching for an impossible tag', async () => {
    renderPage();
    await userEvent.type(screen.getByLabelText('Tags'), 'node sh*ffling{Enter}');
    expect(screen.getByText(/Tags use a–z, 0–9 and -, up to 24 characters/)).toBeTruthy();
    expect(screen.getByText('sh*ffling')).toBeTruthy();
    expect(search).toBe('');
  });
});
