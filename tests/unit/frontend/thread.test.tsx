import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { Comment } from '../../../src/frontend/src/api/models';
import { LiveRegion } from '../../../src/frontend/src/components/LiveRegion';
import { Thread } from '../../../src/frontend/src/components/Thread';
import { UNDO_WINDOW_MS } from '../../../src/frontend/src/hooks/deleteWithUndo';
import { buildThreadTree } from '../../../src/frontend/src/components/threadTree';
import { deferred, Providers, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  getThread: vi.fn(),
  postComment: vi.fn(),
  deleteComment: vi.fn(),
  editComment: vi.fn(),
  getCommentHistory: vi.fn(),
  whoami: vi.fn(),
  moderate: vi.fn(),
  report: vi.fn(),
  listRoles: vi.fn(),
}));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: 'signedIn', principal: 'alice-principal', signIn: vi.fn() }),
}));

let seq = 0;
function c(
  id: string,
  depth: number,
  parentId: string | undefined,
  patch: Partial<Comment> = {},
): Comment {
  seq += 1;
  return {
    id,
    target: { kind: 'Proposal', id: '1' },
    parentId,
    author: 'bob-principal',
    authorName: `author-${id}`,
    body: `body ${id}`,
    createdAt: new Date(seq * 1000),
    updatedAt: new Date(seq * 1000),
    revisionCount: 0,
    deleted: false,
    depth,
    ...patch,
  };
}

// Pre-order, as getThread returns it: 1 → (2 → 3), 4 ; 5
const preorder = [
  c('1', 0, undefined),
  c('2', 1, '1', { deleted: true, body: '' }),
  c('3', 2, '2'),
  c('4', 1, '1'),
  c('5', 0, undefined, { author: 'alice-principal' }),
];

describe('buildThreadTree', () => {
  it('nests replies under their parents and keeps the given order', () => {
    const tree = buildThreadTree(preorder);
    expect(tree.map((n) => n.comment.id)).toEqual(['1', '5']);
    expect(tree[0]?.children.map((n) => n.comment.id)).toEqual(['2', '4']);
    expect(tree[0]?.children[0]?.children.map((n) => n.comment.id)).toEqual(['3']);
    expect(tree[0]?.descendants).toBe(3);
    expect(tree[1]?.descendants).toBe(0);
  });

  it('places a reply whose parent is missing by its depth instead of dropping it', () => {
    const tree = buildThreadTree([c('10', 0, undefined), c('11', 1, '99')]);
    expect(tree[0]?.children.map((n) => n.comment.id)).toEqual(['11']);
  });
});

