import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const RESULTS_DIR = 'test-results';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A person using the app in their own browser profile, with every console error recorded. */
export interface Person {
  context: BrowserContext;
  page: Page;
  consoleErrors: string[];
}

export async function openApp(
  browser: Browser,
  appUrl: string,
  options: { devUser?: string; width?: number; height?: number } = {},
): Promise<Person> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  // `?devUser=` makes sign-in ask the localnet II stand-in for `?autoUser=` (localnet only).
  const url = new URL(appUrl);
  if (options.devUser) url.searchParams.set('devUser', options.devUser);
  await page.goto(url.toString());
  await page.getByRole('heading', { name: 'Roadmap', level: 1 }).waitFor();
  return { context, page, consoleErrors };
}

/** A journey file's people: a browser page each, at a width, signed in or not. */
export interface Journey {
  /** A short tag unique to this run, for names and titles the journey creates. */
  run: string;
  /** Everyone opened so far (their console errors are checked at the end). */
  people: Person[];
  /** Opens the app as `devUser` (or a visitor) at `width` px (a phone's 780 px tall below 500). */
  person(devUser?: string, width?: number): Promise<Person>;
  /** A new member named after `name`, the run and the width, signed in. */
  member(name: string, width: number): Promise<Person>;
  /**
   * A member named after `name` and the run, signed in at 1,280 px and made a moderator by the
   * maintainer through the Roles section of the admin page.
   */
  moderator(name: string): Promise<Person>;
}

/**
 * Registers the hooks of a journey file: Chromium is launched before its tests and closed
 * after them, and a failed test leaves a picture of every open page behind, to see what each
 * person saw. Hooks registered here run before the file's own `beforeAll`.
 */
export function journey(appUrl: string): Journey {
  let browser: Browser | undefined;
  const people: Person[] = [];
  const run = Date.now().toString(36).slice(-5);
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    const slug = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await Promise.all(
      people.map((p, i) =>
        p.page.isClosed()
          ? undefined
          : screenshot(p.page, `failed-${slug}-${i}`).catch(() => undefined),
      ),
    );
  });
  const person = async (devUser?: string, width = 1280): Promise<Person> => {
    if (browser === undefined) throw new Error('the browser starts in beforeAll');
    const size = { width, height: width < 500 ? 780 : 900 };
    const p = await openApp(browser, appUrl, devUser ? { ...size, devUser } : size);
    people.push(p);
    return p;
  };
  const member = async (name: string, width: number): Promise<Person> => {
    const p = await person(`${name}-${run}-${width}`, width);
    await signIn(p);
    return p;
  };
  const moderator = async (name: string): Promise<Person> => {
    const p = await person(`${name}-${run}`, 1280);
    await signIn(p);
    const principal = await principalOf(p.page);
    if (principal === '') throw new Error('the signed-in member has no link to their page');
    const admin = await person('admin', 1280);
    await signIn(admin);
    await go(admin.page, appUrl, '/admin?tab=roles');
    await admin.page.getByLabel('Principal', { exact: true }).fill(principal);
    await admin.page.getByLabel('Role', { exact: true }).selectOption('Moderator');
    await admin.page.getByRole('button', { name: 'Set role' }).click();
    await admin.page.getByText('Role updated.').waitFor();
    await admin.context.close();
    await p.page.reload();
    await p.page.getByRole('link', { name: 'Moderation', exact: true }).waitFor();
    return p;
  };
  return { run, people, person, member, moderator };
}

/** The principal of the signed-in person, from the link to their own page. */
export async function principalOf(page: Page): Promise<string> {
  const href = (await page.locator('.account-name').getAttribute('href')) ?? '';
  return href.replace('/members/', '');
}

export async function signIn(person: Person): Promise<void> {
  const { page } = person;
  await page.getByRole('button', { name: 'Sign in', exact: true }).first().click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 30_000 });
}

export async function signOut(person: Person): Promise<void> {
  await person.page.getByRole('button', { name: 'Sign out' }).click();
  await person.page.getByRole('button', { name: 'Sign in', exact: true }).first().waitFor();
}

/** Navigates inside the single-page app the way a person would: through a link. */
export async function go(page: Page, appUrl: string, path: string): Promise<void> {
  await page.goto(new URL(path, appUrl).toString());
}

/** Waits until the network is quiet and no loading indicator is left on the page. */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => document.querySelector('.loading') === null, undefined, {
    timeout: 30_000,
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), fullPage: true });
}

/** Serious and critical axe violations on the current page (WCAG 2.x A and AA rules). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
}

/**
 * How far the page scrolls sideways (0 when it fits the viewport), and the element that sticks
 * out furthest, so a failure says what to fix. Parts of an element that an ancestor clips or
 * scrolls (the phone nav, the sort tabs, an ellipsised name) do not widen the page and are not
 * named; the element is named with its two nearest ancestors.
 */
export function sidewaysOverflow(page: Page): Promise<{ overflow: number; widest: string }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const name = (el: Element) => {
      const classes = Array.from(el.classList, (c) => `.${c}`).join('');
      return `${el.tagName.toLowerCase()}${classes}`;
    };
    let widest = '';
    let right = root.clientWidth;
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      let visibleRight = el.getBoundingClientRect().right;
      if (visibleRight <= right + 0.5) continue;
      for (let up = el.parentElement; up && up !== root; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== 'visible') {
          visibleRight = Math.min(visibleRight, up.getBoundingClientRect().right);
        }
      }
      if (visibleRight > right + 0.5) {
        right = visibleRight;
        const path = [el.parentElement?.parentElement, el.parentElement, el]
          .filter((e): e is Element => e != null && e !== document.body)
          .map(name)
          .join(' > ');
        const text = (el.textContent ?? '').trim().slice(0, 40);
        widest = `${path} "${text}" ends at ${Math.round(visibleRight)} px (${Math.round(el.getBoundingClientRect().width)} px wide)`;
      }
    }
    return { overflow: root.scrollWidth - root.clientWidth, widest };
  });
}

/** What a person relying on the page needs: no serious axe findings, no sideways scrolling. */
export async function expectUsable(page: Page, what: string): Promise<void> {
  expect(await seriousViolations(page), what).toEqual([]);
  const { overflow, widest } = await sidewaysOverflow(page);
  expect(overflow, `${what} scrolls sideways; widest: ${widest}`).toBeLessThanOrEqual(0);
}

export function writeResult(name: string, text: string): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, name), text);
}

export function gzipSize(body: Buffer): number {
  return gzipSync(body, { level: 9 }).length;
}
