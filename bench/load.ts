/**
 * Grows the backend's data through its real update methods, called directly on the replica
 * (no HTTP, no signatures) so that loading costs only canister execution. Members are fresh
 * self-authenticating principals; the default rate limits stay in force, so loading spreads
 * work over enough members to stay inside them, as a real community would.
 */
import type { Principal } from '@dfinity/principal';
import type { Comment, Proposal, Roadmap, Target } from '../src/declarations/backend';
import { BackendClient, randomMember } from './canister';

/**
 * Default limits are 5 proposals a day, 30 comments and 300 votes an hour per member; the
 * averages below stay well inside them, and votes spread over many members as on real boards.
 */
const PROPOSALS_PER_MEMBER = 4;
const COMMENTS_PER_MEMBER = 25;
const VOTES_PER_MEMBER = 20;
/** Members that set a display name; the rest read and vote without one, as most users do. */
const NAMED_MEMBERS = 200;
/**
 * Requests kept in the replica's queue at once. A reply waits for the fsync that covers its
 * journal record (group commit), and an fsync takes 1–50 ms on a shared disk: enough messages
 * in flight keep the canister executing while one is under way, so the load runs at the
 * speed of execution rather than of the disk.
 */
export const LOADER_CONCURRENCY = 64;

const TAGS = [
  'consensus',
  'chain-fusion',
  'bitcoin',
  'ethereum',
  'ai',
  'gpu',
  'vetkeys',
  'privacy',
  'sev-snp',
  'governance',
  'nns',
  'sns',
  'ux',
  'ii',
  'cycles',
  'storage',
  'networking',
  'tooling',
  'motoko',
  'rust',
];

const WORDS =
  'subnet canister replica threshold signature node shuffling storage query update latency throughput cycles governance neuron proposal boundary gateway certified asset wasm memory heap stable schnorr ecdsa bitcoin ethereum vetkeys privacy enclave'.split(
    ' ',
  );

/** Deterministic pseudo-random numbers, so two runs load the same shape of data. */
export class Rng {
  constructor(private state: number) {}

  next(): number {
    // mulberry32
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  /** Skewed towards 0: a few proposals draw most votes and comments, as on real boards. */
  skewed(below: number): number {
    return Math.min(below - 1, Math.floor(below * this.next() ** 3));
  }

  text(words: number): string {
    const out: string[] = [];
    for (let i = 0; i < words; i++) out.push(WORDS[this.int(WORDS.length)]!);
    return out.join(' ');
  }
}

export interface Counts {
  members: number;
  proposals: number;
  votes: number;
  comments: number;
  priorityVotes: number;
  statusChanges: number;
}

export interface LoadTarget {
  proposals: number;
  votesPerProposal: number;
  commentsPerProposal: number;
}

export interface Throughput {
  method: string;
  calls: number;
  seconds: number;
}

interface CommentRef {
  id: bigint;
  target: Target;
  author: Principal;
}

export class Loader {
  readonly members: Principal[] = [];
  readonly counts: Counts = {
    members: 0,
    proposals: 0,
    votes: 0,
    comments: 0,
    priorityVotes: 0,
    statusChanges: 0,
  };
  readonly throughput = new Map<string, Throughput>();
  themeIds: bigint[] = [];
  openItemIds: bigint[] = [];
  /**
   * Proposals the bench's cases report or moderate, which may end hidden (reports of members
   * in good standing hide automatically): hidden proposals take no votes, so loading skips them.
   */
  readonly mayBeHidden = new Set<bigint>();
  /** Comments on the most discussed proposal's neighbours, for replies and edits. */
  readonly comments: CommentRef[] = [];
  private readonly votePairs = new Set<string>();
  /** Each loaded proposal's author, by id. */
  private readonly authors = new Map<bigint, string>();
  private readonly prioritised = new Set<string>();
  private readonly rng = new Rng(20261125);

  constructor(
    private client: BackendClient,
    readonly admin: Principal,
  ) {}

