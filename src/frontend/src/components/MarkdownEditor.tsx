import {
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type Ref,
} from 'react';
import { MarkdownText } from './Markdown';
import {
  applyEdit,
  formatMarkdown,
  shortcutFormat,
  type MarkdownFormat,
  type Selection,
} from './markdownFormat';

export type EditorMode = 'write' | 'preview';

/** What a form passes to the textarea: its id and the descriptions `Field` wires up. */
export interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

interface Tool {
  format: MarkdownFormat;
  label: string;
  /** As aria-keyshortcuts spells it, and as the tooltip shows it. */
  keys: string;
  shown: string;
  icon: ReactNode;
}

const TOOLS: Tool[] = [
  { format: 'bold', label: 'Bold', keys: 'Control+B', shown: 'Ctrl+B', icon: <b>B</b> },
  { format: 'italic', label: 'Italic', keys: 'Control+I', shown: 'Ctrl+I', icon: <i>I</i> },
  { format: 'link', label: 'Link', keys: 'Control+K', shown: 'Ctrl+K', icon: <LinkIcon /> },
  { format: 'code', label: 'Code', keys: 'Control+E', shown: 'Ctrl+E', icon: '</>' },
  {
    format: 'bulletList',
    label: 'Bulleted list',
    keys: 'Control+Shift+8',
    shown: 'Ctrl+Shift+8',
    icon: '•–',
  },
  {
    format: 'numberedList',
    label: 'Numbered list',
    keys: 'Control+Shift+7',
    shown: 'Ctrl+Shift+7',
    icon: '1.',
  },
  { format: 'quote', label: 'Quote', keys: 'Control+Shift+.', shown: 'Ctrl+Shift+.', icon: '❝' },
];

/** Drawn rather than an emoji: not every system has a font with one. */
function LinkIcon() {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
    >
      <path d="M6.5 9.5l3-3" strokeLinecap="round" />
      <path
        d="M7 4.5l1.2-1.2a2.8 2.8 0 014 4L11 8.5M9 11.5l-1.2 1.2a2.8 2.8 0 01-4-4L5 7.5"
        strokeLinecap="round"
      />
    </svg>
  );
}

const MODES: { mode: EditorMode; label: string }[] = [
  { mode: 'write', label: 'Write' },
  { mode: 'preview', label: 'Preview' },
];

/**
 * A markdown textarea with its Write/Preview tabs and formatting toolbar on the field's top
 * edge, where GitHub, GitLab and Discourse put them, so the tabs read as belonging to this
 * field and the toolbar sits beside the text it changes.
 *
 * - The tabs follow the ARIA tabs pattern (arrow keys move between them, one Tab stop); the
 *   toolbar follows the toolbar pattern (arrow keys move between buttons, one Tab stop).
 * - A toolbar button edits through the browser's own editing, so Ctrl+Z undoes it, and gives
 *   focus back to the text with the changed part selected.
 * - The textarea stays mounted while the preview shows, so its label and selection stay put.
 */
