/**
 * From stable layout 1 to layout 2. Layout 1 kept every store's values under
 * `${store}/${key}` (keys in fixed-width hex, principals as text) beside B+tree index pages;
 * layout 2 keeps point-addressed records per kind and derives every index on the heap. The
 * migration rewrites each record once, keeps every id and time, and skips what layout 2
 * derives (slugs, display-name owners, listing, thread and card stores).
 */
import { idKey, pairKey, type Db, type IdKind, type PriorityRecord } from './db';
import type {
  ActivityEntry,
  ActivityKind,
  Comment,
  CommentRevision,
  Id,
  Item,
  Milestone,
  PrincipalId,
  Proposal,
  ProposalRevision,
  Role,
  Settings,
  Theme,
} from './model';
import { saveProposal } from './proposals';
import type { ProfileRecord } from './db';

export type LegacyRecord = { store: string; key: string; value: unknown };

/** Layout 1 carried principals as text; the canister turns them into PrincipalIds. */
export type PrincipalFromText = (text: string) => PrincipalId;

const hexId = (hex: string): Id => BigInt(`0x${hex}`);

export function migrateFromLayout1(
  records: Iterable<LegacyRecord>,
  db: Db,
  principal: PrincipalFromText,
): void {
  const priorities = new Map<PrincipalId, PriorityRecord>();
  const allocation = (member: PrincipalId): PriorityRecord => {
    let record = priorities.get(member);
    if (record === undefined) {
      record = { spent: 0, votes: [] };
      priorities.set(member, record);
    }
    return record;
  };
  for (const { store, key, value } of records) {
    switch (store) {
      case 'meta':
        if (key.startsWith('next/')) db.setNextId(key.slice(5) as IdKind, value as bigint);
        else if (key === 'settings') db.setSettings(value as Settings);
        else if (key.startsWith('spent/'))
          allocation(principal(key.slice(6))).spent = value as number;
        break;
      case 'themes':
        db.saveTheme(value as Theme);
        break;
      case 'milestones':
        db.saveMilestone(value as Milestone);
        break;
      case 'items':
        db.saveItem(value as Item);
        break;
      case 'proposals': {
        const proposal = value as Proposal;
        saveProposal(db, {
          ...proposal,
          author: principal(proposal.author),
          officialResponse: proposal.officialResponse.map((response) => ({
            ...response,
            by: principal(response.by),
          })) as Proposal['officialResponse'],
        });
        break;
      }
      case 'proposalRevisions':
        db.proposalRevisions.set(
          pairKey(hexId(key.slice(0, 16)), Number(hexId(key.slice(16)))),
          value as ProposalRevision,
        );
        break;
      case 'proposalVotes': {
        const id = hexId(key.slice(0, 16));
        const member = principal(key.slice(16));
        const side = value as 'Up' | 'Down';
        db.proposalVotes.set(pairKey(id, member), side);
        // As a vote cast today: the voter follows the proposal (which puts them on the list a
        // merge walks), and the lens lists it to weigh once they link a neuron.
        db.lens.voted(member, `p${id}`, side === 'Up' ? 'up' : 'down', true);
        db.inbox.follow(member, { Proposal: id }, false);
        break;
      }
      case 'priorityByMember': {
        const slash = key.lastIndexOf('/');
        allocation(principal(key.slice(0, slash))).votes.push({
          itemId: hexId(key.slice(slash + 1)),
          votes: value as number,
        });
        break;
      }
      case 'comments': {
        const { body, ...meta } = value as Comment;
        db.commentBodies.set(idKey(meta.id), body);
        db.saveCommentMeta({
          ...meta,
          author: principal(meta.author),
          deleted: meta.deleted.map((deletion) => ({
            ...deletion,
            by: principal(deletion.by),
          })) as Comment['deleted'],
        });
        break;
      }
      case 'commentRevisions':
        db.commentRevisions.set(
          pairKey(hexId(key.slice(0, 16)), Number(hexId(key.slice(16)))),
          value as CommentRevision,
        );
        break;
      case 'profiles':
        db.saveProfile(principal(key), value as ProfileRecord);
        break;
      case 'roles':
        db.setRole(principal(key), value as Role);
        break;
      case 'rateLimits': {
        const slash = key.indexOf('/');
        db.rateLimits.set(
          pairKey(key.slice(0, slash), principal(key.slice(slash + 1))),
          value as number[],
        );
        break;
      }
      case 'activity': {
        const entry = value as ActivityEntry;
        db.activity.set(idKey(entry.id), {
          ...entry,
          actor: principal(entry.actor),
          kind: activityKind(entry.kind, principal),
        });
        break;
      }
      default:
        // slugs, displayNames, proposalIndex, threadIndex, priorityVotes and proposalCards
        // are derived from the records above.
        break;
    }
  }
  for (const [member, record] of priorities) {
    record.votes.sort((a, b) => (a.itemId < b.itemId ? -1 : 1));
    db.priorities.set(member, record);
  }
}

function activityKind(kind: ActivityKind, principal: PrincipalFromText): ActivityKind {
  if ('RoleChanged' in kind) {
    return {
      RoleChanged: { ...kind.RoleChanged, principal: principal(kind.RoleChanged.principal) },
    };
  }
  return kind;
}
