import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { MarkdownEditor } from '../../../src/frontend/src/components/MarkdownEditor';
import {
  applyEdit,
  formatMarkdown,
  shortcutFormat,
  type MarkdownFormat,
} from '../../../src/frontend/src/components/markdownFormat';
import { Providers, sampleRoadmap, testQueryClient } from './helpers';

/** Formats `text` where `[` and `]` mark the selection; returns the result marked the same way. */
function format(marked: string, kind: MarkdownFormat): string {
  const start = marked.indexOf('[');
  const end = marked.indexOf(']') - 1;
  const value = marked.replace('[', '').replace(']', '');
  const result = applyEdit(value, formatMarkdown(value, { start, end }, kind));
  const { start: s, end: e } = result.selection;
  return result.value.slice(0, s) + '[' + result.value.slice(s, e) + ']' + result.value.slice(e);
}

describe('markdown formatting', () => {
  it('wraps the selection, keeping edge spaces outside, and unwraps it when pressed again', () => {
    expect(format('rotate [nodes] now', 'bold')).toBe('rotate **[nodes]** now');
    expect(format('rotate [nodes ]now', 'bold')).toBe('rotate **[nodes]** now');
    expect(format('rotate **[nodes]** now', 'bold')).toBe('rotate [nodes] now');
    expect(format('rotate [**nodes**] now', 'bold')).toBe('rotate [nodes] now');
    expect(format('rotate [nodes] now', 'italic')).toBe('rotate _[nodes]_ now');
    expect(format('call [f()] here', 'code')).toBe('call `[f()]` here');
  });

  it('inserts a selected placeholder when nothing is selected', () => {
    expect(format('a []b', 'bold')).toBe('a **[bold text]**b');
    expect(format('[]', 'link')).toBe('[[link text]](https://)');
  });

  it('fences a multi-line selection on lines of its own', () => {
    expect(format('see [a = 1\nb = 2] done', 'code')).toBe('see \n```\n[a = 1\nb = 2]\n```\n done');
  });

  it('links the selected text, or uses a selected address as the target', () => {
    expect(format('read [the spec] first', 'link')).toBe('read [the spec]([https://]) first');
    expect(format('see [https://internetcomputer.org]', 'link')).toBe(
      'see [[link text]](https://internetcomputer.org)',
    );
  });

  it('prefixes every touched line, numbers a numbered list, and toggles back', () => {
    expect(format('intro\n[one\ntwo]', 'bulletList')).toBe('intro\n[- one\n- two]');
    expect(format('intro\n[- one\n- two]', 'bulletList')).toBe('intro\n[one\ntwo]');
    expect(format('o[n]e\n\ntwo', 'numberedList')).toBe('[1. one]\n\ntwo');
    expect(format('[one\n\ntwo]', 'numberedList')).toBe('[1. one\n\n2. two]');
    expect(format('[said\nthis]', 'quote')).toBe('[> said\n> this]');
    // A selection ending at the start of a line leaves that line alone.
    expect(format('[one\n]two', 'quote')).toBe('[> one]\ntwo');
  });

  it('knows the usual shortcuts, with Ctrl or Cmd', () => {
    const key = (k: string, extra: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey', boolean>>) =>
      shortcutFormat({
        key: k,
        code: k === '8' ? 'Digit8' : k === '>' ? 'Period' : `Key${k.toUpperCase()}`,
        ctrlKey: false,
        metaKey: false,
        shiftKey: false,
        altKey: false,
        ...extra,
      });
    expect(key('b', { ctrlKey: true })).toBe('bold');
    expect(key('i', { metaKey: true })).toBe('italic');
    expect(key('k', { ctrlKey: true })).toBe('link');
    expect(key('e', { ctrlKey: true })).toBe('code');
    expect(key('8', { ctrlKey: true, shiftKey: true })).toBe('bulletList');
    expect(key('>', { ctrlKey: true, shiftKey: true })).toBe('quote');
    expect(key('b', {})).toBeUndefined();
  });
});

function Editor({ initial = '' }: { initial?: string }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <label htmlFor="body">Description</label>
      <MarkdownEditor
        control={{ id: 'body', 'aria-invalid': false, 'aria-describedby': undefined }}
        rows={4}
        value={value}
        onChange={setValue}
      />
    </>
  );
}

const textarea = () => screen.getByLabelText('Description') as HTMLTextAreaElement;