export function MarkdownEditor({
  value,
  onChange,
  control,
  rows,
  mode: controlledMode,
  onModeChange,
  onKeyDown,
  onBlur,
  autoFocus,
  textareaRef,
  emptyPreview = '_Nothing to preview yet._',
}: {
  value: string;
  onChange: (value: string) => void;
  control: ControlProps;
  rows: number;
  mode?: EditorMode;
  onModeChange?: (mode: EditorMode) => void;
  onKeyDown?: (event: KeyboardEvent<HTMLTextAreaElement>) => void;
  onBlur?: () => void;
  autoFocus?: boolean;
  textareaRef?: Ref<HTMLTextAreaElement>;
  emptyPreview?: string;
}) {
  const uid = useId();
  const [ownMode, setOwnMode] = useState<EditorMode>('write');
  const mode = controlledMode ?? ownMode;
  const setMode = (next: EditorMode) => {
    setOwnMode(next);
    onModeChange?.(next);
  };
  const textarea = useRef<HTMLTextAreaElement | null>(null);
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const toolRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const [activeTool, setActiveTool] = useState(0);
  const pendingSelection = useRef<Selection | undefined>(undefined);

  // The fallback path (no execCommand) sets the value through React; the selection can only be
  // placed once React has written that value to the textarea.
  useLayoutEffect(() => {
    const selection = pendingSelection.current;
    const el = textarea.current;
    if (!selection || !el || el.value !== value) return;
    pendingSelection.current = undefined;
    el.setSelectionRange(selection.start, selection.end);
  }, [value]);

  const setTextarea = (el: HTMLTextAreaElement | null) => {
    textarea.current = el;
    if (typeof textareaRef === 'function') textareaRef(el);
    else if (textareaRef) textareaRef.current = el;
  };

  const format = (kind: MarkdownFormat) => {
    const el = textarea.current;
    if (!el) return;
    const edit = formatMarkdown(el.value, { start: el.selectionStart, end: el.selectionEnd }, kind);
    el.focus();
    el.setSelectionRange(edit.from, edit.to);
    // execCommand is deprecated but still the only way to change a textarea that the
    // browser records in its undo history; where it is missing the value is set directly.
    const edited =
      typeof document.execCommand === 'function' &&
      document.execCommand('insertText', false, edit.insert);
    if (edited && el.value === applyEdit(value, edit).value) {
      el.setSelectionRange(edit.select.start, edit.select.end);
      return;
    }
    const next = applyEdit(value, edit);
    pendingSelection.current = next.selection;
    onChange(next.value);
  };

  const panelId = `${uid}-panel`;
  const tabId = (m: EditorMode) => `${uid}-tab-${m}`;

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const next = rovingIndex(e.key, index, MODES.length);
    if (next === undefined) return;
    e.preventDefault();
    setMode(MODES[next]!.mode);
    tabRefs.current[next]?.focus();
  };

  const onToolKey = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const next = rovingIndex(e.key, index, TOOLS.length);
    if (next === undefined) return;
    e.preventDefault();
    setActiveTool(next);
    toolRefs.current[next]?.focus();
  };

  return (
    <div className="md-editor">
      <div className="md-editor-bar">
        <div className="md-tabs" role="tablist" aria-label="Write or preview">
          {MODES.map(({ mode: m, label }, i) => (
            <button
              key={m}
              ref={(el) => {
                tabRefs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={tabId(m)}
              className="md-tab"
              aria-selected={mode === m}
              aria-controls={panelId}
              tabIndex={mode === m ? 0 : -1}
              onClick={() => setMode(m)}
              onKeyDown={(e) => onTabKey(e, i)}
            >
              {label}
            </button>
          ))}
        </div>
        {mode === 'write' && (
          <div
            className="md-toolbar"
            role="toolbar"
            // Not named after the field: a label lookup for the field must find the field only.
            aria-label="Formatting"
            aria-controls={control.id}
          >
            {TOOLS.map((tool, i) => (
              <button
                key={tool.format}
                ref={(el) => {
                  toolRefs.current[i] = el;
                }}
                type="button"
                className="md-tool"
                aria-label={tool.label}
                aria-keyshortcuts={tool.keys}
                title={`${tool.label} (${tool.shown})`}
                tabIndex={i === activeTool ? 0 : -1}
                // Keeps the text's selection: a mouse press would otherwise move focus first.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => {
                  setActiveTool(i);
                  format(tool.format);
                }}
                onKeyDown={(e) => onToolKey(e, i)}
              >
                <span aria-hidden="true">{tool.icon}</span>
              </button>
            ))}
          </div>
        )}
      </div>
      <div
        id={panelId}
        role="tabpanel"
        aria-labelledby={tabId(mode)}
        className="md-panel"
        tabIndex={mode === 'preview' ? 0 : undefined}
      >
        <textarea
          {...control}
          ref={setTextarea}
          dir="auto"
          rows={rows}
          value={value}
          hidden={mode === 'preview'}
          autoFocus={autoFocus}
          onChange={(e) => onChange(e.target.value)}
          onBlur={onBlur}
          onKeyDown={(e) => {
            const shortcut = shortcutFormat(e);
            if (shortcut) {
              e.preventDefault();
              format(shortcut);
              return;
            }
            onKeyDown?.(e);
          }}
        />
        {mode === 'preview' && (
          <div className="preview">
            <MarkdownText text={value.trim() || emptyPreview} />
          </div>
        )}
      </div>
    </div>
  );
}

/**
 * Where arrow keys, Home and End move focus in a row of `count` tabs or tools (the ARIA roving
 * pattern, wrapping at both ends); undefined for any other key.
 */
function rovingIndex(key: string, index: number, count: number): number | undefined {
  if (key === 'ArrowRight') return (index + 1) % count;
  if (key === 'ArrowLeft') return (index + count - 1) % count;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return undefined;
}
