import { describe, expect, it } from 'vitest';

import { shareUrl } from '../../../src/frontend/src/api/shareUrl';

const APP = 'bd3sg-teaaa-aaaaa-qaaba-cai';
const BACKEND = 'bkyz2-fmaaa-aaaaa-qaaaq-cai';

describe('the address a shared link has', () => {
  it("is the backend's page at the app's path, on the app's domain", () => {
    expect(shareUrl(new URL(`https://${APP}.icp0.io/proposals/12?sort=Top`), BACKEND)).toBe(
      `https://${BACKEND}.icp0.io/proposals/12`,
    );
    expect(shareUrl(new URL(`http://${APP}.localhost:4943/roadmap/items/3`), BACKEND)).toBe(
      `http://${BACKEND}.localhost:4943/roadmap/items/3`,
    );
    expect(shareUrl(new URL(`https://${APP}.raw.icp0.io/proposals/1`), BACKEND)).toBe(
      `https://${BACKEND}.icp0.io/proposals/1`,
    );
  });

  it("is the backend's comment page for a comment", () => {
    expect(shareUrl(new URL(`https://${APP}.icp0.io/proposals/12`), BACKEND, 'comment-40')).toBe(
      `https://${BACKEND}.icp0.io/comments/40`,
    );
  });

  it("stays the app's own address where the backend's host cannot be named", () => {
    expect(shareUrl(new URL('https://roadmap.example.org/proposals/12'), BACKEND)).toBe(
      'https://roadmap.example.org/proposals/12',
    );
    expect(
      shareUrl(
        new URL(`http://localhost:4943/proposals/12?canisterId=${APP}`),
        BACKEND,
        'comment-4',
      ),
    ).toBe(`http://localhost:4943/proposals/12?canisterId=${APP}#comment-4`);
    expect(shareUrl(new URL(`https://${APP}.icp0.io/proposals/12`), '')).toBe(
      `https://${APP}.icp0.io/proposals/12`,
    );
  });
});
