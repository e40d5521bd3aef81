import { useEffect, useId, useRef, useState } from 'react';
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
import { nextOrder, reorder, slugify } from '../../api/roadmapOrder';
import { ErrorNotice, Loading } from '../../components/Feedback';
import { announce } from '../../components/LiveRegion';
import { RoadmapStatusBadge } from '../../components/Status';
import {
  useReorderRoadmap,
  useUpsertItem,
  useUpsertMilestone,
  useUpsertTheme,
  type RoadmapUpsert,
} from '../../hooks/mutations';
import { useRoadmap } from '../../hooks/queries';
import { EditorForm, StatusSelect, TextField } from './forms';

type Editing =
  | { kind: 'theme'; theme: Theme | undefined }
  | { kind: 'milestone'; milestone: Milestone | undefined; themeSlug: string }
  | { kind: 'item'; item: RoadmapItem | undefined; milestoneSlug: string }
  | undefined;

function editorTitle(editing: Editing): string {
  if (editing === undefined) return 'Editor';
  const existing =
    editing.kind === 'theme'
      ? editing.theme
      : editing.kind === 'milestone'
        ? editing.milestone
        : editing.item;
  return `${existing ? 'Edit' : 'New'} ${editing.kind}`;
}

const themeInput = (t: Theme, order = t.order): ThemeInput => ({
  slug: t.slug,
  title: t.title,
  summary: t.summary,
  order,
});

const milestoneInput = (m: Milestone, themeSlug: string, order = m.order): MilestoneInput => ({
  themeSlug,
  slug: m.slug,
  name: m.name,
  summary: m.summary,
  status: m.status,
  eta: m.eta,
  order,
});

const itemInput = (i: RoadmapItem, milestoneSlug: string, order = i.order): ItemInput => ({
  milestoneSlug,
  slug: i.slug,
  title: i.title,
  description: i.description,
  status: i.status,
  links: i.links,
  order,
});

/** The upserts that move `siblings[index]` one place up or down. */
function moveChanges<T extends { order: number }>(
  siblings: T[],
  index: number,
  delta: -1 | 1,
  toUpsert: (entry: T, order: number) => RoadmapUpsert,
): RoadmapUpsert[] {
  const orders = reorder(
    siblings.map((s) => s.order),
    index,
    index + delta,
  );
  return siblings.flatMap((s, i) => (orders[i] === s.order ? [] : [toUpsert(s, orders[i] ?? 0)]));
}

