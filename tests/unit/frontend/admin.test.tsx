import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../../src/frontend/src/api/models';
import AdminPage from '../../../src/frontend/src/pages/AdminPage';
import { Providers, sampleRoadmap, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  whoami: vi.fn(),
  getRoadmap: vi.fn(),
  upsertItem: vi.fn(),
}));
const auth = vi.hoisted(() => ({ status: 'signedOut' }));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: auth.status, principal: 'admin-principal', signIn: vi.fn() }),
}));

const me = (role: Me['role']): Me => ({
  principal: 'admin-principal',
  isAnonymous: false,
  profile: undefined,
  role,
  creditBudget: 100,
  creditsLeft: 100,
});

const roadmap = sampleRoadmap();

// jsdom's accessible name drops the space before the visually hidden part ("Edititem …").
const EDIT_SIMD = /^Edit\s*item Deterministic WebAssembly SIMD$/;

function renderAdmin() {
  return render(
    <Providers client={testQueryClient()}>
      <AdminPage />
    </Providers>,
  );
}

describe('admin page', () => {
  beforeEach(() => {
    api.whoami.mockReset();
    api.getRoadmap.mockReset().mockResolvedValue(roadmap);
    api.upsertItem.mockReset().mockResolvedValue(undefined);
  });

  it('asks a visitor to sign in instead of only saying "Admins only"', () => {
    auth.status = 'signedOut';
    renderAdmin();
    expect(screen.getByText(/Sign in with Internet Identity to maintain the roadmap/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('tells a signed-in member why the page is closed', async () => {
    auth.status = 'signedIn';
    api.whoami.mockResolvedValue(me('Member'));
    renderAdmin();
    expect(await screen.findByRole('heading', { name: 'Admins only' })).toBeTruthy();
    expect(screen.getByText(/your account is a member/)).toBeTruthy();
  });

  it('confirms a saved roadmap entry, and the editor can be cancelled', async () => {
    auth.status = 'signedIn';
    api.whoami.mockResolvedValue(me('Admin'));
    renderAdmin();
    await userEvent.click(await screen.findByRole('button', { name: EDIT_SIMD }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByText('Choose an entry to edit or add one.')).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: EDIT_SIMD }));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.upsertItem).toHaveBeenCalledTimes(1);
    const status = await screen.findByRole('status');
    expect(status.textContent).toBe('Saved item “Deterministic WebAssembly SIMD”.');
  });
});
