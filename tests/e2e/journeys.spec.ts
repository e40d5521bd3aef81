import { beforeAll, describe, expect, inject, it } from 'vitest';
import { go, journey, type Person, screenshot, settled, signIn, signOut } from './browser';

const appUrl = inject('appUrl');
const { run, people, person } = journey(appUrl);
const displayName = `Frank ${run}`;
const proposalTitle = `Shared security through node shuffling ${run}`;

/** Filled in as the journey goes, for the members who follow. */
const shared = { proposalPath: '', itemPath: '', itemTitle: '' };

describe('a new member', () => {
  let frank: Person;

  beforeAll(async () => {
    frank = await person(`frank-${run}`);
  });

  it('signs in through the Internet Identity stand-in', async () => {
    await signIn(frank);
    await frank.page.getByRole('link', { name: 'Set display name' }).waitFor();
  });

  it('sees the backend’s message for a taken display name, then sets a free one', async () => {
    const { page } = frank;
    await page.getByRole('link', { name: 'Set display name' }).click();
    await page.getByRole('heading', { name: 'Choose a display name' }).waitFor();
    const name = page.getByLabel('Display name', { exact: true });

    // Client-side validation while typing.
    await name.fill('ab');
    await page.getByText('Display name needs at least 3 characters (2 now).').waitFor();

    // The demo member Alice already uses this name: only the backend knows.
    await name.fill('Alice Ng');
    await page.getByRole('button', { name: 'Save profile' }).click();
    const message = page.locator('.field-error', { hasText: 'That display name is taken.' });
    await message.waitFor();
    expect(await name.getAttribute('aria-describedby')).toContain(await message.getAttribute('id'));
    await screenshot(page, 'journey-profile-taken-name');

    await name.fill(displayName);
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('heading', { name: displayName, level: 1 }).waitFor();
    await page.locator('.account-name', { hasText: displayName }).waitFor();
  });

  it('submits a proposal with live validation and a markdown preview', async () => {
    const { page } = frank;
    await page.getByRole('link', { name: 'Propose', exact: true }).click();
    await page.getByRole('heading', { name: 'Propose an idea' }).waitFor();
    const title = page.getByLabel('Title');
    await title.fill('abc');
    await title.blur();
    await page.getByText('Title needs at least 4 characters (3 now).').waitFor();

    await title.fill(proposalTitle);
    const description = page.getByLabel('Description', { exact: true });
    await description.fill('Rotate nodes between subnets so no fixed group can collude.\n\n');
    // The toolbar's shortcut makes the selected word bold; its list button starts a list.
    await description.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(7, 12));
    await page.keyboard.press('Control+B');
    await description.evaluate((el: HTMLTextAreaElement) => {
      el.setSelectionRange(el.value.length, el.value.length);
    });
    await page.keyboard.type('less collusion');
    await page.getByRole('toolbar', { name: 'Formatting' }).waitFor();
    await page.getByRole('button', { name: 'Bulleted list' }).click();
    expect(await description.inputValue()).toBe(
      'Rotate **nodes** between subnets so no fixed group can collude.\n\n- less collusion',
    );
    await page.getByLabel('Tags (optional)').fill('Security #node-shuffling');
    await page.getByText('Saved as #security #node-shuffling').waitFor();
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.locator('.preview strong', { hasText: 'nodes' }).waitFor();
    await page.getByRole('tab', { name: 'Write' }).click();
    await page.getByRole('button', { name: 'Submit proposal' }).click();

    await page.getByRole('heading', { name: proposalTitle, level: 1 }).waitFor();
    expect(page.url()).toMatch(/\/proposals\/\d+$/);
    shared.proposalPath = new URL(page.url()).pathname;
    await screenshot(page, 'journey-proposal-submitted');
  });

  it('supports the proposal: it starts with its author’s support, which he can withdraw', async () => {
    const { page } = frank;
    const own = page.getByRole('button', { name: 'Support (1)', pressed: true });
    await own.waitFor();
    await own.click();
    const withdrawn = page.getByRole('button', { name: 'Support (0)' });
    await withdrawn.waitFor();
    expect(await withdrawn.getAttribute('aria-pressed')).toBe('false');
    await settled(page);
    await page.getByRole('button', { name: 'Support (0)' }).click();
    const support = page.getByRole('button', { name: 'Support (1)' });
    await support.waitFor();
    expect(await support.getAttribute('aria-pressed')).toBe('true');
    // Still there after the server's answer replaced the optimistic tally.
    await settled(page);
    expect(
      await page.getByRole('button', { name: 'Support (1)' }).getAttribute('aria-pressed'),
    ).toBe('true');
  });

  it('comments and replies in the thread', async () => {
    const { page } = frank;
    await page.getByLabel('Add a comment').fill('Would this also **rotate** boundary nodes?');
    await page.getByRole('button', { name: 'Post comment' }).click();
    const comment = page.locator('li.comment', {
      hasText: 'Would this also rotate boundary nodes?',
    });
    await comment.waitFor();

    await comment.getByRole('button', { name: 'Reply' }).first().click();
    await page.getByLabel('Your reply').fill('Answering myself: only replica nodes.');
    await page.getByRole('button', { name: 'Post reply' }).click();
    const reply = comment.locator('ol.replies li.comment', {
      hasText: 'Answering myself: only replica nodes.',
    });
    await reply.waitFor();
    await screenshot(page, 'journey-thread');
  });

  it('edits a comment with its history kept, and deletes a reply after the undo window', async () => {
    const { page } = frank;
    const comment = page.locator('li.comment', {
      hasText: 'Would this also rotate boundary nodes?',
    });
    await comment.getByRole('button', { name: 'Edit' }).first().click();
    await page.getByLabel('Edit comment').fill('Would this also rotate API boundary nodes?');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const edited = page.locator('li.comment', {
      hasText: 'Would this also rotate API boundary nodes?',
    });
    await edited.waitFor();
    await edited.getByRole('button', { name: 'edited' }).first().click();
    await edited.getByText('Earlier versions').waitFor();
    await edited.getByText('Would this also rotate boundary nodes?').waitFor();

    const reply = page.locator('ol.replies li.comment', {
      hasText: 'Answering myself: only replica nodes.',
    });
    await reply.getByRole('button', { name: 'Delete' }).click();
    // Out of view at once; the delete is sent when the undo window ends.
    const undo = page.getByRole('button', { name: 'Undo' });
    await undo.waitFor();
    expect(await page.getByText('Answering myself: only replica nodes.').count()).toBe(0);
    await undo.waitFor({ state: 'detached', timeout: 15_000 });
    await settled(page);
    await page.reload();
    await page.getByRole('heading', { name: proposalTitle, level: 1 }).waitFor();
    await settled(page);
    expect(await page.getByText('Answering myself: only replica nodes.').count()).toBe(0);
  });

  it('edits the proposal while it is Open, keeping the earlier version', async () => {
    const { page } = frank;
    await page.getByRole('button', { name: 'Edit', exact: true }).first().click();
    await page.getByLabel('Title', { exact: true }).fill(`${proposalTitle} (v2)`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: `${proposalTitle} (v2)`, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Show edit history (1)' }).click();
    await page.getByRole('heading', { name: proposalTitle, exact: true, level: 3 }).waitFor();
    // Restore the title the later steps look for.
    await page.getByRole('button', { name: 'Edit', exact: true }).first().click();
    await page.getByLabel('Title', { exact: true }).fill(proposalTitle);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: proposalTitle, exact: true, level: 1 }).waitFor();
  });

  it('spends priority credits on a roadmap item, seeing the n² cost first', async () => {
    const { page } = frank;
    await page.getByRole('link', { name: 'Roadmap', exact: true }).click();
    await page.getByRole('button', { name: 'Future' }).click();
    const item = page.locator('a.item-title').first();
    shared.itemTitle = (await item.textContent()) ?? '';
    await item.click();
    await page.getByRole('heading', { name: shared.itemTitle, level: 1 }).waitFor();
    shared.itemPath = new URL(page.url()).pathname;

    await page.getByText('You have 100 of 100 credits left.', { exact: false }).waitFor();
    const more = page.getByRole('button', { name: 'One vote more' });
    await more.click();
    await more.click();
    await more.click();
    await page.getByText('3 votes cost 3² = 9 credits. You would have 91 credits left.').waitFor();
    await page.getByRole('button', { name: 'Commit 3 votes' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByText('You have 91 of 100 credits left.', { exact: false }).waitFor();
    await screenshot(page, 'journey-priority-votes');
  });

  it('signs out', async () => {
    await signOut(frank);
    expect(await frank.page.locator('.account-name').count()).toBe(0);
  });
});

