/**
 * The markdown toolbar's edits as pure functions of the text and the selection, so that each
 * rule is tested without a browser. An edit replaces one range and says what to select after,
 * which lets the editor apply it through the browser's own editing (and its undo history).
 */

export type MarkdownFormat =
  'bold' | 'italic' | 'code' | 'link' | 'bulletList' | 'numberedList' | 'quote';

export interface Selection {
  start: number;
  end: number;
}

export interface TextEdit {
  /** Replace value[from, to) with `insert`… */
  from: number;
  to: number;
  insert: string;
  /** …then select this range of the new value. */
  select: Selection;
}

/** Applies an edit: the new value and selection, as the editor ends up with them. */
export function applyEdit(value: string, edit: TextEdit): { value: string; selection: Selection } {
  return {
    value: value.slice(0, edit.from) + edit.insert + value.slice(edit.to),
    selection: edit.select,
  };
}

const INLINE: Record<'bold' | 'italic' | 'code', { marker: string; placeholder: string }> = {
  bold: { marker: '**', placeholder: 'bold text' },
  // Underscores, not asterisks, so that italic next to bold stays unambiguous.
  italic: { marker: '_', placeholder: 'italic text' },
  code: { marker: '`', placeholder: 'code' },
};

export function formatMarkdown(
  value: string,
  selection: Selection,
  format: MarkdownFormat,
): TextEdit {
  const start = Math.min(selection.start, selection.end);
  const end = Math.max(selection.start, selection.end);
  switch (format) {
    case 'bold':
    case 'italic':
      return wrapInline(value, start, end, INLINE[format]);
    case 'code':
      return value.slice(start, end).includes('\n')
        ? fenceBlock(value, start, end)
        : wrapInline(value, start, end, INLINE.code);
    case 'link':
      return link(value, start, end);
    case 'bulletList':
      return prefixLines(value, start, end, () => '- ', /^[-*+] /);
    case 'numberedList':
      return prefixLines(value, start, end, (i) => `${i + 1}. `, /^\d+[.)] /);
    case 'quote':
      return prefixLines(value, start, end, () => '> ', /^> ?/);
  }
}

/**
 * Wraps the selection in a marker, or removes the marker when the selection is already wrapped
 * (pressing Bold twice undoes it, as in any editor). Spaces at the selection's edges stay
 * outside the markers: `** bold **` is not bold in markdown.
 */
function wrapInline(
  value: string,
  start: number,
  end: number,
  { marker, placeholder }: { marker: string; placeholder: string },
): TextEdit {
  const m = marker.length;
  const selected = value.slice(start, end);
  if (value.slice(start - m, start) === marker && value.slice(end, end + m) === marker) {
    return {
      from: start - m,
      to: end + m,
      insert: selected,
      select: { start: start - m, end: end - m },
    };
  }
  if (selected.length >= 2 * m && selected.startsWith(marker) && selected.endsWith(marker)) {
    const inner = selected.slice(m, selected.length - m);
    return { from: start, to: end, insert: inner, select: { start, end: start + inner.length } };
  }
  if (selected.trim() === '') {
    return {
      from: start,
      to: end,
      insert: marker + placeholder + marker,
      select: { start: start + m, end: start + m + placeholder.length },
    };
  }
  const lead = selected.length - selected.trimStart().length;
  const trail = selected.length - selected.trimEnd().length;
  const inner = selected.slice(lead, selected.length - trail);
  const from = start + lead;
  return {
    from,
    to: end - trail,
    insert: marker + inner + marker,
    select: { start: from + m, end: from + m + inner.length },
  };
}

/** Several lines of code become a fenced block on lines of its own. */
function fenceBlock(value: string, start: number, end: number): TextEdit {
  const selected = value.slice(start, end).replace(/\n$/, '');
  const before = start > 0 && value[start - 1] !== '\n' ? '\n' : '';
  const after = end < value.length && value[end] !== '\n' ? '\n' : '';
  const open = `${before}\`\`\`\n`;
  return {
    from: start,
    to: end,
    insert: `${open}${selected}\n\`\`\`${after}`,
    select: { start: start + open.length, end: start + open.length + selected.length },
  };
}

const URL_LIKE = /^(https?:\/\/|mailto:)\S+$/i;

/**
 * A selected address becomes the link's target and its text is selected for typing; any other
 * selection becomes the link's text and the address placeholder is selected instead.
 */
function link(value: string, start: number, end: number): TextEdit {
  const selected = value.slice(start, end).trim();
  if (URL_LIKE.test(selected)) {
    const text = 'link text';
    return {
      from: start,
      to: end,
      insert: `[${text}](${selected})`,
      select: { start: start + 1, end: start + 1 + text.length },
    };
  }
  const text = selected.includes('\n') ? selected.replace(/\s+/g, ' ') : selected;
  const label = text === '' ? 'link text' : text;
  const url = 'https://';
  const insert = `[${label}](${url})`;
  if (text === '') {
    return {
      from: start,
      to: end,
      insert,
      select: { start: start + 1, end: start + 1 + label.length },
    };
  }
  const urlStart = start + label.length + 3;
  return { from: start, to: end, insert, select: { start: urlStart, end: urlStart + url.length } };
}

/**
 * Adds a line prefix (list bullet, number, quote) to every line the selection touches, or
 * removes it when every non-empty line already has one. The lines stay selected, so pressing
 * the button again toggles back.
 */
function prefixLines(
  value: string,
  start: number,
  end: number,
  prefix: (index: number) => string,
  existing: RegExp,
): TextEdit {
  const from = value.lastIndexOf('\n', start - 1) + 1;
  // A selection that ends at the start of a line does not include that line.
  const last = end > start && value[end - 1] === '\n' ? end - 1 : end;
  const lineEnd = value.indexOf('\n', last);
  const to = lineEnd === -1 ? value.length : lineEnd;
  const lines = value.slice(from, to).split('\n');
  const filled = lines.filter((l) => l.trim() !== '');
  const remove = filled.length > 0 && filled.every((l) => existing.test(l));
  let n = 0;
  const insert = lines
    .map((line) => {
      if (remove) return line.replace(existing, '');
      if (line.trim() === '') return line;
      return prefix(n++) + line;
    })
    .join('\n');
  return { from, to, insert, select: { start: from, end: from + insert.length } };
}

/** Keyboard shortcuts, as GitHub's and most editors' (Cmd instead of Ctrl on a Mac). */
export function shortcutFormat(event: {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}): MarkdownFormat | undefined {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return undefined;
  if (event.shiftKey) {
    if (event.code === 'Digit8') return 'bulletList';
    if (event.code === 'Digit7') return 'numberedList';
    if (event.code === 'Period') return 'quote';
    return undefined;
  }
  switch (event.key.toLowerCase()) {
    case 'b':
      return 'bold';
    case 'i':
      return 'italic';
    case 'e':
      return 'code';
    case 'k':
      return 'link';
  }
  return undefined;
}
