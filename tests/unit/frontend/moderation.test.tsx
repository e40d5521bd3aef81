import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CanisterError } from '../../../src/frontend/src/api/errors';
import type {
  Comment,
  Me,
  ModerationSettings,
  ReportGroup,
} from '../../../src/frontend/src/api/models';
import { LiveRegion } from '../../../src/frontend/src/components/LiveRegion';
import ModerationPage from '../../../src/frontend/src/pages/ModerationPage';
import { Providers, testQueryClient } from './helpers';

const api = vi.hoisted(() => ({
  whoami: vi.fn(),
  listReports: vi.fn(),
  moderate: vi.fn(),
  getProfile: vi.fn(),
  getModerationSettings: vi.fn(),
  setModerationSettings: vi.fn(),
}));
const auth = vi.hoisted(() => ({ status: 'signedIn' }));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: auth.status, principal: 'mod-principal', signIn: vi.fn() }),
}));

const me = (role: Me['role']): Me => ({
  principal: 'mod-principal',
  isAnonymous: false,
  profile: undefined,
  role,
  creditBudget: 100,
  creditsLeft: 100,
});

const at = new Date('2026-11-30T12:00:00Z');

const comment: Comment = {
  id: '12',
  target: { kind: 'Proposal', id: '3' },
  parentId: undefined,
  author: 'bob-principal',
  authorName: 'Bob',
  body: 'Buy cheap cycles at example.com',
  createdAt: at,
  updatedAt: at,
  revisionCount: 0,
  deleted: false,
  depth: 0,
};

/** In the backend's order: the auto-hidden comment, then the most reported proposal, then a member. */
const groups: ReportGroup[] = [
  {
    target: { kind: 'Comment', id: '12' },
    count: 3,
    reports: [
      { reporter: 'r1', reason: 'Spam', note: 'Advert', at },
      { reporter: 'r2', reason: 'Spam', note: undefined, at },
      { reporter: 'r3', reason: 'Abuse', note: undefined, at },
    ],
    hidden: {
      reason: 'reported by 3 members; hidden until a moderator reviews it',
      at,
      by: undefined,
    },
    content: { kind: 'Comment', comment },
    firstReportedAt: at,
  },
  {
    target: { kind: 'Proposal', id: '3' },
    count: 2,
    reports: [
      { reporter: 'r1', reason: 'OffTopic', note: undefined, at },
      { reporter: 'r4', reason: 'OffTopic', note: undefined, at },
    ],
    hidden: undefined,
    content: {
      kind: 'Proposal',
      id: '3',
      author: 'dave-principal',
      authorName: 'Dave',
      title: 'Shared security through node shuffling',
      excerpt: 'Rotate nodes between subnets.',
      up: 4,
      down: 1,
    },
    firstReportedAt: at,
  },
  {
    target: { kind: 'Member', principal: 'eve-principal' },
    count: 1,
    reports: [{ reporter: 'r5', reason: 'Impersonation', note: 'Pretends to be Alice', at }],
    hidden: undefined,
    content: {
      kind: 'Member',
      member: 'eve-principal',
      profile: {
        principal: 'eve-principal',
        displayName: 'Alice N.',
        bio: '',
        joinedAt: at,
        role: 'Member',
      },
      suspension: { member: 'eve-principal', reason: 'spam', at, by: 'mod', until: undefined },
    },
    firstReportedAt: at,
  },
];

const settings: ModerationSettings = {
  autoHideReports: 3,
  upVotesPerExtraReport: 10,
  newMemberHours: 24,
  newMemberProposalsPerDay: 1,
  newMemberCommentsPerHour: 10,
  reportsPerHour: 10,
};

function renderPage() {
  return render(
    <Providers client={testQueryClient()}>
      <ModerationPage />
      <LiveRegion />
    </Providers>,
  );
}

const card = (name: string) => screen.getByRole('article', { name });

