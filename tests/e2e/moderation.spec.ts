/**
 * Moderation as its people use it (issue 8): a member reports a comment, a moderator hides it
 * from the queue with a public reason, and a visitor sees the reason in its place and the
 * decision in the activity log — at 1,280 and 360 px with axe clean. Then long unbroken words
 * (a 120-character title, a bio of one word, long tags) must not widen any page.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  expectUsable,
  go,
  journey,
  principalOf,
  type Person,
  screenshot,
  seriousViolations,
  settled,
  sidewaysOverflow,
} from './browser';

const appUrl = inject('appUrl');
const { run, people, person, member, moderator: makeModerator } = journey(appUrl);
const WIDTHS = [1280, 360] as const;

let moderator: Person;

async function firstProposal(page: Page): Promise<string> {
  await go(page, appUrl, '/proposals');
  await settled(page);
  return (await page.locator('.proposal-title a').first().getAttribute('href')) ?? '';
}

beforeAll(async () => {
  moderator = await makeModerator('mia');
});

for (const width of WIDTHS) {
  describe(`at ${width} px`, () => {
    const body = `Buy cheap cycles at cycles-${run}-${width}.example`;
    const reason = `Advertising ${run}-${width}`;
    let path = '';

    it('a member reports a comment, with a reason and a note', async () => {
      const author = await member('ana', width);
      path = await firstProposal(author.page);
      await go(author.page, appUrl, path);
      await author.page.getByLabel('Add a comment').fill(body);
      await author.page.getByRole('button', { name: 'Post comment' }).click();
      await author.page.locator('li.comment', { hasText: body }).waitFor();

      const { page } = await member('rob', width);
      await go(page, appUrl, path);
      await settled(page);
      const comment = page.locator('li.comment', { hasText: body });
      await comment.getByRole('button', { name: /^Report the comment by / }).click();
      const form = comment.getByRole('form', { name: /^Report the comment by / });
      await form.getByRole('radio', { name: 'Spam' }).check();
      await form.getByLabel('Note for moderators (optional)').fill('A link to a shop');
      await expectUsable(page, 'the report form');
      await form.getByRole('button', { name: 'Send report' }).click();
      await comment.getByText('Thank you — moderators will review it.').waitFor();
      await comment.getByRole('button', { name: /^Reported the comment by / }).waitFor();

      // One open report per member and target: a second one is refused, plainly.
      await comment.getByRole('button', { name: /^Reported the comment by / }).click();
      await form.getByRole('radio', { name: 'Abuse' }).check();
      await form.getByRole('button', { name: 'Send report' }).click();
      await form.getByText('You have already reported this.').waitFor();
      await screenshot(page, `moderation-report-${width}`);
    });

    it('a moderator hides it from the queue with a public reason', async () => {
      const { page } = moderator;
      await page.setViewportSize({ width, height: width < 500 ? 780 : 900 });
      await go(page, appUrl, '/');
      await settled(page);
      await page.getByRole('link', { name: 'Moderation', exact: true }).click();
      await page.getByRole('heading', { name: 'Moderation', level: 1 }).waitFor();
      await settled(page);
      const group = page.locator('article.report-group', { hasText: body });
      await group.getByText('1 report', { exact: true }).waitFor();
      await group.getByText('A link to a shop').waitFor({ state: 'attached' });
      expect(await group.getByText('Spam', { exact: true }).count()).toBeGreaterThan(0);
      await expectUsable(page, 'the moderation queue');
      await screenshot(page, `moderation-queue-${width}`);

      await group.getByLabel('Public reason').fill(reason);
      await group.getByRole('button', { name: 'Hide', exact: true }).click();
      await page.locator('.notice-success', { hasText: /^Comment #\d+ .*hidden\.$/ }).waitFor();
      await group.waitFor({ state: 'detached' });
      await expectUsable(page, 'the moderation queue after a decision');
    });

    it('a visitor sees the reason in the comment’s place and the decision in the log', async () => {
      const { page } = await person(undefined, width);
      await go(page, appUrl, path);
      await settled(page);
      const placeholder = page.locator('li.comment', {
        hasText: `Hidden by moderators: ${reason}`,
      });
      await placeholder.waitFor();
      expect(await page.getByText(body).count()).toBe(0);
      await expectUsable(page, 'a thread with a hidden comment');
      await screenshot(page, `moderation-hidden-comment-${width}`);

      await go(page, appUrl, '/activity');
      await settled(page);
      const entry = page.locator('.activity li', { hasText: `(reason: ${reason})` });
      await entry.waitFor();
      expect(await entry.textContent()).toMatch(/ hid comment #\d+ \(reason: /);
      // The entry leads to the comment's place in its thread.
      expect(
        await entry.getByRole('link', { name: /^comment #\d+$/ }).getAttribute('href'),
      ).toMatch(new RegExp(`^${path}#comment-\\d+$`));
      await expectUsable(page, 'the activity log');
    });
  });
}

describe('a hidden proposal and a suspended member', () => {
  const reason = `Duplicate advert ${run}`;
  let sam: Person;
  let proposalPath = '';
  let samPath = '';

  beforeAll(async () => {
    sam = await member('sam', 1280);
    samPath = `/members/${await principalOf(sam.page)}`;
    await go(sam.page, appUrl, samPath);
    await sam.page.getByLabel('Display name', { exact: true }).fill(`Sam ${run}`);
    await sam.page.getByRole('button', { name: 'Save profile' }).click();
    await sam.page.getByRole('heading', { name: `Sam ${run}`, level: 1 }).waitFor();
    await go(sam.page, appUrl, '/proposals/new');
    await sam.page.getByLabel('Title').fill(`Cheap cycles for everyone ${run}`);
    await sam.page.getByLabel('Description', { exact: true }).fill('Buy them from me.');
    await sam.page.getByRole('button', { name: 'Submit proposal' }).click();
    await sam.page.getByRole('heading', { name: `Cheap cycles for everyone ${run}` }).waitFor();
    proposalPath = new URL(sam.page.url()).pathname;
  });

  it('a moderator hides a proposal from its page; visitors see the reason and frozen votes', async () => {
    const { page } = moderator;
    await page.setViewportSize({ width: 1280, height: 900 });
    await go(page, appUrl, proposalPath);
    await page.getByText('Moderate (moderators)').click();
    const decision = page.getByRole('form', { name: /^Decide on Proposal #/ });
    await decision.getByLabel('Public reason').fill(reason);
    await decision.getByRole('button', { name: 'Hide', exact: true }).click();
    await page.getByText(`Hidden by moderators: ${reason}`).waitFor();
    // Moderators still read it, and are told who else can.
    await page.getByText('Only its author and moderators can see', { exact: false }).waitFor();

    for (const width of WIDTHS) {
      const visitor = await person(undefined, width);
      await go(visitor.page, appUrl, proposalPath);
      await visitor.page
        .getByRole('heading', { name: /^Hidden proposal #\d+$/, level: 1 })
        .waitFor();
      await visitor.page.getByText(`Hidden by moderators: ${reason}`).waitFor();
      expect(await visitor.page.getByText(`Cheap cycles for everyone ${run}`).count()).toBe(0);
      await visitor.page
        .getByText('Votes are frozen while the proposal is hidden by moderators.')
        .waitFor();
      expect(await visitor.page.getByRole('button', { name: /^Support/ }).isDisabled()).toBe(true);
      await settled(visitor.page);
      await expectUsable(visitor.page, `a hidden proposal at ${width} px`);
      await screenshot(visitor.page, `moderation-hidden-proposal-${width}`);
    }

    // Restored from the same place, since a decided proposal has left the queue.
    await decision.getByLabel('Public reason').fill('Reviewed again: allowed');
    await decision.getByRole('button', { name: 'Restore' }).click();
    await page.getByText(`Hidden by moderators: ${reason}`).waitFor({ state: 'detached' });
  });

  it('a suspended member is told until when and why, and writes again once it is lifted', async () => {
    const { page } = moderator;
    await go(page, appUrl, samPath);
    await page.getByText('Suspend or lift a suspension (moderators)').click();
    const decision = page.getByRole('form', { name: `Decide on Sam ${run}` });
    await decision.getByLabel(`Suspend Sam ${run}`).selectOption('3 days');
    await decision.getByLabel('Public reason').fill(`Spam links ${run}`);
    await decision.getByRole('button', { name: 'Suspend', exact: true }).click();
    // A decision that went through clears its reason.
    await expect.poll(() => decision.getByLabel('Public reason').inputValue()).toBe('');

    await go(sam.page, appUrl, proposalPath);
    await sam.page.getByText('Your account is suspended until', { exact: false }).waitFor();
    await sam.page.getByLabel('Add a comment').fill('Still here?');
    await sam.page.getByRole('button', { name: 'Post comment' }).click();
    const refusal = sam.page.getByRole('alert').filter({ hasText: 'Suspended until' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(
      new RegExp(`^Suspended until \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z: Spam links ${run}\\.$`),
    );
    await expectUsable(sam.page, 'a suspended member’s refused comment');
    await screenshot(sam.page, 'moderation-suspended-member');

    await decision.getByLabel('Public reason').fill('Served');
    await decision.getByRole('button', { name: 'Lift suspension' }).click();
    // A decision that went through clears its reason.
    await expect.poll(() => decision.getByLabel('Public reason').inputValue()).toBe('');
    await sam.page.reload();
    await sam.page.getByLabel('Add a comment').fill('Back, and on topic.');
    await sam.page.getByRole('button', { name: 'Post comment' }).click();
    await sam.page.locator('li.comment', { hasText: 'Back, and on topic.' }).waitFor();
    expect(await sam.page.getByText('Your account is suspended', { exact: false }).count()).toBe(0);
  });
});

describe('long unbroken words', () => {
  // Padded with the widest letters, so a word that does not break overflows whatever the run's
  // own characters are (padded with 'z', a display name overflowed the proposal page by 2 px
  // for some runs only).
  const title = `Unbroken${run}`.padEnd(120, 'W');
  const bio = `Bio${run}`.padEnd(280, 'W');
  const displayName = `Long${run}`.padEnd(32, 'W');
  const tags = ['a', 'b', 'c'].map((t) => `${t}${run}`.padEnd(24, 'm'));
  let proposalPath = '';
  let profilePath = '';

  /** The page fits the viewport; a failure names what sticks out. */
  async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
    const { overflow, widest } = await sidewaysOverflow(page);
    const width = await page.evaluate(() => window.innerWidth);
    expect(
      overflow,
      `${what} scrolls ${overflow} px sideways at ${width} px; widest: ${widest}`,
    ).toBeLessThanOrEqual(0);
  }

  beforeAll(async () => {
    const { page } = await member('wes', 1280);
    profilePath = `/members/${await principalOf(page)}`;
    await go(page, appUrl, profilePath);
    await page.getByLabel('Display name', { exact: true }).fill(displayName);
    await page.getByLabel('Bio (optional)').fill(bio);
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('heading', { name: displayName, level: 1 }).waitFor();

    await go(page, appUrl, '/proposals/new');
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Description', { exact: true }).fill(`${'w'.repeat(400)}\n\nEnd.`);
    await page.getByLabel('Tags (optional)').fill(tags.join(' '));
    await page.getByRole('button', { name: 'Submit proposal' }).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    proposalPath = new URL(page.url()).pathname;
  });

  for (const width of WIDTHS) {
    it(`do not widen the proposal, the list or the member page at ${width} px`, async () => {
      const { page } = await person(undefined, width);
      const pages: [string, string][] = [
        ['proposal', proposalPath],
        ['newest proposals', '/proposals?sort=New'],
        ['proposals', '/proposals'],
        ['member', profilePath],
      ];
      for (const [what, path] of pages) {
        await go(page, appUrl, path);
        await settled(page);
        if (what !== 'proposals') await page.getByText(title).first().waitFor();
        await expectNoSidewaysScroll(page, `the ${what} page`);
        if (what === 'proposal') {
          // The vote column narrows when "checking…" beside the tally turns into "✓ verified":
          // the page must fit with either.
          await page.locator('.tally-checking').waitFor({ state: 'detached' });
          await expectNoSidewaysScroll(page, 'the proposal page, its tally checked,');
        }
        await screenshot(page, `long-words-${what.replace(' ', '-')}-${width}`);
      }
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});

describe('every browser', () => {
  it('logged no console errors', () => {
    expect(people.flatMap((p) => p.consoleErrors)).toEqual([]);
  });
});
