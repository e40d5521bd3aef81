/**
 * Merging duplicates as moderators and admins use it: members vote on two proposals (one of
 * them on both), a moderator merges one into the other from its page, the target's tallies
 * move without counting anyone twice, the duplicate says where it went and keeps its comments,
 * and an admin's undo puts the tallies back. At 1,280 and 360 px, with axe clean. Journeys share
 * one localnet: only the two proposals made here are counted.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { expectUsable, go, journey, type Person, screenshot, settled, signIn } from './browser';

const appUrl = inject('appUrl');
const { run, people, person, member, moderator: makeModerator } = journey(appUrl);
const WIDTHS = [1280, 360] as const;

let moderator: Person;

/** Submits a proposal through the form and returns its path. */
async function propose(page: Page, title: string, body: string): Promise<string> {
  await page.getByRole('link', { name: 'Propose', exact: true }).click();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description', { exact: true }).fill(body);
  await page.getByRole('button', { name: 'Submit proposal' }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  await settled(page);
  return new URL(page.url()).pathname;
}

/** Votes on the proposal at `path` and waits until the backend has the vote. */
async function vote(page: Page, path: string, direction: 'Support' | 'Oppose'): Promise<void> {
  await go(page, appUrl, path);
  await settled(page);
  const head = page.locator('.proposal-head');
  await head.getByRole('button', { name: new RegExp(`^${direction} \\(\\d+\\)$`) }).click();
  await head
    .getByRole('button', { name: new RegExp(`^${direction} \\(\\d+\\)$`), pressed: true })
    .waitFor();
  await settled(page);
}

/** The tallies shown on a proposal's page, waited for (they may still be moving). */
async function expectTally(page: Page, up: number, down: number): Promise<void> {
  const head = page.locator('.proposal-head');
  await head.getByRole('button', { name: `Support (${up})`, exact: true }).waitFor();
  await head.getByRole('button', { name: `Oppose (${down})`, exact: true }).waitFor();
}

const idOf = (path: string) => path.split('/').pop() ?? '';

beforeAll(async () => {
  moderator = await makeModerator('mo');
});

for (const width of WIDTHS) {
  describe(`at ${width} px`, () => {
    const tag = `${run}${width}`;
    const targetTitle = `Let canisters pay fees in ckBTC ${tag}`;
    const duplicateTitle = `Pay canister cycles with ckBTC ${tag}`;
    const comment = `Same idea as the ckBTC one ${tag}`;
    const note = `Same request, worded differently ${tag}`;
    let targetPath = '';
    let duplicatePath = '';

    it('members vote on two proposals, one of them on both', async () => {
      // Authors support their own proposals.
      const ana = await member('ana', width);
      targetPath = await propose(ana.page, targetTitle, 'Fees in ckBTC, converted on the fly.');
      const ben = await member('ben', width);
      duplicatePath = await propose(ben.page, duplicateTitle, 'Top up cycles with ckBTC.');
      await ben.page.getByLabel('Add a comment').fill(comment);
      await ben.page.getByRole('button', { name: 'Post comment' }).click();
      await ben.page.locator('li.comment', { hasText: comment }).waitFor();

      // Cai supports both; Ana (who supports her own) and Dee oppose the duplicate.
      const cai = await member('cai', width);
      await vote(cai.page, targetPath, 'Support');
      await vote(cai.page, duplicatePath, 'Support');
      await vote(ana.page, duplicatePath, 'Oppose');
      const dee = await member('dee', width);
      await vote(dee.page, duplicatePath, 'Oppose');

      await go(dee.page, appUrl, targetPath);
      await expectTally(dee.page, 2, 0);
      await go(dee.page, appUrl, duplicatePath);
      await expectTally(dee.page, 2, 2);
    });

    it('a moderator merges the duplicate into the other, after a confirmation', async () => {
      const { page } = moderator;
      await page.setViewportSize({ width, height: width < 500 ? 780 : 900 });
      const targetId = idOf(targetPath);
      await go(page, appUrl, duplicatePath);
      await page.getByRole('heading', { name: duplicateTitle, level: 1 }).waitFor();
      await settled(page);
      const open = page.getByRole('button', { name: 'Merge into another proposal' });
      await open.click();
      expect(await open.getAttribute('aria-expanded')).toBe('true');
      const form = page.getByRole('form', { name: /^Merge proposal #\d+ into another proposal$/ });
      const into = form.getByLabel('Merge into proposal number');
      // Focus moves into the form.
      await expect.poll(() => into.evaluate((el) => el === document.activeElement)).toBe(true);

      // Cancelling puts focus back on the button.
      await form.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => open.evaluate((el) => el === document.activeElement)).toBe(true);
      await open.click();

      await form.getByRole('button', { name: 'Review the merge' }).click();
      await form.getByText('Enter the number of the proposal to merge into (#12).').waitFor();
      await into.fill(`#${targetId}`);
      await form.getByText(`Into: #${targetId} “${targetTitle}” (2 up, 0 down)`).waitFor();
      await form.getByLabel('Note (optional)').fill(note);
      await expectUsable(page, 'the merge form');
      await form.getByRole('button', { name: 'Review the merge' }).click();

      const confirm = form.getByRole('heading', {
        name: `Merge #${idOf(duplicatePath)} into #${targetId}?`,
      });
      await confirm.waitFor();
      await form
        .getByText(
          `Its 4 votes move to #${targetId} unless the voter already voted there (2 up, 2 down).`,
          { exact: false },
        )
        .waitFor();
      await expectUsable(page, 'the merge confirmation');
      await screenshot(page, `merge-confirm-${width}`);
      await form.getByRole('button', { name: `Merge into #${targetId}` }).click();

      const banner = page.locator('section.merge-banner');
      const heading = banner.getByRole('heading', {
        name: `Merged into #${targetId} “${targetTitle}”`,
      });
      await heading.waitFor();
      expect(
        await banner
          .getByRole('link', { name: `#${targetId} “${targetTitle}”` })
          .getAttribute('href'),
      ).toBe(targetPath);
      await banner.getByText(`Note: ${note}`).waitFor();
      // Ben's up-vote and Dee's down-vote move; Cai and Ana had voted there already.
      await banner.getByText(`2 votes moved to #${targetId}`, { exact: false }).waitFor();
      await page.locator('.detail-head .badge', { hasText: 'Duplicate' }).waitFor();
      expect(await page.getByRole('button', { name: 'Merge into another proposal' }).count()).toBe(
        0,
      );
      await settled(page);
      await expectUsable(page, 'a merged duplicate, as its moderator sees it');
      await screenshot(page, `merge-duplicate-${width}`);
    });

    it('the target’s tallies move, and the duplicate leads there and keeps its comments', async () => {
      const { page } = await person(undefined, width);
      const duplicateId = idOf(duplicatePath);
      await go(page, appUrl, targetPath);
      await expectTally(page, 3, 1);
      const from = page.locator('.merged-from');
      await from.getByText('Merged from').waitFor();
      const link = from.getByRole('link', { name: `#${duplicateId} “${duplicateTitle}”` });
      expect(await link.getAttribute('href')).toBe(duplicatePath);
      await from.getByText('(2 votes moved)').waitFor();
      await settled(page);
      await expectUsable(page, 'a proposal with a duplicate merged into it');
      await screenshot(page, `merge-target-${width}`);

      await link.click();
      await page.getByRole('heading', { name: duplicateTitle, level: 1 }).waitFor();
      const banner = page.locator('section.merge-banner');
      await banner
        .getByRole('heading', { name: `Merged into #${idOf(targetPath)} “${targetTitle}”` })
        .waitFor();
      await banner.getByText(`Note: ${note}`).waitFor();
      expect(await banner.getByRole('button', { name: 'Undo merge' }).count()).toBe(0);
      await page.locator('li.comment', { hasText: comment }).waitFor();
      await settled(page);
      await expectUsable(page, 'a merged duplicate, as a visitor sees it');
    });

    it('an admin undoes the merge and the tallies return', async () => {
      const admin = await person('admin', width);
      await signIn(admin);
      const { page } = admin;
      await go(page, appUrl, duplicatePath);
      const banner = page.locator('section.merge-banner');
      await banner.waitFor();
      await settled(page);
      const undo = banner.getByRole('button', { name: 'Undo merge' });
      await undo.click();
      await banner.getByText('Undo this merge?', { exact: false }).waitFor();
      await expectUsable(page, 'the undo confirmation');
      // Keeping the merge puts focus back on the button.
      await banner.getByRole('button', { name: 'Keep the merge' }).click();
      await expect.poll(() => undo.evaluate((el) => el === document.activeElement)).toBe(true);
      await undo.click();
      await banner.getByRole('button', { name: 'Yes, undo the merge' }).click();
      await banner.waitFor({ state: 'detached', timeout: 60_000 });
      await page.locator('.detail-head .badge', { hasText: 'Open' }).waitFor();
      await expectTally(page, 2, 2);

      await go(page, appUrl, targetPath);
      await expectTally(page, 2, 0);
      expect(await page.locator('.merged-from').count()).toBe(0);
      await settled(page);
      await expectUsable(page, 'the target after the undo');

      await go(page, appUrl, '/activity');
      await settled(page);
      const merged = page.locator('.activity li', { hasText: `(note: ${note})` });
      await merged.waitFor();
      expect(await merged.textContent()).toMatch(
        new RegExp(
          `merged proposal “${duplicateTitle}” into proposal #${idOf(targetPath)}, moving its votes there`,
        ),
      );
      await page
        .locator('.activity li', { hasText: `undid the merge of proposal “${duplicateTitle}”` })
        .waitFor();
    });
  });
}

describe('every browser', () => {
  it('logged no console errors', () => {
    expect(people.flatMap((p) => p.consoleErrors)).toEqual([]);
  });
});
