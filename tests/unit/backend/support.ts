import { Commons } from '../../../src/backend/domain/commons';
import type { CallContext } from '../../../src/backend/domain/context';
import { DEFAULT_MODERATION_SETTINGS } from '../../../src/backend/domain/db';
import {
  ANONYMOUS,
  principalIdFromBytes,
  type ModerationSettings,
  type PrincipalId,
  type ProposalInput,
  type RoadmapImport,
} from '../../../src/backend/domain/model';
import type { Result } from '../../../src/backend/domain/result';
import {
  memoryRecordStores,
  type RecordStoreFactory,
} from '../../../src/backend/domain/storage/record-store';

export const HOUR_NS = 3_600_000_000_000n;
export const START = 1_750_000_000_000_000_000n;

/**
 * Real principals (as the domain carries them, their bytes as a binary string), so values can
 * also go through the candid layer. (The one-byte principal 0x04 is the anonymous principal,
 * so these start above it.)
 */
const principal = (byte: number) => principalIdFromBytes(new Uint8Array([byte]));

export const ADMIN = principal(11);
export const ALICE = principal(12);
export const BOB = principal(13);
export const CAROL = principal(14);
export const MOD = principal(15);
export const CONTROLLER = principal(16);

/**
 * A fresh application over in-memory stores, with a clock the test moves. Members are not new
 * (no lower limits for their first day) unless `newMemberHours` says otherwise: most tests are
 * about other rules and write several times as one member.
 */
export function setup(options: { newMemberHours?: number } = {}) {
  const stores = memoryRecordStores();
  setNewMemberHours(stores, options.newMemberHours ?? 0);
  const commons = new Commons(stores);
  let now = START;
  commons.addAdmins([ADMIN]);
  const as = (caller: PrincipalId): CallContext => ({
    caller,
    callerIsController: caller === CONTROLLER,
    now,
  });
  return {
    commons,
    stores,
    as,
    anonymous: () => as(ANONYMOUS),
    advance(ns: bigint) {
      now += ns;
    },
    now: () => now,
  };
}

export type Setup = ReturnType<typeof setup>;

/** Written before the application opens its stores, so no activity entry records it. */
export function setNewMemberHours(stores: RecordStoreFactory, hours: number): void {
  stores<ModerationSettings>('moderationSettings').set('settings', {
    ...DEFAULT_MODERATION_SETTINGS,
    newMemberHours: hours,
  });
}

/** The value of an Ok result; fails the test with the error otherwise. */
export function unwrap<T>(result: Result<T>): T {
  if ('Err' in result) throw new Error(`expected Ok, got ${JSON.stringify(result.Err)}`);
  return result.Ok;
}

export function proposalInput(overrides: Partial<ProposalInput> = {}): ProposalInput {
  return {
    title: 'Shared security through node shuffling',
    body: 'Rotate nodes between subnets so that no fixed group can collude.',
    themeId: [],
    tags: ['security'],
    ...overrides,
  };
}

export const SAMPLE_ROADMAP: RoadmapImport = {
  themes: [
    {
      slug: 'decentralized-ai',
      title: 'Decentralized AI',
      summary: 'AI models running on chain.',
      milestones: [
        {
          slug: 'cyclotron',
          name: 'Cyclotron',
          summary: 'CPU inference for models with millions of parameters.',
          status: { Deployed: null },
          eta: [],
          items: [
            {
              slug: 'on-chain-face-recognition',
              title: 'On-chain face recognition',
              description: 'Inference inside a canister.',
              status: { Deployed: null },
              links: [{ label: 'Forum', url: 'https://forum.dfinity.org/' }],
            },
          ],
        },
        {
          slug: 'gyrotron',
          name: 'Gyrotron',
          summary: 'GPU-enabled nodes and a deterministic GPU API.',
          status: { Upcoming: null },
          eta: ['2026'],
          items: [
            {
              slug: 'gpu-node-spec',
              title: 'Public specification for GPU-enabled nodes',
              description: '',
              status: { InProgress: null },
              links: [],
            },
            {
              slug: 'ai-subnets',
              title: 'AI-specialized subnets with GPU-enabled nodes',
              description: '',
              status: { Future: null },
              links: [],
            },
          ],
        },
      ],
    },
    {
      slug: 'chain-fusion',
      title: 'Chain Fusion',
      summary: 'Talk to other chains.',
      milestones: [
        {
          slug: 'helium',
          name: 'Helium',
          summary: 'Threshold EdDSA.',
          status: { InProgress: null },
          eta: [],
          items: [
            {
              slug: 'threshold-eddsa',
              title: 'Threshold EdDSA',
              description: 'Sign for Solana and others.',
              status: { Upcoming: null },
              links: [],
            },
          ],
        },
      ],
    },
  ],
};

/** Imports SAMPLE_ROADMAP and returns item ids by slug. */
export function seedRoadmap(app: Setup): Map<string, bigint> {
  unwrap(app.commons.importRoadmap(app.as(ADMIN), SAMPLE_ROADMAP));
  const ids = new Map<string, bigint>();
  for (const theme of app.commons.getRoadmap().themes) {
    ids.set(theme.theme.slug, theme.theme.id);
    for (const milestone of theme.milestones) {
      ids.set(milestone.milestone.slug, milestone.milestone.id);
      for (const item of milestone.items) ids.set(item.slug, item.id);
    }
  }
  return ids;
}

/** Asserts the call failed with the given error kind and left every store as it was. */
export function expectRejected<T>(
  app: Setup,
  call: () => Result<T>,
  kind: 'NotAuthenticated' | 'Forbidden' | 'NotFound' | 'Invalid' | 'RateLimited' | 'Conflict',
  field?: string,
): void {
  const before = app.stores.snapshot();
  const result = call();
  if (!('Err' in result)) throw new Error(`expected Err ${kind}, got Ok`);
  if (!(kind in result.Err)) throw new Error(`expected ${kind}, got ${JSON.stringify(result.Err)}`);
  if (field !== undefined && 'Invalid' in result.Err && result.Err.Invalid.field !== field) {
    throw new Error(`expected Invalid ${field}, got Invalid ${result.Err.Invalid.field}`);
  }
  if (app.stores.snapshot() !== before) throw new Error(`a rejected call (${kind}) changed state`);
}
