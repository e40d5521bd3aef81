import { NavLink } from 'react-router';
import { useUnreadCount } from '../hooks/queries';

/** The bell's name as read out: how many notices wait, if any. */
export function inboxLabel(unread: number | undefined): string {
  if (!unread) return 'Inbox';
  return `Inbox, ${unread} unread`;
}

/**
 * The header's link to the inbox, with the unread count on it. The count is asked for every
 * 30 s while the tab is visible (`useUnreadCount`), and again after reading.
 */
export function InboxBell() {
  const unread = useUnreadCount().data;
  const label = inboxLabel(unread);
  return (
    <NavLink to="/inbox" className="inbox-bell" aria-label={label} title={label}>
      <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24">
        <path
          d="M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6zM10 19a2 2 0 0 0 4 0"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinejoin="round"
        />
      </svg>
      {unread ? (
        <span className="inbox-count" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </NavLink>
  );
}
