import { useId, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { fieldError } from '../api/errors';
import {
  ROADMAP_STATUSES,
  ROLES,
  roadmapStatusLabel,
  type ItemInput,
  type Link as ItemLink,
  type Milestone,
  type MilestoneInput,
  type RoadmapItem,
  type RoadmapStatus,
  type Role,
  type Settings,
  type Theme,
  type ThemeInput,
} from '../api/models';
import { ActivityLog } from '../components/ActivityLog';
import { Empty, ErrorNotice, FormError, Loading } from '../components/Feedback';
import { ProposalStatusForm } from '../components/ProposalStatusForm';
import { SignInPrompt } from '../components/SignInPrompt';
import { ProposalStatusBadge, RoadmapStatusBadge } from '../components/Status';
import { useAuth } from '../hooks/auth';
import {
  useSetRole,
  useSetSettings,
  useUpsertItem,
  useUpsertMilestone,
  useUpsertTheme,
} from '../hooks/mutations';
import { useMe, useProposalList, useRoadmap, useRoles, useSettings } from '../hooks/queries';
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
  const [tab, setTab] = useState<Tab>('roadmap');

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

type Editing =
  | { kind: 'theme'; theme: Theme | undefined }
  | { kind: 'milestone'; milestone: Milestone | undefined; themeSlug: string }
  | { kind: 'item'; item: RoadmapItem | undefined; milestoneSlug: string }
  | undefined;

function RoadmapAdmin() {
  const roadmap = useRoadmap();
  const [editing, setEditingState] = useState<Editing>();
  const [saved, setSaved] = useState<string>();
  const setEditing = (next: Editing) => {
    setSaved(undefined);
    setEditingState(next);
  };
  const close = () => setEditingState(undefined);
  const onSaved = (what: string) => {
    setEditingState(undefined);
    setSaved(what);
  };
  if (roadmap.isPending) return <Loading />;
  if (roadmap.isError) {
    return <ErrorNotice error={roadmap.error} onRetry={() => void roadmap.refetch()} />;
  }
  const themes = roadmap.data.themes;
  const milestoneSlug = (id: string) =>
    themes.flatMap((t) => t.milestones).find((m) => m.id === id)?.slug ?? '';
  const themeSlug = (id: string) => themes.find((t) => t.id === id)?.slug ?? '';

  return (
    <div className="admin-grid">
      <section aria-labelledby="admin-roadmap-tree">
        <h2 id="admin-roadmap-tree">Entries</h2>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setEditing({ kind: 'theme', theme: undefined })}
        >
          New theme
        </button>
        <ul className="admin-tree">
          {themes.map((t) => (
            <li key={t.id}>
              <div className="admin-row">
                <strong>{t.title}</strong>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => setEditing({ kind: 'theme', theme: t })}
                >
                  Edit<span className="visually-hidden"> theme {t.title}</span>
                </button>
                <button
                  type="button"
                  className="link-button"
                  onClick={() =>
                    setEditing({ kind: 'milestone', milestone: undefined, themeSlug: t.slug })
                  }
                >
                  Add milestone<span className="visually-hidden"> to {t.title}</span>
                </button>
              </div>
              <ul>
                {t.milestones.map((m) => (
                  <li key={m.id}>
                    <div className="admin-row">
                      <span>{m.name}</span>
                      <RoadmapStatusBadge status={m.status} />
                      <button
                        type="button"
                        className="link-button"
                        onClick={() =>
                          setEditing({ kind: 'milestone', milestone: m, themeSlug: t.slug })
                        }
                      >
                        Edit<span className="visually-hidden"> milestone {m.name}</span>
                      </button>
                      <button
                        type="button"
                        className="link-button"
                        onClick={() =>
                          setEditing({ kind: 'item', item: undefined, milestoneSlug: m.slug })
                        }
                      >
                        Add item<span className="visually-hidden"> to {m.name}</span>
                      </button>
                    </div>
                    <ul>
                      {m.items.map((i) => (
                        <li key={i.id} className="admin-row">
                          <span>{i.title}</span>
                          <RoadmapStatusBadge status={i.status} />
                          <button
                            type="button"
                            className="link-button"
                            onClick={() =>
                              setEditing({ kind: 'item', item: i, milestoneSlug: m.slug })
                            }
                          >
                            Edit<span className="visually-hidden"> item {i.title}</span>
                          </button>
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="admin-editor" className="card">
        <h2 id="admin-editor">
          {editing === undefined
            ? 'Editor'
            : `${editing.kind === 'theme' ? (editing.theme ? 'Edit' : 'New') : ''}${
                editing.kind === 'milestone' ? (editing.milestone ? 'Edit' : 'New') : ''
              }${editing.kind === 'item' ? (editing.item ? 'Edit' : 'New') : ''} ${editing.kind}`}
        </h2>
        {editing === undefined && saved && (
          <p className="notice notice-success" role="status">
            Saved {saved}.
          </p>
        )}
        {editing === undefined && <p className="muted">Choose an entry to edit or add one.</p>}
        {editing?.kind === 'theme' && (
          <ThemeEditor
            key={editing.theme?.id ?? 'new'}
            theme={editing.theme}
            onSaved={onSaved}
            onCancel={close}
          />
        )}
        {editing?.kind === 'milestone' && (
          <MilestoneEditor
            key={editing.milestone?.id ?? `new-${editing.themeSlug}`}
            milestone={editing.milestone}
            themeSlug={editing.milestone ? themeSlug(editing.milestone.themeId) : editing.themeSlug}
            themes={themes}
            onSaved={onSaved}
            onCancel={close}
          />
        )}
        {editing?.kind === 'item' && (
          <ItemEditor
            key={editing.item?.id ?? `new-${editing.milestoneSlug}`}
            item={editing.item}
            milestoneSlug={
              editing.item ? milestoneSlug(editing.item.milestoneId) : editing.milestoneSlug
            }
            themes={themes}
            onSaved={onSaved}
            onCancel={close}
          />
        )}
      </section>
    </div>
  );
}

function TextField({
  label,
  value,
  onChange,
  error,
  multiline,
  type = 'text',
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
  multiline?: boolean;
  type?: string;
}) {
  const id = useId();
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea
          id={id}
          rows={4}
          value={value}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${id}-e` : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <input
          id={id}
          type={type}
          value={value}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${id}-e` : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {error && (
        <p id={`${id}-e`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

function StatusSelect({
  value,
  onChange,
}: {
  value: RoadmapStatus;
  onChange: (s: RoadmapStatus) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Status</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as RoadmapStatus)}>
        {ROADMAP_STATUSES.map((s) => (
          <option key={s} value={s}>
            {roadmapStatusLabel(s)}
          </option>
        ))}
      </select>
    </div>
  );
}

function EditorForm({
  onSubmit,
  pending,
  error,
  fields,
  success,
  onCancel,
  children,
}: {
  onSubmit: () => void;
  pending: boolean;
  error: unknown;
  fields: string[];
  success: boolean;
  onCancel?: () => void;
  children: ReactNode;
}) {
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
      <FormError error={error} fields={fields} />
      {success && (
        <p className="notice notice-success" role="status">
          Saved.
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? 'Saving…' : 'Save'}
        </button>
        {onCancel && (
          <button type="button" className="btn btn-quiet" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

interface EditorProps {
  onSaved: (what: string) => void;
  onCancel: () => void;
}

function ThemeEditor({ theme, onSaved, onCancel }: EditorProps & { theme: Theme | undefined }) {
  const save = useUpsertTheme();
  const [v, setV] = useState<ThemeInput>({
    slug: theme?.slug ?? '',
    title: theme?.title ?? '',
    summary: theme?.summary ?? '',
    order: theme?.order ?? 0,
  });
  const err = (f: string) => fieldError(save.error, f);
  return (
    <EditorForm
      onSubmit={() => save.mutate(v, { onSuccess: () => onSaved(`theme “${v.title.trim()}”`) })}
      pending={save.isPending}
      error={save.error}
      fields={['slug', 'title', 'summary', 'order']}
      success={false}
      onCancel={onCancel}
    >
      <TextField
        label="Slug"
        value={v.slug}
        error={err('slug')}
        onChange={(slug) => setV({ ...v, slug })}
      />
      <TextField
        label="Title"
        value={v.title}
        error={err('title')}
        onChange={(title) => setV({ ...v, title })}
      />
      <TextField
        label="Summary"
        multiline
        value={v.summary}
        error={err('summary')}
        onChange={(summary) => setV({ ...v, summary })}
      />
      <TextField
        label="Order"
        type="number"
        value={String(v.order)}
        error={err('order')}
        onChange={(o) => setV({ ...v, order: Number(o) || 0 })}
      />
    </EditorForm>
  );
}

function MilestoneEditor({
  milestone,
  themeSlug,
  themes,
  onSaved,
  onCancel,
}: EditorProps & {
  milestone: Milestone | undefined;
  themeSlug: string;
  themes: Theme[];
}) {
  const save = useUpsertMilestone();
  const id = useId();
  const [v, setV] = useState<MilestoneInput>({
    themeSlug,
    slug: milestone?.slug ?? '',
    name: milestone?.name ?? '',
    summary: milestone?.summary ?? '',
    status: milestone?.status ?? 'Future',
    eta: milestone?.eta ?? '',
    order: milestone?.order ?? 0,
  });
  const err = (f: string) => fieldError(save.error, f);
  return (
    <EditorForm
      onSubmit={() => save.mutate(v, { onSuccess: () => onSaved(`milestone “${v.name.trim()}”`) })}
      pending={save.isPending}
      error={save.error}
      fields={['themeSlug', 'slug', 'name', 'summary', 'eta', 'order']}
      success={false}
      onCancel={onCancel}
    >
      <div className="field">
        <label htmlFor={`${id}-theme`}>Theme</label>
        <select
          id={`${id}-theme`}
          value={v.themeSlug}
          onChange={(e) => setV({ ...v, themeSlug: e.target.value })}
        >
          {themes.map((t) => (
            <option key={t.id} value={t.slug}>
              {t.title}
            </option>
          ))}
        </select>
      </div>
      <TextField
        label="Slug"
        value={v.slug}
        error={err('slug')}
        onChange={(slug) => setV({ ...v, slug })}
      />
      <TextField
        label="Name"
        value={v.name}
        error={err('name')}
        onChange={(name) => setV({ ...v, name })}
      />
      <TextField
        label="Summary"
        multiline
        value={v.summary}
        error={err('summary')}
        onChange={(summary) => setV({ ...v, summary })}
      />
      <StatusSelect value={v.status} onChange={(status) => setV({ ...v, status })} />
      <TextField
        label="ETA (optional, e.g. Q3 2026)"
        value={v.eta ?? ''}
        error={err('eta')}
        onChange={(eta) => setV({ ...v, eta })}
      />
      <TextField
        label="Order"
        type="number"
        value={String(v.order)}
        error={err('order')}
        onChange={(o) => setV({ ...v, order: Number(o) || 0 })}
      />
    </EditorForm>
  );
}

/** Links are edited one per line as "label | https://url". */
export function parseLinks(text: string): ItemLink[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const bar = line.lastIndexOf('|');
      if (bar === -1) return { label: line, url: line };
      return { label: line.slice(0, bar).trim(), url: line.slice(bar + 1).trim() };
    });
}

function ItemEditor({
  item,
  milestoneSlug,
  themes,
  onSaved,
  onCancel,
}: EditorProps & {
  item: RoadmapItem | undefined;
  milestoneSlug: string;
  themes: Theme[];
}) {
  const save = useUpsertItem();
  const id = useId();
  const [v, setV] = useState<Omit<ItemInput, 'links'>>({
    milestoneSlug,
    slug: item?.slug ?? '',
    title: item?.title ?? '',
    description: item?.description ?? '',
    status: item?.status ?? 'Future',
    order: item?.order ?? 0,
  });
  const [links, setLinks] = useState(
    (item?.links ?? []).map((l) => `${l.label} | ${l.url}`).join('\n'),
  );
  const err = (f: string) => fieldError(save.error, f);
  return (
    <EditorForm
      onSubmit={() =>
        save.mutate(
          { ...v, links: parseLinks(links) },
          { onSuccess: () => onSaved(`item “${v.title.trim()}”`) },
        )
      }
      pending={save.isPending}
      error={save.error}
      fields={['milestoneSlug', 'slug', 'title', 'description', 'links', 'order']}
      success={false}
      onCancel={onCancel}
    >
      <div className="field">
        <label htmlFor={`${id}-milestone`}>Milestone</label>
        <select
          id={`${id}-milestone`}
          value={v.milestoneSlug}
          onChange={(e) => setV({ ...v, milestoneSlug: e.target.value })}
        >
          {themes.map((t) => (
            <optgroup key={t.id} label={t.title}>
              {t.milestones.map((m) => (
                <option key={m.id} value={m.slug}>
                  {m.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <TextField
        label="Slug"
        value={v.slug}
        error={err('slug')}
        onChange={(slug) => setV({ ...v, slug })}
      />
      <TextField
        label="Title"
        value={v.title}
        error={err('title')}
        onChange={(title) => setV({ ...v, title })}
      />
      <TextField
        label="Description (markdown)"
        multiline
        value={v.description}
        error={err('description')}
        onChange={(description) => setV({ ...v, description })}
      />
      <StatusSelect value={v.status} onChange={(status) => setV({ ...v, status })} />
      <TextField
        label="Links (one per line: label | https://url)"
        multiline
        value={links}
        error={err('links')}
        onChange={setLinks}
      />
      <TextField
        label="Order"
        type="number"
        value={String(v.order)}
        error={err('order')}
        onChange={(o) => setV({ ...v, order: Number(o) || 0 })}
      />
    </EditorForm>
  );
}

function ProposalsAdmin() {
  const list = useProposalList({ sort: 'New' });
  const proposals = list.data?.pages.flatMap((p) => p.proposals) ?? [];
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />;
  if (proposals.length === 0) return <Empty>No proposals yet.</Empty>;
  return (
    <>
      <ul className="admin-proposals">
        {proposals.map((p) => (
          <li key={p.id} className="card">
            <div className="admin-row">
              <Link to={`/proposals/${p.id}`}>
                #{p.id} {p.title}
              </Link>
              <ProposalStatusBadge status={p.status} />
              <span className="muted small">
                ▲{p.up} ▼{p.down} · {p.commentCount} comments
              </span>
            </div>
            <details>
              <summary>Set status</summary>
              <ProposalStatusForm proposalId={p.id} current={p.status} />
            </details>
          </li>
        ))}
      </ul>
      {list.hasNextPage && (
        <button type="button" className="btn" onClick={() => void list.fetchNextPage()}>
          Load more
        </button>
      )}
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

const SETTING_LABELS: [keyof Settings, string][] = [
  ['creditBudget', 'Priority credit budget per member'],
  ['proposalsPerDay', 'Proposals per member per day'],
  ['commentsPerHour', 'Comments per member per hour'],
  ['votesPerHour', 'Votes per member per hour'],
  ['profileEditsPerHour', 'Profile edits per member per hour'],
];

function SettingsAdmin() {
  const settings = useSettings();
  if (settings.isPending) return <Loading />;
  if (settings.isError) {
    return <ErrorNotice error={settings.error} onRetry={() => void settings.refetch()} />;
  }
  return (
    <div className="narrow-form">
      <SettingsForm initial={settings.data} />
    </div>
  );
}

function SettingsForm({ initial }: { initial: Settings }) {
  const save = useSetSettings();
  const [v, setV] = useState<Settings>(initial);
  return (
    <EditorForm
      onSubmit={() => save.mutate(v)}
      pending={save.isPending}
      error={save.error}
      fields={SETTING_LABELS.map(([k]) => k)}
      success={save.isSuccess}
    >
      {SETTING_LABELS.map(([key, label]) => (
        <TextField
          key={key}
          label={label}
          type="number"
          value={String(v[key])}
          error={fieldError(save.error, key)}
          onChange={(n) => setV({ ...v, [key]: Math.max(0, Math.floor(Number(n) || 0)) })}
        />
      ))}
    </EditorForm>
  );
}
