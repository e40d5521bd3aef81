/**
 * Merging duplicates, as Canny and Fider do: a moderator merges a duplicate into the proposal
 * it duplicates. The duplicate becomes Duplicate(target) and closes; every vote on it is added
 * to the target unless the member already voted there (their own vote wins); its author gets an
 * up-vote on the target if they had none there; its followers follow the target. Comments stay
 * on the duplicate, and its own tally stays as it was, so an unmerge has nothing to rebuild
 * there.
 *
 * Every vote added to the target is recorded (`mergeMoves`), so an admin can undo the merge and
 * take back exactly those votes; a moved vote the member has changed since is theirs and stays.
 *
 * Votes are found by walking the duplicate's follow list, which holds every member who ever
 * voted on it (see Inbox.list). Moving a vote costs a few million instructions (a dozen small
 * records: the vote, the move, the lens's list, the follow), so the merge's own message moves
 * only the author's and follow-up messages move the rest, in bounded slices: a proposal with
 * 10k voters is merged over several messages, `Merging` until done. An unmerge likewise.
 */
import { requireAdmin, requireModerator, type CallContext } from './context';
import { pairKey, type Db, type VoteDirection } from './db';
import { mergeView, type MergeRecord } from './merge-store';
import type { Id, Merge, MergeRequest, Opt, PrincipalId, ProposalStatus } from './model';
import { saveProposal, saveTallies, votingClosed } from './proposals';
import { conflict, invalid, isErr, notFound, ok, type Result } from './result';
import { cleanText } from './text';

/** The candid methods of merging, and the follow-up work that moves votes. */
export class MergeService {
  constructor(private readonly db: Db) {}

  merge(ctx: CallContext, request: MergeRequest): Result<Merge> {
    const denied = requireModerator(this.db, ctx);
    if (denied) return denied;
    const { duplicate, into } = request;
    if (duplicate === into) return invalid('into', 'a proposal cannot be merged into itself');
    const proposal = this.db.proposal(duplicate, 'verbatim');
    if (proposal === undefined) return notFound(`proposal ${duplicate}`);
    const target = this.db.card(into);
    if (target === undefined) return notFound(`proposal ${into}`);
    const earlier = this.db.merges.of(duplicate);
    if (earlier !== undefined) {
      return conflict(`proposal ${duplicate} is already merged into proposal ${earlier.into}`);
    }
    const absorbed = this.db.merges.duplicatesMergedInto(duplicate);
    if (absorbed.length > 0) {
      return conflict(
        `proposal ${absorbed.join(', ')} ${absorbed.length === 1 ? 'was' : 'were'} merged into ` +
          `proposal ${duplicate}: undo ${absorbed.length === 1 ? 'that merge' : 'those merges'} ` +
          `first, or merge into proposal ${duplicate} instead`,
      );
    }
    if (votingClosed(target.status)) {
      return conflict(`voting is closed on proposal ${into}: merge into an open proposal`);
    }
    if (this.db.proposalIndex.isHidden(into)) {
      return conflict(`proposal ${into} is hidden and its votes are frozen`);
    }
    let note: Opt<string> = [];
    if (request.note.length === 1) {
      const clean = cleanText(request.note[0], { field: 'note', min: 1, max: 1000 });
      if (isErr(clean)) return clean;
      note = [clean.Ok];
    }

    const status: ProposalStatus = { Duplicate: into };
    saveProposal(this.db, { ...proposal, status, updatedAt: ctx.now }, proposal);
    this.db.log(ctx.caller, ctx.now, { ProposalMerged: { proposalId: duplicate, into, note } });
    this.db.inbox.tellFollowers(
      { Proposal: duplicate },
      ctx.now,
      { StatusChanged: { proposalId: duplicate, status, response: false } },
      [ctx.caller],
    );
    const record: MergeRecord = {
      into,
      by: ctx.caller,
      at: ctx.now,
      note,
      state: 'merging',
      previousStatus: proposal.status,
      scanned: 0,
      moved: 0,
      undone: 0,
    };
    // The author's up-vote first: they get one on the target even if they withdrew theirs.
    const tally = { up: 0, down: 0 };
    if (this.addVote(duplicate, record, proposal.author, 'Up')) tally.up++;
    this.db.inbox.follow(proposal.author, { Proposal: into }, false);
    this.db.merges.save(duplicate, record);
    this.saveTally(into, tally);
    return ok(mergeView(duplicate, record));
  }

