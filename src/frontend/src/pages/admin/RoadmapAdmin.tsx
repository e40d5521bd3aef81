import { useId, useState } from 'react';
import { fieldError } from '../../api/errors';
import type {
  ItemInput,
  Link as ItemLink,
  Milestone,
  MilestoneInput,
  RoadmapItem,
  Theme,
  ThemeInput,
} from '../../api/models';
import { ErrorNotice, Loading } from '../../components/Feedback';
import { RoadmapStatusBadge } from '../../components/Status';
import { useUpsertItem, useUpsertMilestone, useUpsertTheme } from '../../hooks/mutations';
import { useRoadmap } from '../../hooks/queries';
import { EditorForm, StatusSelect, TextField } from './forms';

type Editing =
  | { kind: 'theme'; theme: Theme | undefined }
  | { kind: 'milestone'; milestone: Milestone | undefined; themeSlug: string }
  | { kind: 'item'; item: RoadmapItem | undefined; milestoneSlug: string }
  | undefined;

export function RoadmapAdmin() {
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
