/**
 * Tallies the browser checks against the IC's certificate, and the board as open data (issue
 * 10): the proposal list, a proposal and a roadmap item show a verified mark beside their
 * tallies, which leads to the check step by step; when a proof is altered on its way to the
 * browser, the mark says the check failed and the number stays. The footer's feed link gives
 * the board's Atom feed. At 1,280 and 360 px, with axe clean.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { getUrl } from '../support/http-request';
import { expectUsable, go, journey } from './browser';

const appUrl = inject('appUrl');
const { run, member, person } = journey(appUrl);
const VERIFIED = 'Tally verified: see the check';
/** The certified tree follows a write within 2 s; a mark checks again until it has. */
const MARK_TIMEOUT = 30_000;

/** A roadmap item page's own tally: the aside named by its heading. */
const priority = (page: Page) => page.getByRole('complementary', { name: 'Community priority' });

async function propose(page: Page, title: string): Promise<string> {
  await page.getByRole('link', { name: 'Propose', exact: true }).click();
  await page.getByLabel('Title').fill(title);
  await page
    .getByLabel('Description', { exact: true })
    .fill('Certify every tally so that anyone can check it.');
  await page.getByRole('button', { name: 'Submit proposal' }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  return new URL(page.url()).pathname;
}

for (const width of [1280, 360] as const) {
  describe(`at ${width} px`, () => {
    it('marks the tallies of the list, a proposal and a roadmap item as verified, and shows the check', async () => {
      const { page } = await member('certified', width);
      const title = `Certified tallies ${run}${width}`;
      const proposalPath = await propose(page, title);
      await page.getByRole('link', { name: VERIFIED }).waitFor({ timeout: MARK_TIMEOUT });

      // A vote changes the tally; the mark follows it once the certified tree has.
      await page.getByRole('button', { name: 'Support (1)' }).click();
      await page.getByRole('button', { name: 'Support (0)' }).waitFor();
      await page.getByRole('link', { name: VERIFIED }).waitFor({ timeout: MARK_TIMEOUT });

      await go(page, appUrl, '/proposals?sort=New');
      const card = page.getByRole('article', { name: title });
      await card.getByRole('link', { name: VERIFIED }).waitFor({ timeout: MARK_TIMEOUT });
      await expectUsable(page, 'the proposal list with its verified marks');

      await go(page, appUrl, '/roadmap/items/1');
      // The item's own tally (its page also lists the proposals planned as it, with theirs).
      await priority(page).getByRole('link', { name: VERIFIED }).click();
      await page.getByRole('heading', { name: 'Checking a tally', level: 1 }).waitFor();
      const steps = page.locator('.verify-step');
      await expect.poll(() => steps.count()).toBe(5);
      expect(await steps.allTextContents()).toEqual([
        expect.stringContaining('signed by the Internet Computer: passed'),
        expect.stringContaining('recent: passed'),
        expect.stringContaining('what the canister certified: passed'),
        expect.stringContaining('holds this tally: passed'),
        expect.stringContaining('shows the certified numbers: passed'),
      ]);
      await page.getByText(/^Certificate \(\d+ bytes, hex\)$/).click();
      expect(await page.locator('pre.raw-bytes').first().textContent()).toMatch(/^[0-9a-f]{200,}$/);
      await expectUsable(page, 'the check of a tally');

      await go(page, appUrl, proposalPath);
      await page.getByRole('link', { name: VERIFIED }).waitFor({ timeout: MARK_TIMEOUT });
    });
  });
}

describe('a proof altered on its way to the browser', () => {
  it('shows the check failed beside the number, which stays', async () => {
    const visitor = await person(undefined, 1280);
    const { page } = visitor;
    let altered = 0;
    // Flips one byte of the certificate's BLS signature (CBOR: "signature", then 48 bytes) in
    // every getTallyProof reply, as a dishonest node or proxy could.
    await page.route('**/canister/*/query', async (route) => {
      if (!route.request().postDataBuffer()?.includes('getTallyProof')) return route.continue();
      // Fetched from here the way the browser would, to 127.0.0.1 with the app's Host:
      // Node does not resolve `<canister>.localhost` names as Chromium does.
      const original = new URL(route.request().url());
      const response = await route.fetch({
        url: `http://127.0.0.1:${original.port}${original.pathname}`,
        headers: { ...route.request().headers(), host: original.host },
      });
      const body = Buffer.from(await response.body());
      const marker = Buffer.concat([
        Buffer.from([0x69]),
        Buffer.from('signature'),
        Buffer.from([0x58, 0x30]),
      ]);
      const at = body.indexOf(marker);
      if (at >= 0) {
        body[at + marker.length + 10]! ^= 0x01;
        altered++;
      }
      await route.fulfill({ response, body });
    });
    await go(page, appUrl, '/roadmap/items/1');
    const failed = priority(page).getByRole('link', { name: /^Tally check failed: / });
    await failed.waitFor({ timeout: MARK_TIMEOUT });
    expect(altered).toBeGreaterThan(0);
    expect(await failed.textContent()).toBe('✗ check failed');
    expect(await priority(page).locator('.big-number').textContent()).toMatch(
      /^\d+ priority votes?/,
    );
    // What failed, in one line: no stack traces for people to read.
    expect(await failed.getAttribute('aria-label')).not.toContain('\n');
    await failed.click();
    await page.getByText(/signed by the Internet Computer: failed/).waitFor();
  });
});

describe('open data', () => {
  it('the footer links the Atom feed of the newest proposals', async () => {
    const { page } = await member('reader', 1280);
    const title = `Feed me ${run}`;
    await propose(page, title);
    const href = await page
      .getByRole('navigation', { name: 'Open data' })
      .getByRole('link', { name: 'Newest proposals (Atom)' })
      .getAttribute('href');
    const feed = await getUrl(href!);
    expect(feed.status).toBe(200);
    expect(feed.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(feed.body).toContain(`<title type="text">${title}</title>`);
    await go(page, appUrl, '/api');
    await page.getByRole('heading', { name: 'API & data', level: 1 }).waitFor();
    await expectUsable(page, 'the API & data page');
  });
});