describe('moderation page', () => {
  beforeEach(() => {
    auth.status = 'signedIn';
    api.whoami.mockReset().mockResolvedValue(me('Moderator'));
    api.listReports.mockReset().mockResolvedValue({ groups, nextCursor: undefined });
    api.moderate.mockReset().mockResolvedValue(undefined);
    api.getProfile.mockReset().mockResolvedValue(null);
    api.getModerationSettings.mockReset().mockResolvedValue(settings);
    api.setModerationSettings
      .mockReset()
      .mockImplementation((s: ModerationSettings) => Promise.resolve(s));
  });

  it('is closed to members, and never asks them for the queue', async () => {
    api.whoami.mockResolvedValue(me('Member'));
    renderPage();
    await screen.findByRole('heading', { name: 'Moderators only' });
    expect(api.listReports).not.toHaveBeenCalled();
  });

  it('lists the groups in the backend’s order with count, reasons, notes and content', async () => {
    renderPage();
    await screen.findByRole('heading', { name: 'Comment #12 by Bob' });
    const headings = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(headings).toEqual(['Comment #12 by Bob', 'Proposal #3', 'Member Alice N.']);

    const spam = card('Comment #12 by Bob');
    expect(within(spam).getByText('3 reports')).toBeTruthy();
    expect(within(spam).getByText('Spam ×2 · Abuse')).toBeTruthy();
    expect(within(spam).getByText(/Hidden automatically, pending review/)).toBeTruthy();
    expect(within(spam).getByText('Buy cheap cycles at example.com')).toBeTruthy();
    expect(within(spam).getByText('Advert')).toBeTruthy();
    expect(
      within(spam)
        .getByRole('link', { name: /See it in its thread/ })
        .getAttribute('href'),
    ).toBe('/proposals/3#comment-12');
    // Auto-hidden content is confirmed with "Keep hidden" or brought back with "Restore".
    expect(within(spam).getByRole('button', { name: 'Keep hidden' })).toBeTruthy();
    expect(within(spam).getByRole('button', { name: 'Restore' })).toBeTruthy();

    const proposal = card('Proposal #3');
    expect(within(proposal).getByText('2 reports')).toBeTruthy();
    expect(within(proposal).getByText('Off-topic ×2')).toBeTruthy();
    expect(within(proposal).getByText('Shared security through node shuffling')).toBeTruthy();
    expect(within(proposal).getByRole('button', { name: 'Hide' })).toBeTruthy();
    expect(within(proposal).queryByRole('button', { name: 'Restore' })).toBeNull();

    const member = card('Member Alice N.');
    expect(within(member).getByText('Pretends to be Alice')).toBeTruthy();
    expect(within(member).getByText(/Suspended\s+until lifted/)).toBeTruthy();
    expect(within(member).getByRole('button', { name: 'Lift suspension' })).toBeTruthy();
    expect(within(member).queryByRole('button', { name: 'Hide' })).toBeNull();
  });

  it('hides only with a public reason, then calls moderate and refreshes the queue', async () => {
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole('heading', { name: 'Proposal #3' });
    const proposal = card('Proposal #3');
    await user.click(within(proposal).getByRole('button', { name: 'Hide' }));
    expect(within(proposal).getByText('Give a reason to hide it.')).toBeTruthy();
    expect(document.activeElement).toBe(within(proposal).getByLabelText('Public reason'));
    expect(api.moderate).not.toHaveBeenCalled();

    api.listReports.mockResolvedValue({ groups: [groups[0], groups[2]], nextCursor: undefined });
    await user.type(within(proposal).getByLabelText('Public reason'), 'Off-topic: fees');
    await user.click(within(proposal).getByRole('button', { name: 'Hide' }));
    await waitFor(() =>
      expect(api.moderate).toHaveBeenCalledWith(
        { kind: 'Hide', target: { kind: 'Proposal', id: '3' } },
        'Off-topic: fees',
      ),
    );
    await screen.findByText('Proposal #3 hidden.', { selector: '.notice' });
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Proposal #3' })).toBeNull());
    expect(api.listReports).toHaveBeenCalledTimes(2);
  });

  it('dismisses reports without a reason, and suspends the author for the chosen days', async () => {
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole('heading', { name: 'Comment #12 by Bob' });
    const spam = card('Comment #12 by Bob');
    await user.click(within(spam).getByRole('button', { name: 'Dismiss reports' }));
    await waitFor(() =>
      expect(api.moderate).toHaveBeenCalledWith(
        { kind: 'Dismiss', target: { kind: 'Comment', id: '12' } },
        '',
      ),
    );

    await user.selectOptions(within(spam).getByLabelText('Suspend the author (Bob)'), '30 days');
    await user.type(within(spam).getByLabelText('Public reason'), 'Spam links');
    await user.click(within(spam).getByRole('button', { name: 'Suspend' }));
    await waitFor(() =>
      expect(api.moderate).toHaveBeenLastCalledWith(
        { kind: 'Suspend', member: 'bob-principal', days: 30 },
        'Spam links',
      ),
    );
    await screen.findByText('The author (Bob) suspended for 30 days.', { selector: '.notice' });

    const member = card('Member Alice N.');
    await user.selectOptions(within(member).getByLabelText('Suspend Alice N.'), 'Until lifted');
    await user.type(within(member).getByLabelText('Public reason'), 'Impersonation');
    await user.click(within(member).getByRole('button', { name: 'Suspend' }));
    await waitFor(() =>
      expect(api.moderate).toHaveBeenLastCalledWith(
        { kind: 'Suspend', member: 'eve-principal', days: undefined },
        'Impersonation',
      ),
    );
  });

  it('shows the backend’s refusal plainly', async () => {
    api.moderate.mockRejectedValue(
      new CanisterError({ kind: 'Forbidden', reason: 'moderators and admins cannot be suspended' }),
    );
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole('heading', { name: 'Member Alice N.' });
    const member = card('Member Alice N.');
    await user.type(within(member).getByLabelText('Public reason'), 'Impersonation');
    await user.click(within(member).getByRole('button', { name: 'Suspend' }));
    expect((await within(member).findByRole('alert')).textContent).toBe(
      'Moderators and admins cannot be suspended.',
    );
  });

  it('says so when nothing is reported', async () => {
    api.listReports.mockResolvedValue({ groups: [], nextCursor: undefined });
    renderPage();
    await screen.findByText('No open reports. Nothing waits for a decision.');
  });

  it('lets admins, and only admins, change the moderation settings', async () => {
    const { unmount } = renderPage();
    await screen.findByRole('heading', { name: 'Open reports' });
    expect(screen.queryByRole('heading', { name: 'Moderation settings' })).toBeNull();
    unmount();

    api.whoami.mockResolvedValue(me('Admin'));
    const user = userEvent.setup();
    renderPage();
    const field = await screen.findByLabelText('Reports that hide content until reviewed');
    await user.clear(field);
    await user.type(field, '5');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.setModerationSettings).toHaveBeenCalledWith({ ...settings, autoHideReports: 5 }),
    );
    await screen.findByText('Saved.');
  });
});
