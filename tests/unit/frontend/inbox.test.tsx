import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notification } from '../../../src/frontend/src/api/models';
import { FollowButton } from '../../../src/frontend/src/components/FollowButton';
import { InboxBell, inboxLabel } from '../../../src/frontend/src/components/InboxBell';
import { LiveRegion } from '../../../src/frontend/src/components/LiveRegion';
import { queryKeys } from '../../../src/frontend/src/hooks/queryKeys';
import InboxPage from '../../../src/frontend/src/pages/InboxPage';
import { deferred, sampleRoadmap, testQueryClient } from './helpers';

const auth = vi.hoisted(() => ({ status: 'signedIn' }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: auth.status, principal: 'me', signIn: () => undefined }),
}));
const api = vi.hoisted(() => ({
  getUnreadCount: vi.fn(),
  getNotifications: vi.fn(),
  markNotificationsRead: vi.fn(),
  getProfile: vi.fn(),
  getProposal: vi.fn(),
  getRoadmap: vi.fn(),
  getComment: vi.fn(),
  isFollowing: vi.fn(),
  follow: vi.fn(),
  unfollow: vi.fn(),
}));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));

const CAROL = 'rwlgt-iiaaa-aaaaa-aaaaa-cai';
const at = new Date(Date.now() - 60_000);

function notice(seq: number, read: boolean, kind: Notification['kind']): Notification {
  return { seq: String(seq), at, read, kind };
}

function renderInbox(path = '/inbox') {
  const client = testQueryClient();
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <InboxBell />
        <Routes>
          <Route path="/inbox" element={<InboxPage />} />
          <Route path="/proposals/:id" element={<p>Proposal page</p>} />
        </Routes>
      </MemoryRouter>
      <LiveRegion />
    </QueryClientProvider>,
  );
  return client;
}

beforeEach(() => {
  auth.status = 'signedIn';
  for (const fn of Object.values(api)) fn.mockReset();
  api.getProfile.mockImplementation((who: string) =>
    Promise.resolve(who === CAROL ? { displayName: 'Carol' } : null),
  );
  api.getProposal.mockImplementation((id: string) =>
    Promise.resolve({ id, title: `Proposal ${id}` }),
  );
  api.getRoadmap.mockResolvedValue(sampleRoadmap());
  api.getComment.mockResolvedValue(null);
  api.markNotificationsRead.mockResolvedValue(undefined);
});

describe('inbox bell', () => {
  it('names the unread count and links to the inbox', async () => {
    api.getUnreadCount.mockResolvedValue(3);
    api.getNotifications.mockResolvedValue({ notifications: [], unread: 0, nextCursor: undefined });
    renderInbox('/elsewhere');
    const bell = await screen.findByRole('link', { name: 'Inbox, 3 unread' });
    expect(bell.getAttribute('href')).toBe('/inbox');
    expect(bell.textContent).toBe('3');
  });

  it('is just "Inbox" with nothing unread', () => {
    expect(inboxLabel(0)).toBe('Inbox');
    expect(inboxLabel(undefined)).toBe('Inbox');
    expect(inboxLabel(12)).toBe('Inbox, 12 unread');
  });
});

