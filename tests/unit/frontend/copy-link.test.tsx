import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CopyLinkButton } from '../../../src/frontend/src/components/CopyLink';
import { LiveRegion } from '../../../src/frontend/src/components/LiveRegion';

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('<CopyLinkButton>', () => {
  it('copies the page’s address, its query kept, and says so', async () => {
    window.history.replaceState(null, '', '/proposals/7?canisterId=abc#comment-3');
    const writeText = vi.fn().mockResolvedValue(undefined);
    // userEvent installs its own clipboard on navigator; stub it after setup.
    const user = userEvent.setup();
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(
      <>
        <CopyLinkButton what="the proposal" />
        <LiveRegion />
      </>,
    );
    await user.click(screen.getByRole('button', { name: 'Copy link to the proposal' }));
    expect(writeText).toHaveBeenCalledWith(`${window.location.origin}/proposals/7?canisterId=abc`);
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('Link to the proposal copied.'),
    );
  });

  it('links to a place in the page, and reads the link out where the clipboard is refused', async () => {
    window.history.replaceState(null, '', '/proposals/7');
    const user = userEvent.setup();
    const writeText = vi.fn().mockRejectedValue(new Error('denied'));
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(
      <>
        <CopyLinkButton what="the comment by Ada" hash="comment-12" />
        <LiveRegion />
      </>,
    );
    await user.click(screen.getByRole('button', { name: 'Copy link to the comment by Ada' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        `Copy this link: ${window.location.origin}/proposals/7#comment-12`,
      ),
    );
  });
});
