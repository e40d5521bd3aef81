/**
 * A running module: the WebAssembly instance plus a committed copy of its linear memory
 * (the shadow) and mutable globals, so that a trap or a query returns to the last commit.
 *
 * Dirty pages: the install-time rewrite (`rewrite-module.mjs`, `addDirtyTracking`) makes
 * every store, `memory.copy`/`fill`/`init` first set a byte for the 4 KiB page it writes in
 * a bitmap kept above the canister's memory, and the System API marks the destinations it
 * writes the same way (`HeapAccess.written`). `commit()` copies only the
 * marked pages into the shadow and `rollback()` copies only them back, so a message costs
 * the pages it wrote plus a scan of one bitmap byte per 4 KiB of heap (a few µs per 100 MB),
 * not a copy of the whole heap (tens of ms at benchmark sizes).
 *
 * `memory.size`/`memory.grow` are virtualised: the canister's memory is
 * [0, heapPages × 64 KiB) of a physical memory that never shrinks. A rolled-back grow just
 * lowers `heapPages` again (a wasm memory cannot shrink; the previous design started a new
 * instance and copied the whole heap into it). Pages above `heapPages` stay zero: rollback
 * zeroes the ones a message wrote, and commit zeroes writes there (on the IC they trap).
 * Deviation: a wasm access between `heapPages` and the physical size does not trap here.
 *
 * Modules the rewrite could not instrument (`prepared.dirty` absent) keep the copy of the
 * whole heap per message.
 */
import { COUNTER_EXPORT, LIMIT_EXPORT, type DirtyLayout, type PreparedModule } from './module';
import {
  CanisterTrap,
  systemApi,
  unknownImports,
  type HeapAccess,
  type SystemApiHost,
} from './system-api';

export class UnknownImportsError extends Error {
  constructor(readonly names: string[]) {
    super(`Wasm module imports functions the local replica does not provide: ${names.join(', ')}`);
  }
}

export type GlobalValue = number | bigint;

const WASM_PAGE = 65536;

export class CanisterInstance {
  private instance: WebAssembly.Instance;
  private readonly imports: WebAssembly.Imports;
  private readonly dirty: DirtyLayout | undefined;
  /** Committed heap; with tracking its length is a capacity, bytes past `committedBytes` are 0. */
  private shadowHeap = new Uint8Array(0);
  private shadowGlobals: GlobalValue[] = [];
  private committedPages = 0;
  private memoryObj: WebAssembly.Memory | undefined;
  private globals: WebAssembly.Global[] = [];
  private pagesGlobal: WebAssembly.Global | undefined;
  private baseGlobal: WebAssembly.Global | undefined;
  /**
   * With tracking: the canister's memory size in wasm pages and the bitmap's address. Only
   * this class changes them (the rewritten module reads its size from the exported global
   * and grows through `grow`), so reading a WebAssembly.Global per access is not needed.
   */
  private heapPages = 0;
  private bitmapBase = 0;
  /** Views kept between calls; a grown memory detaches them (byteLength 0), which renews them. */
  private heapView: Uint8Array = new Uint8Array(0);
  private heapViewStale = true;
  private bitmapView: Uint8Array = new Uint8Array(0);

  constructor(
    readonly prepared: PreparedModule,
    host: SystemApiHost,
  ) {
    this.dirty = prepared.memoryExport ? prepared.dirty : undefined;
    const heap: HeapAccess = {
      memory: () => this.memory(),
      written: this.dirty ? (dst, size) => this.markWritten(dst, size) : () => undefined,
    };
    this.imports = systemApi(host, heap);
    if (this.dirty) {
      const grow = (delta: number): number => this.grow(this.dirty as DirtyLayout, delta);
      const growImport = this.dirty.growImport;
      this.imports[growImport.module] = {
        ...this.imports[growImport.module],
        [growImport.name]: grow,
      };
    }
    const missing = unknownImports(prepared.module, this.imports);
    if (missing.length > 0) throw new UnknownImportsError(missing);
    this.instance = this.instantiate();
    if (this.dirty) {
      this.placeBitmap(this.dirty);
      // What instantiation and the start function wrote was not all marked (data segments
      // are not stores): the first shadow is a full copy.
      const mem = this.memory();
      this.shadowHeap = mem.slice();
      this.committedPages = mem.length / WASM_PAGE;
      this.bitmap().fill(0);
      this.shadowGlobals = this.globals.map((g) => g.value as GlobalValue);
    }
  }