describe('inbox page', () => {
  it('tells each notice as a sentence with links, unread ones marked', async () => {
    api.getUnreadCount.mockResolvedValue(2);
    api.getNotifications.mockResolvedValue({
      notifications: [
        notice(7, false, {
          kind: 'Reply',
          commentId: '40',
          target: { kind: 'Proposal', id: '12' },
          by: CAROL,
        }),
        notice(6, false, {
          kind: 'Mention',
          commentId: '41',
          target: { kind: 'Item', id: '1' },
          by: 'aaaaa-aa',
        }),
        notice(5, true, {
          kind: 'StatusChanged',
          proposalId: '12',
          status: { kind: 'Planned', itemId: '1' },
          response: true,
        }),
        notice(4, true, { kind: 'ItemDeployed', itemId: '1' }),
        notice(3, true, {
          kind: 'ContentHidden',
          target: { kind: 'Proposal', id: '9' },
          reason: 'Off topic',
        }),
        notice(2, true, {
          kind: 'NewComment',
          commentId: '42',
          target: { kind: 'Proposal', id: '12' },
          by: CAROL,
        }),
      ],
      unread: 2,
      nextCursor: undefined,
    });
    renderInbox();
    await screen.findAllByText('Carol');
    await screen.findAllByText('Proposal 12');
    const items = within(screen.getByRole('list')).getAllByRole('listitem');
    const lines = items.map((li) => li.textContent?.split(' · ')[0]);
    expect(lines).toEqual([
      'Unread: Carol replied to your comment on “Proposal 12”',
      'Unread: member aaaaa mentioned you in a comment on “Deterministic WebAssembly SIMD”',
      '#12 “Proposal 12” is now Planned (with an official response)',
      'Item “Deterministic WebAssembly SIMD” was deployed; your priority credits are back',
      'Moderators hid your proposal #9 “Proposal 9”: Off topic',
      'New comment by Carol on “Proposal 12”',
    ]);
    expect(items[0]?.classList.contains('is-unread')).toBe(true);
    expect(items[2]?.classList.contains('is-unread')).toBe(false);
    const links = within(items[0]!).getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/proposals/12#comment-40']);
    expect(within(items[1]!).getByRole('link').getAttribute('href')).toBe(
      '/roadmap/items/1#comment-41',
    );
    expect(within(items[3]!).getByRole('link').getAttribute('href')).toBe('/roadmap/items/1');
  });

  it('shows an empty state', async () => {
    api.getUnreadCount.mockResolvedValue(0);
    api.getNotifications.mockResolvedValue({ notifications: [], unread: 0, nextCursor: undefined });
    renderInbox();
    expect(await screen.findByText(/Nothing here yet/)).toBeTruthy();
  });

  it('loads more with the cursor', async () => {
    api.getUnreadCount.mockResolvedValue(0);
    api.getNotifications.mockImplementation((cursor: string | undefined) =>
      Promise.resolve(
        cursor === undefined
          ? {
              notifications: [notice(9, true, { kind: 'ItemDeployed', itemId: '1' })],
              unread: 0,
              nextCursor: 'c1',
            }
          : {
              notifications: [notice(8, true, { kind: 'ItemDeployed', itemId: '2' })],
              unread: 0,
              nextCursor: undefined,
            },
      ),
    );
    renderInbox();
    await userEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    await screen.findByText('item #2');
    expect(api.getNotifications).toHaveBeenLastCalledWith('c1');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('marks all read on request, and the bell count drops', async () => {
    let unread = 1;
    api.getUnreadCount.mockImplementation(() => Promise.resolve(unread));
    api.getNotifications.mockImplementation(() =>
      Promise.resolve({
        notifications: [notice(3, unread === 0, { kind: 'ItemDeployed', itemId: '1' })],
        unread,
        nextCursor: undefined,
      }),
    );
    api.markNotificationsRead.mockImplementation(() => {
      unread = 0;
      return Promise.resolve();
    });
    renderInbox();
    await screen.findByRole('link', { name: 'Inbox, 1 unread' });
    await userEvent.click(await screen.findByRole('button', { name: 'Mark all as read' }));
    expect(api.markNotificationsRead).toHaveBeenCalledWith(undefined);
    await screen.findByRole('link', { name: 'Inbox' });
    await screen.findByText('All read.');
    expect(screen.getByRole('status').textContent).toBe('All notices marked read.');
  });

  it('marks the notices it showed read when the member follows one of them', async () => {
    api.getUnreadCount.mockResolvedValue(1);
    api.getNotifications.mockResolvedValue({
      notifications: [
        notice(7, false, {
          kind: 'Reply',
          commentId: '40',
          target: { kind: 'Proposal', id: '12' },
          by: CAROL,
        }),
      ],
      unread: 1,
      nextCursor: undefined,
    });
    renderInbox();
    await userEvent.click(await screen.findByRole('link', { name: '“Proposal 12”' }));
    await screen.findByText('Proposal page');
    // Notices up to the newest shown (seq 7), not any that came in meanwhile.
    await waitFor(() => expect(api.markNotificationsRead).toHaveBeenCalledWith('8'));
  });

  it('reads nothing on StrictMode’s trial unmount, even with the inbox already cached', async () => {
    const page = {
      notifications: [notice(7, false, { kind: 'ItemDeployed', itemId: '1' })],
      unread: 1,
      nextCursor: undefined,
    };
    api.getUnreadCount.mockResolvedValue(1);
    api.getNotifications.mockResolvedValue(page);
    const client = testQueryClient();
    client.setQueryData(queryKeys.notifications(), { pages: [page], pageParams: [undefined] });
    render(
      <StrictMode>
        <QueryClientProvider client={client}>
          <MemoryRouter>
            <InboxPage />
          </MemoryRouter>
        </QueryClientProvider>
      </StrictMode>,
    );
    await screen.findByText(/was deployed/);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(api.markNotificationsRead).not.toHaveBeenCalled();
  });

  it('asks a signed-out visitor to sign in', () => {
    auth.status = 'signedOut';
    renderInbox();
    expect(screen.getByText(/Sign in with Internet Identity to see your inbox/)).toBeTruthy();
    expect(api.getNotifications).not.toHaveBeenCalled();
  });
});

describe('follow button', () => {
  function renderFollow() {
    render(
      <QueryClientProvider client={testQueryClient()}>
        <FollowButton target={{ kind: 'Proposal', id: '12' }} what="this proposal" />
        <LiveRegion />
      </QueryClientProvider>,
    );
  }

  it('toggles Follow / Following with aria-pressed, keeps focus and announces', async () => {
    api.isFollowing.mockResolvedValue(false);
    const saved = deferred<void>();
    api.follow.mockReturnValue(saved.promise);
    api.unfollow.mockResolvedValue(undefined);
    renderFollow();
    const button = await screen.findByRole('button', { name: 'Follow' });
    expect(button.getAttribute('aria-pressed')).toBe('false');
    await userEvent.click(button);
    expect(api.follow).toHaveBeenCalledWith({ kind: 'Proposal', id: '12' });
    // Enabled while it saves, so focus stays on it.
    expect((button as HTMLButtonElement).disabled).toBe(false);
    saved.resolve();
    await screen.findByRole('button', { name: 'Following' });
    expect(button.getAttribute('aria-pressed')).toBe('true');
    expect(document.activeElement).toBe(button);
    expect(screen.getByRole('status').textContent).toMatch(/^You follow this proposal/);

    await userEvent.click(button);
    await screen.findByRole('button', { name: 'Follow' });
    expect(api.unfollow).toHaveBeenCalledWith({ kind: 'Proposal', id: '12' });
    expect(screen.getByRole('status').textContent).toBe('You no longer follow this proposal.');
  });

  it('is not shown to signed-out visitors', () => {
    auth.status = 'signedOut';
    renderFollow();
    expect(screen.queryByRole('button')).toBeNull();
    expect(api.isFollowing).not.toHaveBeenCalled();
  });
});