  unmerge(ctx: CallContext, duplicate: Id): Result<Merge> {
    const denied = requireAdmin(this.db, ctx);
    if (denied) return denied;
    const record = this.db.merges.of(duplicate);
    if (record === undefined) return notFound(`a merge of proposal ${duplicate}`);
    if (record.state === 'merging') {
      return conflict('its votes are still moving: undo the merge once it is done');
    }
    if (record.state === 'unmerging') return conflict('the merge is already being undone');
    const proposal = this.db.proposal(duplicate, 'verbatim');
    // A status set by hand since the merge stands.
    if (
      proposal !== undefined &&
      'Duplicate' in proposal.status &&
      proposal.status.Duplicate === record.into
    ) {
      const status = record.previousStatus;
      saveProposal(this.db, { ...proposal, status, updatedAt: ctx.now }, proposal);
    }
    this.db.log(ctx.caller, ctx.now, {
      ProposalUnmerged: { proposalId: duplicate, into: record.into },
    });
    const unmerging: MergeRecord = { ...record, state: 'unmerging' };
    this.db.merges.save(duplicate, unmerging);
    return ok(mergeView(duplicate, unmerging));
  }

  pending(): number {
    return this.db.merges.unfinishedCount();
  }

  /** Moves votes (or takes them back) until `stop` says so; returns how many merges are left. */
  run(stop: () => boolean): number {
    for (const duplicate of this.db.merges.unfinished()) {
      if (stop()) break;
      const record = this.db.merges.of(duplicate);
      if (record?.state === 'merging') this.moveVotes(duplicate, record, stop);
      else if (record?.state === 'unmerging') this.takeVotesBack(duplicate, record, stop);
    }
    return this.pending();
  }

  private moveVotes(duplicate: Id, record: MergeRecord, stop: () => boolean): void {
    const from = { Proposal: duplicate };
    const to = { Proposal: record.into };
    const author = this.db.card(duplicate)?.author;
    const length = this.db.inbox.listLength(from);
    const next = { ...record };
    const tally = { up: 0, down: 0 };
    while (next.scanned < length && !stop()) {
      const member = this.db.inbox.listed(from, next.scanned);
      next.scanned++;
      // The author's vote was settled when the merge began.
      if (member === undefined || member === author) continue;
      if (this.db.inbox.isFollowing(member, from)) this.db.inbox.follow(member, to, false);
      const side = this.db.proposalVotes.get(pairKey(duplicate, member));
      if (side !== undefined && this.addVote(duplicate, next, member, side)) {
        tally[side === 'Up' ? 'up' : 'down']++;
      }
    }
    if (next.scanned >= length) next.state = 'merged';
    this.db.merges.save(duplicate, next);
    this.saveTally(record.into, tally);
  }

  /** Adds the member's vote to the target unless they have one there; records the move. */
  private addVote(
    duplicate: Id,
    record: MergeRecord,
    member: PrincipalId,
    side: VoteDirection,
  ): boolean {
    const target = this.db.card(record.into);
    if (target === undefined) return false;
    // Authors never vote against their own proposal.
    if (side === 'Down' && member === target.author) return false;
    const key = pairKey(record.into, member);
    if (this.db.proposalVotes.get(key) !== undefined) return false;
    this.db.proposalVotes.set(key, side);
    this.db.lens.voted(member, `p${record.into}`, side === 'Up' ? 'up' : 'down', true);
    this.db.merges.moves.set(pairKey(duplicate, record.moved), { member, side });
    record.moved++;
    return true;
  }

  /** Takes back the votes the merge added, then removes the merge. */
  private takeVotesBack(duplicate: Id, record: MergeRecord, stop: () => boolean): void {
    const next = { ...record };
    const tally = { up: 0, down: 0 };
    while (next.undone < next.moved && !stop()) {
      const key = pairKey(duplicate, next.undone);
      const move = this.db.merges.moves.get(key);
      next.undone++;
      this.db.merges.moves.delete(key);
      if (move === undefined) continue;
      const voteKey = pairKey(record.into, move.member);
      if (this.db.proposalVotes.get(voteKey) !== move.side) continue;
      this.db.proposalVotes.delete(voteKey);
      this.db.lens.voted(move.member, `p${record.into}`, undefined, false);
      tally[move.side === 'Up' ? 'up' : 'down']--;
    }
    this.saveTally(record.into, tally);
    if (next.undone < next.moved) this.db.merges.save(duplicate, next);
    else this.db.merges.remove(duplicate);
  }

  private saveTally(id: Id, change: { up: number; down: number }): void {
    if (change.up === 0 && change.down === 0) return;
    const card = this.db.card(id);
    if (card === undefined) return;
    saveTallies(this.db, {
      ...card,
      up: Math.max(0, card.up + change.up),
      down: Math.max(0, card.down + change.down),
    });
  }
}