export function RoadmapAdmin() {
  const roadmap = useRoadmap();
  const move = useReorderRoadmap();
  const [editing, setEditingState] = useState<Editing>();
  const [saved, setSaved] = useState<string>();
  const editor = useRef<HTMLElement>(null);
  const editorHeading = useRef<HTMLHeadingElement>(null);
  // The control that opened the editor gets focus back when it closes.
  const opener = useRef<HTMLElement | null>(null);
  const [focusBack, setFocusBack] = useState(false);
  // After a move, the moved entry's button (found by its data-move key) gets focus again.
  const [focusMove, setFocusMove] = useState<string>();

  const setEditing = (next: Editing) => {
    setSaved(undefined);
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setEditingState(next);
  };
  const closeEditor = () => {
    setEditingState(undefined);
    setFocusBack(true);
  };
  const onSaved = (what: string) => {
    setSaved(what);
    closeEditor();
  };

  // The editor sits below the long tree on a phone: bring it into view and put focus in it.
  useEffect(() => {
    const panel = editor.current;
    if (!editing || !panel) return;
    const top = panel.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 2) editorHeading.current?.scrollIntoView?.();
    panel
      .querySelector<HTMLElement>('input:not([readonly]), select, textarea')
      ?.focus({ preventScroll: true });
  }, [editing]);

  useEffect(() => {
    if (!focusBack) return;
    setFocusBack(false);
    const back = opener.current;
    if (back?.isConnected) back.focus();
    else editorHeading.current?.focus();
  }, [focusBack]);

  useEffect(() => {
    if (!focusMove) return;
    setFocusMove(undefined);
    document.querySelector<HTMLElement>(`[data-move="${focusMove}"]`)?.focus();
  }, [focusMove, roadmap.data]);

  if (roadmap.isPending) return <Loading />;
  if (roadmap.isError) {
    return <ErrorNotice error={roadmap.error} onRetry={() => void roadmap.refetch()} />;
  }
  const themes = roadmap.data.themes;
  const milestoneSlug = (id: string) =>
    themes.flatMap((t) => t.milestones).find((m) => m.id === id)?.slug ?? '';
  const themeSlug = (id: string) => themes.find((t) => t.id === id)?.slug ?? '';

  const moveButtons = <T extends { id: string; order: number }>(
    kind: 'theme' | 'milestone' | 'item',
    name: string,
    siblings: T[],
    index: number,
    toUpsert: (entry: T, order: number) => RoadmapUpsert,
  ) =>
    ([-1, 1] as const).map((delta) => {
      const key = `${kind}-${siblings[index]?.id}-${delta < 0 ? 'up' : 'down'}`;
      const edge = delta < 0 ? index === 0 : index === siblings.length - 1;
      return (
        <button
          key={delta}
          type="button"
          className="link-button move-button"
          data-move={key}
          // Never disabled, so focus can stay on it at the ends of the list.
          aria-disabled={edge}
          aria-label={`Move ${kind} ${name} ${delta < 0 ? 'up' : 'down'}`}
          onClick={() => {
            if (edge || move.isPending) return;
            move.mutate(moveChanges(siblings, index, delta, toUpsert), {
              onSuccess: () => {
                announce(
                  `Moved ${name} ${delta < 0 ? 'up' : 'down'}: ${index + delta + 1} of ${siblings.length}.`,
                );
                setFocusMove(key);
              },
            });
          }}
        >
          <span aria-hidden="true">{delta < 0 ? '↑' : '↓'}</span>
        </button>
      );
    });

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
        {move.isError && <ErrorNotice error={move.error} title="Could not move the entry." />}
        <ul className="admin-tree">
          {themes.map((t, ti) => (
            <li key={t.id}>
              <div className="admin-row">
                <strong>{t.title}</strong>
                {moveButtons('theme', t.title, themes, ti, (e, order) => ({
                  kind: 'theme',
                  input: themeInput(e, order),
                }))}
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
                {t.milestones.map((m, mi) => (
                  <li key={m.id}>
                    <div className="admin-row">
                      <span>{m.name}</span>
                      <RoadmapStatusBadge status={m.status} />
                      {moveButtons('milestone', m.name, t.milestones, mi, (e, order) => ({
                        kind: 'milestone',
                        input: milestoneInput(e, t.slug, order),
                      }))}
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
                      {m.items.map((i, ii) => (
                        <li key={i.id} className="admin-row">
                          <span>{i.title}</span>
                          <RoadmapStatusBadge status={i.status} />
                          {moveButtons('item', i.title, m.items, ii, (e, order) => ({
                            kind: 'item',
                            input: itemInput(e, m.slug, order),
                          }))}
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
      <section ref={editor} aria-labelledby="admin-editor" className="card admin-editor">
        <h2 id="admin-editor" ref={editorHeading} tabIndex={-1}>
          {editorTitle(editing)}
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
            order={editing.theme?.order ?? nextOrder(themes)}
            onSaved={onSaved}
            onCancel={closeEditor}
          />
        )}
        {editing?.kind === 'milestone' && (
          <MilestoneEditor
            key={editing.milestone?.id ?? `new-${editing.themeSlug}`}
            milestone={editing.milestone}
            themeSlug={editing.milestone ? themeSlug(editing.milestone.themeId) : editing.themeSlug}
            themes={themes}
            onSaved={onSaved}
            onCancel={closeEditor}
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
            onCancel={closeEditor}
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

/**
 * A new entry's slug follows its title until someone edits the slug. An existing entry's slug
 * is its key (imports update entries by slug), so it is shown but not editable.
 */
function SlugField({
  existing,
  title,
  slug,
  edited,
  error,
  onChange,
}: {
  existing: boolean;
  title: string;
  slug: string;
  edited: boolean;
  error: string | undefined;
  onChange: (slug: string) => void;
}) {
  return (
    <TextField
      label="Slug"
      value={existing || edited ? slug : slugify(title)}
      error={error}
      readOnly={existing}
      hint={
        existing
          ? 'The stable key of this entry: imports update it by slug, so it cannot change.'
          : 'Made from the title; edit it if you like (a–z, 0–9 and -).'
      }
      onChange={onChange}
    />
  );
}

function useSlug(existing: string | undefined) {
  const [slug, setSlug] = useState(existing ?? '');
  const [edited, setEdited] = useState(false);
  return {
    slug,
    edited,
    set: (value: string) => {
      setSlug(value);
      setEdited(true);
    },
    /** The slug to save: typed, or made from the title. */
    resolve: (title: string) => (existing !== undefined || edited ? slug.trim() : slugify(title)),
  };
}

function ThemeEditor({
  theme,
  order,
  onSaved,
  onCancel,
}: EditorProps & { theme: Theme | undefined; order: number }) {
  const save = useUpsertTheme();
  const slug = useSlug(theme?.slug);
  const [v, setV] = useState({ title: theme?.title ?? '', summary: theme?.summary ?? '' });
  const err = (f: string) => fieldError(save.error, f);
  return (
    <EditorForm
      onSubmit={() =>
        save.mutate(
          { ...v, slug: slug.resolve(v.title), order },
          { onSuccess: () => onSaved(`theme “${v.title.trim()}”`) },
        )
      }
      pending={save.isPending}
      error={save.error}
      fields={['slug', 'title', 'summary']}
      success={false}
      onCancel={onCancel}
    >
      <TextField
        label="Title"
        value={v.title}
        error={err('title')}
        onChange={(title) => setV({ ...v, title })}
      />
      <SlugField
        existing={theme !== undefined}
        title={v.title}
        slug={slug.slug}
        edited={slug.edited}
        error={err('slug')}
        onChange={slug.set}
      />
      <TextField
        label="Summary"
        multiline
        value={v.summary}
        error={err('summary')}
        onChange={(summary) => setV({ ...v, summary })}
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
  const slug = useSlug(milestone?.slug);
  const [v, setV] = useState<Omit<MilestoneInput, 'slug' | 'order'>>({
    themeSlug,
    name: milestone?.name ?? '',
    summary: milestone?.summary ?? '',
    status: milestone?.status ?? 'Future',
    eta: milestone?.eta ?? '',
  });
  const err = (f: string) => fieldError(save.error, f);
  // A milestone keeps its place when it stays in its theme and goes last when it moves.
  const order = (chosenTheme: string) =>
    milestone && chosenTheme === themeSlug
      ? milestone.order
      : nextOrder(themes.find((t) => t.slug === chosenTheme)?.milestones ?? []);
  return (
    <EditorForm
      onSubmit={() =>
        save.mutate(
          { ...v, slug: slug.resolve(v.name), order: order(v.themeSlug) },
          { onSuccess: () => onSaved(`milestone “${v.name.trim()}”`) },
        )
      }
      pending={save.isPending}
      error={save.error}
      fields={['themeSlug', 'slug', 'name', 'summary', 'eta']}
      success={false}
      onCancel={onCancel}
    >
      <TextField
        label="Name"
        value={v.name}
        error={err('name')}
        onChange={(name) => setV({ ...v, name })}
      />
      <SlugField
        existing={milestone !== undefined}
        title={v.name}
        slug={slug.slug}
        edited={slug.edited}
        error={err('slug')}
        onChange={slug.set}
      />
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
  const slug = useSlug(item?.slug);
  const [v, setV] = useState<Omit<ItemInput, 'links' | 'slug' | 'order'>>({
    milestoneSlug,
    title: item?.title ?? '',
    description: item?.description ?? '',
    status: item?.status ?? 'Future',
  });
  const [links, setLinks] = useState(
    (item?.links ?? []).map((l) => `${l.label} | ${l.url}`).join('\n'),
  );
  const err = (f: string) => fieldError(save.error, f);
  const milestones = themes.flatMap((t) => t.milestones);
  // An item keeps its place when it stays in its milestone and goes last when it moves.
  const order = (chosen: string) =>
    item && chosen === milestoneSlug
      ? item.order
      : nextOrder(milestones.find((m) => m.slug === chosen)?.items ?? []);
  return (
    <EditorForm
      onSubmit={() =>
        save.mutate(
          {
            ...v,
            slug: slug.resolve(v.title),
            order: order(v.milestoneSlug),
            links: parseLinks(links),
          },
          { onSuccess: () => onSaved(`item “${v.title.trim()}”`) },
        )
      }
      pending={save.isPending}
      error={save.error}
      fields={['milestoneSlug', 'slug', 'title', 'description', 'links']}
      success={false}
      onCancel={onCancel}
    >
      <TextField
        label="Title"
        value={v.title}
        error={err('title')}
        onChange={(title) => setV({ ...v, title })}
      />
      <SlugField
        existing={item !== undefined}
        title={v.title}
        slug={slug.slug}
        edited={slug.edited}
        error={err('slug')}
        onChange={slug.set}
      />
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
    </EditorForm>
  );
}