describe('the markdown editor', () => {
  it('formats the selection from the toolbar and gives focus back to the text', async () => {
    render(<Editor initial="rotate nodes now" />);
    textarea().setSelectionRange(7, 12);
    const toolbar = screen.getByRole('toolbar', { name: 'Formatting' });
    await userEvent.click(within(toolbar).getByRole('button', { name: 'Bold' }));
    expect(textarea().value).toBe('rotate **nodes** now');
    expect(document.activeElement).toBe(textarea());
    expect([textarea().selectionStart, textarea().selectionEnd]).toEqual([9, 14]);
  });

  it('formats with a keyboard shortcut', () => {
    render(<Editor initial="see the spec" />);
    textarea().focus();
    textarea().setSelectionRange(4, 12);
    fireEvent.keyDown(textarea(), { key: 'k', code: 'KeyK', ctrlKey: true });
    expect(textarea().value).toBe('see [the spec](https://)');
  });

  it('is one Tab stop per group: arrow keys move within the tabs and the toolbar', async () => {
    render(<Editor />);
    const tools = within(screen.getByRole('toolbar')).getAllByRole('button');
    expect(tools.map((b) => b.getAttribute('aria-label'))).toEqual([
      'Bold',
      'Italic',
      'Link',
      'Code',
      'Bulleted list',
      'Numbered list',
      'Quote',
    ]);
    expect(tools.filter((b) => b.tabIndex === 0)).toHaveLength(1);
    expect(tools[0]!.getAttribute('aria-keyshortcuts')).toBe('Control+B');
    tools[0]!.focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(tools[1]);
    await userEvent.keyboard('{End}');
    expect(document.activeElement).toBe(tools[6]);

    const write = screen.getByRole('tab', { name: 'Write' });
    expect(write.getAttribute('aria-selected')).toBe('true');
    write.focus();
    await userEvent.keyboard('{ArrowRight}');
    const preview = screen.getByRole('tab', { name: 'Preview' });
    expect(preview.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(preview);
  });

  it('previews the text in its panel and keeps the text and its label while previewing', async () => {
    render(<Editor initial="**bold** idea" />);
    await userEvent.click(screen.getByRole('tab', { name: 'Preview' }));
    const panel = screen.getByRole('tabpanel');
    expect(panel.querySelector('strong')?.textContent).toBe('bold');
    expect(textarea().hidden).toBe(true);
    expect(screen.queryByRole('toolbar')).toBeNull();
    await userEvent.click(screen.getByRole('tab', { name: 'Write' }));
    expect(textarea().hidden).toBe(false);
    expect(textarea().value).toBe('**bold** idea');
  });
});

const api = vi.hoisted(() => ({ getRoadmap: vi.fn() }));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
const { ProposalForm } = await import('../../../src/frontend/src/components/ProposalForm');

describe('a proposal form that cannot be submitted', () => {
  it('moves focus to a summary of the problems, each a link to its field', async () => {
    api.getRoadmap.mockResolvedValue(sampleRoadmap());
    const onSubmit = vi.fn();
    render(
      <Providers client={testQueryClient()}>
        <ProposalForm
          draftKey="summary-test"
          initial={{ title: 'abc', body: '', tags: 'under_score', themeId: '' }}
          submitLabel="Submit proposal"
          pending={false}
          error={null}
          onSubmit={onSubmit}
        />
      </Providers>,
    );
    await userEvent.click(screen.getByRole('tab', { name: 'Preview' }));
    await userEvent.click(screen.getByRole('button', { name: 'Submit proposal' }));
    expect(onSubmit).not.toHaveBeenCalled();
    const summary = screen.getByRole('alert');
    expect(document.activeElement).toBe(summary.parentElement);
    within(summary).getByRole('heading', { name: 'There are 2 problems' });
    const links = within(summary).getAllByRole('link');
    expect(links.map((l) => l.textContent)).toEqual([
      'Title needs at least 4 characters (3 now).',
      'Tag "under_score" must be 1–24 characters of a–z, 0–9 and "-".',
    ]);
    await userEvent.click(links[1]!);
    expect(document.activeElement).toBe(screen.getByLabelText('Tags (optional)'));
    await userEvent.click(links[0]!);
    expect(document.activeElement).toBe(screen.getByLabelText('Title'));

    // Fixing a problem takes it off the list.
    await userEvent.type(screen.getByLabelText('Title'), 'd');
    expect(within(screen.getByRole('alert')).getAllByRole('link')).toHaveLength(1);
  });

  it('does not show a field’s error while Submit is being pressed (it would move the button)', async () => {
    api.getRoadmap.mockResolvedValue(sampleRoadmap());
    render(
      <Providers client={testQueryClient()}>
        <ProposalForm
          draftKey="press-test"
          initial={{ title: 'abc', body: '', tags: '', themeId: '' }}
          submitLabel="Submit proposal"
          pending={false}
          error={null}
          onSubmit={vi.fn()}
        />
      </Providers>,
    );
    const title = screen.getByLabelText('Title');
    title.focus();
    fireEvent.pointerDown(screen.getByRole('button', { name: 'Submit proposal' }));
    fireEvent.blur(title);
    expect(screen.queryByText('Title needs at least 4 characters (3 now).')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Submit proposal' }));
    expect(screen.getAllByText('Title needs at least 4 characters (3 now).')).toHaveLength(2);
  });

  it('shows the tags as they will be saved', async () => {
    api.getRoadmap.mockResolvedValue(sampleRoadmap());
    render(
      <Providers client={testQueryClient()}>
        <ProposalForm
          draftKey="tags-test"
          initial={{ title: '', body: '', tags: 'Security, #node-shuffling', themeId: '' }}
          submitLabel="Submit proposal"
          pending={false}
          error={null}
          onSubmit={vi.fn()}
        />
      </Providers>,
    );
    screen.getByText('Saved as #security #node-shuffling');
  });
});
