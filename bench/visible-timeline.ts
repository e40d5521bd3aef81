/**
 * `npx tsx bench/visible-timeline.ts`: one cold load of the app on a fresh localnet, printing
 * every request with its start and end relative to navigation, to see where the time to a
 * visible roadmap goes (run.ts only reports the total).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startLocalnet } from '../src/localnet/launch/launch';

const work = mkdtempSync(join(tmpdir(), 'roadmap-visible-'));
const app = await startLocalnet({
  root: process.cwd(),
  stateDir: work,
  clean: true,
  port: 0,
  frontend: true,
  demo: true,
  metering: false,
  logMessages: false,
  log: () => {},
});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const label of ['warm-up', 'measured']) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const lines: string[] = [];
    const started = performance.now();
    const at = (): string => (performance.now() - started).toFixed(0).padStart(5);
    page.on('request', (r) => lines.push(`${at()} ms  → ${r.method()} ${r.url().slice(0, 110)}`));
    page.on('requestfinished', (r) => lines.push(`${at()} ms  ← ${r.url().slice(0, 110)}`));
    page.on('console', (m) =>
      lines.push(`${at()} ms  console.${m.type()}: ${m.text().slice(0, 110)}`),
    );
    await page.goto(app.appUrl, { waitUntil: 'commit' });
    await page.locator('section.theme h2').first().waitFor({ state: 'visible', timeout: 60_000 });
    lines.push(`${at()} ms  roadmap heading visible`);
    if (label === 'measured') console.log(lines.join('\n'));
    await context.close();
  }
} finally {
  await browser.close();
  await app.stop();
  rmSync(work, { recursive: true, force: true });
}
