import type { Target } from '../api/models';

/** Where a thread lives in the app: the page of its proposal or roadmap entry. */
export function targetPath(target: Target): string {
  switch (target.kind) {
    case 'Proposal':
      return `/proposals/${target.id}`;
    case 'Item':
      return `/roadmap/items/${target.id}`;
    case 'Milestone':
      return `/roadmap/milestones/${target.id}`;
  }
}

/** A comment's permalink: its thread's page, scrolled to it. */
export function commentPath(comment: { id: string; target: Target }): string {
  return `${targetPath(comment.target)}#comment-${comment.id}`;
}
