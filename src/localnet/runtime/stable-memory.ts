/**
 * 64-bit stable memory as sparse 64 KiB pages. Writes inside a message record the page's
 * previous contents once (an undo log), so a trap rolls back only the pages it touched, and
 * the byte ranges written, so the journal receives exactly the bytes a message changed — a
 * typical update writes a few hundred bytes to a few KB of stable memory, and journaling
 * whole 64 KiB pages instead made the journal grow by 70–300 KB per update.
 */
import type { StableChanges } from '../state/store';

export const PAGE_SIZE = 65536;
const MERGE_GAP = 64;
/** The IC allows up to 500 GiB of stable memory. */
export const MAX_STABLE_PAGES = (500 * 2 ** 30) / PAGE_SIZE;

export class StableMemory {
  private pages = new Map<number, Uint8Array>();
  private sizePages = 0;
  /** Pages touched in the open transaction with their contents before it. */
  private undo = new Map<number, Uint8Array | undefined>();
  private sizeAtBegin = 0;
  /** Byte ranges written in the open transaction, as flat [start, end) pairs. */
  private txRanges: number[] = [];
  /** Byte ranges written by committed transactions and not yet taken by the journal. */
  private pendingRanges: number[] = [];
  private resetSinceTake = false;

  get size(): number {
    return this.sizePages;
  }

  /** Bytes currently in use (non-zero pages held in memory). */
  get residentBytes(): number {
    return this.pages.size * PAGE_SIZE;
  }

  /** Returns the previous size in pages, or -1 when the memory cannot grow that much. */
  grow(newPages: number): number {
    const old = this.sizePages;
    if (newPages < 0 || old + newPages > MAX_STABLE_PAGES) return -1;
    this.sizePages = old + newPages;
    return old;
  }

  private touch(page: number): Uint8Array {
    let data = this.pages.get(page);
    if (!this.undo.has(page)) this.undo.set(page, data ? data.slice() : undefined);
    if (!data) {
      data = new Uint8Array(PAGE_SIZE);
      this.pages.set(page, data);
    }
    return data;
  }

  inBounds(offset: number, length: number): boolean {
    return offset >= 0 && length >= 0 && offset + length <= this.sizePages * PAGE_SIZE;
  }

  read(offset: number, target: Uint8Array): void {
    let done = 0;
    while (done < target.length) {
      const pos = offset + done;
      const page = Math.floor(pos / PAGE_SIZE);
      const inPage = pos % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - inPage, target.length - done);
      const data = this.pages.get(page);
      if (data) target.set(data.subarray(inPage, inPage + n), done);
      else target.fill(0, done, done + n);
      done += n;
    }
  }

  write(offset: number, source: Uint8Array): void {
    if (source.length === 0) return;
    const last = this.txRanges.length;
    // Sequential writes (the common case for serialised records) extend the previous range.
    if (last > 0 && this.txRanges[last - 1] === offset)
      this.txRanges[last - 1] = offset + source.length;
    else this.txRanges.push(offset, offset + source.length);
    let done = 0;
    while (done < source.length) {
      const pos = offset + done;
      const page = Math.floor(pos / PAGE_SIZE);
      const inPage = pos % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - inPage, source.length - done);
      this.touch(page).set(source.subarray(done, done + n), inPage);
      done += n;
    }
  }

  begin(): void {
    this.undo.clear();
    this.txRanges = [];
    this.sizeAtBegin = this.sizePages;
  }

  commit(): void {
    for (const x of this.txRanges) this.pendingRanges.push(x);
    this.txRanges = [];
    this.undo.clear();
    this.sizeAtBegin = this.sizePages;
  }

  rollback(): void {
    for (const [page, before] of this.undo) {
      if (before) this.pages.set(page, before);
      else this.pages.delete(page);
    }
    this.undo.clear();
    this.txRanges = [];
    this.sizePages = this.sizeAtBegin;
  }

  /** Empties the memory (reinstall); the journal must then drop earlier pages. */
  reset(): void {
    this.pages.clear();
    this.undo.clear();
    this.txRanges = [];
    this.pendingRanges = [];
    this.sizePages = 0;
    this.sizeAtBegin = 0;
    this.resetSinceTake = true;
  }

  /**
   * What the journal has not seen yet, including the open transaction (so a message can be
   * made durable before it is committed): written ranges merged and read back.
   */
  pendingChanges(): StableChanges {
    const flat = [...this.pendingRanges, ...this.txRanges];
    const pairs: [number, number][] = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i] as number, flat[i + 1] as number]);
    pairs.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [start, end] of pairs) {
      const prev = merged[merged.length - 1];
      // Small gaps are cheaper to rewrite than to describe as another range.
      if (prev && start <= prev[1] + MERGE_GAP) prev[1] = Math.max(prev[1], end);
      else merged.push([start, end]);
    }
    const ranges: [number, Uint8Array][] = [];
    const limit = this.sizePages * PAGE_SIZE;
    for (const [start, rawEnd] of merged) {
      const end = Math.min(rawEnd, limit);
      if (end <= start) continue;
      const data = new Uint8Array(end - start);
      this.read(start, data);
      ranges.push([start, data]);
    }
    return { reset: this.resetSinceTake, sizePages: this.sizePages, ranges };
  }

  /** The journal holds everything up to the last commit. */
  markJournaled(): void {
    this.pendingRanges = [];
    this.resetSinceTake = false;
  }

  /** Changes since the last call, for the journal. */
  takeChanges(): StableChanges {
    const changes = this.pendingChanges();
    this.markJournaled();
    return changes;
  }

  /** Restores state read from disk; nothing is marked dirty. */
  load(sizePages: number, pages: Iterable<[number, Uint8Array]>): void {
    this.pages.clear();
    for (const [i, data] of pages) this.pages.set(i, data);
    this.sizePages = sizePages;
    this.sizeAtBegin = sizePages;
    this.undo.clear();
    this.txRanges = [];
    this.pendingRanges = [];
    this.resetSinceTake = false;
  }

  /** All non-zero pages, for checkpoints. */
  allPages(): [number, Uint8Array][] {
    return [...this.pages].sort((a, b) => a[0] - b[0]);
  }
}
