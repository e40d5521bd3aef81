import { Suspense, useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { useAuth } from '../hooks/auth';
import { useIsModerator, useMe } from '../hooks/queries';
import { proposalsPath } from '../hooks/rememberedSearch';
import { Loading } from './Feedback';
import { InboxBell } from './InboxBell';
import { LiveRegion } from './LiveRegion';
import { OpenDataFooter } from './OpenDataLinks';
import { SearchBox } from './search/SearchBox';

function AccountMenu() {
  const { status, principal, signIn, signOut } = useAuth();
  const me = useMe();
  if (status === 'initializing') return <span className="account muted small">…</span>;
  if (status === 'signedIn' && principal) {
    const name = me.data?.profile?.displayName;
    return (
      <div className="account">
        <InboxBell />
        <Link to={`/members/${principal}`} className="account-name" title={name}>
          {/* Short, so it fits beside Sign out on a phone. */}
          {name ? <bdi>{name}</bdi> : 'Profile'}
        </Link>
        <button type="button" className="btn btn-small" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    );
  }
  return (
    <div className="account">
      <button
        type="button"
        className="btn btn-primary btn-small"
        onClick={signIn}
        disabled={status === 'signingIn'}
      >
        {status === 'signingIn' ? 'Signing in…' : 'Sign in'}
      </button>
    </div>
  );
}

/** Shown below the header rather than inside it, so a long message never squeezes the header. */
function SignInErrorBanner() {
  const { status, signInError } = useAuth();
  if (!signInError || status === 'signedIn') return null;
  return (
    <div className="banner banner-error" role="alert">
      <span>Sign-in failed: {signInError}</span>
    </div>
  );
}

/**
 * Keeps the current page's link in view when the nav scrolls sideways on narrow screens, and
 * marks the nav while links are hidden past its right edge so a fade shows there is more.
 */
function useActiveLinkInView() {
  const nav = useRef<HTMLElement>(null);
  const location = useLocation();
  useEffect(() => {
    const list = nav.current;
    if (!list) return;
    const mark = () => {
      const more = list.scrollLeft + list.clientWidth < list.scrollWidth - 1;
      list.dataset['more'] = String(more);
    };
    mark();
    list.addEventListener('scroll', mark, { passive: true });
    window.addEventListener('resize', mark);
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(mark) : undefined;
    observer?.observe(list);
    return () => {
      list.removeEventListener('scroll', mark);
      window.removeEventListener('resize', mark);
      observer?.disconnect();
    };
  }, []);
  useEffect(() => {
    const list = nav.current;
    const active = list?.querySelector<HTMLElement>('a.active');
    if (!list || !active || list.scrollWidth <= list.clientWidth) return;
    const left = active.offsetLeft - list.offsetLeft;
    if (left < list.scrollLeft || left + active.offsetWidth > list.scrollLeft + list.clientWidth) {
      list.scrollLeft = left - 16;
    }
  }, [location.pathname]);
  return nav;
}

function SessionBanner() {
  const { status, signIn } = useAuth();
  if (status !== 'expired') return null;
  return (
    <div className="banner" role="alert">
      <span>Your session has ended. Sign in again to continue — your drafts are kept.</span>
      <button type="button" className="btn btn-primary btn-small" onClick={signIn}>
        Sign in again
      </button>
    </div>
  );
}

/**
 * A suspended member can still read; every write is refused with the same end and reason,
 * which they learn here before trying.
 */
function SuspensionBanner() {
  const { status } = useAuth();
  const me = useMe();
  const suspension = status === 'signedIn' ? me.data?.suspension : undefined;
  if (!suspension) return null;
  return (
    <div className="banner banner-error" role="status">
      <span>
        Your account is suspended{' '}
        {suspension.until ? (
          <>
            until{' '}
            <time dateTime={suspension.until.toISOString()}>
              {suspension.until.toLocaleString()}
            </time>
          </>
        ) : (
          'until a moderator lifts it'
        )}
        : <bdi>{suspension.reason}</bdi>. You can read, but not post, vote or report.
      </span>
    </div>
  );
}

/** A member without a profile is asked for a display name once signed in. */
function ProfileNudge() {
  const { status, principal } = useAuth();
  const me = useMe();
  const location = useLocation();
  if (status !== 'signedIn' || !principal || !me.data || me.data.profile) return null;
  if (location.pathname === `/members/${principal}`) return null;
  return (
    <div className="banner banner-info" role="status">
      <span>Welcome! Choose a display name so others know who wrote what.</span>
      <Link to={`/members/${principal}`} className="btn btn-small">
        Set display name
      </Link>
    </div>
  );
}

/** Moves focus to the main landmark on navigation so keyboard and screen-reader users land on the new page. */
function useFocusOnNavigate() {
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  // Only a change of page moves focus; the first render and re-renders keep the browser's own.
  const shownPath = useRef(location.pathname);
  useEffect(() => {
    if (shownPath.current === location.pathname) return;
    shownPath.current = location.pathname;
    main.current?.focus({ preventScroll: false });
    window.scrollTo(0, 0);
  }, [location.pathname]);
  return main;
}

type Section = 'roadmap' | 'proposals' | 'other';

/** Detail pages highlight their section's nav link; only the list itself is the current page. */
function sectionOf(pathname: string): Section {
  if (pathname === '/' || pathname.startsWith('/roadmap/')) return 'roadmap';
  if (pathname === '/proposals' || /^\/proposals\/\d+/.test(pathname)) return 'proposals';
  return 'other';
}

function sectionClass(inSection: boolean) {
  return ({ isActive }: { isActive: boolean }) => (isActive || inSection ? 'active' : undefined);
}

export function Layout() {
  const me = useMe();
  const { status } = useAuth();
  const isAdmin = status === 'signedIn' && me.data?.role === 'Admin';
  const isModerator = useIsModerator();
  const main = useFocusOnNavigate();
  const nav = useActiveLinkInView();
  const section = sectionOf(useLocation().pathname);
  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container header-inner">
          <Link to="/" className="brand">
            <svg aria-hidden="true" width="28" height="28" viewBox="0 0 32 32">
              <rect width="32" height="32" rx="7" fill="currentColor" />
              <path
                d="M8 22l6-6 4 4 6-8"
                stroke="#fff"
                strokeWidth="3"
                fill="none"
                strokeLinecap="round"
                strokeLinejoin="round"
              />
            </svg>
            <span>Roadmap Commons</span>
          </Link>
          <nav aria-label="Main" className="main-nav" ref={nav}>
            <NavLink to="/" end className={sectionClass(section === 'roadmap')}>
              Roadmap
            </NavLink>
            <NavLink to={proposalsPath()} end className={sectionClass(section === 'proposals')}>
              Proposals
            </NavLink>
            <NavLink to="/proposals/new">Propose</NavLink>
            <NavLink to="/activity">Activity</NavLink>
            {isModerator && <NavLink to="/moderation">Moderation</NavLink>}
            {isAdmin && <NavLink to="/admin">Admin</NavLink>}
          </nav>
          <SearchBox />
          <AccountMenu />
        </div>
      </header>
      <SignInErrorBanner />
      <SessionBanner />
      <SuspensionBanner />
      <ProfileNudge />
      <main id="main" tabIndex={-1} ref={main} className="container main">
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <LiveRegion />
      <footer className="site-footer">
        <div className="container">
          <p className="muted small">
            Roadmap Commons — the roadmap, every proposal, comment and vote live on the Internet
            Computer.
          </p>
          <OpenDataFooter />
        </div>
      </footer>
    </div>
  );
}