  /** The replica is reopened between phases; the loader keeps its bookkeeping. */
  attach(client: BackendClient): void {
    this.client = client;
  }

  async readRoadmap(): Promise<void> {
    const roadmap = (await this.client.call<Roadmap>('getRoadmap', [], this.admin)).value;
    this.themeIds = roadmap.themes.map((t) => t.theme.id);
    this.openItemIds = roadmap.themes.flatMap((t) =>
      t.milestones.flatMap((m) =>
        m.items.filter((i) => !('Deployed' in i.status)).map((i) => i.id),
      ),
    );
  }

  /**
   * Turns off the lower limits of new members: the loader's members write many times within
   * minutes of joining, which the default moderation settings refuse as a new member's spam.
   */
  async settleNewMembers(): Promise<void> {
    const settings = await this.client.call<Record<string, number>>(
      'getModerationSettings',
      [],
      this.admin,
    );
    if (settings.value.newMemberHours === 0) return;
    await this.client.ok(
      'setModerationSettings',
      [{ ...settings.value, newMemberHours: 0 }],
      this.admin,
    );
  }

  /** A new member, for a write no loaded member should spend a rate limit on. */
  freshMember(): Principal {
    return this.member(this.members.length);
  }

  private member(index: number): Principal {
    while (this.members.length <= index) this.members.push(randomMember());
    this.counts.members = Math.max(this.counts.members, this.members.length);
    return this.members[index]!;
  }

