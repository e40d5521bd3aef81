import type { Comment } from '../api/models';

export interface ThreadNode {
  comment: Comment;
  children: ThreadNode[];
  /** Number of replies below this comment at any depth. */
  descendants: number;
}

/**
 * Rebuilds the reply tree from the backend's pre-order list (each reply right after its parent,
 * with its depth). Parent ids are preferred; the depth stack places a reply whose parent is on
 * an earlier page so it is never lost.
 */
export function buildThreadTree(comments: Comment[]): ThreadNode[] {
  const roots: ThreadNode[] = [];
  const byId = new Map<string, ThreadNode>();
  const stack: ThreadNode[] = [];
  for (const comment of comments) {
    if (byId.has(comment.id)) continue;
    const node: ThreadNode = { comment, children: [], descendants: 0 };
    byId.set(comment.id, node);
    const parent =
      (comment.parentId !== undefined ? byId.get(comment.parentId) : undefined) ??
      (comment.depth > 0 ? stack[comment.depth - 1] : undefined);
    if (parent) parent.children.push(node);
    else roots.push(node);
    stack.length = comment.depth;
    stack[comment.depth] = node;
  }
  const count = (node: ThreadNode): number =>
    (node.descendants = node.children.reduce((sum, child) => sum + 1 + count(child), 0));
  roots.forEach(count);
  return roots;
}