describe('a second member', () => {
  it('sees the first member’s tallies and thread, and adds their own vote', async () => {
    const grace = await person(`grace-${run}`);
    await signIn(grace);
    const { page } = grace;
    await go(page, appUrl, shared.proposalPath);
    await page.getByRole('heading', { name: proposalTitle, level: 1 }).waitFor();
    const support = page.getByRole('button', { name: 'Support (1)' });
    await support.waitFor();
    expect(await support.getAttribute('aria-pressed')).toBe('false');
    // The first member's edited comment; the reply they deleted had no replies, so it is gone
    // rather than left as a tombstone.
    await page.getByText('Would this also rotate API boundary nodes?').waitFor();
    await settled(page);
    expect(await page.getByText('Answering myself: only replica nodes.').count()).toBe(0);
    expect(await page.getByText('This comment was deleted.').count()).toBe(0);

    await page.getByRole('button', { name: 'Oppose (0)' }).click();
    await page.getByRole('button', { name: 'Oppose (1)' }).waitFor();

    await go(page, appUrl, shared.itemPath);
    await page.getByRole('heading', { name: shared.itemTitle, level: 1 }).waitFor();
    const priority = page.locator('.big-number');
    await expect
      .poll(async () => Number.parseInt((await priority.textContent()) ?? '0', 10))
      .toBeGreaterThanOrEqual(3);
  });
});

