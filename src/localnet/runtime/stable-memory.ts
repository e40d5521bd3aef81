/**
 * 64-bit stable memory as sparse 64 KiB pages. Writes inside a message record the page's
 * previous contents once (an undo log), so a trap rolls back only the pages it touched and
 * a commit hands exactly the changed pages to the journal — no copy of the whole memory
 * per message, which matters once stable memory holds hundreds of MB.
 */
export const PAGE_SIZE = 65536;
/** The IC allows up to 500 GiB of stable memory. */
export const MAX_STABLE_PAGES = (500 * 2 ** 30) / PAGE_SIZE;

export class StableMemory {
  private pages = new Map<number, Uint8Array>();
  private sizePages = 0;
  /** Pages touched in the open transaction with their contents before it. */
  private undo = new Map<number, Uint8Array | undefined>();
  private sizeAtBegin = 0;
  /** Pages changed by committed transactions and not yet taken by the journal. */
  private dirty = new Set<number>();
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
    this.sizeAtBegin = this.sizePages;
  }

  commit(): void {
    for (const page of this.undo.keys()) this.dirty.add(page);
    this.undo.clear();
    this.sizeAtBegin = this.sizePages;
  }

  rollback(): void {
    for (const [page, before] of this.undo) {
      if (before) this.pages.set(page, before);
      else this.pages.delete(page);
    }
    this.undo.clear();
    this.sizePages = this.sizeAtBegin;
  }

  /** Empties the memory (reinstall); the journal must then drop earlier pages. */
  reset(): void {
    this.pages.clear();
    this.undo.clear();
    this.dirty.clear();
    this.sizePages = 0;
    this.sizeAtBegin = 0;
    this.resetSinceTake = true;
  }

  /** Changes since the last call, for the journal. */
  takeChanges(): { reset: boolean; sizePages: number; pages: [number, Uint8Array][] } {
    const pages: [number, Uint8Array][] = [];
    for (const page of [...this.dirty].sort((a, b) => a - b)) {
      pages.push([page, this.pages.get(page) ?? new Uint8Array(PAGE_SIZE)]);
    }
    const reset = this.resetSinceTake;
    this.dirty.clear();
    this.resetSinceTake = false;
    return { reset, sizePages: this.sizePages, pages };
  }

  /** Restores state read from disk; nothing is marked dirty. */
  load(sizePages: number, pages: Iterable<[number, Uint8Array]>): void {
    this.pages.clear();
    for (const [i, data] of pages) this.pages.set(i, data);
    this.sizePages = sizePages;
    this.sizeAtBegin = sizePages;
    this.undo.clear();
    this.dirty.clear();
    this.resetSinceTake = false;
  }

  /** All non-zero pages, for checkpoints. */
  allPages(): [number, Uint8Array][] {
    return [...this.pages].sort((a, b) => a[0] - b[0]);
  }
}
