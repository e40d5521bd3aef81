/**
 * 64-bit stable memory as sparse 64 KiB pages. Writes inside a message save the previous
 * contents of each 4 KiB block they touch once (an undo log in one reused buffer), so a trap
 * rolls back only what it touched, and record the byte ranges written, so the journal
 * receives exactly the bytes a message changed — a typical update writes a few hundred bytes
 * to a few KB of stable memory, and journaling whole 64 KiB pages instead made the journal
 * grow by 70–300 KB per update. An Azle canister makes hundreds of small stable reads and
 * writes per message, so the paths the System API uses (`readInto`, `writeFrom`) allocate
 * nothing.
 */
import type { StableChanges } from '../state/store';

export const PAGE_SIZE = 65536;
const MERGE_GAP = 64;
/** The IC allows up to 500 GiB of stable memory. */
export const MAX_STABLE_PAGES = (500 * 2 ** 30) / PAGE_SIZE;
/** Granularity of the undo log. */
const BLOCK = 4096;
const BLOCKS_PER_PAGE = PAGE_SIZE / BLOCK;
/** Copies up to this size go byte by byte: cheaper than a view and a native copy. */
const SMALL_COPY = 32;
/** An undo buffer grown past this by one large message is given back at the next message. */
const UNDO_KEEP = 16 * 1024 * 1024;

export class StableMemory {
  private pages = new Map<number, Uint8Array>();
  private sizePages = 0;
  /** Blocks saved in the open transaction: block index → offset of its old bytes in `undoBuffer`. */
  private undo = new Map<number, number>();
  private undoBuffer = new Uint8Array(16 * BLOCK);
  private undoUsed = 0;
  /** Pages that did not exist before the open transaction (a rollback drops them). */
  private created = new Set<number>();
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

  /**
   * The page to write into, after saving what the open transaction may change of it: the
   * blocks of [inPage, inPage + length), or nothing for a page the transaction created.
   */
  private writable(page: number, inPage: number, length: number): Uint8Array {
    let data = this.pages.get(page);
    if (!data) {
      data = new Uint8Array(PAGE_SIZE);
      this.pages.set(page, data);
      this.created.add(page);
      return data;
    }
    if (this.created.has(page)) return data;
    const first = page * BLOCKS_PER_PAGE + Math.floor(inPage / BLOCK);
    const last = page * BLOCKS_PER_PAGE + Math.floor((inPage + length - 1) / BLOCK);
    for (let block = first; block <= last; block++) {
      if (this.undo.has(block)) continue;
      if (this.undoUsed + BLOCK > this.undoBuffer.length) {
        const grown = new Uint8Array(this.undoBuffer.length * 2);
        grown.set(this.undoBuffer.subarray(0, this.undoUsed));
        this.undoBuffer = grown;
      }
      const from = (block - page * BLOCKS_PER_PAGE) * BLOCK;
      this.undoBuffer.set(data.subarray(from, from + BLOCK), this.undoUsed);
      this.undo.set(block, this.undoUsed);
      this.undoUsed += BLOCK;
    }
    return data;
  }

  inBounds(offset: number, length: number): boolean {
    return offset >= 0 && length >= 0 && offset + length <= this.sizePages * PAGE_SIZE;
  }

  read(offset: number, target: Uint8Array): void {
    this.readInto(offset, target, 0, target.length);
  }

  /** Copies `length` bytes at `offset` into `target` at `at` (bounds checked by the caller). */
  readInto(offset: number, target: Uint8Array, at: number, length: number): void {
    let done = 0;
    while (done < length) {
      const pos = offset + done;
      const page = Math.floor(pos / PAGE_SIZE);
      const inPage = pos - page * PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - inPage, length - done);
      const data = this.pages.get(page);
      const dst = at + done;
      if (!data) target.fill(0, dst, dst + n);
      else if (n <= SMALL_COPY) for (let i = 0; i < n; i++) target[dst + i] = data[inPage + i]!;
      else target.set(data.subarray(inPage, inPage + n), dst);
      done += n;
    }
  }

  write(offset: number, source: Uint8Array): void {
    this.writeFrom(offset, source, 0, source.length);
  }

  /** Writes `length` bytes of `source` from `at` to `offset` (bounds checked by the caller). */
  writeFrom(offset: number, source: Uint8Array, at: number, length: number): void {
    if (length === 0) return;
    const last = this.txRanges.length;
    // Sequential writes (the common case for serialised records) extend the previous range.
    if (last > 0 && this.txRanges[last - 1] === offset) this.txRanges[last - 1] = offset + length;
    else this.txRanges.push(offset, offset + length);
    let done = 0;
    while (done < length) {
      const pos = offset + done;
      const page = Math.floor(pos / PAGE_SIZE);
      const inPage = pos - page * PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - inPage, length - done);
      const data = this.writable(page, inPage, n);
      const src = at + done;
      if (n <= SMALL_COPY) for (let i = 0; i < n; i++) data[inPage + i] = source[src + i]!;
      else data.set(source.subarray(src, src + n), inPage);
      done += n;
    }
  }

  private clearUndo(): void {
    this.undo.clear();
    this.created.clear();
    this.undoUsed = 0;
    if (this.undoBuffer.length > UNDO_KEEP) this.undoBuffer = new Uint8Array(16 * BLOCK);
  }

  begin(): void {
    this.clearUndo();
    this.txRanges = [];
    this.sizeAtBegin = this.sizePages;
  }

  commit(): void {
    for (const x of this.txRanges) this.pendingRanges.push(x);
    this.txRanges = [];
    this.clearUndo();
    this.sizeAtBegin = this.sizePages;
  }

  rollback(): void {
    for (const page of this.created) this.pages.delete(page);
    for (const [block, saved] of this.undo) {
      const page = Math.floor(block / BLOCKS_PER_PAGE);
      const data = this.pages.get(page);
      const at = (block - page * BLOCKS_PER_PAGE) * BLOCK;
      data?.set(this.undoBuffer.subarray(saved, saved + BLOCK), at);
    }
    this.clearUndo();
    this.txRanges = [];
    this.sizePages = this.sizeAtBegin;
  }

  /** Empties the memory (reinstall); the journal must then drop earlier pages. */
  reset(): void {
    this.pages.clear();
    this.clearUndo();
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
    this.clearUndo();
    this.txRanges = [];
    this.pendingRanges = [];
    this.resetSinceTake = false;
  }

  /** All non-zero pages, for checkpoints. */
  allPages(): [number, Uint8Array][] {
    return [...this.pages].sort((a, b) => a[0] - b[0]);
  }
}
