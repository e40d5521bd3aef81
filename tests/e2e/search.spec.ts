/**
 * Finding what exists (issue 9): a member searches for a word of a demo proposal from the
 * header and opens it, and, typing a title on the submit form, is pointed to a similar idea and
 * to the proposal that already has that exact title.
 * Every journey runs at 1,280 and 360 px, with axe clean.
 */
import { describe, expect, inject, it } from 'vitest';
import { expectUsable, go, journey, screenshot, settled } from './browser';

const appUrl = inject('appUrl');
const { run, member } = journey(appUrl);
const WIDTHS = [1280, 360] as const;
/** A demo proposal (data/demo.json), open, so similarProposals may suggest it too. */
const DEMO_TITLE = 'Shared security through node shuffling';

for (const width of WIDTHS) {
  describe(`at ${width} px`, () => {
    it('searches from the header with "/" and opens a matching proposal', async () => {
      const { page, consoleErrors } = await member('seeker', width);
      await settled(page);
      // "/" reaches the search box from anywhere that is not a field.
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('/');
      const box = page.getByRole('search', { name: 'Proposals' }).getByLabel('Search proposals');
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
      // A stemmed word: "shuffle" finds "shuffling".
      await page.keyboard.type('shuffle');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/search\?q=shuffle$/);
      await settled(page);

      // Other journeys add proposals whose titles begin with the demo's: match the whole title.
      const result = page.locator('.proposal-title a', { hasText: new RegExp(`^${DEMO_TITLE}$`) });
      await result.waitFor();
      expect(await result.locator('mark').allTextContents()).toEqual(['shuffling']);
      await expectUsable(page, `search results at ${width} px`);
      await screenshot(page, `search-results-${width}`);

      await result.click();
      await page.getByRole('heading', { name: DEMO_TITLE, level: 1, exact: true }).waitFor();
      expect(consoleErrors).toEqual([]);
    });

    it('offers to propose an idea nothing matches, and shows a similar idea while typing a title', async () => {
      const { page, consoleErrors } = await member('drafter', width);
      await go(page, appUrl, `/search?q=${encodeURIComponent(`zyxwv${run}`)}`);
      await settled(page);
      await page.getByRole('link', { name: /as a new idea$/ }).click();
      const title = page.getByLabel('Title', { exact: true });
      await page.waitForURL(/\/proposals\/new\?title=/);
      await expect.poll(() => title.inputValue()).toBe(`zyxwv${run}`);

      await title.fill('');
      await title.pressSequentially('Shuffle nodes between subnets for security');
      const similar = page.getByRole('region', {
        name: 'Is your idea already here? Vote for it instead',
      });
      await similar
        .getByRole('link', { name: DEMO_TITLE, exact: true })
        .waitFor({ timeout: 15_000 });
      await settled(page);
      await expectUsable(page, `submit form with similar ideas at ${width} px`);
      await screenshot(page, `similar-ideas-${width}`);

      // Exactly the demo's title in other case: named above the list as the proposal to support.
      await title.fill('shared security through NODE shuffling');
      const twin = page.locator('.similar-identical', {
        hasText: 'A proposal with this exact title exists:',
      });
      await twin.getByRole('link', { name: DEMO_TITLE, exact: true }).waitFor({ timeout: 15_000 });
      await expectUsable(page, `submit form naming a proposal with the same title at ${width} px`);

      await similar.getByRole('link', { name: DEMO_TITLE, exact: true }).click();
      await page.getByRole('heading', { name: DEMO_TITLE, level: 1, exact: true }).waitFor();
      expect(consoleErrors).toEqual([]);
    });
  });
}
