/**
 * What open-data.ts reads, from the records and heap indexes: texts decoded (never the stored
 * bytes that replies pass on verbatim), visibility as an anonymous visitor has it.
 */
import { type Db, pairKey } from './db';
import { mergeView } from './merge-store';
import type { Comment, Id, PrincipalId, ProposalRevision, Roadmap, Target } from './model';
import type { OpenDataSource } from './open-data';
import { idOfKey } from './proposal-index';

/** Comments examined at most, newest first, to find the newest visible ones of a thread. */
const THREAD_WALK = 5_000;

export function openDataSource(
  db: Db,
  roadmap: () => Roadmap,
  principalText: (member: PrincipalId) => string,
): OpenDataSource {
  const principalTexts = new Map<PrincipalId, string>();
  const proposal = (id: Id) => {
    const found = db.proposal(id, 'decoded');
    if (found === undefined) return undefined;
    const merge = db.merges.of(id);
    return {
      proposal: found,
      hidden: db.proposalIndex.isHidden(id),
      merge: merge && mergeView(id, merge),
      response: db.responses.about(id)[0],
    };
  };
  const visibleComment = (id: Id): Comment | undefined => {
    const comment = db.comment(id, 'decoded');
    return comment === undefined || comment.deleted.length === 1 || comment.hidden.length === 1
      ? undefined
      : comment;
  };
  return {
    newestProposals(limit) {
      const keys = db.proposalIndex.listing('N', 'all')?.range(undefined, limit) ?? [];
      return keys.flatMap((key) => {
        const found = db.proposal(idOfKey(key), 'decoded');
        return found === undefined ? [] : [found];
      });
    },
    proposal,
    revisionCount(id) {
      const card = db.card(id);
      return card === undefined || db.proposalIndex.isHidden(id) ? undefined : card.revisionCount;
    },
    revisions(id, from, limit) {
      const out: ProposalRevision[] = [];
      for (let n = from; out.length < limit; n++) {
        const revision = db.proposalRevisions.get(pairKey(id, n));
        if (revision === undefined) break;
        out.push(revision);
      }
      return out;
    },
    newestComments(target: Target, limit) {
      // From the newest back (ids grow with time), past deleted and hidden ones.
      const ids = db.commentIndex.threadOf(target);
      const out: Comment[] = [];
      for (let i = ids.length - 1; i >= 0 && ids.length - i <= THREAD_WALK; i--) {
        if (out.length === limit) break;
        const comment = visibleComment(BigInt(ids[i]!));
        if (comment !== undefined) out.push(comment);
      }
      return out;
    },
    comment(id) {
      const comment = db.comment(id, 'decoded');
      if (comment === undefined) return undefined;
      const on = comment.target;
      return {
        comment,
        onHidden: 'Proposal' in on && db.proposalIndex.isHidden(on.Proposal),
      };
    },
    activity: (id) => db.activityEntry(id),
    roadmap,
    lastId: (kind) => db.lastId(kind),
    displayName: (member) => db.displayName(member),
    principalText: (member) => {
      // A page names the same few members many times, and the text form costs about a
      // million instructions to compute.
      let text = principalTexts.get(member);
      if (text === undefined) {
        text = principalText(member);
        principalTexts.set(member, text);
      }
      return text;
    },
  };
}
