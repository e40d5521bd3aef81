import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { candidMethods } from '../../../src/frontend/src/api/candidMethods';
import { openDataUrl } from '../../../src/frontend/src/api/openData';
import { appConfig } from '../../../src/frontend/src/config';
import ApiPage from '../../../src/frontend/src/pages/ApiPage';

const APP = 'bd3sg-teaaa-aaaaa-qaaba-cai';
const BACKEND = 'bkyz2-fmaaa-aaaaa-qaaaq-cai';

describe('where the open data is', () => {
  it("is on the backend's host on the app's domain", () => {
    const ic = { network: 'ic', backendCanisterId: BACKEND } as const;
    expect(openDataUrl(new URL(`https://${APP}.icp0.io/proposals/3`), ic, '/feed.atom')).toBe(
      `https://${BACKEND}.icp0.io/feed.atom`,
    );
    const localnet = { network: 'localnet', backendCanisterId: BACKEND } as const;
    expect(openDataUrl(new URL(`http://${APP}.localhost:4943/`), localnet, '/roadmap.json')).toBe(
      `http://${BACKEND}.localhost:4943/roadmap.json`,
    );
  });

  it("is the backend's icp0.io host under a custom domain, and ?canisterId= on a local gateway", () => {
    expect(
      openDataUrl(
        new URL('https://roadmap.example.org/'),
        { network: 'ic', backendCanisterId: BACKEND },
        '/feed.atom',
      ),
    ).toBe(`https://${BACKEND}.icp0.io/feed.atom`);
    expect(
      openDataUrl(
        new URL(`http://127.0.0.1:4943/?canisterId=${APP}`),
        { network: 'local', backendCanisterId: BACKEND },
        '/export',
      ),
    ).toBe(`http://127.0.0.1:4943/export?canisterId=${BACKEND}`);
  });
});

describe('the API & data page', () => {
  it('links the feed, roadmap.json and each export collection, and lists every candid method', () => {
    render(
      <MemoryRouter>
        <ApiPage />
      </MemoryRouter>,
    );
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('API & data');
    expect(document.title).toBe('API & data · Roadmap Commons');
    const href = (name: string) => screen.getByRole('link', { name }).getAttribute('href');
    const at = (path: string) => openDataUrl(new URL(window.location.href), appConfig(), path);
    expect(href('Newest proposals')).toBe(at('/feed.atom'));
    expect(href('roadmap.json')).toBe(at('/roadmap.json'));
    for (const name of ['proposals', 'revisions', 'comments', 'activity']) {
      expect(href(name)).toBe(at(`/export/${name}.ndjson`));
    }

    const methods = candidMethods();
    expect(methods.map((m) => m.name)).toContain('voteProposal');
    expect(methods.map((m) => m.name)).toContain('http_request_update');
    const section = screen.getByRole('region', { name: 'The candid interface' });
    expect(within(section).getAllByRole('listitem')).toHaveLength(methods.length);
    expect(within(section).getByText(/^voteProposal : \(nat64, opt variant/)).toBeTruthy();
  });
});