  private async timed(method: string, calls: (() => Promise<unknown>)[]): Promise<void> {
    if (calls.length === 0) return;
    const started = performance.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < calls.length) {
        const call = calls[next++]!;
        await call();
      }
    };
    await Promise.all(Array.from({ length: LOADER_CONCURRENCY }, () => worker()));
    const seconds = (performance.now() - started) / 1000;
    const entry = this.throughput.get(method) ?? { method, calls: 0, seconds: 0 };
    entry.calls += calls.length;
    entry.seconds += seconds;
    this.throughput.set(method, entry);
  }

  async grow(target: LoadTarget, log: (line: string) => void): Promise<void> {
    const rng = this.rng;
    const from = this.counts.proposals;
    const wanted = target.proposals - from;
    if (wanted <= 0) return;
    await this.settleNewMembers();

    const named: (() => Promise<unknown>)[] = [];
    const authorsNeeded = Math.ceil(target.proposals / PROPOSALS_PER_MEMBER);
    for (let i = this.members.length; i < Math.min(authorsNeeded, NAMED_MEMBERS); i++) {
      const member = this.member(i);
      named.push(() =>
        this.client.ok('setProfile', [{ displayName: `member-${i}`, bio: rng.text(12) }], member),
      );
    }
    await this.timed('setProfile', named);

    const proposals: (() => Promise<unknown>)[] = [];
    for (let k = from; k < target.proposals; k++) {
      const author = this.member(Math.floor(k / PROPOSALS_PER_MEMBER));
      const tags = [
        ...new Set(Array.from({ length: rng.int(4) }, () => TAGS[rng.int(TAGS.length)]!)),
      ];
      const themeId = rng.int(5) === 0 ? [] : [this.themeIds[rng.int(this.themeIds.length)]!];
      const input = {
        title: `Idea ${k + 1}: ${rng.text(6)}`.slice(0, 120),
        body: rng.text(40 + rng.int(200)),
        tags,
        themeId,
      };
      proposals.push(async () => {
        const submitted = await this.client.ok<Proposal>('submitProposal', [input], author);
        this.authors.set(submitted.value.id, author.toText());
        this.counts.proposals++;
      });
    }
    log(`  loading ${proposals.length} proposals`);
    await this.timed('submitProposal', proposals);

    const total = this.counts.proposals;
    const votes: (() => Promise<unknown>)[] = [];
    const voteCount = Math.round(wanted * target.votesPerProposal);
    const voters = Math.max(
      this.members.length,
      Math.ceil((this.counts.votes + voteCount) / VOTES_PER_MEMBER),
    );
    for (let k = 0; k < voteCount; k++) {
      let member: Principal;
      let proposal: bigint;
      let key: string;
      // An author's own up-vote comes with the proposal and cannot become a down-vote.
      do {
        member = this.member(rng.int(voters));
        proposal = BigInt(1 + rng.skewed(total));
        key = `${member.toText()}/${proposal}`;
      } while (
        this.votePairs.has(key) ||
        this.authors.get(proposal) === member.toText() ||
        this.mayBeHidden.has(proposal)
      );
      this.votePairs.add(key);
      const vote = rng.int(4) === 0 ? { Down: null } : { Up: null };
      votes.push(async () => {
        await this.client.ok('voteProposal', [proposal, [vote]], member);
        this.counts.votes++;
      });
    }
    log(`  loading ${votes.length} proposal votes`);
    await this.timed('voteProposal', votes);

    const commentCount = Math.round(wanted * target.commentsPerProposal);
    const commenters = Math.max(
      this.members.length,
      Math.ceil((this.counts.comments + commentCount) / COMMENTS_PER_MEMBER),
    );
    // Top-level comments first, then replies to them, so every reply has a live parent.
    const tops = Math.ceil(commentCount * 0.6);
    for (const phase of ['top', 'reply'] as const) {
      const batch: (() => Promise<unknown>)[] = [];
      const count = phase === 'top' ? tops : commentCount - tops;
      const parents = [...this.comments];
      for (let k = 0; k < count; k++) {
        const author = this.member(rng.int(commenters));
        let target: Target;
        let parentId: [] | [bigint] = [];
        if (phase === 'reply' && parents.length > 0) {
          const parent = parents[rng.int(parents.length)]!;
          target = parent.target;
          parentId = [parent.id];
        } else if (rng.int(10) === 0 && this.openItemIds.length > 0) {
          target = { Item: this.openItemIds[rng.int(this.openItemIds.length)]! };
        } else {
          target = { Proposal: BigInt(1 + rng.skewed(total)) };
        }
        const body = rng.text(10 + rng.int(60));
        batch.push(async () => {
          const comment = await this.client.ok<Comment>(
            'postComment',
            [{ target, parentId, body }],
            author,
          );
          this.comments.push({ id: comment.value.id, target, author });
          this.counts.comments++;
        });
      }
      log(`  loading ${batch.length} ${phase === 'top' ? 'top-level comments' : 'replies'}`);
      await this.timed('postComment', batch);
    }

    // Quadratic votes: each member spreads a few votes over some open items.
    const priorities: (() => Promise<unknown>)[] = [];
    const priorityCount = Math.ceil(wanted / 4);
    for (let k = 0; k < priorityCount && this.openItemIds.length > 0; k++) {
      const member = this.member(rng.int(voters));
      const item = this.openItemIds[rng.int(this.openItemIds.length)]!;
      const key = `${member.toText()}/${item}`;
      if (this.prioritised.has(key)) continue;
      this.prioritised.add(key);
      const count = 1 + rng.int(3);
      priorities.push(async () => {
        await this.client.ok('setPriorityVotes', [item, count], member);
        this.counts.priorityVotes++;
      });
    }
    log(`  loading ${priorities.length} priority allocations`);
    await this.timed('setPriorityVotes', priorities);

    // Maintainers triage some proposals; each change is an activity log entry.
    const statuses: (() => Promise<unknown>)[] = [];
    for (let k = 0; k < Math.ceil(wanted / 20); k++) {
      const id = BigInt(from + 1 + rng.int(wanted));
      // Only statuses that keep voting open, so later levels can still vote on any proposal.
      const item = this.openItemIds[rng.int(this.openItemIds.length)];
      const status =
        rng.int(2) === 0 || item === undefined ? { UnderReview: null } : { Planned: item };
      statuses.push(async () => {
        await this.client.ok('setProposalStatus', [id, status, ['Thanks, noted.']], this.admin);
        this.counts.statusChanges++;
      });
    }
    await this.timed('setProposalStatus', statuses);
  }
}
