import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CanisterError } from '../../../src/frontend/src/api/errors';
import { LiveRegion } from '../../../src/frontend/src/components/LiveRegion';
import { ReportButton } from '../../../src/frontend/src/components/ReportButton';
import { Providers, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({ report: vi.fn() }));
const auth = vi.hoisted(() => ({ status: 'signedIn' }));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: auth.status, principal: 'carol-principal', signIn: vi.fn() }),
}));

function renderReport(author = 'bob-principal') {
  return render(
    <Providers client={testQueryClient()}>
      <ReportButton
        target={{ kind: 'Comment', id: '7' }}
        what="the comment by Bob"
        author={author}
      />
      <LiveRegion />
    </Providers>,
  );
}

describe('<ReportButton>', () => {
  beforeEach(() => {
    auth.status = 'signedIn';
    api.report.mockReset().mockResolvedValue(undefined);
  });

  it('is not offered to visitors or to the author of the content', () => {
    auth.status = 'signedOut';
    const { unmount } = renderReport();
    expect(screen.queryByRole('button', { name: /Report/ })).toBeNull();
    unmount();
    auth.status = 'signedIn';
    renderReport('carol-principal');
    expect(screen.queryByRole('button', { name: /Report/ })).toBeNull();
  });

  it('asks for a reason, then sends the reason and note and thanks the member', async () => {
    const user = userEvent.setup();
    renderReport();
    await user.click(screen.getByRole('button', { name: 'Report the comment by Bob' }));
    const form = screen.getByRole('form', { name: 'Report the comment by Bob' });
    expect(document.activeElement).toBe(screen.getByRole('radio', { name: 'Spam' }));

    await user.click(screen.getByRole('button', { name: 'Send report' }));
    expect(screen.getByText('Choose a reason.')).toBeTruthy();
    expect(api.report).not.toHaveBeenCalled();

    await user.click(screen.getByRole('radio', { name: 'Off-topic' }));
    await user.type(
      screen.getByLabelText('Note for moderators (optional)'),
      'About fees, not nodes',
    );
    await user.click(screen.getByRole('button', { name: 'Send report' }));

    await waitFor(() =>
      expect(api.report).toHaveBeenCalledWith({
        target: { kind: 'Comment', id: '7' },
        reason: 'OffTopic',
        note: 'About fees, not nodes',
      }),
    );
    await waitFor(() => expect(form.isConnected).toBe(false));
    expect(screen.getByText('Thank you — moderators will review it.')).toBeTruthy();
    const button = screen.getByRole('button', { name: 'Reported the comment by Bob' });
    expect(document.activeElement).toBe(button);
    expect(screen.getByRole('status').textContent).toContain('Moderators will review your report.');
  });

  it('shows the backend’s refusal plainly and keeps the form open', async () => {
    api.report.mockRejectedValue(
      new CanisterError({ kind: 'Conflict', reason: 'you have already reported this' }),
    );
    const user = userEvent.setup();
    renderReport();
    await user.click(screen.getByRole('button', { name: 'Report the comment by Bob' }));
    await user.click(screen.getByRole('radio', { name: 'Spam' }));
    await user.click(screen.getByRole('button', { name: 'Send report' }));
    expect((await screen.findByRole('alert')).textContent).toBe('You have already reported this.');
    expect(screen.getByRole('form', { name: 'Report the comment by Bob' })).toBeTruthy();
  });

  it('shows a rate limit with the time to wait', async () => {
    api.report.mockRejectedValue(
      new CanisterError({ kind: 'RateLimited', retryAfterSeconds: 600 }),
    );
    const user = userEvent.setup();
    renderReport();
    await user.click(screen.getByRole('button', { name: 'Report the comment by Bob' }));
    await user.click(screen.getByRole('radio', { name: 'Abuse' }));
    await user.click(screen.getByRole('button', { name: 'Send report' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'You are doing that too often. Try again in 10 min.',
    );
  });

  it('refuses a note over 500 characters before sending it', async () => {
    const user = userEvent.setup();
    renderReport();
    await user.click(screen.getByRole('button', { name: 'Report the comment by Bob' }));
    await user.click(screen.getByRole('radio', { name: 'Other' }));
    const note = screen.getByLabelText('Note for moderators (optional)');
    await user.click(note);
    await user.paste('x'.repeat(501));
    await user.click(screen.getByRole('button', { name: 'Send report' }));
    expect(screen.getByText('Note can have at most 500 characters (501 now).')).toBeTruthy();
    expect(api.report).not.toHaveBeenCalled();
  });

  it('closes with Escape and gives focus back to the Report button', async () => {
    const user = userEvent.setup();
    renderReport();
    const button = screen.getByRole('button', { name: 'Report the comment by Bob' });
    await user.click(button);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('form')).toBeNull();
    expect(document.activeElement).toBe(button);
  });
});
