/**
 * One canister's replicated state: settings, cycles, the running module instance and its
 * stable memory, certified data and global timer. `begin`/`commit`/`rollback` make a message
 * atomic over all of it; the runtime's system API mutates it through `SystemApiHost`.
 */
import type { Principal } from '@dfinity/principal';
import { CanisterHistory } from './canister-history';
import type { CanisterInstance } from '../runtime/canister-instance';
import type { PreparedModule } from '../runtime/module';
import { StableMemory } from '../runtime/stable-memory';
import type { Execution, SystemApiHost } from '../runtime/system-api';
import type { CanisterMeta } from '../state/store';

export interface InstalledModule {
  /** sha256 of the module as installed (after gunzip). */
  hash: Uint8Array;
  prepared: PreparedModule;
  /** Bytes of the module as installed (after gunzip). */
  size: number;
}

const MAX_LOG_BYTES = 4 * 1024;

export class Canister implements SystemApiHost {
  readonly selfId: Uint8Array;
  /** `id.toText()`, which costs a CRC and a base32 encoding: maps of canisters are keyed by it. */
  readonly idText: string;
  stable = new StableMemory();
  certifiedData: Uint8Array = new Uint8Array(0);
  globalTimer = 0n;
  cyclesBalance: bigint;
  version = 0n;
  status: 'running' | 'stopping' | 'stopped' = 'running';
  module: InstalledModule | undefined;
  instance: CanisterInstance | undefined;
  installArg: Uint8Array = new Uint8Array(0);
  installer: Principal;
  chunkStore = new Map<string, Uint8Array>();
  /** Call contexts not yet answered; stopping completes when this reaches zero. */
  openContexts = 0;
  stopWaiters: (() => void)[] = [];
  current: Execution | undefined;
  /** Changes `canister_info` reports; journaled with the message that made them. */
  readonly history = new CanisterHistory();
  /**
   * Totals over the queries this canister answered, for `canister_status`. Queries change no
   * state, so these ride along in the canister's next journal record or checkpoint: like the
   * IC's query stats they are kept lazily, and a crash may lose the latest few.
   */
  queryStats = { calls: 0n, instructions: 0n, requestBytes: 0n, responseBytes: 0n };
  network: { subnetId: Uint8Array; rootKey: Uint8Array } | undefined;
  private saved: { certifiedData: Uint8Array; globalTimer: bigint; cycles: bigint } | undefined;

  constructor(
    readonly id: Principal,
    public controllers: Principal[],
    cycles: bigint,
    private readonly onDebugPrint: (canister: Canister, text: string) => void,
  ) {
    this.selfId = id.toUint8Array();
    this.idText = id.toText();
    this.cyclesBalance = cycles;
    this.installer = id;
  }

  execution(): Execution {
    if (!this.current) throw new Error('system API called outside of a message');
    return this.current;
  }

  memory(): Uint8Array {
    return this.instance ? this.instance.memory() : new Uint8Array(0);
  }

  isController(principal: Uint8Array): boolean {
    return this.controllers.some((c) => Buffer.from(c.toUint8Array()).equals(principal));
  }

  canisterVersion(): bigint {
    return this.version;
  }

  instructionCounter(): bigint {
    return this.instance ? this.instance.instructionCounter() : 0n;
  }

  debugPrint(text: string): void {
    this.onDebugPrint(this, text);
    if (this.current?.replicated) this.appendLog(text, this.current.timeNanos);
  }

  /**
   * The canister log `fetch_canister_logs` reads: debug prints and traps of replicated
   * executions, kept even when the message rolls back, newest 4 KiB of content, as on the IC.
   */
  readonly logs: { idx: bigint; timestampNanos: bigint; content: Uint8Array }[] = [];
  private nextLogIdx = 0n;
  private logBytes = 0;

  appendLog(text: string, timestampNanos: bigint): void {
    const content = new TextEncoder().encode(text);
    this.logs.push({ idx: this.nextLogIdx++, timestampNanos, content });
    this.logBytes += content.length;
    while (this.logBytes > MAX_LOG_BYTES && this.logs.length > 1) {
      this.logBytes -= (this.logs.shift() as { content: Uint8Array }).content.length;
    }
  }

  begin(): void {
    this.stable.begin();
    this.saved = {
      certifiedData: this.certifiedData,
      globalTimer: this.globalTimer,
      cycles: this.cyclesBalance,
    };
  }

  commit(): void {
    this.instance?.commit();
    this.stable.commit();
    this.saved = undefined;
  }

  rollback(): void {
    this.instance?.rollback();
    this.stable.rollback();
    if (this.saved) {
      this.certifiedData = this.saved.certifiedData;
      this.globalTimer = this.saved.globalTimer;
      this.cyclesBalance = this.saved.cycles;
    }
    this.saved = undefined;
  }

  get memorySize(): bigint {
    return BigInt((this.instance?.heapBytes ?? 0) + this.stable.size * 65536);
  }

  /** Memory by kind, as `canister_status` reports it in `memory_metrics`. */
  memoryMetrics(): {
    wasmMemory: bigint;
    stableMemory: bigint;
    wasmBinary: bigint;
    customSections: bigint;
    chunkStore: bigint;
  } {
    let customSections = 0;
    for (const { content } of this.module?.prepared.metadata.values() ?? []) {
      customSections += content.length;
    }
    let chunkStore = 0;
    for (const chunk of this.chunkStore.values()) chunkStore += chunk.length;
    return {
      wasmMemory: BigInt(this.instance?.heapBytes ?? 0),
      stableMemory: BigInt(this.stable.size * 65536),
      wasmBinary: BigInt(this.module?.size ?? 0),
      customSections: BigInt(customSections),
      chunkStore: BigInt(chunkStore),
    };
  }

  get moduleHash(): Uint8Array | undefined {
    return this.module?.hash;
  }

  private metaCache: { inputs: unknown[]; meta: CanisterMeta } | undefined;

  /**
   * What the journal and checkpoints hold of the canister's settings. Every committed message
   * asks for it and it rarely changes, so it is rebuilt (principals to text, blobs to hex) only
   * when one of its inputs is replaced.
   */
  meta(): CanisterMeta {
    const inputs = [
      this.controllers,
      this.status,
      this.cyclesBalance,
      this.version,
      this.certifiedData,
      this.installArg,
      this.installer,
      this.module,
      this.queryStats.calls,
    ];
    const cached = this.metaCache;
    if (cached && inputs.every((v, i) => v === cached.inputs[i])) return cached.meta;
    const meta = this.buildMeta();
    this.metaCache = { inputs, meta };
    return meta;
  }

  private buildMeta(): CanisterMeta {
    const meta: CanisterMeta = {
      id: this.idText,
      controllers: this.controllers.map((c) => c.toText()),
      status: this.status,
      cycles: this.cyclesBalance.toString(),
      version: this.version.toString(),
      certifiedData: Buffer.from(this.certifiedData).toString('hex'),
      installArg: Buffer.from(this.installArg).toString('hex'),
      installer: this.installer.toText(),
    };
    if (this.module) meta.moduleHash = Buffer.from(this.module.hash).toString('hex');
    const q = this.queryStats;
    if (q.calls > 0n) {
      meta.queryStats = [
        q.calls.toString(),
        q.instructions.toString(),
        q.requestBytes.toString(),
        q.responseBytes.toString(),
      ];
    }
    return meta;
  }
}
