import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  go,
  gzipSize,
  launchBrowser,
  openApp,
  screenshot,
  seriousViolations,
  settled,
  signIn,
  writeResult,
  type Person,
} from './browser';

const appUrl = inject('appUrl');
const INITIAL_JS_BUDGET = 250 * 1024;

let browser: Browser;
let admin: Person;
const paths: Record<string, string> = {};

/** Finds the pages to check from the demo content, by following links like a person would. */
async function discover(page: Page) {
  await go(page, appUrl, '/');
  await settled(page);
  paths.item = (await page.locator('a.item-title').first().getAttribute('href')) ?? '';
  paths.milestone = (await page.locator('.milestone h3 a').first().getAttribute('href')) ?? '';
  paths.theme = (await page.locator('section.theme h2 a').first().getAttribute('href')) ?? '';
  await go(page, appUrl, '/proposals');
  await settled(page);
  paths.proposal = (await page.locator('.proposal-title a').first().getAttribute('href')) ?? '';
  paths.member =
    (await page.locator('.proposal-card a[href^="/members/"]').first().getAttribute('href')) ?? '';
  for (const [name, path] of Object.entries(paths)) {
    if (!path) throw new Error(`No link found for the ${name} page in the demo content`);
  }
}

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await openApp(browser, appUrl, { devUser: 'admin' });
  await signIn(admin);
  await discover(admin.page);
});

afterAll(async () => {
  await browser?.close();
});

const pages: [string, () => string][] = [
  ['roadmap', () => '/'],
  ['theme', () => paths.theme ?? ''],
  ['milestone', () => paths.milestone ?? ''],
  ['item', () => paths.item ?? ''],
  ['proposals', () => '/proposals'],
  ['proposal', () => paths.proposal ?? ''],
  ['submit', () => '/proposals/new'],
  ['profile', () => paths.member ?? ''],
  ['activity', () => '/activity'],
  ['how-it-works', () => '/how-it-works'],
  ['admin', () => '/admin'],
];

describe('every page, signed in as the admin', () => {
  for (const [name, path] of pages) {
    it(`${name}: no serious or critical axe violations; readable at 360 px`, async () => {
      const { page } = admin;
      await page.setViewportSize({ width: 1280, height: 900 });
      await go(page, appUrl, path());
      await settled(page);
      await screenshot(page, `page-${name}`);
      expect(await seriousViolations(page)).toEqual([]);

      await page.setViewportSize({ width: 360, height: 740 });
      await settled(page);
      await screenshot(page, `page-${name}-360px`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} scrolls sideways at 360 px`).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  it('logged no console errors', () => {
    expect(admin.consoleErrors).toEqual([]);
  });
});

describe('header on a phone', () => {
  it('keeps logo and account on one row and the nav on one sideways-scrolling row at 360 px', async () => {
    const { page } = admin;
    await page.setViewportSize({ width: 360, height: 740 });
    await go(page, appUrl, '/');
    await settled(page);
    const layout = await page.evaluate(() => {
      const box = (el: Element | null) => el?.getBoundingClientRect();
      const brand = box(document.querySelector('.site-header .brand'));
      const account = box(document.querySelector('.site-header .account button'));
      const nav = document.querySelector<HTMLElement>('.site-header nav');
      const links = Array.from(nav?.querySelectorAll('a') ?? []).map((a) => box(a)?.top ?? -1);
      return {
        brandMiddle: brand ? brand.top + brand.height / 2 : -1,
        accountMiddle: account ? account.top + account.height / 2 : -1,
        accountRight: account?.right ?? -1,
        navTop: box(nav)?.top ?? -1,
        brandBottom: brand?.bottom ?? -1,
        linkRows: new Set(links).size,
        links: links.length,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      };
    });
    expect(Math.abs(layout.brandMiddle - layout.accountMiddle)).toBeLessThan(8);
    expect(layout.accountRight).toBeLessThanOrEqual(360);
    expect(layout.navTop).toBeGreaterThanOrEqual(layout.brandBottom);
    expect(layout.links).toBeGreaterThanOrEqual(5);
    expect(layout.linkRows).toBe(1);
    expect(layout.overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
  });
});

describe('keyboard', () => {
  it('the skip link is the first stop and moves focus to the main content', async () => {
    const { page } = admin;
    await page.setViewportSize({ width: 1280, height: 900 });
    await go(page, appUrl, '/');
    await settled(page);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(() => Boolean(document.activeElement?.closest('main')));
    expect(inMain).toBe(true);
  });
});

describe('initial load', () => {
  it(`loads at most ${INITIAL_JS_BUDGET / 1024} KB of gzipped JavaScript for the roadmap`, async () => {
    const visitor = await browser.newContext();
    const page = await visitor.newPage();
    const scripts = new Map<string, number>();
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      void response.body().then((body) => scripts.set(response.url(), gzipSize(body)));
    });
    await page.goto(appUrl);
    await page.getByRole('heading', { name: 'Roadmap', level: 1 }).waitFor();
    await settled(page);
    const total = [...scripts.values()].reduce((a, b) => a + b, 0);
    const report = [
      `Initial JavaScript for the roadmap page: ${(total / 1024).toFixed(1)} KB gzipped (level 9) in ${scripts.size} files`,
      ...[...scripts.entries()].map(
        ([url, size]) => `  ${new URL(url).pathname}: ${(size / 1024).toFixed(1)} KB`,
      ),
    ].join('\n');
    writeResult('initial-js.txt', `${report}\n`);
    console.log(report);
    expect(scripts.size).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(INITIAL_JS_BUDGET);
    await visitor.close();
  });
});
