/**
 * A running module: the WebAssembly instance plus a committed copy of its linear memory
 * and mutable globals. Copy-on-commit: after each committed message the heap is copied
 * into the shadow; a trap or a query restores from it. Each message therefore costs one
 * memcpy of the heap (measured ≈ 1-2 ms per 10 MB), and the shadow is always the state
 * that other messages may observe.
 */
import { COUNTER_EXPORT, LIMIT_EXPORT, type PreparedModule } from './module';
import { CanisterTrap, systemApi, unknownImports, type SystemApiHost } from './system-api';

export class UnknownImportsError extends Error {
  constructor(readonly names: string[]) {
    super(`Wasm module imports functions the local replica does not provide: ${names.join(', ')}`);
  }
}

type GlobalValue = number | bigint;

export class CanisterInstance {
  private instance: WebAssembly.Instance;
  private readonly imports: WebAssembly.Imports;
  private shadowHeap = new Uint8Array(0);
  private shadowGlobals: GlobalValue[] = [];
  private memoryObj: WebAssembly.Memory | undefined;
  private globals: WebAssembly.Global[] = [];

  constructor(
    readonly prepared: PreparedModule,
    host: SystemApiHost,
  ) {
    this.imports = systemApi(host);
    const missing = unknownImports(prepared.module, this.imports);
    if (missing.length > 0) throw new UnknownImportsError(missing);
    this.instance = this.instantiate();
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
    this.globals = this.prepared.globalExports.map((name) => exports[name] as WebAssembly.Global);
    return instance;
  }

  memory(): Uint8Array {
    return this.memoryObj ? new Uint8Array(this.memoryObj.buffer) : new Uint8Array(0);
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

  /** Makes the current heap and globals the state a rollback returns to. */
  commit(): void {
    const mem = this.memory();
    if (this.shadowHeap.length !== mem.length) this.shadowHeap = new Uint8Array(mem.length);
    this.shadowHeap.set(mem);
    this.shadowGlobals = this.globals.map((g) => g.value as GlobalValue);
  }

  /** Returns heap and globals to the last commit. */
  rollback(): void {
    let mem = this.memory();
    if (mem.length !== this.shadowHeap.length) {
      // A wasm memory cannot shrink: start a fresh instance and grow it to the old size.
      this.instance = this.instantiate();
      const memObj = this.memoryObj;
      if (memObj) {
        const pages = (this.shadowHeap.length - memObj.buffer.byteLength) / 65536;
        if (pages > 0) memObj.grow(pages);
      }
      mem = this.memory();
    }
    mem.set(this.shadowHeap);
    this.globals.forEach((g, i) => {
      g.value = this.shadowGlobals[i] as GlobalValue;
    });
  }

  get heapBytes(): number {
    return this.memory().length;
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
