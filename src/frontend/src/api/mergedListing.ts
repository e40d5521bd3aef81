/**
 * One listing over several proposal statuses, for as long as `listProposals` filters by one
 * status only: each status is listed on its own (same sort, same other filters) and the pages
 * are merged in the backend's own order, so "open, under review and planned" reads as one
 * list with working "Load more". The backend orders every listing by a sort key that depends
 * only on the proposal (never on the current time), ties going to the newer proposal; the
 * comparators below compute the same keys.
 */
import type { ProposalSort, ProposalStatusKind, ProposalSummary } from './models';

export interface MergedStream {
  status: ProposalStatusKind;
  /** The backend's cursor for the next page of this status; undefined before the first. */
  cursor: string | undefined;
  /** No page left to fetch for this status. */
  done: boolean;
  /** Fetched but not yet shown, in the backend's order. */
  buffer: ProposalSummary[];
}

export interface MergedCursor {
  kind: 'merged';
  streams: MergedStream[];
}

export interface StatusPage {
  proposals: ProposalSummary[];
  nextCursor: string | undefined;
}

/** Reddit's hot rank exactly as the backend indexes it (to 1/1000 of a 12.5-hour step). */
export function hotRank(up: number, down: number, createdAt: Date): number {
  const score = up - down;
  const order = Math.log10(Math.max(Math.abs(score), 1));
  const seconds = Math.floor(createdAt.getTime() / 1000);
  return Math.round((Math.sign(score) * order + seconds / 45000) * 1000);
}

/**
 * The backend's VotingPower key: net voting power (up − down, e8s) on a log scale, to one part
 * in a million, so that proposals whose net power differs by less compare as equal there too.
 */
export function powerRank(upPower: bigint, downPower: bigint): number {
  const net = upPower - downPower;
  const magnitude = Number(net < 0n ? -net : net);
  const steps = Math.round(Math.log10(1 + magnitude) * 3_000_000);
  return net < 0n ? -steps : steps;
}

function newerFirst(a: ProposalSummary, b: ProposalSummary): number {
  const x = BigInt(a.id);
  const y = BigInt(b.id);
  return x === y ? 0 : x > y ? -1 : 1;
}

/** Negative when `a` comes before `b` in the backend's listing for `sort`. */
export function listingOrder(
  sort: ProposalSort,
): (a: ProposalSummary, b: ProposalSummary) => number {
  const byKey = (key: (p: ProposalSummary) => number) => (a: ProposalSummary, b: ProposalSummary) =>
    key(b) - key(a) || newerFirst(a, b);
  switch (sort) {
    case 'New':
      return newerFirst;
    case 'Oldest':
      return (a, b) => newerFirst(b, a);
    case 'Top':
      return byKey((p) => p.up - p.down);
    case 'MostDiscussed':
      return byKey((p) => p.commentCount);
    case 'Hot':
      return byKey((p) => hotRank(p.up, p.down, p.createdAt));
    case 'VotingPower':
      return byKey((p) => powerRank(p.upPower ?? 0n, p.downPower ?? 0n));
  }
}

export async function mergedPage(
  statuses: readonly ProposalStatusKind[],
  sort: ProposalSort,
  limit: number,
  cursor: MergedCursor | undefined,
  fetchPage: (status: ProposalStatusKind, cursor: string | undefined) => Promise<StatusPage>,
): Promise<{ proposals: ProposalSummary[]; nextCursor: MergedCursor | undefined }> {
  const streams: MergedStream[] = (
    cursor?.streams ??
    statuses.map((status) => ({ status, cursor: undefined, done: false, buffer: [] }))
  ).map((s) => ({ ...s, buffer: [...s.buffer] }));
  const order = listingOrder(sort);
  const out: ProposalSummary[] = [];

  // A proposal can only be shown once every status that may still hold an earlier one has a
  // fetched head to compare with, so empty buffers are refilled before each pick.
  const refill = async () => {
    for (;;) {
      const empty = streams.filter((s) => s.buffer.length === 0 && !s.done);
      if (empty.length === 0) return;
      await Promise.all(
        empty.map(async (s) => {
          const page = await fetchPage(s.status, s.cursor);
          s.buffer.push(...page.proposals);
          s.cursor = page.nextCursor;
          s.done = page.nextCursor === undefined;
        }),
      );
    }
  };

  while (out.length < limit) {
    await refill();
    let best: MergedStream | undefined;
    for (const s of streams) {
      const head = s.buffer[0];
      if (head && (!best || order(head, best.buffer[0] as ProposalSummary) < 0)) best = s;
    }
    if (!best) break;
    out.push(best.buffer.shift() as ProposalSummary);
  }

  const more = streams.some((s) => s.buffer.length > 0 || !s.done);
  return { proposals: out, nextCursor: more ? { kind: 'merged', streams } : undefined };
}
