/**
 * The app as its people use it (issue 12): keyboard-only voting and commenting with focus kept,
 * rebalancing priority credits, the default proposal list, a vote cast before signing in,
 * formatting and correcting a proposal, deleting a comment with an Undo, filtering by several tags
 * offered with their counts, and the roadmap editor on a phone. Every journey runs at 1,280 and
 * 360 px, with axe clean.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { expectUsable, go, journey, screenshot, settled, signIn } from './browser';

const appUrl = inject('appUrl');
const { run, people, person, member } = journey(appUrl);
const WIDTHS = [1280, 360] as const;

/** The focused control as a screen reader would name it (roughly): aria-label, label or text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const label = (el as HTMLInputElement).labels?.[0]?.textContent;
    return el.getAttribute('aria-label') ?? label ?? el.textContent?.trim() ?? el.tagName;
  });

const liveText = (page: Page) =>
  page.evaluate(() => document.querySelector('[aria-live="polite"][aria-atomic]')?.textContent);

/** The first demo proposal, through the list like a person would find it. */
async function firstProposal(page: Page): Promise<string> {
  await go(page, appUrl, '/proposals');
  await settled(page);
  return (await page.locator('.proposal-title a').first().getAttribute('href')) ?? '';
}

for (const width of WIDTHS) {
  describe(`at ${width} px`, () => {
    it('votes and comments by keyboard alone, with focus kept and results announced', async () => {
      const { page } = await member('kim', width);
      const path = await firstProposal(page);
      await go(page, appUrl, path);
      await settled(page);

      const support = page.getByRole('button', { name: /^Support \(\d+\)$/ });
      const before = Number(/\d+/.exec((await support.getAttribute('aria-label')) ?? '')?.[0]);
      await support.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: `Support (${before + 1})` }).waitFor();
      await settled(page);
      expect(await focused(page)).toBe(`Support (${before + 1})`);
      await expect
        .poll(() => liveText(page))
        .toMatch(/^You support “.+”\. \d+ support, \d+ oppose\.$/);

      const body = `Keyboard comment ${run}-${width}`;
      await page.getByLabel('Add a comment').focus();
      await page.keyboard.type(body);
      await page.keyboard.press('Control+Enter');
      const comment = page.locator('li.comment', { hasText: body });
      await comment.waitFor();
      await settled(page);
      expect(await focused(page)).toBe('Add a comment');
      expect(await liveText(page)).toBe('Comment posted.');

      const reply = comment.getByRole('button', { name: /^Reply to / }).first();
      await reply.focus();
      await page.keyboard.press('Enter');
      await page.keyboard.type(`Keyboard reply ${run}`);
      await page.keyboard.press('Control+Enter');
      await comment
        .locator('ol.replies li.comment', { hasText: `Keyboard reply ${run}` })
        .waitFor();
      await settled(page);
      expect(await focused(page)).toMatch(/^Reply to /);
      expect(await liveText(page)).toMatch(/^Reply to .+ posted\.$/);
      await screenshot(page, `people-keyboard-${width}`);
      await expectUsable(page, 'proposal page after voting and commenting');
    });

    it('deletes its own comment with an Undo, and the delete is sent only after the window', async () => {
      const { page } = await member('una', width);
      // Her own proposal, so that the comment is on the first page of its thread for anyone.
      const title = `Undo for deleted comments ${run}-${width}`;
      await go(page, appUrl, '/proposals/new');
      await page.getByLabel('Title').fill(title);
      await page.getByLabel('Description', { exact: true }).fill('Mail apps let you take it back.');
      await page.getByRole('button', { name: 'Submit proposal' }).click();
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      const path = new URL(page.url()).pathname;
      await settled(page);
      const body = `A comment to take back ${run}-${width}`;
      await page.getByLabel('Add a comment').fill(body);
      await page.getByRole('button', { name: 'Post comment' }).click();
      const comment = page.locator('li.comment', { hasText: body });
      await comment.waitFor();
      const id = (await comment.getAttribute('data-comment-id')) ?? '';
      const place = page.locator(`li.comment[data-comment-id="${id}"]`);

      // A visitor has the thread open beside her.
      const visitor = await person(undefined, width);
      await go(visitor.page, appUrl, path);
      await visitor.page.locator('li.comment', { hasText: body }).waitFor();

      // Gone from view at once, with Undo focused inside a polite live region.
      await comment.getByRole('button', { name: 'Delete' }).click();
      await page.getByText(body).waitFor({ state: 'detached' });
      const undo = place.getByRole('button', { name: 'Undo' });
      await undo.waitFor();
      expect(await focused(page)).toBe('Undo');
      expect(await place.locator('[aria-live="polite"]').textContent()).toContain(
        'Comment deleted.',
      );
      // Nothing was sent yet: the visitor, reading the thread again, still sees the comment.
      await visitor.page.reload();
      await visitor.page.locator('li.comment', { hasText: body }).waitFor();

      // Undo brings it back, focus on it.
      await undo.click();
      await comment.waitFor();
      await expect.poll(() => liveText(page)).toBe('Comment restored.');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(`comment-${id}`);

      // Deleted again and left alone, the delete goes once the window ends.
      await comment.getByRole('button', { name: 'Delete' }).click();
      await undo.waitFor();
      await expectUsable(page, 'a deleted comment with its Undo');
      await screenshot(page, `people-comment-undo-${width}`);
      await undo.waitFor({ state: 'detached', timeout: 15_000 });
      // The thread, read again, leaves it out (or keeps a tombstone where replies need one).
      await page.waitForFunction(
        (commentId) => {
          const el = document.querySelector(`li.comment[data-comment-id="${commentId}"]`);
          return el === null || el.textContent?.includes('This comment was deleted.') === true;
        },
        id,
        { timeout: 15_000 },
      );
      await visitor.page.reload();
      await visitor.page.getByRole('heading', { level: 1 }).waitFor();
      await settled(visitor.page);
      expect(await visitor.page.getByText(body).count()).toBe(0);
      await settled(page);
      await expectUsable(page, 'the thread after the delete was sent');
    });

    it('rebalances priority credits in place and sees its own votes on the roadmap', async () => {
      const { page } = await member('lee', width);
      await go(page, appUrl, '/?status=Upcoming');
      await settled(page);
      const link = page.locator('a.item-title').first();
      const title = (await link.textContent()) ?? '';
      await link.click();
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      const more = page.getByRole('button', { name: 'One vote more' });
      for (let i = 0; i < 3; i++) await more.click();
      await page.getByRole('button', { name: 'Commit 3 votes' }).click();
      await page.getByText('You have 91 of 100 credits left.', { exact: false }).waitFor();

      await page.locator('.account-name').click();
      const allocations = page.locator('.my-priorities');
      await allocations.getByText('9 of 100 credits spent, 91 left', { exact: false }).waitFor();
      const row = allocations.locator('li.allocation', { hasText: title });
      await row.getByText('3 votes · 9 credits').waitFor();
      await expectUsable(page, 'profile with allocations');

      const fewer = row.getByRole('button', {
        name: `One vote fewer on ${title} (frees 5 credits)`,
      });
      await fewer.focus();
      await page.keyboard.press('Enter');
      await row.getByText('2 votes · 4 credits').waitFor();
      await allocations.getByText('4 of 100 credits spent, 96 left', { exact: false }).waitFor();
      expect(await focused(page)).toMatch(/^One vote fewer on /);
      expect(await liveText(page)).toBe(`2 votes on ${title}, costing 4. 96 credits left.`);

      await page.getByRole('link', { name: 'Roadmap', exact: true }).click();
      await page.getByRole('heading', { name: 'Roadmap', level: 1 }).waitFor();
      await settled(page);
      const roadmapRow = page.locator('li.item-row', { hasText: title });
      await roadmapRow.getByText('your votes: 2').waitFor();
      await page.locator('.priorities-panel > summary').click();
      const panel = page.locator('.priorities-panel');
      await panel.getByRole('button', { name: `Remove your votes from ${title}` }).click();
      await panel.getByText('You have not spent any credits yet.', { exact: false }).waitFor();
      expect(await focused(page)).toBe('Your priority votes');
      expect(await roadmapRow.getByText('your votes').count()).toBe(0);
      await screenshot(page, `people-priorities-${width}`);
      await expectUsable(page, 'roadmap with the priorities panel open');
    });

    it('completes a vote cast while signed out once the visitor signs in', async () => {
      const name = `mo-${run}-${width}`;
      const visitor = await person(name, width);
      const { page } = visitor;
      const path = await firstProposal(page);
      // The dev sign-in hint travels in the URL, as when the app was first opened.
      await go(page, appUrl, `${path}?devUser=${name}`);
      await settled(page);
      const support = page.getByRole('button', { name: /^Support \(\d+\)$/ });
      const before = Number(/\d+/.exec((await support.getAttribute('aria-label')) ?? '')?.[0]);
      await support.click();
      await page.getByText('votes are tied to an Internet Identity', { exact: false }).waitFor();
      await expectUsable(page, 'sign-in explanation of a vote');
      await page.getByRole('button', { name: 'Sign in to support' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 30_000 });
      // Pressed: the tally and the member's own vote arrive in separate answers, so wait for both.
      const counted = page.getByRole('button', { name: `Support (${before + 1})`, pressed: true });
      await counted.waitFor();
      await settled(page);
      // Counted once, by the backend, for this member.
      await page.reload();
      await counted.waitFor();
    });

    it('lists open, under-review and planned proposals by default, closed ones behind a filter', async () => {
      const admin = await person('admin', width);
      await signIn(admin);
      const { page } = admin;
      const title = `Closed idea ${run} at ${width}`;
      await page.getByRole('link', { name: 'Propose', exact: true }).click();
      await page.getByLabel('Title').fill(title);
      await page.getByLabel('Description', { exact: true }).fill('An idea that gets declined.');
      await page.getByRole('button', { name: 'Submit proposal' }).click();
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      await page.getByText('Set status (admin)').click();
      await page.getByLabel('New status').selectOption('Declined');
      await page.getByLabel('Reason for declining').fill('Out of scope.');
      await page.getByRole('button', { name: 'Set status' }).click();
      await page.locator('.detail-head .badge', { hasText: 'Declined' }).waitFor();
      await page.getByText('Voting is closed for this proposal.').waitFor();

      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Proposals', exact: true }).click();
      await page.getByRole('heading', { name: 'Proposals', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'New', exact: true }).click();
      await settled(page);
      const badges = await page.locator('.proposal-card .badge').allTextContents();
      expect(badges.length).toBeGreaterThan(0);
      for (const badge of badges) expect(['Open', 'Under review', 'Planned']).toContain(badge);
      expect(await page.getByRole('link', { name: title }).count()).toBe(0);
      await expectUsable(page, 'default proposal list');

      await page.getByLabel('Status', { exact: true }).selectOption('closed');
      await page.getByRole('link', { name: title }).waitFor();
      await settled(page);
      for (const badge of await page.locator('.proposal-card .badge').allTextContents()) {
        expect(['Declined', 'Duplicate', 'Done']).toContain(badge);
      }
      // The nav link brings the list back as it was left.
      await nav.getByRole('link', { name: 'Roadmap', exact: true }).click();
      await page.getByRole('heading', { name: 'Roadmap', level: 1 }).waitFor();
      await nav.getByRole('link', { name: 'Proposals', exact: true }).click();
      await page.getByRole('link', { name: title }).waitFor();
      expect(new URL(page.url()).search).toBe('?sort=New&status=closed');
      await screenshot(page, `people-closed-list-${width}`);
    });

    it('filters by tags typed as shown or chosen with their counts, without an Apply button', async () => {
      const { page } = await person(undefined, width);
      await go(page, appUrl, '/proposals');
      await settled(page);
      // Header (with its search row on a phone), sort and filters leave room for the first
      // proposal within the first two thirds of the screen (a review found them taking 570 of
      // a phone's 780 px).
      const firstCard = await page.locator('.proposal-card').first().boundingBox();
      expect(firstCard?.y ?? Infinity).toBeLessThanOrEqual(width < 500 ? (2 / 3) * 780 : 450);
      await page.getByLabel('Tags', { exact: true }).fill('#Security');
      await page.waitForURL(/tag=security/);
      await settled(page);
      const cards = page.locator('.proposal-card');
      // The filtered page can render after the network goes quiet: wait for its first card.
      await cards.first().waitFor();
      expect(await cards.count()).toBeGreaterThan(0);
      for (const card of await cards.all())
        await card.getByRole('link', { name: '#security' }).waitFor();
      await expectUsable(page, 'proposal list filtered by tag');
    });

    it('narrows the list to proposals with both of two tags chosen from the offered list', async () => {
      const tagA = `ledger${run}${width}`;
      const tagB = `rollup${run}${width}`;
      const both = `Certified ledger rollups ${run}-${width}`;
      const one = `Ledger archive pruning ${run}-${width}`;
      const { page } = await member('tia', width);
      for (const [title, tags] of [
        [both, `#${tagA} ${tagB}`],
        [one, tagA],
      ] as const) {
        await go(page, appUrl, '/proposals/new');
        await page.getByLabel('Title').fill(title);
        await page.getByLabel('Description', { exact: true }).fill('Keep the ledger small.');
        await page.getByLabel('Tags (optional)').fill(tags);
        await page.getByRole('button', { name: 'Submit proposal' }).click();
        await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      }

      await go(page, appUrl, '/proposals');
      await settled(page);
      await page.getByText('Choose tags', { exact: true }).click();
      // Offered with how many proposals carry each, applied as soon as ticked.
      // Ticking navigates, and the list of tags is drawn again: click, then check the result.
      await page.getByRole('checkbox', { name: `#${tagA} (2)` }).click();
      await page.waitForURL((url) => url.searchParams.getAll('tag').join(' ') === tagA);
      expect(await page.getByRole('checkbox', { name: `#${tagA} (2)` }).isChecked()).toBe(true);
      await page.locator('.proposal-card', { hasText: one }).waitFor();
      await page.locator('.proposal-card', { hasText: both }).waitFor();
      await page.getByRole('checkbox', { name: `#${tagB} (1)` }).click();
      await page.waitForURL(
        (url) => url.searchParams.getAll('tag').join(' ') === `${tagA} ${tagB}`,
      );
      expect(await page.getByRole('checkbox', { name: `#${tagB} (1)` }).isChecked()).toBe(true);
      await page.locator('.proposal-card', { hasText: one }).waitFor({ state: 'detached' });
      const cards = page.locator('.proposal-card');
      await cards.first().waitFor();
      expect(await cards.count()).toBe(1);
      await cards.first().getByText(both).waitFor();
      expect(await page.getByLabel('Tags', { exact: true }).inputValue()).toBe(`#${tagA} #${tagB}`);
      await expectUsable(page, 'proposal list filtered by two tags chosen from the list');
      await screenshot(page, `people-two-tags-${width}`);

      // The address keeps both: a reload lists the same proposal with both still ticked.
      await page.reload();
      await page.locator('.proposal-card', { hasText: both }).waitFor();
      expect(await page.locator('.proposal-card').count()).toBe(1);
      await page.getByText('Choose tags (2 chosen)').click();
      expect(await page.getByRole('checkbox', { name: `#${tagB} (1)` }).isChecked()).toBe(true);
      // The dropdown closes on Escape, out of the list's way.
      await page.keyboard.press('Escape');
      await page.getByRole('checkbox', { name: `#${tagB} (1)` }).waitFor({ state: 'hidden' });
      // A tag on a card still leads to that tag's filter alone.
      await page
        .locator('.proposal-card', { hasText: both })
        .getByRole('link', { name: `#${tagB}` })
        .click();
      await page.waitForURL((url) => url.searchParams.getAll('tag').join(' ') === tagB);
      await page.locator('.proposal-card', { hasText: both }).waitFor();
    });

    it('formats a proposal by keyboard, and a failed submit lands on a summary of its problems', async () => {
      const { page } = await member('lee', width);
      await go(page, appUrl, '/proposals/new');
      await page.getByRole('heading', { name: 'Propose an idea' }).waitFor();
      const title = page.getByLabel('Title');
      await title.fill('abc');
      const description = page.getByLabel('Description', { exact: true });
      await description.focus();
      await page.keyboard.type('Shuffle ');
      await page.keyboard.press('Control+B');
      expect(await description.inputValue()).toBe('Shuffle **bold text**');
      await page.keyboard.type('nodes');
      // The toolbar is one Tab stop after the tabs; arrow keys move along it.
      await page.getByRole('button', { name: 'Bold' }).focus();
      await page.keyboard.press('ArrowRight');
      expect(await focused(page)).toBe('Italic');
      await page.getByLabel('Tags (optional)').fill('under_score');

      await page.getByRole('button', { name: 'Submit proposal' }).click();
      const summary = page.locator('.error-summary');
      await summary.getByRole('heading', { name: 'There are 2 problems' }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.className)).toBe('error-summary');
      await expectUsable(page, 'proposal form with its error summary');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      expect(await focused(page)).toBe('Title');
      await screenshot(page, `people-error-summary-${width}`);
    });

    it('opens the roadmap editor in view with focus in it, and returns focus on cancel', async () => {
      const admin = await person('admin', width);
      await signIn(admin);
      const { page } = admin;
      await page.getByRole('link', { name: 'Admin', exact: true }).click();
      await page.getByRole('heading', { name: 'Entries' }).waitFor();
      await settled(page);
      const edit = page.getByRole('button', { name: /^Edit\s*item / }).last();
      await edit.click();
      const title = page.getByLabel('Title');
      await title.waitFor();
      expect(await focused(page)).toBe('Title');
      const box = await page.getByRole('heading', { name: 'Edit item' }).boundingBox();
      const viewport = page.viewportSize();
      expect(box && viewport && box.y >= -1 && box.y < viewport.height).toBe(true);
      const save = await page.getByRole('button', { name: 'Save', exact: true }).boundingBox();
      expect(save && viewport && save.y + save.height <= viewport.height + 1).toBe(true);
      await expectUsable(page, 'roadmap editor');
      await page.getByRole('button', { name: 'Cancel' }).click();
      expect(await focused(page)).toMatch(/^Edit\s*item /);
    });
  });
}

describe('every browser', () => {
  it('logged no console errors', () => {
    expect(people.flatMap((p) => p.consoleErrors)).toEqual([]);
  });
});
