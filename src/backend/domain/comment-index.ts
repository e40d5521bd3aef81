/**
 * Thread structure on the heap: each comment's metadata (no body), the top-level comments of
 * every target, the replies of every comment, every comment of each target (its feed reads the
 * newest from the end) and each member's live comments, all as id lists in posting order. Ids
 * only grow, so a new comment is always appended; a page resumes from a cursor with a binary
 * search in one list.
 */
import type { CommentMeta } from './db';
import type { Id, PrincipalId, Target } from './model';

export function targetKey(target: Target): string {
  if ('Proposal' in target) return `p${target.Proposal}`;
  if ('Item' in target) return `i${target.Item}`;
  return `m${target.Milestone}`;
}

export class CommentIndex {
  private readonly metas: Array<CommentMeta | undefined> = [];
  /** target → top-level comment ids, oldest first */
  private readonly topLevel = new Map<string, number[]>();
  /** comment id → reply ids, oldest first */
  private readonly replies = new Map<number, number[]>();
  /** target → the ids of all its comments, replies included, oldest first */
  private readonly inThread = new Map<string, number[]>();
  /** member → ids of their comments that are not deleted, oldest first */
  private readonly byAuthor = new Map<PrincipalId, number[]>();

  comment(id: Id): CommentMeta | undefined {
    return this.metas[Number(id)];
  }

  topLevelOf(target: Target): readonly number[] {
    return this.topLevel.get(targetKey(target)) ?? [];
  }

  repliesOf(id: number): readonly number[] {
    return this.replies.get(id) ?? [];
  }

  /** Every comment on `target`, replies included, oldest first. */
  threadOf(target: Target): readonly number[] {
    return this.inThread.get(targetKey(target)) ?? [];
  }

  authoredBy(member: PrincipalId): readonly number[] {
    return this.byAuthor.get(member) ?? [];
  }

  /** Adds a comment or applies a change to one (an edit, or its deletion). */
  update(meta: CommentMeta): void {
    const id = Number(meta.id);
    const previous = this.metas[id];
    this.metas[id] = meta;
    if (previous === undefined) {
      const list =
        meta.parentId.length === 1
          ? listIn(this.replies, Number(meta.parentId[0]))
          : listIn(this.topLevel, targetKey(meta.target));
      insertSorted(list, id);
      insertSorted(listIn(this.inThread, targetKey(meta.target)), id);
      if (meta.deleted.length === 0) insertSorted(listIn(this.byAuthor, meta.author), id);
    } else if (previous.deleted.length === 0 && meta.deleted.length === 1) {
      // Profile pages list what a member said, so tombstones leave the author index.
      const list = this.byAuthor.get(meta.author);
      if (list !== undefined) removeSorted(list, id);
    }
  }

  /** Returns the highest comment id (0 when there is none). */
  rebuild(metas: readonly CommentMeta[]): number {
    // Posting order is id order: taking the comments in it makes every list come out in order
    // by appends. Each is put in the slot of its id (ids are dense) rather than sorted with a
    // comparator, which runs a JS call per comparison (≈ 17 per comment at 100,000).
    let last = 0;
    for (let i = 0; i < metas.length; i++) last = Math.max(last, Number(metas[i]!.id));
    const byId = Array.from<CommentMeta | undefined>({ length: last + 1 });
    for (let i = 0; i < metas.length; i++) byId[Number(metas[i]!.id)] = metas[i];
    for (let id = 0; id <= last; id++) {
      const meta = byId[id];
      if (meta !== undefined) this.update(meta);
    }
    return last;
  }
}

function listIn<K>(map: Map<K, number[]>, key: K): number[] {
  let list = map.get(key);
  if (list === undefined) {
    list = [];
    map.set(key, list);
  }
  return list;
}

/** Index of the first entry ≥ `value` in an ascending list. */
export function lowerBound(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(list: number[], value: number): void {
  // Almost always an append: ids grow.
  if (list.length === 0 || list[list.length - 1]! < value) list.push(value);
  else list.splice(lowerBound(list, value), 0, value);
}

function removeSorted(list: number[], value: number): void {
  const at = lowerBound(list, value);
  if (list[at] === value) list.splice(at, 1);
}