  private instantiate(): WebAssembly.Instance {
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(this.prepared.module, this.imports);
    } catch (err) {
      throw asTrap(err);
    }
    const exports = instance.exports;
    this.memoryObj = this.prepared.memoryExport
      ? (exports[this.prepared.memoryExport] as WebAssembly.Memory)
      : undefined;
    this.heapViewStale = true;
    this.globals = this.prepared.globalExports.map((name) => exports[name] as WebAssembly.Global);
    return instance;
  }

  /** Puts the bitmap above the initial memory, then runs the start function the rewrite held back. */
  private placeBitmap(layout: DirtyLayout): void {
    const exports = this.instance.exports;
    const memObj = this.memoryObj as WebAssembly.Memory;
    this.pagesGlobal = exports[layout.pagesExport] as WebAssembly.Global;
    this.baseGlobal = exports[layout.baseExport] as WebAssembly.Global;
    const initialPages = memObj.buffer.byteLength / WASM_PAGE;
    try {
      memObj.grow(layout.bitmapPages);
    } catch (err) {
      throw asTrap(err);
    }
    this.setPages(initialPages);
    this.setBitmapBase(initialPages * WASM_PAGE);
    if (layout.startExport) this.invoke(layout.startExport);
  }

  private setPages(pages: number): void {
    (this.pagesGlobal as WebAssembly.Global).value = pages;
    this.heapPages = pages;
    this.heapViewStale = true;
  }

  private setBitmapBase(base: number): void {
    (this.baseGlobal as WebAssembly.Global).value = base;
    this.bitmapBase = base;
    this.bitmapView = new Uint8Array(0);
  }

  /** Bitmap view: one byte per tracked page of the 4 GiB address space. */
  private bitmap(): Uint8Array {
    let view = this.bitmapView;
    if (view.byteLength === 0) {
      const layout = this.dirty as DirtyLayout;
      view = new Uint8Array(
        (this.memoryObj as WebAssembly.Memory).buffer,
        this.bitmapBase,
        2 ** (32 - layout.pageShift),
      );
      this.bitmapView = view;
    }
    return view;
  }

  /** Marks the pages of [dst, dst + size), which the System API checked to lie in the heap. */
  private markWritten(dst: number, size: number): void {
    if (size <= 0) return;
    let bitmap = this.bitmapView;
    if (bitmap.byteLength === 0) bitmap = this.bitmap();
    // In the heap, so below 4 GiB: unsigned 32-bit shifts are exact.
    const shift = (this.dirty as DirtyLayout).pageShift;
    const last = (dst + size - 1) >>> shift;
    for (let page = dst >>> shift; page <= last; page++) bitmap[page] = 1;
  }

  /** `memory.grow` of the rewritten module: `delta` pages more, or -1, like the instruction. */
  private grow(layout: DirtyLayout, delta: number): number {
    const memObj = this.memoryObj as WebAssembly.Memory;
    const old = this.heapPages;
    // The operand is an i32 the instruction reads as unsigned.
    const want = delta >>> 0;
    if (want > layout.maxPages - old) return -1;
    const pages = old + want;
    const base = this.bitmapBase;
    const capacity = base / WASM_PAGE;
    if (pages > capacity) {
      // Grow by an eighth more than asked so a heap growing page by page moves the bitmap
      // O(log) times, within the canister's maximum.
      const room = layout.maxPages - capacity;
      const extra = Math.min(Math.max(pages - capacity, capacity >> 3), room);
      try {
        memObj.grow(extra);
      } catch {
        return -1;
      }
      const bytes = new Uint8Array(memObj.buffer);
      const bitmapBytes = layout.bitmapPages * WASM_PAGE;
      const newBase = base + extra * WASM_PAGE;
      bytes.copyWithin(newBase, base, base + bitmapBytes);
      // The old bitmap's place is now canister memory, which must read as zero.
      bytes.fill(0, base, Math.min(newBase, base + bitmapBytes));
      this.setBitmapBase(newBase);
    }
    this.setPages(pages);
    return old;
  }

  /** The canister's heap. Kept between calls: the System API reads it hundreds of times per message. */
  memory(): Uint8Array {
    const view = this.heapView;
    if (!this.heapViewStale && view.byteLength !== 0) return view;
    if (!this.memoryObj) return new Uint8Array(0);
    const fresh = this.pagesGlobal
      ? new Uint8Array(this.memoryObj.buffer, 0, this.heapPages * WASM_PAGE)
      : new Uint8Array(this.memoryObj.buffer);
    this.heapView = fresh;
    this.heapViewStale = false;
    return fresh;
  }

  hasExport(name: string): boolean {
    return typeof this.instance.exports[name] === 'function';
  }

  /** Runs an exported function; wasm faults become `CanisterTrap`. */
  invoke(name: string, ...args: number[]): void {
    const fn = this.instance.exports[name] as ((...a: number[]) => unknown) | undefined;
    if (typeof fn !== 'function')
      throw new CanisterTrap(`export ${name} not found`, false, 'IC0536');
    try {
      fn(...args);
    } catch (err) {
      throw asTrap(err);
    }
  }

  /** Calls a callback from the module's function table (reply/reject/cleanup). */
  invokeTable(index: number, env: number): void {
    const tableName = this.prepared.tableExport;
    const table = tableName ? (this.instance.exports[tableName] as WebAssembly.Table) : undefined;
    if (!table) throw new CanisterTrap('callback called but the module has no table', false);
    let fn: ((env: number) => unknown) | null;
    try {
      fn = table.get(index) as ((env: number) => unknown) | null;
    } catch (err) {
      throw asTrap(err);
    }
    if (typeof fn !== 'function')
      throw new CanisterTrap(`table index ${index} is not a function`, false);
    try {
      fn(env);
    } catch (err) {
      throw asTrap(err);
    }
  }

  instructionCounter(): bigint {
    const g = this.instance.exports[COUNTER_EXPORT] as WebAssembly.Global | undefined;
    return g ? (g.value as bigint) : 0n;
  }

  resetInstructionCounter(limit: bigint): void {
    const counter = this.instance.exports[COUNTER_EXPORT] as WebAssembly.Global | undefined;
    const lim = this.instance.exports[LIMIT_EXPORT] as WebAssembly.Global | undefined;
    if (counter) counter.value = 0n;
    if (lim) lim.value = limit;
  }

  /**
   * Calls `visit(start, end)` for each run of consecutive dirty pages (as a byte range clipped
   * to the canister's part of the physical memory) and clears their marks. Scans the bitmap
   * 32 bits at a time: one byte per 4 KiB page, so 25,000 words for a 400 MB heap. An Azle
   * message dirties hundreds of pages, mostly next to each other, so runs keep the copies few.
   */
  private drainDirty(visit: (start: number, end: number) => void): void {
    const layout = this.dirty as DirtyLayout;
    const base = this.bitmapBase;
    const buffer = (this.memoryObj as WebAssembly.Memory).buffer;
    // Marks at or above `base` belong to stores that trapped (out of bounds); they are left
    // as they are and at worst cost one extra page copy once the heap grows over them.
    const entries = Math.ceil(base / 2 ** layout.pageShift);
    const words = new Uint32Array(buffer, base, Math.ceil(entries / 4));
    const bytes = new Uint8Array(buffer, base, words.length * 4);
    const pageSize = 2 ** layout.pageShift;
    let runStart = -1;
    let runEnd = -1;
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      for (let p = w * 4; p < w * 4 + 4; p++) {
        if (bytes[p] === 0) continue;
        bytes[p] = 0;
        if (p >= entries) continue;
        const start = p * pageSize;
        const end = Math.min(start + pageSize + layout.spill, base);
        if (start <= runEnd) {
          runEnd = Math.max(runEnd, end);
        } else {
          if (runStart >= 0) visit(runStart, runEnd);
          runStart = start;
          runEnd = end;
        }
      }
    }
    if (runStart >= 0) visit(runStart, runEnd);
  }

  /** Makes the current heap and globals the state a rollback returns to. */
  commit(): void {
    if (!this.dirty) {
      const mem = this.memory();
      if (this.shadowHeap.length !== mem.length) this.shadowHeap = new Uint8Array(mem.length);
      this.shadowHeap.set(mem);
    } else {
      const pages = this.heapPages;
      const limit = pages * WASM_PAGE;
      if (limit > this.shadowHeap.length) {
        // Geometric growth: a heap growing page by page copies the shadow O(log) times.
        const grown = new Uint8Array(Math.max(limit, Math.floor(this.shadowHeap.length * 1.5)));
        grown.set(this.shadowHeap);
        this.shadowHeap = grown;
      }
      const mem = new Uint8Array((this.memoryObj as WebAssembly.Memory).buffer);
      const shadow = this.shadowHeap;
      this.drainDirty((start, end) => {
        const mid = Math.min(end, limit);
        if (mid > start) shadow.set(mem.subarray(start, mid), start);
        if (end > mid) mem.fill(0, Math.max(start, mid), end);
      });
      this.committedPages = pages;
    }
    this.shadowGlobals = this.globals.map((g) => g.value as GlobalValue);
  }

  /** Returns heap and globals to the last commit. */
  rollback(): void {
    if (!this.dirty) {
      this.rollbackWhole();
    } else {
      const limit = this.committedPages * WASM_PAGE;
      const mem = new Uint8Array((this.memoryObj as WebAssembly.Memory).buffer);
      const shadow = this.shadowHeap;
      this.drainDirty((start, end) => {
        const mid = Math.min(end, limit);
        if (mid > start) mem.set(shadow.subarray(start, mid), start);
        if (end > mid) mem.fill(0, Math.max(start, mid), end);
      });
      if (this.heapPages !== this.committedPages) this.setPages(this.committedPages);
    }
    this.globals.forEach((g, i) => {
      g.value = this.shadowGlobals[i] as GlobalValue;
    });
  }

  /** Without tracking: copy the whole shadow back, in a new instance if the memory grew. */
  private rollbackWhole(): void {
    let mem = this.memory();
    if (mem.length !== this.shadowHeap.length) {
      // A wasm memory cannot shrink: start a fresh instance and grow it to the old size.
      this.instance = this.instantiate();
      const memObj = this.memoryObj;
      if (memObj) {
        const pages = (this.shadowHeap.length - memObj.buffer.byteLength) / WASM_PAGE;
        if (pages > 0) memObj.grow(pages);
      }
      mem = this.memory();
    }
    mem.set(this.shadowHeap);
  }

  get heapBytes(): number {
    return this.memory().length;
  }

  /** Names of exported globals that belong to the rewrite's bookkeeping, not to the canister. */
  private bookkeeping(): Set<string> {
    const names = new Set<string>();
    if (this.dirty) names.add(this.dirty.pagesExport).add(this.dirty.baseExport);
    return names;
  }

  /** Heap and mutable globals as of the last commit, for a canister snapshot. */
  committedState(): { heap: Uint8Array; globals: GlobalValue[] } {
    const skip = this.bookkeeping();
    return {
      heap: this.dirty
        ? this.shadowHeap.slice(0, this.committedPages * WASM_PAGE)
        : this.shadowHeap.slice(),
      globals: this.prepared.globalExports.map((name, i) =>
        skip.has(name) ? 0 : (this.shadowGlobals[i] as GlobalValue),
      ),
    };
  }

  /**
   * Makes `heap` and `globals` (from `committedState` of an instance of the same module) this
   * fresh instance's committed state, as loading a canister snapshot does.
   */
  restoreState(heap: Uint8Array, globals: readonly GlobalValue[]): void {
    const pages = heap.length / WASM_PAGE;
    if (this.dirty) {
      const current = this.heapPages;
      if (pages > current && this.grow(this.dirty, pages - current) < 0) {
        throw new CanisterTrap('the snapshot heap does not fit the module memory', false);
      }
      this.setPages(pages);
    } else if (this.memoryObj) {
      const current = this.memoryObj.buffer.byteLength / WASM_PAGE;
      // A fresh instance has the module's initial memory, never more than a heap it grew to.
      if (pages > current) this.memoryObj.grow(pages - current);
    }
    const mem = this.memory();
    mem.set(heap);
    mem.fill(0, heap.length);
    const skip = this.bookkeeping();
    this.prepared.globalExports.forEach((name, i) => {
      const g = this.globals[i];
      const value = globals[i];
      if (g && value !== undefined && !skip.has(name)) g.value = value;
    });
    if (this.dirty) {
      this.bitmap().fill(0);
      this.committedPages = pages;
    }
    this.shadowHeap = mem.slice();
    this.shadowGlobals = this.globals.map((g) => g.value as GlobalValue);
  }
}

export function asTrap(err: unknown): CanisterTrap {
  if (err instanceof CanisterTrap) return err;
  if (err instanceof WebAssembly.RuntimeError) {
    return new CanisterTrap(err.message, false);
  }
  if (err instanceof RangeError) {
    return new CanisterTrap(`stack overflow (${err.message})`, false);
  }
  if (err instanceof WebAssembly.LinkError) {
    return new CanisterTrap(`link error: ${err.message}`, false, 'IC0505');
  }
  return new CanisterTrap(err instanceof Error ? err.message : String(err), false);
}
