import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useDraft } from '../../../src/frontend/src/hooks/useDraft';

function Form({ id }: { id: string }) {
  const [draft, setDraft, clear] = useDraft(`test-${id}`, { body: '' });
  return (
    <>
      <label htmlFor="body">Body</label>
      <textarea id="body" value={draft.body} onChange={(e) => setDraft({ body: e.target.value })} />
      <button type="button" onClick={clear}>
        Clear
      </button>
    </>
  );
}

describe('useDraft', () => {
  it('keeps a draft across unmounts (sign-in again, reload) until it is cleared', async () => {
    const first = render(<Form id="a" />);
    await userEvent.type(screen.getByLabelText('Body'), 'half-written idea');
    first.unmount();

    const second = render(<Form id="a" />);
    expect((screen.getByLabelText('Body') as HTMLTextAreaElement).value).toBe('half-written idea');
    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect((screen.getByLabelText('Body') as HTMLTextAreaElement).value).toBe('');
    second.unmount();

    render(<Form id="a" />);
    expect((screen.getByLabelText('Body') as HTMLTextAreaElement).value).toBe('');
  });

  it('keeps each form’s draft under its own key', async () => {
    const a = render(<Form id="a" />);
    await userEvent.type(screen.getByLabelText('Body'), 'for a');
    a.unmount();
    render(<Form id="b" />);
    expect((screen.getByLabelText('Body') as HTMLTextAreaElement).value).toBe('');
  });
});
