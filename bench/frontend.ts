/**
 * Frontend budgets: the gzipped JavaScript that index.html loads before the app can render,
 * and the time from navigation to the first roadmap theme heading in headless Chromium.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

export interface Chunk {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface BundleReport {
  chunks: Chunk[];
  totalGzip: number;
  totalRaw: number;
  css: Chunk[];
}

function assetPath(distDir: string, href: string): string {
  return join(distDir, href.replace(/^\//, '').split('?')[0]!);
}

function sizeOf(distDir: string, href: string): Chunk {
  const data = readFileSync(assetPath(distDir, href));
  // Level 9 is what static hosts and the IC asset canister's pre-compressed encodings use.
  return { file: href, bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length };
}

/**
 * Eager JS = module scripts in index.html plus their modulepreload links; chunks loaded
 * later with dynamic import() are not part of the first render.
 */
export function measureBundle(distDir: string): BundleReport {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const hrefs = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)) {
    hrefs.add(m[1]!);
  }
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)) {
    hrefs.add(m[1]!);
  }
  const css = [...html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)]
    .map((m) => m[1]!)
    .filter((href) => existsSync(assetPath(distDir, href)))
    .map((href) => sizeOf(distDir, href));
  const chunks = [...hrefs].map((href) => sizeOf(distDir, href));
  return {
    chunks,
    css,
    totalGzip: chunks.reduce((sum, c) => sum + c.gzipBytes, 0),
    totalRaw: chunks.reduce((sum, c) => sum + c.bytes, 0),
  };
}

export interface VisibleReport {
  /** A fresh browser context per load: empty HTTP cache, as on a first visit. */
  coldMs: number[];
  /** Reloads in one context: the browser cache holds the assets. */
  warmMs: number[];
}

const HEADING = 'section.theme h2';

export async function measureRoadmapVisible(appUrl: string, loads: number): Promise<VisibleReport> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const coldMs: number[] = [];
    const warmMs: number[] = [];
    // One unrecorded load first: the gateway's first request warms its caches.
    {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(appUrl, { waitUntil: 'commit' });
      await page.locator(HEADING).first().waitFor({ state: 'visible', timeout: 60_000 });
      await context.close();
    }
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      let started = performance.now();
      await page.goto(appUrl, { waitUntil: 'commit' });
      await page.locator(HEADING).first().waitFor({ state: 'visible', timeout: 60_000 });
      coldMs.push(performance.now() - started);
      started = performance.now();
      await page.goto(appUrl, { waitUntil: 'commit' });
      await page.locator(HEADING).first().waitFor({ state: 'visible', timeout: 60_000 });
      warmMs.push(performance.now() - started);
      await context.close();
    }
    return { coldMs, warmMs };
  } finally {
    await browser.close();
  }
}