describe('the maintainer', () => {
  it('marks the proposal Planned with an official response', async () => {
    const admin = await person('admin');
    await signIn(admin);
    const { page } = admin;
    await page.getByRole('link', { name: 'Admin', exact: true }).waitFor();
    await go(page, appUrl, shared.proposalPath);
    await page.getByRole('heading', { name: proposalTitle, level: 1 }).waitFor();
    await page.getByText('Set status (admin)').click();
    await page.getByLabel('New status').selectOption('Planned');
    await page.getByLabel('Roadmap item').selectOption({ label: shared.itemTitle });
    await page
      .getByLabel('Official response (optional, markdown)')
      .fill('Planned for the next milestone.');
    await page.getByRole('button', { name: 'Set status' }).click();
    await page.getByRole('heading', { name: 'Official response' }).waitFor();
    await page.locator('.detail-head .badge', { hasText: 'Planned' }).waitFor();
    await screenshot(page, 'journey-admin-planned');

    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Activity log' }).click();
    // The log names the proposal by its title.
    await page
      .locator('.activity li', { hasText: `set proposal “${proposalTitle}” to Planned` })
      .first()
      .waitFor();
  });

  it('members see the proposal as Planned, linked to the roadmap item', async () => {
    const visitor = await person(`frank-${run}`);
    await signIn(visitor);
    const { page } = visitor;
    await go(page, appUrl, shared.proposalPath);
    await page.getByText('Planned as roadmap item').waitFor();
    await page.getByRole('link', { name: shared.itemTitle }).waitFor();
    await page.getByText('Planned for the next milestone.').waitFor();

    await go(page, appUrl, '/proposals?status=Planned');
    await page.getByRole('link', { name: proposalTitle }).waitFor();
  });
});

describe('the whole journey', () => {
  it('logged no console errors in any browser', () => {
    const errors = people.flatMap((p) => p.consoleErrors);
    expect(errors).toEqual([]);
  });
});
