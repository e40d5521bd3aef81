import { useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { fieldError } from '../api/errors';
import { ROLES, type Role, type Settings } from '../api/models';
import { ActivityLog } from '../components/ActivityLog';
import { Empty, ErrorNotice, FormError, Loading } from '../components/Feedback';
import { SignInPrompt } from '../components/SignInPrompt';
import { useAuth } from '../hooks/auth';
import { useSetRole, useSetSettings } from '../hooks/mutations';
import { useMe, useRoles, useSettings } from '../hooks/queries';
import { CountSettingsForm, type CountSetting } from './admin/forms';
import { ProposalsAdmin } from './admin/ProposalsAdmin';
import { RoadmapAdmin } from './admin/RoadmapAdmin';
import { usePageTitle } from './usePageTitle';

type Tab = 'roadmap' | 'proposals' | 'roles' | 'settings' | 'activity';
const TABS: [Tab, string][] = [
  ['roadmap', 'Roadmap'],
  ['proposals', 'Proposals'],
  ['roles', 'Roles'],
  ['settings', 'Settings'],
  ['activity', 'Activity log'],
];

export default function AdminPage() {
  usePageTitle('Admin');
  const auth = useAuth();
  const me = useMe();
  // The tab lives in the URL, so a reload or a shared link opens the same section.
  const [params, setParams] = useSearchParams();
  const tab = TABS.find(([key]) => key === params.get('tab'))?.[0] ?? 'roadmap';
  const setTab = (next: Tab) =>
    setParams(next === 'roadmap' ? {} : { tab: next }, { replace: true });

  if (auth.status === 'initializing' || (auth.status === 'signedIn' && me.isPending)) {
    return <Loading />;
  }
  if (me.isError) return <ErrorNotice error={me.error} onRetry={() => void me.refetch()} />;
  if (auth.status !== 'signedIn') {
    return (
      <div className="narrow">
        <div className="page-head">
          <h1>Admin</h1>
          <p className="lead">This page is for maintainers of the roadmap.</p>
        </div>
        <SignInPrompt action="maintain the roadmap" />
      </div>
    );
  }
  if (me.data?.role !== 'Admin') {
    return (
      <Empty>
        <h1>Admins only</h1>
        <p>
          This page is for maintainers of the roadmap, and your account is a{' '}
          {(me.data?.role ?? 'Member').toLowerCase()}. <Link to="/">Back to the roadmap</Link>
        </p>
      </Empty>
    );
  }
  return (
    <>
      <div className="page-head">
        <h1>Admin</h1>
      </div>
      <div className="tabs" role="group" aria-label="Admin sections">
        {TABS.map(([key, label]) => (
          <button
            key={key}
            type="button"
            className="tab"
            aria-pressed={tab === key}
            onClick={() => setTab(key)}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="admin-panel">
        {tab === 'roadmap' && <RoadmapAdmin />}
        {tab === 'proposals' && <ProposalsAdmin />}
        {tab === 'roles' && <RolesAdmin />}
        {tab === 'settings' && <SettingsAdmin />}
        {tab === 'activity' && <ActivityLog />}
      </div>
    </>
  );
}

function RoleList() {
  const roles = useRoles();
  if (roles.isPending) return <Loading />;
  if (roles.isError)
    return <ErrorNotice error={roles.error} onRetry={() => void roles.refetch()} />;
  const granted = roles.data.filter((g) => g.role !== 'Member');
  if (granted.length === 0) return <Empty>No roles granted yet.</Empty>;
  return (
    <ul className="activity">
      {granted.map((g) => (
        <li key={g.principal}>
          <Link to={`/members/${g.principal}`} className="mono">
            {g.principal}
          </Link>{' '}
          — <strong>{g.role}</strong>
        </li>
      ))}
    </ul>
  );
}

function RolesAdmin() {
  return (
    <div className="admin-grid">
      <RoleForm />
      <section aria-labelledby="current-roles">
        <h2 id="current-roles">Current roles</h2>
        <RoleList />
      </section>
    </div>
  );
}

function RoleForm() {
  const setRole = useSetRole();
  const { principal: myPrincipal } = useAuth();
  const id = useId();
  const [principal, setPrincipal] = useState('');
  const [role, setRoleValue] = useState<Role>('Moderator');
  const principalError = fieldError(setRole.error, 'principal');
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        setRole.mutate({ principal: principal.trim(), role });
      }}
    >
      <h2>Grant a role</h2>
      <p className="muted small">
        Copy a member&apos;s principal from their profile page. Your own principal is{' '}
        <code>{myPrincipal}</code>.
      </p>
      <div className={principalError ? 'field field-invalid' : 'field'}>
        <label htmlFor={`${id}-p`}>Principal</label>
        <input
          id={`${id}-p`}
          value={principal}
          autoComplete="off"
          aria-invalid={Boolean(principalError)}
          aria-describedby={principalError ? `${id}-pe` : undefined}
          onChange={(e) => setPrincipal(e.target.value)}
        />
        {principalError && (
          <p id={`${id}-pe`} className="field-error">
            {principalError}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-r`}>Role</label>
        <select id={`${id}-r`} value={role} onChange={(e) => setRoleValue(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <FormError error={setRole.error} fields={['principal']} />
      {setRole.isSuccess && (
        <p className="notice notice-success" role="status">
          Role updated.
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={setRole.isPending}>
          {setRole.isPending ? 'Saving…' : 'Set role'}
        </button>
      </div>
    </form>
  );
}

const SETTING_LABELS: CountSetting<Settings>[] = [
  ['creditBudget', 'Priority credit budget per member'],
  ['proposalsPerDay', 'Proposals per member per day'],
  ['commentsPerHour', 'Comments per member per hour'],
  ['votesPerHour', 'Votes per member per hour'],
  ['profileEditsPerHour', 'Profile edits per member per hour'],
];

function SettingsAdmin() {
  const settings = useSettings();
  const save = useSetSettings();
  if (settings.isPending) return <Loading />;
  if (settings.isError) {
    return <ErrorNotice error={settings.error} onRetry={() => void settings.refetch()} />;
  }
  return (
    <div className="narrow-form">
      <CountSettingsForm initial={settings.data} settings={SETTING_LABELS} save={save} />
    </div>
  );
}
