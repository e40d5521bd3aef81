import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OfficialResponse, ProposalStatus } from '../../../src/frontend/src/api/models';
import { OfficialResponseSection } from '../../../src/frontend/src/components/OfficialResponse';
import { Providers, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  getProfile: vi.fn(),
  listRoles: vi.fn(),
  getResponseHistory: vi.fn(),
}));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));

const profiles: Record<string, string> = { 'ada-principal': 'Ada', 'bo-principal': 'Bo' };

function response(patch: Partial<OfficialResponse> = {}): OfficialResponse {
  return {
    body: 'Planned for the Stellarator milestone.',
    by: 'ada-principal',
    at: new Date(),
    forStatus: { kind: 'UnderReview' },
    revisions: 0,
    ...patch,
  };
}

function renderSection(status: ProposalStatus, official: OfficialResponse) {
  render(
    <Providers client={testQueryClient()}>
      <OfficialResponseSection proposalId="7" status={status} response={official} />
    </Providers>,
  );
  return screen.getByRole('region', { name: 'Official response' });
}

beforeEach(() => {
  api.getProfile.mockReset().mockImplementation((p: string) => ({
    principal: p,
    displayName: profiles[p] ?? p,
    bio: '',
    joinedAt: new Date(0),
    role: 'Admin',
  }));
  api.listRoles.mockReset().mockResolvedValue([{ principal: 'ada-principal', role: 'Admin' }]);
  api.getResponseHistory.mockReset();
});

describe('official response on a proposal page', () => {
  it('says which status it was written for once the proposal has moved on', async () => {
    const section = renderSection({ kind: 'Done' }, response());
    expect(within(section).getByText('Written when the status was under review.')).toBeTruthy();
    expect(await within(section).findByText('Ada')).toBeTruthy();
  });

  it('says nothing more while the status is the one it answered', () => {
    const section = renderSection({ kind: 'UnderReview' }, response());
    expect(within(section).queryByText(/Written when the status was/)).toBeNull();
    // Never edited: no marker to open.
    expect(within(section).queryByRole('button', { name: /edited/ })).toBeNull();
  });

  it('opens the earlier versions from its "edited" marker, with who, when and which status', async () => {
    api.getResponseHistory.mockResolvedValue([
      {
        body: 'We are looking at it.',
        by: 'bo-principal',
        at: new Date(),
        forStatus: { kind: 'Open' },
        replacedAt: new Date(),
      },
      {
        body: 'Under review with the consensus team.',
        by: 'ada-principal',
        at: new Date(),
        forStatus: { kind: 'UnderReview' },
        replacedAt: new Date(),
      },
    ]);
    const section = renderSection({ kind: 'Planned', itemId: '1' }, response({ revisions: 2 }));
    const marker = within(section).getByRole('button', { name: /^edited/ });
    expect(marker.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(marker);
    expect(marker.getAttribute('aria-expanded')).toBe('true');
    const versions = await within(section).findAllByRole('listitem');
    // Newest first, each with its author and the status it was written for.
    expect(versions[0]?.textContent).toContain('Under review with the consensus team.');
    expect(versions[0]?.textContent).toContain('written when the status was under review');
    expect(versions[1]?.textContent).toContain('We are looking at it.');
    expect(versions[1]?.textContent).toContain('written when the status was open');
    expect(await within(versions[1] as HTMLElement).findByText('Bo')).toBeTruthy();
    expect(api.getResponseHistory).toHaveBeenCalledWith('7');
  });
});
