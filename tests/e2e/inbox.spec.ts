/**
 * Follows and the inbox (issue "Find, merge, follow"): a member writes a proposal and a
 * comment; a second member replies to that comment, which follows the proposal for them; the
 * first member sees the bell's count, opens the inbox, follows the reply's link to the comment,
 * and the count is gone once read — at 1,280 and 360 px with axe clean.
 */
import { describe, expect, inject, it } from 'vitest';
import { expectUsable, go, journey, screenshot, settled } from './browser';

const appUrl = inject('appUrl');
const { run, member } = journey(appUrl);
const WIDTHS = [1280, 360] as const;

for (const width of WIDTHS) {
  describe(`at ${width} px`, () => {
    it('a reply reaches the inbox, links to the comment, and reading clears the bell', async () => {
      const title = `Inbox journey ${run} ${width}`;
      const body = `First thoughts on the inbox ${run}-${width}`;
      const replyBody = `A reply to those thoughts ${run}-${width}`;

      const ana = await member('ana', width);
      await ana.page.getByRole('link', { name: 'Propose', exact: true }).click();
      await ana.page.getByRole('heading', { name: 'Propose an idea' }).waitFor();
      await ana.page.getByLabel('Title', { exact: true }).fill(title);
      await ana.page
        .getByLabel('Description', { exact: true })
        .fill('Tell members what happened to what they follow.');
      await ana.page.getByRole('button', { name: 'Submit proposal' }).click();
      await ana.page.getByRole('heading', { name: title, level: 1, exact: true }).waitFor();
      const path = new URL(ana.page.url()).pathname;
      // Writing a proposal follows it.
      await ana.page.getByRole('button', { name: 'Following', pressed: true }).waitFor();

      await ana.page.getByLabel('Add a comment').fill(body);
      await ana.page.getByRole('button', { name: 'Post comment' }).click();
      const own = ana.page.locator('li.comment', { hasText: body });
      await own.waitFor();
      const commentId = (await own.first().getAttribute('id')) ?? '';
      expect(commentId).toMatch(/^comment-\d+$/);

      const bob = await member('bob', width);
      await go(bob.page, appUrl, path);
      await settled(bob.page);
      const follow = bob.page.getByRole('button', { name: 'Follow', exact: true });
      expect(await follow.getAttribute('aria-pressed')).toBe('false');
      const comment = bob.page.locator('li.comment', { hasText: body });
      await comment.getByRole('button', { name: 'Reply' }).first().click();
      await bob.page.getByLabel('Your reply').fill(replyBody);
      await bob.page.getByRole('button', { name: 'Post reply' }).click();
      const reply = comment.locator('ol.replies li.comment', { hasText: replyBody });
      await reply.waitFor();
      const replyId = (await reply.getAttribute('id')) ?? '';
      expect(replyId).toMatch(/^comment-\d+$/);
      // Replying follows the proposal too.
      await bob.page.getByRole('button', { name: 'Following', pressed: true }).waitFor();
      await expectUsable(bob.page, `a proposal with the follow button at ${width} px`);

      // Delivery takes a message or two; the bell asks again whenever the page loads.
      const bell = ana.page.getByRole('banner').getByRole('link', { name: /^Inbox/ });
      await expect
        .poll(
          async () => {
            await go(ana.page, appUrl, '/');
            await settled(ana.page);
            return bell.getAttribute('aria-label');
          },
          { timeout: 30_000, interval: 1_000 },
        )
        .toBe('Inbox, 1 unread');
      await expectUsable(ana.page, `the header with an unread count at ${width} px`);

      await bell.click();
      await ana.page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
      await settled(ana.page);
      const notice = ana.page.locator('li.inbox-notice.is-unread', {
        hasText: /replied to your comment on/,
      });
      await notice.getByRole('link', { name: `“${title}”`, exact: true }).waitFor();
      await expectUsable(ana.page, `the inbox at ${width} px`);
      await screenshot(ana.page, `inbox-${width}`);

      await notice.getByRole('link', { name: `“${title}”`, exact: true }).click();
      await ana.page.getByRole('heading', { name: title, level: 1, exact: true }).waitFor();
      // The notice links to the reply itself, in its place under Ana's comment.
      expect(new URL(ana.page.url()).hash).toBe(`#${replyId}`);
      await ana.page.locator(`#${commentId} #${replyId}`, { hasText: replyBody }).waitFor();
      // Leaving the inbox marked what it showed as read: the bell has no count any more.
      await ana.page
        .getByRole('banner')
        .getByRole('link', { name: 'Inbox', exact: true })
        .waitFor();

      expect(ana.consoleErrors).toEqual([]);
      expect(bob.consoleErrors).toEqual([]);
    });
  });
}
