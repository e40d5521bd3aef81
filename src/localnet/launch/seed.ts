import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Actor, HttpAgent, type Identity } from '@dfinity/agent';
import type { Principal } from '@dfinity/principal';
import { idlFactory } from '../../declarations/backend';
import type {
  Error as BackendError,
  ItemImport,
  MilestoneImport,
  RoadmapImport,
  RoadmapStatus,
  Target,
  ThemeImport,
  _SERVICE,
} from '../../declarations/backend';
import { devUserIdentity } from '../gateway';
import { LocalnetCreateNeuron, LocalnetResult } from '../system/governance-candid';
import { NNS_GOVERNANCE_ID } from '../system/ids';

/** `data/roadmap.json`: the roadmap in plain JSON (see data/README.md). */
export interface RoadmapFile {
  themes: {
    slug: string;
    title: string;
    summary: string;
    milestones: {
      slug: string;
      name: string;
      summary: string;
      status: string;
      eta?: string;
      items: {
        slug: string;
        title: string;
        description: string;
        status: string;
        links: { label: string; url: string }[];
      }[];
    }[];
  }[];
}

/** `data/demo.json`: demo members and their activity (see data/README.md). */
export interface DemoFile {
  members: { user: string; displayName: string; bio: string }[];
  neurons: { user: string; stakeIcp: number; dissolveDelayYears: number }[];
  proposals: {
    key: string;
    author: string;
    title: string;
    body: string;
    theme?: string;
    tags: string[];
  }[];
  votes: { user: string; proposal: string; vote: 'Up' | 'Down' }[];
  priorities: { user: string; item: string; votes: number }[];
  comments: {
    key: string;
    user: string;
    proposal?: string;
    item?: string;
    body: string;
    parent: string | null;
  }[];
}

const statuses = ['Deployed', 'InProgress', 'Upcoming', 'Future'] as const;

function roadmapStatus(text: string, where: string): RoadmapStatus {
  const status = statuses.find((s) => s === text);
  if (!status) throw new Error(`${where}: unknown status "${text}"`);
  return { [status]: null } as RoadmapStatus;
}

/** Converts the JSON roadmap file to the candid argument of `importRoadmap`. */
export function roadmapImportFromFile(file: RoadmapFile): RoadmapImport {
  return {
    themes: file.themes.map((theme): ThemeImport => ({
      slug: theme.slug,
      title: theme.title,
      summary: theme.summary,
      milestones: theme.milestones.map((milestone): MilestoneImport => ({
        slug: milestone.slug,
        name: milestone.name,
        summary: milestone.summary,
        status: roadmapStatus(milestone.status, `milestone ${milestone.slug}`),
        eta: milestone.eta === undefined ? [] : [milestone.eta],
        items: milestone.items.map((item): ItemImport => ({
          slug: item.slug,
          title: item.title,
          description: item.description,
          status: roadmapStatus(item.status, `item ${item.slug}`),
          links: item.links,
        })),
      })),
    })),
  };
}

export type BackendActor = _SERVICE;

export async function backendActor(
  apiUrl: string,
  backendId: Principal,
  identity?: Identity,
): Promise<BackendActor> {
  const agent = await HttpAgent.create({ host: apiUrl, identity, shouldFetchRootKey: true });
  return Actor.createActor<BackendActor>(idlFactory, { agent, canisterId: backendId });
}

function unwrap<T>(result: { Ok: T } | { Err: BackendError }, what: string): T {
  if ('Err' in result) throw new Error(`${what} failed: ${JSON.stringify(result.Err)}`);
  return result.Ok;
}

export interface SeedOptions {
  root: string;
  apiUrl: string;
  backendId: Principal;
  deployer: Identity;
  /** The app's origin: dev users get the principal the II stand-in gives them there. */
  appOrigin: string;
  demo: boolean;
  log: (line: string) => void;
}

/**
 * Imports `data/roadmap.json` into a backend whose roadmap is empty and, with `demo`, creates
 * the demo members (dev users of the II stand-in, so one can sign in as them), proposals,
 * votes, priorities and threads. Everything goes through the HTTP interface with the agent,
 * exactly as the app would.
 */
export async function seedBackend(options: SeedOptions): Promise<void> {
  const { root, apiUrl, backendId, log } = options;
  const deployer = await backendActor(apiUrl, backendId, options.deployer);
  const roadmap = await deployer.getRoadmap();
  if (roadmap.themes.length > 0) return;

  const file = JSON.parse(readFileSync(join(root, 'data', 'roadmap.json'), 'utf8')) as RoadmapFile;
  const report = unwrap(
    await deployer.importRoadmap(roadmapImportFromFile(file)),
    'importing data/roadmap.json',
  );
  log(
    `imported data/roadmap.json: ${report.themesCreated} themes, ${report.milestonesCreated} milestones, ${report.itemsCreated} items`,
  );
  if (options.demo) await seedDemo(options, deployer);
}

