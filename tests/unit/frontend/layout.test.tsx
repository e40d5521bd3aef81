import { render, screen, within } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../../src/frontend/src/api/models';
import { Layout } from '../../../src/frontend/src/components/Layout';
import { testQueryClient } from './helpers';

const auth = vi.hoisted(() => ({
  value: {
    status: 'signedOut',
    principal: undefined as string | undefined,
    signInError: undefined as string | undefined,
    signIn: () => undefined,
    signOut: () => Promise.resolve(),
  },
}));
const api = vi.hoisted(() => ({ whoami: vi.fn() }));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({ useAuth: () => auth.value }));

function renderAt(path: string) {
  return render(
    <QueryClientProvider client={testQueryClient()}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="*" element={<Layout />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

function navLink(name: string): HTMLElement {
  const nav = screen.getByRole('navigation', { name: 'Main' });
  return within(nav).getByRole('link', { name });
}

describe('main navigation', () => {
  beforeEach(() => {
    auth.value = { ...auth.value, status: 'signedOut', signInError: undefined };
  });

  it('marks only "Propose" on the submit page, not "Proposals" too', () => {
    renderAt('/proposals/new');
    expect(navLink('Propose').getAttribute('aria-current')).toBe('page');
    expect(navLink('Propose').classList.contains('active')).toBe(true);
    expect(navLink('Proposals').classList.contains('active')).toBe(false);
    expect(navLink('Proposals').getAttribute('aria-current')).toBeNull();
  });

  it('highlights the section of a detail page without calling it the current page', () => {
    renderAt('/proposals/12');
    expect(navLink('Proposals').classList.contains('active')).toBe(true);
    expect(navLink('Proposals').getAttribute('aria-current')).toBeNull();
    expect(navLink('Propose').classList.contains('active')).toBe(false);

    renderAt('/roadmap/items/3');
    expect(
      screen
        .getAllByRole('link', { name: 'Roadmap' })
        .some((a) => a.classList.contains('active') && a.closest('nav')),
    ).toBe(true);
  });

  it('shows a sign-in failure as a banner outside the header', () => {
    auth.value = { ...auth.value, signInError: 'the window was closed' };
    const { container } = renderAt('/');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('Sign-in failed: the window was closed');
    expect(container.querySelector('header')?.contains(alert)).toBe(false);
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });
});

describe('moderation in the header', () => {
  const me = (role: Me['role'], suspension?: Me['suspension']): Me => ({
    principal: 'p-1',
    isAnonymous: false,
    profile: undefined,
    role,
    creditBudget: 100,
    creditsLeft: 100,
    suspension,
  });

  beforeEach(() => {
    auth.value = { ...auth.value, status: 'signedIn', principal: 'p-1', signInError: undefined };
  });

  it('links the moderation queue for moderators and admins only', async () => {
    api.whoami.mockResolvedValue(me('Moderator'));
    const { unmount } = renderAt('/');
    await screen.findByRole('link', { name: 'Moderation' });
    expect(
      within(screen.getByRole('navigation', { name: 'Main' })).queryByText('Admin'),
    ).toBeNull();
    unmount();

    api.whoami.mockResolvedValue(me('Member'));
    renderAt('/');
    await screen.findByRole('link', { name: 'Set display name' });
    expect(screen.queryByRole('link', { name: 'Moderation' })).toBeNull();
  });

  it('tells a suspended member until when and why', async () => {
    const until = new Date('2026-12-08T16:00:00Z');
    api.whoami.mockResolvedValue(
      me('Member', { member: 'p-1', reason: 'spam links', at: until, by: 'm', until }),
    );
    renderAt('/');
    const banner = await screen.findByText(/Your account is suspended/);
    expect(banner.textContent).toBe(
      `Your account is suspended until ${until.toLocaleString()}: spam links. You can read, but not post, vote or report.`,
    );
    expect(banner.querySelector('time')?.getAttribute('dateTime')).toBe(until.toISOString());
  });
});
