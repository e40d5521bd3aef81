/**
 * The candid types of the records kept in stable memory, one per record kind. Records are
 * stored as candid values without a header (see codec/), so their byte layout is the one
 * candid defines for these types. Changing a type changes the stable layout: that needs a new
 * LAYOUT_VERSION and a migration.
 */
import { IDL } from '@dfinity/candid';

import type { RecordKind } from '../domain/storage/record-store';
import * as T from './idl';

const ProposalCore = IDL.Record({
  id: T.Id,
  author: IDL.Principal,
  themeId: IDL.Opt(T.Id),
  tags: IDL.Vec(IDL.Text),
  status: T.ProposalStatus,
  createdAt: T.Time,
  updatedAt: T.Time,
  revisionCount: IDL.Nat32,
});

const CommentMeta = IDL.Record({
  id: T.Id,
  target: T.Target,
  parentId: IDL.Opt(T.Id),
  author: IDL.Principal,
  createdAt: T.Time,
  updatedAt: T.Time,
  revisionCount: IDL.Nat32,
  deleted: IDL.Opt(T.Deletion),
});

export const RECORD_TYPES: Record<RecordKind, IDL.Type> = {
  meta: IDL.Variant({ Counter: IDL.Nat64, Settings: T.Settings, Layout: IDL.Nat32 }),
  themes: T.Theme,
  milestones: T.Milestone,
  items: T.Item,
  proposals: ProposalCore,
  proposalTexts: IDL.Record({ title: IDL.Text, excerpt: IDL.Text }),
  proposalBodies: IDL.Record({ body: IDL.Text, officialResponse: IDL.Opt(T.OfficialResponse) }),
  proposalTallies: IDL.Record({ up: IDL.Nat32, down: IDL.Nat32, commentCount: IDL.Nat32 }),
  proposalRevisions: T.ProposalRevision,
  proposalVotes: IDL.Text,
  comments: CommentMeta,
  commentBodies: IDL.Text,
  commentRevisions: T.CommentRevision,
  profiles: IDL.Record({ displayName: IDL.Text, bio: IDL.Text, joinedAt: T.Time }),
  roles: T.Role,
  rateLimits: IDL.Vec(IDL.Nat32),
  activity: T.ActivityEntry,
  priorities: IDL.Record({ spent: IDL.Nat32, votes: IDL.Vec(T.PriorityVote) }),
};
