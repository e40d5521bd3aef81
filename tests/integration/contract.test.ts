/**
 * Every method of backend.did, called at least once on its happy path through the real
 * @dfinity/agent against the compiled backend wasm, with Ed25519, ECDSA P-256 and delegated
 * identities as well as the deployer (a controller) and the II stand-in's dev user `admin`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Actor, AnonymousIdentity, HttpAgent, type Identity } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Item,
  Milestone,
  Proposal,
  SearchRequest,
  Theme,
} from '../../src/declarations/backend';
import { LocalnetCreateNeuron, LocalnetResult } from '../../src/localnet/system/governance-candid';
import { NNS_GOVERNANCE_ID } from '../../src/localnet/system/ids';
import {
  ROOT,
  delegated,
  ed25519,
  err,
  ok,
  p256,
  startTestNet,
  uniqueName,
  type Backend,
  type TestNet,
} from './harness';

let net: TestNet;
/** Method names the tests called, collected by `tracked` actors. */
const called = new Set<string>();

/** An actor that records which backend methods the tests call. */
async function tracked(identity?: Identity): Promise<Backend> {
  const actor = await net.actor(identity);
  return new Proxy(actor, {
    get(target, property, receiver) {
      if (typeof property === 'string') called.add(property);
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

/** A public neuron in localnet's NNS governance stand-in with `hotKey` as a hot key. */
async function standInNeuron(hotKey: Principal): Promise<bigint> {
  const agent = await HttpAgent.create({ host: net.localnet.apiUrl, shouldFetchRootKey: true });
  const governance = Actor.createActor<{
    localnet_create_neuron: (arg: unknown) => Promise<{ Ok: bigint } | { Err: string }>;
  }>(
    ({ IDL: I }) =>
      I.Service({ localnet_create_neuron: I.Func([LocalnetCreateNeuron], [LocalnetResult], []) }),
    { agent, canisterId: NNS_GOVERNANCE_ID },
  );
  const created = await governance.localnet_create_neuron({
    controller: Principal.anonymous(),
    hot_keys: [hotKey],
    public: true,
    stake_e8s: 10_000_000_000n,
    dissolve_delay_seconds: 31_557_600n,
  });
  if ('Err' in created) throw new Error(created.Err);
  return created.Ok;
}

function didMethods(): string[] {
  const did = readFileSync(join(ROOT, 'src', 'backend', 'backend.did'), 'utf8');
  const service = did.slice(did.indexOf('service'));
  return [...service.matchAll(/^\s+(\w+)\s*:\s*\(/gm)].map((m) => m[1]!).sort();
}

let admin: Backend;
let visitor: Backend;

beforeAll(async () => {
  net = await startTestNet();
  admin = await tracked(net.deployer);
  visitor = await tracked(new AnonymousIdentity());
});

afterAll(async () => {
  await net?.dispose();
});

describe('reading as a visitor', () => {
  it('whoami tells the anonymous principal it is anonymous, a member without profile', async () => {
    const me = await visitor.whoami();
    expect(me.principal.toText()).toBe(Principal.anonymous().toText());
    expect(me.isAnonymous).toBe(true);
    expect(me.role).toEqual({ Member: null });
    expect(me.profile).toEqual([]);
  });

  it('getRoadmap returns the seeded roadmap of data/roadmap.json in file order', async () => {
    const roadmap = await visitor.getRoadmap();
    const slugs = roadmap.themes.map((node) => node.theme.slug);
    expect(slugs.slice(0, 4)).toEqual([
      'decentralized-ai',
      'chain-fusion',
      'privacy',
      'core-protocol',
    ]);
    const ai = roadmap.themes[0]!;
    expect(ai.milestones.map((m) => m.milestone.slug)).toEqual(['cyclotron', 'gyrotron']);
    const gyrotron = ai.milestones[1]!;
    expect(gyrotron.milestone.status).toEqual({ Future: null });
    expect(gyrotron.items.map((i) => i.slug)).toContain('gpu-node-specification');
  });

  it('getSettings returns the defaults of DESIGN.md §3', async () => {
    expect(await visitor.getSettings()).toEqual({
      creditBudget: 100,
      proposalsPerDay: 5,
      commentsPerHour: 30,
      votesPerHour: 300,
      profileEditsPerHour: 10,
    });
  });

  it('getItem returns an item with its milestone and theme', async () => {
    const roadmap = await visitor.getRoadmap();
    const item = roadmap.themes[0]!.milestones[1]!.items[1]!;
    const [detail] = await visitor.getItem(item.id);
    expect(detail?.item.slug).toBe(item.slug);
    expect(detail?.milestone.slug).toBe('gyrotron');
    expect(detail?.theme.slug).toBe('decentralized-ai');
    expect(detail?.myVotes).toBe(0);
    expect(await visitor.getItem(999_999n)).toEqual([]);
  });
});

describe.each([
  ['Ed25519', () => Promise.resolve<Identity>(ed25519())],
  ['ECDSA P-256', () => p256()],
  ['a delegation chain (Internet Identity)', () => delegated()],
])('a member signed in with %s', (_kind, makeIdentity) => {
  let identity: Identity;
  let actor: Backend;
  let proposal: Proposal;

  beforeAll(async () => {
    identity = await makeIdentity();
    actor = await tracked(identity);
  });

  it('is known by its principal, and by its profile after setProfile', async () => {
    const before = await actor.whoami();
    expect(before.principal.toText()).toBe(identity.getPrincipal().toText());
    expect(before.isAnonymous).toBe(false);
    expect(before.creditsLeft).toBe(100);

    const displayName = uniqueName('m');
    const profile = ok(await actor.setProfile({ displayName, bio: '  Builds on ICP.  ' }));
    expect(profile.displayName).toBe(displayName);
    expect(profile.bio).toBe('Builds on ICP.');
    expect(profile.role).toEqual({ Member: null });

    const [read] = await visitor.getProfile(identity.getPrincipal());
    expect(read?.displayName).toBe(displayName);
    expect((await actor.whoami()).profile[0]?.displayName).toBe(displayName);
  });

  it('submits a proposal that everyone can read back', async () => {
    proposal = ok(
      await actor.submitProposal({
        title: '  Shared security through node shuffling ',
        body: 'Rotate nodes between subnets so no fixed set of operators can collude.',
        tags: ['security', 'nodes'],
        themeId: [],
      }),
    );
    expect(proposal.title).toBe('Shared security through node shuffling');
    expect(proposal.status).toEqual({ Open: null });
    expect(proposal.author.toText()).toBe(identity.getPrincipal().toText());

    const [detail] = await visitor.getProposal(proposal.id);
    expect(detail?.proposal).toEqual(proposal);
    expect(detail?.authorName.length).toBe(1);
  });

  it('votes on its proposal; the tally and myVote follow', async () => {
    const tally = ok(await actor.voteProposal(proposal.id, [{ Up: null }]));
    expect(tally).toEqual({ proposalId: proposal.id, up: 1, down: 0, myVote: [{ Up: null }] });
    const [mine] = await actor.getProposal(proposal.id);
    expect(mine?.myVote).toEqual([{ Up: null }]);
    const [theirs] = await visitor.getProposal(proposal.id);
    expect(theirs?.myVote).toEqual([]);
    expect(theirs?.proposal.up).toBe(1);
  });
});

describe('the rest of a member journey', () => {
  let alice: Backend;
  let alicePrincipal: Principal;
  let bob: Backend;
  let proposal: Proposal;

  beforeAll(async () => {
    const aliceIdentity = await p256();
    alicePrincipal = aliceIdentity.getPrincipal();
    alice = await tracked(aliceIdentity);
    bob = await tracked(await delegated());
    ok(await alice.setProfile({ displayName: uniqueName('alice'), bio: '' }));
    proposal = ok(
      await alice.submitProposal({
        title: 'Subnets as optimistic rollups',
        body: 'First version.',
        tags: ['scaling'],
        themeId: [],
      }),
    );
  });

  it('editProposal keeps the earlier version in getProposalHistory', async () => {
    const edited = ok(
      await alice.editProposal(proposal.id, {
        title: 'Subnets as optimistic rollups (v2)',
        body: 'Second version.',
        tags: ['scaling', 'rollups'],
        themeId: [],
      }),
    );
    expect(edited.title).toBe('Subnets as optimistic rollups (v2)');
    expect(edited.revisionCount).toBe(1);
    const history = await visitor.getProposalHistory(proposal.id, [], 10);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      title: 'Subnets as optimistic rollups',
      body: 'First version.',
      tags: ['scaling'],
    });
  });

  it('listProposals shows the proposal with the caller’s vote and the author filter', async () => {
    ok(await bob.voteProposal(proposal.id, [{ Down: null }]));
    const page = await bob.listProposals({
      needsResponse: [],
      sort: { New: null },
      cursor: [],
      limit: 10,
      status: [],
      tag: [],
      themeId: [],
      author: [alicePrincipal],
    });
    expect(page.proposals.map((p) => p.id)).toEqual([proposal.id]);
    expect(page.proposals[0]).toMatchObject({ down: 1, myVote: [{ Down: null }] });
    expect(page.nextCursor).toEqual([]);
  });

  it('searchProposals finds the proposal by a stem of its title; similarProposals offers it', async () => {
    // A follow-up timer message indexes new and edited proposals, a round later.
    const request: SearchRequest = { query: 'rollup', status: [], cursor: [], limit: [10] };
    const deadline = Date.now() + 10_000;
    let page = ok(await bob.searchProposals(request));
    while (page.pending > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      page = ok(await bob.searchProposals(request));
    }
    expect(page.proposals.map((p) => p.id)).toEqual([proposal.id]);
    expect(page.proposals[0]).toMatchObject({ title: 'Subnets as optimistic rollups (v2)' });
    const similar = await alice.similarProposals({ title: 'Optimistic rollups', body: [] });
    expect(similar.map((p) => p.id)).toEqual([proposal.id]);
  });

  it('comments, replies, edits and deletes in a thread', async () => {
    const top = ok(
      await alice.postComment({ target: { Proposal: proposal.id }, parentId: [], body: 'Top' }),
    );
    const reply = ok(
      await bob.postComment({
        target: { Proposal: proposal.id },
        parentId: [top.id],
        body: 'A reply',
      }),
    );
    const edited = ok(await bob.editComment(reply.id, 'A better reply'));
    expect(edited.revisionCount).toBe(1);
    expect(await visitor.getCommentHistory(reply.id)).toEqual([
      { body: 'A reply', replacedAt: expect.any(BigInt) as bigint },
    ]);
    expect((await visitor.getComment(reply.id))[0]?.body).toBe('A better reply');

    const thread = await visitor.getThread({ Proposal: proposal.id }, [], 20);
    expect(thread.comments.map((c) => [c.comment.id, c.depth])).toEqual([
      [top.id, 0],
      [reply.id, 1],
    ]);
    expect(thread.comments[0]?.authorName.length).toBe(1);
    expect((await visitor.getProposal(proposal.id))[0]?.proposal.commentCount).toBe(2);

    const byAlice = await visitor.listCommentsByAuthor(alicePrincipal, [], 20);
    expect(byAlice.comments.map((c) => c.id)).toEqual([top.id]);

    ok(await alice.deleteComment(top.id));
    const [tombstone] = await visitor.getComment(top.id);
    expect(tombstone?.body).toBe('');
    expect(tombstone?.deleted[0]?.by.toText()).toBe(alicePrincipal.toText());
    const after = await visitor.getThread({ Proposal: proposal.id }, [], 20);
    expect(after.comments.map((c) => c.comment.id)).toEqual([top.id, reply.id]);
    expect((await visitor.getProposal(proposal.id))[0]?.proposal.commentCount).toBe(1);
  });

  it('setPriorityVotes spends n² credits, shown by getMyPriorities, getItem and whoami', async () => {
    const roadmap = await visitor.getRoadmap();
    const item = roadmap.themes
      .flatMap((t) => t.milestones.flatMap((m) => m.items))
      .find((i) => !('Deployed' in i.status))!;
    const allocation = ok(await alice.setPriorityVotes(item.id, 3));
    expect(allocation).toEqual({
      budget: 100,
      spent: 9,
      remaining: 91,
      votes: [{ itemId: item.id, votes: 3 }],
    });
    expect(await alice.getMyPriorities()).toEqual(allocation);
    expect((await alice.getItem(item.id))[0]?.myVotes).toBe(3);
    expect((await alice.whoami()).creditsLeft).toBe(91);
    expect((await visitor.getItem(item.id))[0]?.item.priority).toEqual({
      votes: item.priority.votes + 3,
      supporters: item.priority.supporters + 1,
    });
  });
});

describe('maintaining the roadmap and the board', () => {
  let theme: Theme;
  let milestone: Milestone;
  let item: Item;

  it('upsertTheme, upsertMilestone and upsertItem create and then update by slug', async () => {
    theme = ok(
      await admin.upsertTheme({ slug: 'it-theme', title: 'Tested theme', summary: '', order: 9 }),
    );
    milestone = ok(
      await admin.upsertMilestone({
        themeSlug: 'it-theme',
        slug: 'it-milestone',
        name: 'Tested milestone',
        summary: 'S',
        status: { Upcoming: null },
        eta: ['2027'],
        order: 0,
      }),
    );
    item = ok(
      await admin.upsertItem({
        milestoneSlug: 'it-milestone',
        slug: 'it-item',
        title: 'Tested item',
        description: 'D',
        status: { Future: null },
        links: [{ label: 'Forum', url: 'https://forum.dfinity.org/t/1' }],
        order: 0,
      }),
    );
    const renamed = ok(
      await admin.upsertItem({
        milestoneSlug: 'it-milestone',
        slug: 'it-item',
        title: 'Tested item, renamed',
        description: 'D',
        status: { InProgress: null },
        links: [],
        order: 0,
      }),
    );
    expect(renamed.id).toBe(item.id);
    expect(renamed.milestoneId).toBe(milestone.id);

    const node = (await visitor.getRoadmap()).themes.find((t) => t.theme.id === theme.id);
    expect(node?.milestones[0]?.milestone.eta).toEqual(['2027']);
    expect(node?.milestones[0]?.items.map((i) => [i.title, i.status])).toEqual([
      ['Tested item, renamed', { InProgress: null }],
    ]);
  });

  it('importRoadmap upserts by slug and reports what it created and updated', async () => {
    const report = ok(
      await admin.importRoadmap({
        themes: [
          {
            slug: 'it-theme',
            title: 'Tested theme (imported)',
            summary: '',
            milestones: [
              {
                slug: 'it-milestone',
                name: 'Tested milestone',
                summary: '',
                status: { InProgress: null },
                eta: [],
                items: [
                  {
                    slug: 'it-item',
                    title: 'Tested item',
                    description: '',
                    status: { InProgress: null },
                    links: [],
                  },
                  {
                    slug: 'it-item-2',
                    title: 'Second tested item',
                    description: '',
                    status: { Upcoming: null },
                    links: [],
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(report).toEqual({
      themesCreated: 0,
      themesUpdated: 1,
      milestonesCreated: 0,
      milestonesUpdated: 1,
      itemsCreated: 1,
      itemsUpdated: 1,
    });
    const node = (await visitor.getRoadmap()).themes.find((t) => t.theme.id === theme.id);
    expect(node?.theme.title).toBe('Tested theme (imported)');
    expect(node?.milestones[0]?.items.map((i) => i.slug)).toEqual(['it-item', 'it-item-2']);
  });

  it('setProposalStatus plans a proposal with an official response', async () => {
    const author = await tracked(ed25519());
    const proposal = ok(
      await author.submitProposal({ title: 'Plan me', body: '', tags: [], themeId: [] }),
    );
    const planned = ok(
      await admin.setProposalStatus(proposal.id, { Planned: item.id }, ['Scheduled for Q3.']),
    );
    expect(planned.status).toEqual({ Planned: item.id });
    expect(planned.officialResponse[0]?.body).toBe('Scheduled for Q3.');
    expect(planned.officialResponse[0]?.by.toText()).toBe(net.deployer.getPrincipal().toText());
    const [detail] = await visitor.getProposal(proposal.id);
    expect(detail?.proposal.status).toEqual({ Planned: item.id });
  });

  it('setRole grants a role that listRoles and getProfile show', async () => {
    const moderator = ed25519();
    const actor = await tracked(moderator);
    ok(await actor.setProfile({ displayName: uniqueName('mod'), bio: '' }));
    ok(await admin.setRole(moderator.getPrincipal(), { Moderator: null }));
    const roles = await visitor.listRoles();
    expect(roles).toContainEqual({
      principal: moderator.getPrincipal(),
      role: { Moderator: null },
    });
    expect((await visitor.getProfile(moderator.getPrincipal()))[0]?.role).toEqual({
      Moderator: null,
    });
    expect((await actor.whoami()).role).toEqual({ Moderator: null });
  });

  it('setSettings changes what getSettings returns', async () => {
    const settings = { ...(await visitor.getSettings()), creditBudget: 144 };
    expect(ok(await admin.setSettings(settings))).toEqual(settings);
    expect(await visitor.getSettings()).toEqual(settings);
    expect((await (await tracked(ed25519())).whoami()).creditBudget).toBe(144);
  });

  it('the dev user `admin` of the II stand-in is an admin on localnet', async () => {
    const devAdmin = await tracked(net.devAdmin);
    expect((await devAdmin.whoami()).role).toEqual({ Admin: null });
    expect(net.devAdmin.getPrincipal().toText()).toBe(net.localnet.adminPrincipal.toText());
    ok(
      await devAdmin.upsertTheme({
        slug: 'it-dev-admin',
        title: 'By dev admin',
        summary: '',
        order: 10,
      }),
    );
  });

  it('getActivity lists the maintainers’ actions, newest first', async () => {
    const page = await visitor.getActivity([], 50);
    const kinds = page.entries.map((e) => Object.keys(e.kind)[0]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'ThemeUpserted',
        'MilestoneUpserted',
        'ItemUpserted',
        'RoadmapImported',
        'ProposalStatusChanged',
        'RoleChanged',
        'SettingsChanged',
      ]),
    );
    const ids = page.entries.map((e) => e.id);
    expect([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(ids);
    expect(page.entries[0]?.kind).toHaveProperty('ThemeUpserted');
  });
});

describe('moderating', () => {
  it('getModerationSettings returns the defaults; setModerationSettings changes them', async () => {
    const defaults = await visitor.getModerationSettings();
    expect(defaults).toEqual({
      autoHideReports: 3,
      upVotesPerExtraReport: 10,
      newMemberHours: 24,
      newMemberProposalsPerDay: 1,
      newMemberCommentsPerHour: 10,
      reportsPerHour: 10,
    });
    const settings = { ...defaults, autoHideReports: 5 };
    expect(ok(await admin.setModerationSettings(settings))).toEqual(settings);
    expect(await visitor.getModerationSettings()).toEqual(settings);
  });

  it('report, listReports and moderate: a member reports, a moderator sees it and hides it', async () => {
    const author = await tracked(ed25519());
    const reporter = await tracked(await p256());
    const moderatorIdentity = await delegated();
    const moderator = await tracked(moderatorIdentity);
    ok(await admin.setRole(moderatorIdentity.getPrincipal(), { Moderator: null }));
    const { id } = ok(
      await author.submitProposal({ title: 'Cheap followers', body: '', tags: [], themeId: [] }),
    );
    ok(
      await reporter.report({
        target: { Proposal: id },
        reason: { Spam: null },
        note: ['selling followers'],
      }),
    );
    const queue = ok(await moderator.listReports([], 20));
    expect(queue.groups[0]).toMatchObject({
      target: { Proposal: id },
      count: 1,
      reports: [{ reason: { Spam: null }, note: ['selling followers'] }],
    });
    ok(await moderator.moderate({ action: { Hide: { Proposal: id } }, reason: 'spam' }));
    expect((await visitor.getProposal(id))[0]?.hidden[0]?.reason).toBe('spam');
    expect((await visitor.getActivity([], 1)).entries[0]?.kind).toEqual({
      ContentHidden: { target: { Proposal: id }, reason: 'spam' },
    });
  });
});

describe('neurons and NNS links', () => {
  it('linkNeuron, getMyNeurons, refreshMyNeurons and unlinkNeuron, with a neuron of the governance stand-in', async () => {
    const identity = ed25519();
    const holder = await tracked(identity);
    const neuronId = await standInNeuron(identity.getPrincipal());
    const link = ok(await holder.linkNeuron(neuronId));
    expect(link.neuronId).toBe(neuronId);
    expect((await holder.getMyNeurons()).votingPower).toBe(link.votingPower);
    expect(ok(await holder.refreshMyNeurons()).links.map((l) => l.neuronId)).toEqual([neuronId]);
    expect(ok(await holder.unlinkNeuron(neuronId)).links).toEqual([]);
  });

  it('linkNnsProposal links an item to an NNS proposal governance knows', async () => {
    const roadmap = await visitor.getRoadmap();
    const itemId = roadmap.themes[0]!.milestones[0]!.items[0]!.id;
    const unknown = await admin.linkNnsProposal({
      target: { Item: itemId },
      link: [{ proposalId: 424_242n, deployOnExecution: false }],
    });
    expect(unknown).toHaveProperty('Err.NotFound');
    expect(ok(await admin.linkNnsProposal({ target: { Item: itemId }, link: [] }))).toEqual([]);
  });
});

describe('follows and the inbox', () => {
  it('follow, isFollowing, unfollow; getNotifications, getUnreadCount, markNotificationsRead', async () => {
    const author = await tracked(ed25519());
    const replier = await tracked(await p256());
    const { id } = ok(
      await author.submitProposal({ title: 'Inbox for members', body: '', tags: [], themeId: [] }),
    );
    expect(await replier.isFollowing({ Proposal: id })).toBe(false);
    ok(await replier.follow({ Proposal: id }));
    expect(await replier.isFollowing({ Proposal: id })).toBe(true);
    ok(await replier.unfollow({ Proposal: id }));
    ok(await replier.postComment({ target: { Proposal: id }, parentId: [], body: 'Hello' }));
    const deadline = Date.now() + 15_000;
    while ((await author.getUnreadCount()) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const page = await author.getNotifications([], 10);
    expect(page.notifications.map((n) => Object.keys(n.kind)[0])).toEqual(['NewComment']);
    expect(page.unread).toBe(1);
    ok(await author.markNotificationsRead([]));
    expect(await author.getUnreadCount()).toBe(0);
  });
});

describe('merging duplicates', () => {
  it('mergeProposal moves the votes; unmergeProposal takes them back', async () => {
    // New members write one proposal a day: two authors.
    const author = await tracked(ed25519());
    const other = await tracked(ed25519());
    const voterIdentity = await p256();
    const voter = await tracked(voterIdentity);
    const voterPrincipal = voterIdentity.getPrincipal();
    const input = { body: '', tags: [], themeId: [] as [] };
    const target = ok(await author.submitProposal({ title: 'Merge target', ...input })).id;
    const duplicate = ok(await other.submitProposal({ title: 'Merge duplicate', ...input })).id;
    ok(await voter.voteProposal(duplicate, [{ Down: null }]));
    const merged = ok(await admin.mergeProposal({ duplicate, into: target, note: ['Same'] }));
    // The duplicate author's up-vote moves at once; follow-up messages move the rest.
    expect(merged).toMatchObject({
      duplicate,
      into: target,
      votesMoved: 1,
      state: { Merging: null },
    });
    const deadline = Date.now() + 15_000;
    while ((await voter.getProposal(target))[0]?.myVote.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await voter.getProposal(target))[0]?.myVote).toEqual([{ Down: null }]);
    expect(err(await voter.mergeProposal({ duplicate, into: target, note: [] }))).toHaveProperty(
      'Forbidden',
    );
    expect(ok(await admin.unmergeProposal(duplicate)).state).toEqual({ Unmerging: null });
    while ((await voter.getProposal(target))[0]?.mergedFrom.length !== 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const detail = (await voter.getProposal(target))[0]!;
    expect(detail.myVote).toEqual([]);
    expect(detail.proposal).toMatchObject({ up: 1, down: 0 });
    // What a member votes on now, for their profile: the duplicate is open again.
    const page = await voter.listVotesByMember(voterPrincipal, [], 10);
    expect(page.votes.map((v) => [v.proposal.id, v.vote])).toEqual([[duplicate, { Down: null }]]);
  });
});

describe('triage and shared links', () => {
  it('getProposalFacets counts, getResponseHistory keeps versions, http_request serves a page and upgrades feeds', async () => {
    const author = await tracked(ed25519());
    const input = { body: 'Body', tags: ['facets'], themeId: [] as [] };
    const id = ok(await author.submitProposal({ title: 'Facets and responses', ...input })).id;
    const facets = await author.getProposalFacets();
    expect(facets.tags.find((t) => t.tag === 'facets')?.count).toBe(1);
    expect(facets.needsResponse).toBeGreaterThanOrEqual(1);
    ok(await admin.setProposalStatus(id, { UnderReview: null }, ['First answer']));
    ok(await admin.setProposalStatus(id, { UnderReview: null }, ['Second answer']));
    expect((await author.getProposal(id))[0]?.response).toEqual([
      { forStatus: { UnderReview: null }, revisions: 1 },
    ]);
    const history = await author.getResponseHistory(id);
    expect(history.map((r) => [r.body, r.forStatus])).toEqual([
      ['First answer', [{ UnderReview: null }]],
    ]);
    const page = await author.http_request({
      method: 'GET',
      url: `/proposals/${id}`,
      headers: [],
      body: new Uint8Array(0),
      certificate_version: [2],
    });
    expect(page.status_code).toBe(200);
    expect(new TextDecoder().decode(new Uint8Array(page.body))).toContain(
      '<meta property="og:title" content="Facets and responses">',
    );
    // The feeds are answered as updates: the query says so, the update answers.
    const feedRequest = { method: 'GET', url: '/feed.atom', headers: [], body: new Uint8Array(0) };
    const upgrade = await author.http_request({ ...feedRequest, certificate_version: [2] });
    expect(upgrade.upgrade).toEqual([true]);
    const feed = await author.http_request_update(feedRequest);
    expect(feed.status_code).toBe(200);
    expect(new TextDecoder().decode(new Uint8Array(feed.body))).toContain(
      '<title type="text">Facets and responses</title>',
    );
  });
});

describe('certified tallies', () => {
  it('getTallyProof returns a certificate, a witness and the certified tally of a proposal', async () => {
    const author = await tracked(ed25519());
    const input = { title: 'Certified tallies', body: '', tags: [], themeId: [] as [] };
    const id = ok(await author.submitProposal(input)).id;
    // The follow-up message that certifies it runs right after the submission's.
    let proof = ok(await author.getTallyProof({ proposals: [id], items: [] }));
    for (let i = 0; i < 40 && proof.proposals.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      proof = ok(await author.getTallyProof({ proposals: [id], items: [] }));
    }
    expect(proof.certificate.length).toBeGreaterThan(100);
    expect([...proof.witness.slice(0, 3)]).toEqual([0xd9, 0xd9, 0xf7]);
    expect(proof.proposals).toEqual([
      { id, up: 1, down: 0, status: { Open: null }, statusRef: [] },
    ]);
    expect(proof.items).toEqual([]);
  });
});

describe('coverage of the contract', () => {
  it('the tests above called every method of backend.did', () => {
    const methods = didMethods();
    expect(methods.length).toBeGreaterThanOrEqual(30);
    expect(methods.filter((m) => !called.has(m))).toEqual([]);
  });
});