async function seedDemo(options: SeedOptions, deployer: BackendActor): Promise<void> {
  const { root, apiUrl, backendId, appOrigin, log } = options;
  const demo = JSON.parse(readFileSync(join(root, 'data', 'demo.json'), 'utf8')) as DemoFile;
  const actors = new Map<string, BackendActor>();
  const actorFor = async (user: string): Promise<BackendActor> => {
    let actor = actors.get(user);
    if (!actor) {
      actor = await backendActor(apiUrl, backendId, devUserIdentity(user, appOrigin));
      actors.set(user, actor);
    }
    return actor;
  };

  const roadmap = await deployer.getRoadmap();
  const themeIds = new Map<string, bigint>();
  const itemIds = new Map<string, bigint>();
  for (const { theme, milestones } of roadmap.themes) {
    themeIds.set(theme.slug, theme.id);
    for (const { items } of milestones) for (const item of items) itemIds.set(item.slug, item.id);
  }
  const lookup = <T>(map: Map<string, T>, key: string, what: string): T => {
    const value = map.get(key);
    if (value === undefined) throw new Error(`data/demo.json: unknown ${what} "${key}"`);
    return value;
  };

  // The demo members write many times within seconds of joining, and people trying the demo
  // sign in as them to write more: the lower limits of new members stay off on a demo board
  // (an admin can turn them back on in the moderation settings).
  const moderation = await deployer.getModerationSettings();
  unwrap(
    await deployer.setModerationSettings({ ...moderation, newMemberHours: 0 }),
    'moderation settings',
  );
  await seedDemoNeurons(demo, options, actorFor);
  await seedDemoContent(demo, actorFor, themeIds, itemIds, lookup);
  log(
    `created demo content: ${demo.members.length} members, ${demo.proposals.length} proposals, ${demo.votes.length} votes, ${demo.comments.length} comments (sign in as ${demo.members.map((m) => m.user).join(', ')} or admin)`,
  );
}

const YEAR_SECONDS = 31_557_600;

/**
 * Demo neurons, staked in the governance stand-in with each demo member as a hot key and made
 * public, then linked by the member as the app's profile page does: the canister checks them
 * with governance itself.
 */
async function seedDemoNeurons(
  demo: DemoFile,
  options: SeedOptions,
  actorFor: (user: string) => Promise<BackendActor>,
): Promise<void> {
  const agent = await HttpAgent.create({
    host: options.apiUrl,
    identity: options.deployer,
    shouldFetchRootKey: true,
  });
  const governance = Actor.createActor<{
    localnet_create_neuron: (arg: unknown) => Promise<{ Ok: bigint } | { Err: string }>;
  }>(
    ({ IDL: I }) =>
      I.Service({ localnet_create_neuron: I.Func([LocalnetCreateNeuron], [LocalnetResult], []) }),
    { agent, canisterId: NNS_GOVERNANCE_ID },
  );
  for (const neuron of demo.neurons) {
    const actor = await actorFor(neuron.user);
    const created = await governance.localnet_create_neuron({
      controller: options.deployer.getPrincipal(),
      hot_keys: [devUserIdentity(neuron.user, options.appOrigin).getPrincipal()],
      public: true,
      stake_e8s: BigInt(Math.round(neuron.stakeIcp * 1e8)),
      dissolve_delay_seconds: BigInt(Math.round(neuron.dissolveDelayYears * YEAR_SECONDS)),
    });
    if ('Err' in created) throw new Error(`demo neuron of ${neuron.user}: ${created.Err}`);
    unwrap(await actor.linkNeuron(created.Ok), `linking the demo neuron of ${neuron.user}`);
  }
}

async function seedDemoContent(
  demo: DemoFile,
  actorFor: (user: string) => Promise<BackendActor>,
  themeIds: Map<string, bigint>,
  itemIds: Map<string, bigint>,
  lookup: <T>(map: Map<string, T>, key: string, what: string) => T,
): Promise<void> {
  for (const member of demo.members) {
    const actor = await actorFor(member.user);
    unwrap(
      await actor.setProfile({ displayName: member.displayName, bio: member.bio }),
      `profile of ${member.user}`,
    );
  }
  const proposalIds = new Map<string, bigint>();
  for (const proposal of demo.proposals) {
    const actor = await actorFor(proposal.author);
    const created = unwrap(
      await actor.submitProposal({
        title: proposal.title,
        body: proposal.body,
        tags: proposal.tags,
        themeId: proposal.theme === undefined ? [] : [lookup(themeIds, proposal.theme, 'theme')],
      }),
      `proposal ${proposal.key}`,
    );
    proposalIds.set(proposal.key, created.id);
  }
  for (const vote of demo.votes) {
    const actor = await actorFor(vote.user);
    const id = lookup(proposalIds, vote.proposal, 'proposal');
    unwrap(
      await actor.voteProposal(id, [vote.vote === 'Up' ? { Up: null } : { Down: null }]),
      `vote of ${vote.user} on ${vote.proposal}`,
    );
  }
  for (const priority of demo.priorities) {
    const actor = await actorFor(priority.user);
    unwrap(
      await actor.setPriorityVotes(lookup(itemIds, priority.item, 'item'), priority.votes),
      `priority of ${priority.user} on ${priority.item}`,
    );
  }
  const commentIds = new Map<string, bigint>();
  for (const comment of demo.comments) {
    const actor = await actorFor(comment.user);
    const target: Target =
      comment.proposal !== undefined
        ? { Proposal: lookup(proposalIds, comment.proposal, 'proposal') }
        : { Item: lookup(itemIds, comment.item ?? '', 'item') };
    const created = unwrap(
      await actor.postComment({
        target,
        body: comment.body,
        parentId: comment.parent === null ? [] : [lookup(commentIds, comment.parent, 'comment')],
      }),
      `comment ${comment.key}`,
    );
    commentIds.set(comment.key, created.id);
  }
}
