/**
 * A maintainer triages (issue 12): a response written from the admin triage tab's
 * needs-a-response queue (whose count drops once it is answered), edited in place later from the
 * proposal page with the earlier version kept in its history, and a duplicate marked by finding
 * its original by title. Members see who answered, that they speak for the project, and which
 * status an older response was written for; the roadmap item an idea is planned as leads back
 * to it. At 1,280 and 360 px, with axe clean.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { expectUsable, go, journey, screenshot, settled, signIn } from './browser';

const appUrl = inject('appUrl');
const { run, people, person } = journey(appUrl);
const WIDTHS = [1280, 360] as const;

/** Submits a proposal through the form and returns its path. */
async function propose(page: Page, title: string, body: string): Promise<string> {
  await page.getByRole('link', { name: 'Propose', exact: true }).click();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description', { exact: true }).fill(body);
  await page.getByRole('button', { name: 'Submit proposal' }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  return new URL(page.url()).pathname;
}

/** The count the needs-a-response queue shows, once the counts are in. */
async function needsResponseCount(page: Page): Promise<number> {
  const queue = page.getByRole('button', { name: /^Needs a response \(\d+\)$/ });
  await queue.waitFor();
  return Number(/\((\d+)\)/.exec((await queue.textContent()) ?? '')?.[1]);
}

/** The numbers of the proposals the triage list shows, in its order. */
async function listedIds(page: Page): Promise<number[]> {
  const hrefs = await page
    .locator('.admin-proposals > li .admin-row a')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.map((href) => Number(href.split('/').pop()));
}

for (const width of WIDTHS) {
  describe(`at ${width} px`, () => {
    const tag = `${run}${width}`;
    const originalTitle = `Shared security through node shuffling ${tag}`;
    const copyTitle = `Shuffle nodes between subnets ${tag}`;
    let originalPath = '';
    let copyPath = '';

    it('answers a proposal from the triage tab, then edits the answer in place', async () => {
      const admin = await person('admin', width);
      await signIn(admin);
      const { page } = admin;
      originalPath = await propose(page, originalTitle, 'Move nodes between subnets at random.');
      copyPath = await propose(page, copyTitle, 'Rotate node membership so no subnet is fixed.');
      const copyId = copyPath.split('/').pop() ?? '';

      // Both new proposals wait in the needs-a-response queue, newest first unless asked.
      await go(page, appUrl, '/admin?tab=proposals');
      const waiting = await needsResponseCount(page);
      await page.getByRole('button', { name: `Needs a response (${waiting})` }).click();
      await page.waitForURL((url) => url.searchParams.get('queue') === 'needs-response');
      const row = page.locator('.admin-proposals > li', { hasText: copyTitle });
      await row.waitFor();
      await page.locator('.admin-proposals > li', { hasText: originalTitle }).waitFor();
      expect(await listedIds(page)).toEqual([...(await listedIds(page))].sort((a, b) => b - a));
      await page.getByLabel('Sort', { exact: true }).selectOption('Oldest');
      await page.waitForURL((url) => url.searchParams.get('sort') === 'Oldest');
      await page.waitForFunction(() => {
        const ids = Array.from(document.querySelectorAll('.admin-proposals > li .admin-row a')).map(
          (a) => Number(a.getAttribute('href')?.split('/').pop()),
        );
        return ids.length > 1 && ids[0]! < ids[ids.length - 1]!;
      });
      expect(await listedIds(page)).toEqual([...(await listedIds(page))].sort((a, b) => a - b));
      await page.getByLabel('Sort', { exact: true }).selectOption('New');
      await row.waitFor();
      // Each row shows what the proposal says beside the action.
      await row.getByText('Rotate node membership so no subnet is fixed.').waitFor();
      await row.getByText('Set status', { exact: true }).click();
      await row.getByLabel('New status').selectOption('UnderReview');
      await row.getByLabel('Official response (optional, markdown)').fill('We are looking at it.');
      await expectUsable(page, 'triage queue with a status form open');
      await row.getByRole('button', { name: 'Set status' }).click();
      // Answered, it leaves the queue, and the queue's count drops by one.
      await page.waitForFunction(
        (title) =>
          !Array.from(document.querySelectorAll('.admin-proposals > li')).some((li) =>
            li.textContent?.includes(title),
          ),
        copyTitle,
      );
      await expect.poll(() => needsResponseCount(page), { timeout: 10_000 }).toBe(waiting - 1);
      await page.getByRole('button', { name: 'All proposals' }).click();
      await page.waitForURL((url) => url.searchParams.get('queue') === null);

      // The filter and sort are kept in the address, so a reload lists the same proposals.
      await page.getByLabel('Status', { exact: true }).selectOption('UnderReview');
      await page.getByLabel('Sort', { exact: true }).selectOption('Top');
      await page.waitForURL(
        (url) =>
          url.searchParams.get('status') === 'UnderReview' &&
          url.searchParams.get('sort') === 'Top',
      );
      await page.reload();
      await page.locator('.admin-proposals > li').first().waitFor();
      expect(await page.getByLabel('Status', { exact: true }).inputValue()).toBe('UnderReview');
      expect(await page.getByLabel('Sort', { exact: true }).inputValue()).toBe('Top');
      const badges = await page.locator('.admin-proposals > li .badge').allTextContents();
      expect(badges.every((badge) => badge.includes('Under review'))).toBe(true);

      // On the proposal page the form starts from that response; edit it without a new status.
      await go(page, appUrl, copyPath);
      await page.getByRole('heading', { name: copyTitle, level: 1 }).waitFor();
      await page.getByText('Set status (admin)').click();
      const response = page.getByLabel('Official response (optional, markdown)');
      expect(await response.inputValue()).toBe('We are looking at it.');
      await response.fill('Under review with the consensus team.');
      await page.getByRole('button', { name: 'Set status' }).click();
      const official = page.locator('section.official');
      await official.getByText('Under review with the consensus team.').waitFor();
      // Whoever answered is named and shown as a maintainer.
      expect(await official.locator('.role-badge').first().textContent()).toBe('Maintainer');
      // The edit is marked, and the marker opens the version it replaced: who, when, for which status.
      const edited = official.getByRole('button', { name: /^edited/ });
      await edited.click();
      const earlier = official.locator('.history li');
      await earlier.getByText('We are looking at it.').waitFor();
      expect(await earlier.count()).toBe(1);
      expect(await earlier.first().textContent()).toContain(
        'written when the status was under review',
      );
      expect(await earlier.first().locator('.role-badge').textContent()).toBe('Maintainer');
      expect(copyId).toMatch(/^\d+$/);
      await settled(page);
      await expectUsable(page, 'proposal with an edited official response');
      await screenshot(page, `triage-response-${width}`);
    });

    it('marks the proposal a duplicate of one found by its title', async () => {
      const admin = await person('admin', width);
      await signIn(admin);
      const { page } = admin;
      const originalId = originalPath.split('/').pop() ?? '';
      await go(page, appUrl, copyPath);
      await page.getByRole('heading', { name: copyTitle, level: 1 }).waitFor();
      await page.getByText('Set status (admin)').click();
      await page.getByLabel('New status').selectOption('Duplicate');
      await page.getByLabel('Duplicate of').fill(`node shuffling ${tag}`);
      const matches = page.getByRole('list', { name: 'Proposals whose title matches' });
      await matches.getByRole('button', { name: `#${originalId} ${originalTitle}` }).click();
      expect(await page.getByLabel('Duplicate of').inputValue()).toBe(`#${originalId}`);
      await page.getByText(`Original: #${originalId} “${originalTitle}”`).waitFor();
      await expectUsable(page, 'duplicate picker with the original named');
      await page.getByRole('button', { name: 'Set status' }).click();
      await page.locator('.detail-head .badge', { hasText: 'Duplicate' }).waitFor();
      // The response written for the earlier status is still there, as the form said it would
      // be, and says which status it answered.
      const official = page.locator('section.official');
      await official.getByText('Under review with the consensus team.').waitFor();
      await official.getByText('Written when the status was under review.').waitFor();
      await settled(page);
      await expectUsable(page, 'proposal marked duplicate');
      await screenshot(page, `triage-duplicate-${width}`);
    });

    it('plans the original as a roadmap item, whose page leads back to it and its supporters', async () => {
      const admin = await person('admin', width);
      await signIn(admin);
      const { page } = admin;
      await go(page, appUrl, originalPath);
      await page.getByRole('heading', { name: originalTitle, level: 1 }).waitFor();
      await page.getByText('Set status (admin)').click();
      await page.getByLabel('New status').selectOption('Planned');
      await page.getByLabel('Roadmap item').selectOption({ index: 1 });
      await page.getByRole('button', { name: 'Set status' }).click();
      await page.locator('.detail-head .badge', { hasText: 'Planned' }).waitFor();
      const itemLink = page.getByText('Planned as roadmap item').locator('a');
      const itemPath = (await itemLink.getAttribute('href')) ?? '';
      expect(itemPath).toMatch(/^\/roadmap\/items\/\d+$/);

      const visitor = await person(undefined, width);
      await go(visitor.page, appUrl, itemPath);
      const planned = visitor.page.getByRole('region', { name: 'Proposals planned as this item' });
      await planned.getByRole('link', { name: originalTitle }).waitFor();
      await settled(visitor.page);
      await expectUsable(visitor.page, 'item page with its planned proposals');
      await screenshot(visitor.page, `triage-item-planned-${width}`);
    });
  });
}

describe('every browser', () => {
  it('logged no console errors', () => {
    expect(people.flatMap((p) => p.consoleErrors)).toEqual([]);
  });
});
