import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const html = readFileSync(join(process.cwd(), 'src/frontend/index.html'), 'utf8');
const meta = (attr: 'name' | 'property', key: string) =>
  new RegExp(`<meta\\s+${attr}="${key}"\\s+content="([^"]+)"`).exec(html.replace(/\s+/g, ' '))?.[1];

describe('index.html as a link preview reads it', () => {
  it('names the board and says what it is, for crawlers that run no JavaScript', () => {
    expect(meta('property', 'og:site_name')).toBe('Roadmap Commons');
    expect(meta('property', 'og:title')).toBe('Roadmap Commons');
    expect(meta('property', 'og:description')).toMatch(/roadmap/);
    expect(meta('name', 'twitter:card')).toBe('summary');
  });
});