describe('<Thread>', () => {
  beforeEach(() => {
    api.getThread.mockReset();
    api.getThread.mockResolvedValue({ comments: preorder, nextCursor: undefined });
    api.whoami.mockReset().mockResolvedValue({ principal: 'alice-principal', role: 'Member' });
    api.moderate.mockReset().mockResolvedValue(undefined);
    api.listRoles.mockReset().mockResolvedValue([]);
  });

  function renderThread() {
    return render(
      <Providers client={testQueryClient()}>
        <Thread target={{ kind: 'Proposal', id: '1' }} />
        <LiveRegion />
      </Providers>,
    );
  }

  it('renders comments in thread order with tombstones in place', async () => {
    const { container } = renderThread();
    await screen.findByText('body 1');
    const ids = Array.from(container.querySelectorAll('[data-comment-id]')).map((el) =>
      el.getAttribute('data-comment-id'),
    );
    expect(ids).toEqual(['1', '2', '3', '4', '5']);
    expect(screen.getByText('This comment was deleted.')).toBeTruthy();
    // The reply to the deleted comment is still there.
    expect(screen.getByText('body 3')).toBeTruthy();
  });

  it('shows a hidden comment as its reason in place, and its replies still', async () => {
    api.getThread.mockReset();
    api.getThread.mockResolvedValue({
      comments: [
        c('20', 0, undefined, { body: '', hiddenReason: 'spam' }),
        c('21', 1, '20'),
        c('22', 0, undefined, { author: 'alice-principal', hiddenReason: 'off-topic' }),
      ],
      nextCursor: undefined,
    });
    renderThread();
    await screen.findByText('body 21');
    const notices = screen
      .getAllByText(/Hidden by moderators:/, { selector: 'p' })
      .map((p) => p.textContent);
    expect(notices[0]).toBe('Hidden by moderators: spam');
    // Its author (alice here) still reads her hidden comment, told who else can.
    expect(screen.getByText('body 22')).toBeTruthy();
    expect(
      screen.getByText(/only its author and moderators see the text below/).textContent,
    ).toContain('off-topic');
  });

  it('badges maintainers and moderators, and names members without a display name by a handle', async () => {
    api.getThread.mockReset();
    api.getThread.mockResolvedValue({
      comments: [
        c('30', 0, undefined, { author: 'maint-aaaaa-cai', authorName: 'Dana' }),
        c('31', 1, '30', { author: 'moder-bbbbb-cai', authorName: 'Mo' }),
        c('32', 0, undefined, { author: 'rwlgt-iiaaa-aaaaa', authorName: undefined }),
      ],
      nextCursor: undefined,
    });
    api.listRoles.mockResolvedValue([
      { principal: 'maint-aaaaa-cai', role: 'Admin' },
      { principal: 'moder-bbbbb-cai', role: 'Moderator' },
    ]);
    renderThread();
    const dana = await screen.findByRole('listitem', { name: 'Comment by Dana' });
    await within(dana).findByText('Maintainer');
    const mo = screen.getByRole('listitem', { name: 'Comment by Mo' });
    expect(within(mo).getByText('Moderator')).toBeTruthy();
    // No display name: a handle from the principal's first group, not a cut-off principal.
    const anon = screen.getByRole('listitem', { name: 'Comment by member rwlgt' });
    expect(within(anon).getByRole('link', { name: 'member rwlgt' })).toBeTruthy();
    expect(within(anon).queryByText(/Maintainer|Moderator/)).toBeNull();
    expect(within(anon).getByRole('button', { name: 'Reply to member rwlgt' })).toBeTruthy();
  });

  it('offers members Report on others’ comments, and moderators Moderate', async () => {
    renderThread();
    await screen.findByText('body 1');
    expect(screen.getByRole('button', { name: 'Report the comment by author-1' })).toBeTruthy();
    // Alice wrote comment 5: she cannot report it.
    expect(screen.queryByRole('button', { name: 'Report the comment by author-5' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Moderate / })).toBeNull();
  });

  it('lets a moderator hide a comment in place with a reason, and restore a hidden one', async () => {
    api.whoami.mockResolvedValue({ principal: 'alice-principal', role: 'Moderator' });
    api.getThread.mockResolvedValue({
      comments: [c('30', 0, undefined), c('31', 0, undefined, { hiddenReason: 'spam' })],
      nextCursor: undefined,
    });
    const user = userEvent.setup();
    renderThread();
    await user.click(
      await screen.findByRole('button', { name: 'Moderate the comment by author-30' }),
    );
    const form = screen.getByRole('form', { name: 'Decide on Comment #30 by author-30' });
    await user.type(within(form).getByLabelText('Public reason'), 'Advertising');
    await user.click(within(form).getByRole('button', { name: 'Hide' }));
    await waitFor(() =>
      expect(api.moderate).toHaveBeenCalledWith(
        { kind: 'Hide', target: { kind: 'Comment', id: '30' } },
        'Advertising',
      ),
    );
    // The thread is read again to show the reason in the comment's place.
    await waitFor(() => expect(api.getThread).toHaveBeenCalledTimes(2));

    await user.click(screen.getByRole('button', { name: 'Moderate the comment by author-31' }));
    const hidden = screen.getByRole('form', { name: 'Decide on Comment #31 by author-31' });
    expect(within(hidden).queryByRole('button', { name: 'Hide' })).toBeNull();
    await user.click(within(hidden).getByRole('button', { name: 'Restore' }));
    await waitFor(() =>
      expect(api.moderate).toHaveBeenLastCalledWith(
        { kind: 'Restore', target: { kind: 'Comment', id: '31' } },
        '',
      ),
    );
  });

  it('nests a page that starts inside a subtree under the comment from the earlier page', async () => {
    // getThread bounds every page by comment count, so page 2 can begin with a reply.
    api.getThread.mockReset();
    api.getThread
      .mockResolvedValueOnce({ comments: preorder.slice(0, 2), nextCursor: 'after-2' })
      .mockResolvedValueOnce({ comments: preorder.slice(2), nextCursor: undefined });
    const { container } = renderThread();
    await screen.findByText('body 1');
    expect(screen.queryByText('body 3')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Load more comments' }));
    await screen.findByText('body 3');
    const deleted = container.querySelector('[data-comment-id="2"]') as HTMLElement;
    expect(deleted.querySelector('[data-comment-id="3"]')).not.toBeNull();
    const ids = Array.from(container.querySelectorAll('[data-comment-id]')).map((el) =>
      el.getAttribute('data-comment-id'),
    );
    expect(ids).toEqual(['1', '2', '3', '4', '5']);
  });

  it('collapses and expands replies with an accessible toggle', async () => {
    const { container } = renderThread();
    await screen.findByText('body 1');
    const first = container.querySelector('[data-comment-id="1"]') as HTMLElement;
    const toggle = within(first).getAllByRole('button', { name: 'Hide replies' })[0] as HTMLElement;
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await userEvent.click(toggle);
    expect(screen.queryByText('body 3')).toBeNull();
    expect(screen.queryByText('body 4')).toBeNull();
    expect(screen.getByText('body 5')).toBeTruthy();
    const show = within(first).getByRole('button', { name: 'Show 3 replies' });
    expect(show.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(show);
    expect(screen.getByText('body 4')).toBeTruthy();
  });

  it('offers edit and delete only on the member’s own live comments', async () => {
    const { container } = renderThread();
    await screen.findByText('body 5');
    const mine = container.querySelector('[data-comment-id="5"]') as HTMLElement;
    const theirs = container.querySelector('[data-comment-id="4"]') as HTMLElement;
    expect(within(mine).getByRole('button', { name: 'Edit' })).toBeTruthy();
    expect(within(mine).getByRole('button', { name: 'Delete' })).toBeTruthy();
    expect(within(theirs).queryByRole('button', { name: 'Edit' })).toBeNull();
    const tomb = container.querySelector('[data-comment-id="2"]') as HTMLElement;
    expect(
      within(tomb.querySelector('article') as HTMLElement).queryByRole('button', { name: 'Reply' }),
    ).toBeNull();
  });

  it('shows the backend validation message next to the comment field', async () => {
    const { CanisterError } = await import('../../../src/frontend/src/api/errors');
    api.postComment.mockRejectedValue(
      new CanisterError({
        kind: 'Invalid',
        field: 'body',
        reason: 'Comment contains a banned link.',
      }),
    );
    renderThread();
    await screen.findByText('body 1');
    await userEvent.type(screen.getByLabelText('Add a comment'), 'hello');
    await userEvent.click(screen.getByRole('button', { name: 'Post comment' }));
    expect(await screen.findByText('Comment contains a banned link.')).toBeTruthy();
  });

  it('names the parent of replies that no longer indent on narrow screens', async () => {
    const chain = [0, 1, 2, 3, 4, 5, 6].map((depth) =>
      c(`d${depth}`, depth, depth === 0 ? undefined : `d${depth - 1}`),
    );
    api.getThread.mockResolvedValue({ comments: chain, nextCursor: undefined });
    const { container } = renderThread();
    await screen.findByText('body d6');
    const context = (id: string) =>
      container.querySelector(`[data-comment-id="${id}"] > article .comment-meta`)?.textContent ??
      '';
    expect(context('d3')).not.toContain('replying to');
    // Depth 4 and 5 still indent on wide screens (the hint is hidden there by CSS), not on phones.
    expect(context('d4')).toContain('replying to author-d3');
    expect(
      container.querySelector('[data-comment-id="d4"] .reply-context-narrow')?.textContent,
    ).toContain('author-d3');
    expect(context('d6')).toContain('replying to author-d5');
    expect(
      container.querySelector('[data-comment-id="d6"] > article .reply-context-narrow'),
    ).toBeNull();
  });

  it('brings a newly posted top-level comment into view and marks it', async () => {
    const scrolled: string[] = [];
    // jsdom has no layout (and no scrollIntoView), so scrolling is only recorded.
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this.getAttribute('data-comment-id') ?? '');
    };
    onTestFinished(() => {
      delete (Element.prototype as Partial<Element>).scrollIntoView;
    });
    const fresh = c('9', 0, undefined, { author: 'alice-principal', body: 'fresh comment' });
    api.postComment.mockResolvedValue(fresh);
    renderThread();
    await screen.findByText('body 1');
    api.getThread.mockResolvedValue({ comments: [...preorder, fresh], nextCursor: undefined });
    await userEvent.type(screen.getByLabelText('Add a comment'), 'fresh comment');
    await userEvent.click(screen.getByRole('button', { name: 'Post comment' }));
    const posted = (await screen.findByText('fresh comment')).closest('li') as HTMLElement;
    expect(posted.classList.contains('comment-new')).toBe(true);
    expect(scrolled).toEqual(['9']);
    expect(screen.getByText('Comment posted.')).toBeTruthy();
  });

  it('keeps focus on Post comment while posting and announces the result', async () => {
    const fresh = c('9', 0, undefined, { author: 'alice-principal', body: 'kept focus' });
    const reply = deferred<Comment>();
    api.postComment.mockReturnValue(reply.promise);
    renderThread();
    await screen.findByText('body 1');
    await userEvent.type(screen.getByLabelText('Add a comment'), 'kept focus');
    const post = screen.getByRole('button', { name: 'Post comment' });
    post.focus();
    await userEvent.keyboard('{Enter}');
    const pending = screen.getByRole('button', { name: 'Posting…' });
    expect(pending).toBe(document.activeElement);
    expect((pending as HTMLButtonElement).disabled).toBe(false);
    api.getThread.mockResolvedValue({ comments: [...preorder, fresh], nextCursor: undefined });
    reply.resolve(fresh);
    await screen.findByText('kept focus');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Post comment' }));
    expect(screen.getByRole('status').textContent).toBe('Comment posted.');
  });

  it('posts with Ctrl+Enter from the comment field', async () => {
    api.postComment.mockResolvedValue(c('9', 0, undefined, { body: 'quick' }));
    renderThread();
    await screen.findByText('body 1');
    await userEvent.type(
      screen.getByLabelText('Add a comment'),
      'quick{Control>}{Enter}{/Control}',
    );
    await waitFor(() => expect(api.postComment).toHaveBeenCalled());
    expect(api.postComment.mock.lastCall?.[2]).toBe('quick');
  });

  it('returns focus to the Reply button it came from after a reply is posted or cancelled', async () => {
    const { container } = renderThread();
    await screen.findByText('body 4');
    const parent = container.querySelector('[data-comment-id="4"] > article') as HTMLElement;
    const replyButton = within(parent).getByRole('button', { name: 'Reply to author-4' });
    await userEvent.click(replyButton);
    await userEvent.click(within(parent).getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(replyButton);

    api.postComment.mockResolvedValue(c('10', 2, '4', { body: 'an answer' }));
    await userEvent.click(replyButton);
    await userEvent.type(within(parent).getByLabelText('Your reply'), 'an answer');
    await userEvent.click(within(parent).getByRole('button', { name: 'Post reply' }));
    await waitFor(() => expect(document.activeElement).toBe(replyButton));
    expect(screen.getByRole('status').textContent).toBe('Reply to author-4 posted.');
  });

  describe('deleting one’s own comment', () => {
    // Fake timers stand for the undo window; real time still runs for the queries' promises.
    function useUndoClock() {
      vi.useFakeTimers({ shouldAdvanceTime: true });
      onTestFinished(() => {
        vi.useRealTimers();
      });
      return userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    }
    const mine = (container: HTMLElement) =>
      container.querySelector('[data-comment-id="5"]') as HTMLElement;

    it('hides it at once with an Undo, and sends the delete only when the window ends', async () => {
      const user = useUndoClock();
      api.deleteComment.mockReset().mockResolvedValue(undefined);
      const { container } = renderThread();
      await screen.findByText('body 5');
      await user.click(within(mine(container)).getByRole('button', { name: 'Delete' }));

      expect(screen.queryByText('body 5')).toBeNull();
      const undo = within(mine(container)).getByRole('button', { name: 'Undo' });
      // Focus moves from the Delete button, now gone, to Undo, inside a polite live region.
      expect(document.activeElement).toBe(undo);
      expect(undo.closest('[aria-live="polite"]')?.textContent).toContain('Comment deleted.');
      expect(api.deleteComment).not.toHaveBeenCalled();

      act(() => vi.advanceTimersByTime(UNDO_WINDOW_MS - 100));
      expect(api.deleteComment).not.toHaveBeenCalled();
      act(() => vi.advanceTimersByTime(200));
      await waitFor(() => expect(api.deleteComment).toHaveBeenCalledWith('5'));
      expect(api.deleteComment).toHaveBeenCalledTimes(1);
      expect(within(mine(container)).queryByRole('button', { name: 'Undo' })).toBeNull();
      // The thread is read again to show what is left.
      await waitFor(() => expect(api.getThread).toHaveBeenCalledTimes(2));
    });

    it('brings it back on Undo and sends nothing', async () => {
      const user = useUndoClock();
      api.deleteComment.mockReset().mockResolvedValue(undefined);
      const { container } = renderThread();
      await screen.findByText('body 5');
      await user.click(within(mine(container)).getByRole('button', { name: 'Delete' }));
      await user.click(within(mine(container)).getByRole('button', { name: 'Undo' }));

      expect(screen.getByText('body 5')).toBeTruthy();
      await waitFor(() => expect(document.activeElement).toBe(mine(container)));
      expect(document.querySelector('.visually-hidden[aria-live]')?.textContent).toBe(
        'Comment restored.',
      );
      act(() => vi.advanceTimersByTime(UNDO_WINDOW_MS * 2));
      expect(api.deleteComment).not.toHaveBeenCalled();
    });

    it('brings it back with the error when the delete fails', async () => {
      const user = useUndoClock();
      api.deleteComment.mockReset().mockRejectedValue(new Error('The network is down.'));
      const { container } = renderThread();
      await screen.findByText('body 5');
      await user.click(within(mine(container)).getByRole('button', { name: 'Delete' }));
      act(() => vi.advanceTimersByTime(UNDO_WINDOW_MS));
      await screen.findByRole('alert');
      expect(screen.getByText('body 5')).toBeTruthy();
      expect(within(mine(container)).getByRole('alert').textContent).toContain(
        'The network is down.',
      );
    });

    it('sends the delete at once when the reader leaves before the window ends', async () => {
      const user = useUndoClock();
      api.deleteComment.mockReset().mockResolvedValue(undefined);
      const { container, unmount } = renderThread();
      await screen.findByText('body 5');
      await user.click(within(mine(container)).getByRole('button', { name: 'Delete' }));
      expect(api.deleteComment).not.toHaveBeenCalled();
      unmount();
      await waitFor(() => expect(api.deleteComment).toHaveBeenCalledWith('5'));
      expect(api.deleteComment).toHaveBeenCalledTimes(1);
    });
  });

  it('gives every comment a permalink that lands on it', async () => {
    const client = testQueryClient();
    const { MemoryRouter } = await import('react-router');
    const { QueryClientProvider } = await import('@tanstack/react-query');
    render(
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={['/proposals/1#comment-4']}>
          <Thread target={{ kind: 'Proposal', id: '1' }} />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    await screen.findByText('body 4');
    const target = document.getElementById('comment-4');
    expect(target?.getAttribute('data-comment-id')).toBe('4');
    await waitFor(() => expect(document.activeElement).toBe(target));
  });
});
