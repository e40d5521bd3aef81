/**
 * Shared links unfurl (issue 12, item 15): "Copy link" on a proposal and on a comment gives the
 * address of the backend's page for it; fetched without JavaScript (as a link preview does),
 * that page carries the title and excerpt in OpenGraph and Twitter tags; opened in a browser,
 * it leads to the same proposal or comment in the app. At 1,280 and 360 px, with axe clean.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { getUrl as fetchWithoutJavaScript } from '../support/http-request';
import { expectUsable, journey } from './browser';

const appUrl = inject('appUrl');
const { run, member } = journey(appUrl);
const WIDTHS = [1280, 360] as const;

function meta(html: string, attribute: 'property' | 'name', key: string): string | undefined {
  const match = new RegExp(`<meta ${attribute}="${key}" content="([^"]*)">`).exec(html);
  return match?.[1]?.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** Presses "Copy link" and returns what it put on the clipboard. */
async function copyLink(page: Page, name: string): Promise<string> {
  await page.getByRole('button', { name }).first().click();
  return page.evaluate(() => navigator.clipboard.readText());
}

for (const width of WIDTHS) {
  describe(`at ${width} px`, () => {
    it('a copied proposal link unfurls without JavaScript and opens the proposal', async () => {
      const author = await member('sharer', width);
      const { page, context } = author;
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: new URL(appUrl).origin,
      });
      const title = `Shared security through node shuffling ${run}${width}`;
      await page.getByRole('link', { name: 'Propose', exact: true }).click();
      await page.getByLabel('Title').fill(title);
      await page
        .getByLabel('Description', { exact: true })
        .fill('Rotate nodes between subnets so that no fixed group can collude.');
      await page.getByRole('button', { name: 'Submit proposal' }).click();
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      const appPath = new URL(page.url()).pathname;

      const shared = await copyLink(page, 'Copy link to the proposal');
      // The backend's page, at the app's path.
      expect(new URL(shared).hostname).not.toBe(new URL(appUrl).hostname);
      expect(new URL(shared).pathname).toBe(appPath);

      const preview = await fetchWithoutJavaScript(shared);
      expect(preview.status).toBe(200);
      expect(meta(preview.body, 'property', 'og:title')).toBe(title);
      expect(meta(preview.body, 'property', 'og:description')).toBe(
        'Open · 1 up-vote, 0 down-votes, 0 comments. Rotate nodes between subnets so that no fixed group can collude.',
      );
      expect(meta(preview.body, 'name', 'twitter:card')).toBe('summary');
      expect(meta(preview.body, 'property', 'og:url')).toBe(`${new URL(appUrl).origin}${appPath}`);

      // A person following the link lands on the proposal in the app.
      await page.goto(shared);
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe(appPath);
      await expectUsable(page, 'a proposal opened from a shared link');

      // A comment's link names who wrote it and lands on the comment.
      await page.getByLabel('Add a comment').fill(`Worth a try ${run}${width}`);
      await page.getByRole('button', { name: 'Post comment' }).click();
      const comment = page.locator('[data-comment-id]', { hasText: `Worth a try ${run}${width}` });
      await comment.waitFor();
      const commentLink = await copyLink(page, 'Copy link to the comment');
      expect(new URL(commentLink).pathname).toMatch(/^\/comments\/\d+$/);
      const commentPreview = await fetchWithoutJavaScript(commentLink);
      expect(meta(commentPreview.body, 'property', 'og:title')).toMatch(
        new RegExp(`on “${title}”$`),
      );
      expect(meta(commentPreview.body, 'property', 'og:description')).toBe(
        `Worth a try ${run}${width}`,
      );
      await page.goto(commentLink);
      await page.locator('[data-comment-id]', { hasText: `Worth a try ${run}${width}` }).waitFor();
      expect(new URL(page.url()).hash).toMatch(/^#comment-\d+$/);
    });
  });
}
