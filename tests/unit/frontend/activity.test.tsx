import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { activityEntry } from '../../../src/frontend/src/api/convert';
import { Principal } from '@dfinity/principal';
import { ActivityLog } from '../../../src/frontend/src/components/ActivityLog';
import { Providers, sampleRoadmap, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  getActivity: vi.fn(),
  getComment: vi.fn(),
  getProfile: vi.fn(),
  getRoadmap: vi.fn(),
  getProposal: vi.fn(),
}));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));

const admin = Principal.fromText('aaaaa-aa');

describe('activity log', () => {
  it('names members, roadmap entries and proposals instead of principals, slugs and numbers', async () => {
    api.getActivity.mockResolvedValue({
      entries: [
        activityEntry({
          id: 2n,
          at: 0n,
          actor: admin,
          kind: { ProposalStatusChanged: { proposalId: 4n, status: { Done: null } } },
        }),
        activityEntry({
          id: 1n,
          at: 0n,
          actor: admin,
          kind: { ItemUpserted: { itemId: 1n, slug: 'simd', status: { Deployed: null } } },
        }),
      ],
      nextCursor: undefined,
    });
    api.getProfile.mockResolvedValue({ displayName: 'Maintainer Mia' });
    api.getRoadmap.mockResolvedValue(sampleRoadmap());
    api.getProposal.mockResolvedValue({ id: '4', title: 'Node shuffling' });
    render(
      <Providers client={testQueryClient()}>
        <ActivityLog />
      </Providers>,
    );
    // Titles sit in <bdi> inside their quotes, so they are found by the links' names.
    await screen.findByRole('link', { name: '“Node shuffling”' });
    await screen.findByRole('link', { name: '“Deterministic WebAssembly SIMD”' });
    const lines = screen.getAllByRole('listitem').map((li) => li.textContent?.split(' · ')[0]);
    expect(lines).toEqual([
      'Maintainer Mia set proposal “Node shuffling” to Done',
      'Maintainer Mia updated item “Deterministic WebAssembly SIMD” (Deployed)',
    ]);
    expect(screen.getByRole('link', { name: '“Node shuffling”' }).getAttribute('href')).toBe(
      '/proposals/4',
    );
  });
});

describe('moderation in the activity log', () => {
  const at = (kind: Parameters<typeof activityEntry>[0]['kind']) =>
    activityEntry({ id: 9n, at: 0n, actor: admin, kind });
  const member = Principal.fromText('2vxsx-fae');

  it('says what a moderator did, to what, and why', () => {
    expect(at({ ContentHidden: { target: { Proposal: 7n }, reason: 'spam' } })).toMatchObject({
      summary: 'hid proposal #7 (reason: spam)',
      link: '/proposals/7',
    });
    expect(at({ ContentAutoHidden: { target: { Comment: 3n }, reports: 3 } }).summary).toBe(
      'hid, pending review, comment #3 after 3 reports',
    );
    expect(
      at({ MemberSuspended: { member, until: [1_800_000_000_000_000_000n], reason: 'abuse' } }),
    ).toMatchObject({
      summary: `suspended ${member.toText()} until 2027-01-15 (reason: abuse)`,
      link: `/members/${member.toText()}`,
    });
    expect(
      at({ ReportsDismissed: { target: { Member: member }, reports: 1, reason: 'no abuse' } })
        .summary,
    ).toBe(`dismissed reports on ${member.toText()} (1 report; reason: no abuse)`);
  });

  it('links a moderated comment to its place in its thread, and names no one for an automatic hide', async () => {
    api.getActivity.mockResolvedValue({
      entries: [
        at({ ContentHidden: { target: { Comment: 12n }, reason: 'spam links' } }),
        activityEntry({
          id: 8n,
          at: 0n,
          actor: Principal.anonymous(),
          kind: { ContentAutoHidden: { target: { Comment: 12n }, reports: 3 } },
        }),
      ],
      nextCursor: undefined,
    });
    api.getProfile.mockResolvedValue({ displayName: 'Moderator Mo' });
    api.getComment.mockResolvedValue({ id: '12', target: { kind: 'Proposal', id: '3' } });
    render(
      <Providers client={testQueryClient()}>
        <ActivityLog />
      </Providers>,
    );
    await screen.findAllByRole('link', { name: 'comment #12' });
    await screen.findByText('Moderator Mo');
    const lines = screen.getAllByRole('listitem').map((li) => li.textContent?.split(' · ')[0]);
    expect(lines).toEqual([
      'Moderator Mo hid comment #12 (reason: spam links)',
      'Members’ reports hid, pending review, comment #12 after 3 reports',
    ]);
    for (const link of screen.getAllByRole('link', { name: 'comment #12' })) {
      expect(link.getAttribute('href')).toBe('/proposals/3#comment-12');
    }
  });
});
