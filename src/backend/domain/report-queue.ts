/**
 * Open reports on the heap, grouped by target, in the order moderators work through them:
 * hidden content first (it waits for a decision), then the most reported, then the oldest.
 * Reports are few next to everything else (every decision closes a target's reports), so they
 * are all kept here; the order is one sorted key set like the proposal listings'.
 *
 * A queue key is one number, −(primary · 2²⁶) + seq: primary = hidden · 2²⁰ + count, seq the
 * order in which targets got their first open report, so ascending keys are the queue order.
 */
import type { Report, ReportTarget } from './model';
import { SortedKeys } from './storage/sorted-keys';

const SEQ_SPAN = 2 ** 26;
const COUNT_SPAN = 2 ** 20;

export type ReportGroupState = {
  key: string;
  target: ReportTarget;
  /** Oldest first. */
  reports: Report[];
  /** Reports from members in good standing when they reported: what auto-hide counts. */
  weight: number;
  hidden: boolean;
  seq: number;
};

export class ReportQueue {
  private readonly groups = new Map<string, ReportGroupState>();
  private readonly bySeq = new Map<number, ReportGroupState>();
  private order = new SortedKeys();
  private nextSeq = 0;

  group(key: string): ReportGroupState | undefined {
    return this.groups.get(key);
  }

  get size(): number {
    return this.groups.size;
  }

  /** Adds one report (the caller checked it is the reporter's only open one on the target). */
  add(key: string, target: ReportTarget, report: Report, counted: boolean): ReportGroupState {
    let group = this.groups.get(key);
    if (group === undefined) {
      if (this.nextSeq >= SEQ_SPAN) throw new Error('report queue sequence exhausted');
      group = { key, target, reports: [], weight: 0, hidden: false, seq: this.nextSeq++ };
      this.groups.set(key, group);
      this.bySeq.set(group.seq, group);
    } else {
      this.order.delete(queueKey(group));
    }
    // Oldest first, and reports of the same moment (one round) in the order of their reporters,
    // the order a rebuild reads them back in.
    let at = group.reports.length;
    while (at > 0 && reportOrder(group.reports[at - 1]!, report) > 0) at--;
    group.reports.splice(at, 0, report);
    if (counted) group.weight++;
    this.order.insert(queueKey(group));
    return group;
  }

  /** Closes every report on a target (a moderator decided). */
  close(key: string): ReportGroupState | undefined {
    const group = this.groups.get(key);
    if (group === undefined) return undefined;
    this.order.delete(queueKey(group));
    this.groups.delete(key);
    this.bySeq.delete(group.seq);
    return group;
  }

  /** Hidden targets move to the front of the queue. */
  setHidden(key: string, hidden: boolean): void {
    const group = this.groups.get(key);
    if (group === undefined || group.hidden === hidden) return;
    this.order.delete(queueKey(group));
    group.hidden = hidden;
    this.order.insert(queueKey(group));
  }

  /** Up to `limit` groups in queue order, after the one whose queue key is `after`. */
  page(after: number | undefined, limit: number): { groups: ReportGroupState[]; more: boolean } {
    const keys = this.order.range(after, limit + 1);
    const groups: ReportGroupState[] = [];
    for (const key of keys.slice(0, limit)) {
      const group = this.bySeq.get(seqOfKey(key));
      if (group === undefined) throw new Error(`report queue names a missing group ${key}`);
      groups.push(group);
    }
    return { groups, more: keys.length > limit };
  }

  /** Replaces everything: groups are numbered by their oldest open report. */
  rebuild(groups: ReadonlyArray<Omit<ReportGroupState, 'seq'>>): void {
    const sorted = [...groups]
      .map((group) => ({ ...group, reports: [...group.reports].sort(reportOrder) }))
      .sort((a, b) => cmp(a.reports[0]?.at ?? 0n, b.reports[0]?.at ?? 0n));
    const keys: number[] = [];
    for (const state of sorted) {
      const group: ReportGroupState = { ...state, seq: this.nextSeq++ };
      this.groups.set(group.key, group);
      this.bySeq.set(group.seq, group);
      keys.push(queueKey(group));
    }
    this.order = SortedKeys.from(keys);
  }
}

export function queueKey(group: ReportGroupState): number {
  const primary = (group.hidden ? COUNT_SPAN : 0) + Math.min(group.reports.length, COUNT_SPAN - 1);
  return -(primary * SEQ_SPAN) + group.seq;
}

function seqOfKey(key: number): number {
  return ((key % SEQ_SPAN) + SEQ_SPAN) % SEQ_SPAN;
}

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** Reports by time, then by reporter (the byte order of their principals). */
const reportOrder = (a: Report, b: Report): number =>
  cmp(a.at, b.at) || (a.reporter < b.reporter ? -1 : a.reporter > b.reporter ? 1 : 0);
