/**
 * The local replica: a state machine over messages (ingress calls, queries, inter-canister
 * requests and responses, timers) in the shape of the IC reference implementation. All
 * canister code runs synchronously inside one task at a time from a FIFO queue, so the
 * updates of one canister run one at a time in arrival order, and every committed task is
 * journaled before its outcome is reported. Disk and clock are injected at construction.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { Canister } from './canister';
import { canisterIdFromIndex } from './ids';
import {
  RejectCode,
  type CallOutcome,
  type CanisterInfo,
  type DataCertificateProvider,
  type IngressMessage,
  type MessageLog,
  type Replica,
  type RequestStatus,
  type SubmitResult,
} from './replica-api';
import {
  ManagementCanister,
  ManagementError,
  type InstallMode,
  type ManagementHost,
} from '../management/management-canister';
import { ProvisionalCreateArgs } from '../management/candid';
import { CanisterInstance, UnknownImportsError } from '../runtime/canister-instance';
import { decompressModule, prepareModule, type PreparedModule } from '../runtime/module';
import {
  CanisterTrap,
  type EntryKind,
  type Execution,
  type OutgoingCall,
} from '../runtime/system-api';
import {
  StateStore,
  StorageError,
  type CanisterChange,
  type CanisterMeta,
  type ExecutedRequest,
  type StorageIo,
} from '../state/store';

export const MAX_INGRESS_BYTES = 2 * 1024 * 1024;
export const MAX_UPDATE_REPLY_BYTES = 2 * 1024 * 1024;
export const MAX_QUERY_REPLY_BYTES = 3 * 1024 * 1024;
const MAX_INTER_CANISTER_BYTES = 2 * 1024 * 1024;
const MAX_QUERY_DEPTH = 20;
/** How often finished request statuses are swept for expiry. */
const REQUEST_SWEEP_NANOS = 1_000_000_000n;

export interface InstructionLimits {
  update: bigint;
  query: bigint;
  install: bigint;
  inspect: bigint;
}

export const IC_INSTRUCTION_LIMITS: InstructionLimits = {
  update: 40_000_000_000n,
  query: 5_000_000_000n,
  install: 300_000_000_000n,
  inspect: 200_000_000n,
};

export interface LocalReplicaOptions {
  /** Folder holding durable state; omit for an in-memory replica (tests). */
  stateDir?: string;
  /** Nanoseconds since the epoch; replica time never goes below the last persisted time. */
  clock?: () => bigint;
  /** Count executed instructions (slower); enables instruction limits. */
  metering?: boolean;
  instructionLimits?: Partial<InstructionLimits>;
  dataCertificateProvider?: DataCertificateProvider;
  /** Fire global timers from the event loop (default true); tests with a fake clock call `tick()`. */
  autoTimers?: boolean;
  /** Receives `ic0.debug_print` output; defaults to stderr. */
  debugPrint?: (canisterId: Principal, text: string) => void;
  /** Cycles for canisters created without an explicit amount. */
  defaultCycles?: bigint;
  /** File operations of the journal (tests simulate failing disks with it). */
  storageIo?: StorageIo;
  /**
   * Called when an fsync fails, after which the process state may be ahead of the disk.
   * Default: exit the process (code 74), so that a restart replays exactly what the disk holds.
   */
  onFatalStorageError?: (err: Error) => void;
  /**
   * Ids that belong to canisters localnet serves without a module in the replica (the Internet
   * Identity stand-in): creating a canister with one of them fails as for an existing canister.
   */
  reservedCanisterIds?: Principal[];
}

type Response =
  | { kind: 'reply'; data: Uint8Array }
  | { kind: 'reject'; code: RejectCode; message: string; errorCode: string };

type Origin =
  | {
      kind: 'ingress';
      requestId: string;
      expiry: bigint;
      settle: (outcome: CallOutcome) => void;
      /** Whether a journal record already names this request (for replay protection). */
      journaled: boolean;
    }
  | { kind: 'canister'; callbackId: number }
  | { kind: 'system'; settle?: (outcome: CallOutcome) => void };

interface CallContext {
  canister: Canister;
  method: string;
  caller: Principal;
  origin: Origin;
  responded: boolean;
  outstanding: number;
  cyclesAvailable: bigint;
}

interface PendingCallback {
  canister: Canister;
  /** The instance whose table holds the callback; an upgrade in between invalidates it. */
  instance: CanisterInstance | undefined;
  ctx: CallContext;
  call: OutgoingCall;
}

const EMPTY = new Uint8Array(0);

function defaultClock(): bigint {
  return (
    BigInt(Math.floor(performance.timeOrigin * 1000)) * 1000n +
    BigInt(Math.floor(performance.now() * 1e6))
  );
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function reject(code: RejectCode, errorCode: string, message: string): Response {
  return { kind: 'reject', code, message, errorCode };
}

function toOutcome(r: Response): CallOutcome {
  return r.kind === 'reply'
    ? { kind: 'replied', reply: r.data }
    : { kind: 'rejected', rejectCode: r.code, rejectMessage: r.message, errorCode: r.errorCode };
}

/**
 * The disk refused a message's record. The IC's answer when a subnet has no storage left is
 * SubnetOversubscribed; the message names the folder so the developer knows what to free.
 */
function outOfStorage(err: StorageError): Response {
  return reject(
    RejectCode.SysFatal,
    'IC0101',
    `Localnet is out of storage: ${err.message}. The message was rolled back; free disk space and retry.`,
  );
}

function trapResponse(canister: Canister, trap: CanisterTrap, during?: string): Response {
  const id = canister.id.toText();
  const where = during ? ` during ${during}` : '';
  let message: string;
  if (trap.explicit) {
    message = `Error from Canister ${id}: Canister called \`ic0.trap\` with message: '${trap.message}'${where}`;
  } else if (trap.errorCode === 'IC0504') {
    message = `Error from Canister ${id}: Canister violated contract${where}: ${trap.message}`;
  } else if (trap.errorCode === 'IC0522') {
    message = `Error from Canister ${id}: ${trap.message}`;
  } else {
    message = `Error from Canister ${id}: Canister trapped${where}: ${trap.message}`;
  }
  return reject(RejectCode.CanisterError, trap.errorCode, message);
}

function newExecution(init: Partial<Execution> & Pick<Execution, 'kind' | 'timeNanos'>): Execution {
  return {
    methodName: '',
    arg: EMPTY,
    caller: Principal.managementCanister().toUint8Array(),
    replicated: true,
    canRespond: false,
    replyChunks: [],
    replySize: 0,
    maxReplySize: MAX_UPDATE_REPLY_BYTES,
    rejectCode: 0,
    rejectMessage: '',
    cyclesAvailable: 0n,
    cyclesAccepted: 0n,
    cyclesRefunded: 0n,
    performedCalls: [],
    accepted: false,
    ...init,
  };
}

const LOG_KIND: Record<EntryKind, MessageLog['kind']> = {
  init: 'init',
  post_upgrade: 'upgrade',
  pre_upgrade: 'upgrade',
  update: 'update',
  query: 'query',
  composite_query: 'query',
  inspect: 'inspect',
  timer: 'timer',
  heartbeat: 'timer',
  reply_callback: 'update',
  reject_callback: 'update',
  cleanup: 'update',
};

export class LocalReplica implements Replica {
  private readonly canisters = new Map<string, Canister>();
  /** Ingress statuses, kept until the request's expiry (the IC forgets them then too). */
  private readonly requests = new Map<string, { status: RequestStatus; expiry: bigint }>();
  private lastRequestSweep = 0n;
  private durableWaiters: { at: number; fn: () => void }[] = [];
  private syncScheduled = false;
  private lastStorageReport = 0;
  private checkpointRetryAt = 0;
  private readonly onFatalStorageError: (err: Error) => void;
  private readonly reserved: Set<string>;
  private readonly inFlight = new Map<string, Promise<CallOutcome>>();
  private readonly callbacks = new Map<number, PendingCallback>();
  private readonly listeners = new Set<(entry: MessageLog) => void>();
  private readonly preparedCache = new Map<string, PreparedModule>();
  private readonly management: ManagementCanister;
  private readonly clock: () => bigint;
  private readonly limits: InstructionLimits;
  private readonly metering: boolean;
  private readonly autoTimers: boolean;
  private readonly debugSink: (canisterId: Principal, text: string) => void;
  private readonly certificateProvider: DataCertificateProvider | undefined;
  private readonly defaultCycles: bigint;
  private queue: (() => void)[] = [];
  private pumping = false;
  private idleWaiters: (() => void)[] = [];
  private timerHandle: NodeJS.Timeout | undefined;
  private nextCallbackId = 1;
  private lastTime = 0n;
  private nextIndex = 0n;
  private closed = false;
  /** Canisters whose restart (post_upgrade) failed, with the error. */
  readonly restartErrors = new Map<string, string>();

  private readonly stateDir: string | undefined;

  private constructor(
    private readonly store: StateStore | undefined,
    options: LocalReplicaOptions,
  ) {
    this.stateDir = options.stateDir;
    this.clock = options.clock ?? defaultClock;
    this.metering = options.metering ?? false;
    this.limits = { ...IC_INSTRUCTION_LIMITS, ...options.instructionLimits };
    this.autoTimers = options.autoTimers ?? true;
    this.certificateProvider = options.dataCertificateProvider;
    this.defaultCycles = options.defaultCycles ?? 100_000_000_000_000n;
    this.debugSink =
      options.debugPrint ??
      ((id, text) => process.stderr.write(`[canister ${id.toText()}] ${text}\n`));
    this.management = new ManagementCanister(this.managementHost());
    this.onFatalStorageError = options.onFatalStorageError ?? (() => process.exit(74));
    this.reserved = new Set((options.reservedCanisterIds ?? []).map((p) => p.toText()));
  }

  /**
   * Opens a replica over `stateDir` (or in memory). Every persisted canister is restarted as
   * an upgrade to its own module: post_upgrade runs over its persisted stable memory.
   */
  static async open(options: LocalReplicaOptions = {}): Promise<LocalReplica> {
    if (!options.stateDir) return new LocalReplica(undefined, options);
    const { store, state } = StateStore.open(options.stateDir, options.storageIo);
    const replica = new LocalReplica(store, options);
    replica.lastTime = state.timeNanos;
    replica.nextIndex = state.nextIndex;
    // Executed requests stay known until their expiry, so a replayed call does not run twice.
    const now = replica.timeNanos();
    for (const r of state.requests) {
      if (r.expiryNanos >= now) {
        replica.requests.set(r.requestId, { status: { status: 'done' }, expiry: r.expiryNanos });
      }
    }
    const toRestart: [Canister, string][] = [];
    for (const loaded of state.canisters.values()) {
      const c = replica.canisterFromMeta(loaded.meta);
      c.stable.load(loaded.stableSizePages, loaded.pages);
      replica.canisters.set(c.id.toText(), c);
      if (loaded.meta.moduleHash !== undefined) toRestart.push([c, loaded.meta.moduleHash]);
    }
    for (const [c, hash] of toRestart) {
      try {
        const wasm = store.loadModule(hash);
        replica.performInstall(c, wasm, 'upgrade', true, c.installArg, c.installer, true);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        replica.restartErrors.set(c.id.toText(), message);
        replica.debugSink(c.id, `restart failed: ${message}`);
      }
    }
    replica.scheduleTimers();
    await Promise.resolve();
    return replica;
  }

  private canisterFromMeta(meta: CanisterMeta): Canister {
    const c = new Canister(
      Principal.fromText(meta.id),
      meta.controllers.map((p) => Principal.fromText(p)),
      BigInt(meta.cycles),
      (canister, text) => this.debugSink(canister.id, text),
    );
    c.status = meta.status === 'stopping' ? 'stopped' : meta.status;
    c.version = BigInt(meta.version);
    c.certifiedData = new Uint8Array(Buffer.from(meta.certifiedData, 'hex'));
    c.installArg = new Uint8Array(Buffer.from(meta.installArg, 'hex'));
    c.installer = Principal.fromText(meta.installer);
    return c;
  }

  // ---------------------------------------------------------------- Replica interface

  timeNanos(): bigint {
    const t = this.clock();
    if (t > this.lastTime) this.lastTime = t;
    return this.lastTime;
  }

  async submitCall(message: IngressMessage): Promise<SubmitResult> {
    return this.submit(message, false);
  }

  /** `trusted` submissions come from the admin API and skip the ingress size limit. */
  private submit(message: IngressMessage, trusted: boolean): SubmitResult {
    this.assertOpen();
    const key = hex(message.requestId);
    const existing = this.inFlight.get(key);
    if (existing) return { accepted: true, outcome: existing };
    const known = this.liveRequest(key);
    if (known) {
      // Executed before: the IC never runs a request twice before its expiry.
      if (known.status === 'replied' || known.status === 'rejected') {
        return { accepted: true, outcome: Promise.resolve(known.outcome) };
      }
      return { accepted: true, outcome: undefined, status: 'done' };
    }
    const pre = this.precheckIngress(message, trusted);
    if (pre) return { accepted: false, rejection: pre };
    const expiry = message.ingressExpiry;
    this.requests.set(key, { status: { status: 'received' }, expiry });
    const outcome = new Promise<CallOutcome>((resolve) => {
      const origin: Extract<Origin, { kind: 'ingress' }> = {
        kind: 'ingress',
        requestId: key,
        expiry,
        journaled: false,
        settle: (o) => {
          if (!origin.journaled && this.store) {
            // The message changed nothing durable (a trap, a query run as an update, a
            // management call): a record of its id alone keeps it from running again.
            try {
              this.writeRecord([], [{ requestId: key, expiryNanos: expiry }]);
            } catch (err) {
              if (!(err instanceof StorageError)) throw err;
              this.reportStorageError(err);
            }
          }
          this.afterDurable(() => {
            this.requests.set(key, {
              status: {
                status: o.kind === 'replied' ? 'replied' : 'rejected',
                outcome: o,
                finishedAtNanos: this.timeNanos(),
              },
              expiry,
            });
            this.inFlight.delete(key);
            resolve(o);
          });
        },
      };
      this.enqueue(() => {
        this.requests.set(key, { status: { status: 'processing' }, expiry });
        if (message.canisterId.compareTo(Principal.managementCanister()) === 'eq') {
          this.runManagement(message.methodName, message.arg, message.sender, origin.settle);
          return;
        }
        const c = this.canisters.get(message.canisterId.toText());
        if (!c) {
          origin.settle(toOutcome(this.missingCanister(message.canisterId)));
          return;
        }
        this.startCall(c, message.methodName, message.arg, message.sender, 0n, origin);
      });
    });
    this.inFlight.set(key, outcome);
    return { accepted: true, outcome };
  }

  /** The status of a request whose expiry has not passed; expired statuses are dropped. */
  private liveRequest(key: string): RequestStatus | undefined {
    const now = this.timeNanos();
    if (now - this.lastRequestSweep >= REQUEST_SWEEP_NANOS) {
      this.lastRequestSweep = now;
      for (const [k, r] of this.requests) {
        if (r.expiry < now && !this.inFlight.has(k)) this.requests.delete(k);
      }
    }
    const entry = this.requests.get(key);
    if (!entry) return undefined;
    if (entry.expiry < now && !this.inFlight.has(key)) {
      this.requests.delete(key);
      return undefined;
    }
    return entry.status;
  }

  /** Request ids executed and not yet expired, for checkpoints. */
  private liveRequestIds(): ExecutedRequest[] {
    const now = this.timeNanos();
    const live: ExecutedRequest[] = [];
    for (const [requestId, r] of this.requests) {
      // A request still queued has not run: after a crash it may run.
      if (r.expiry >= now && r.status.status !== 'received') {
        live.push({ requestId, expiryNanos: r.expiry });
      }
    }
    return live;
  }

  async query(
    message: Omit<IngressMessage, 'ingressExpiry'> & { ingressExpiry?: bigint },
  ): Promise<CallOutcome> {
    this.assertOpen();
    if (message.arg.length > MAX_INGRESS_BYTES) {
      return toOutcome(
        reject(
          RejectCode.CanisterReject,
          'IC0406',
          `Query argument is larger than ${MAX_INGRESS_BYTES} bytes`,
        ),
      );
    }
    const c = this.canisters.get(message.canisterId.toText());
    if (!c) return toOutcome(this.missingCanister(message.canisterId));
    const unavailable = this.unavailable(c);
    if (unavailable) return toOutcome(unavailable);
    const outcome = toOutcome(this.runQuery(c, message.methodName, message.arg, message.sender));
    // A query may read effects of updates whose records are not yet fsynced; answering before
    // they are durable could show data that a crash then takes back.
    await this.durable();
    return outcome;
  }

  requestStatus(requestId: Uint8Array): RequestStatus | undefined {
    return this.liveRequest(hex(requestId));
  }

  canister(id: Principal): CanisterInfo | undefined {
    const c = this.canisters.get(id.toText());
    if (!c) return undefined;
    const info: CanisterInfo = {
      id: c.id,
      controllers: [...c.controllers],
      metadata: c.module?.prepared.metadata ?? new Map(),
      certifiedData: c.certifiedData,
      status: c.status,
    };
    if (c.module) info.moduleHash = c.module.hash;
    return info;
  }

  canisterIds(): Principal[] {
    return [...this.canisters.values()].map((c) => c.id);
  }

  onMessage(listener: (entry: MessageLog) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    await this.idle();
    await this.durable();
    this.closed = true;
    if (this.timerHandle) clearTimeout(this.timerHandle);
    for (const c of this.canisters.values()) {
      const instance = c.instance;
      if (!instance?.hasExport('canister_pre_upgrade')) continue;
      c.begin();
      const exe = newExecution({
        kind: 'pre_upgrade',
        timeNanos: this.timeNanos(),
        caller: c.installer.toUint8Array(),
      });
      const trap = this.runEntry(
        c,
        exe,
        'canister_pre_upgrade',
        () => instance.invoke('canister_pre_upgrade'),
        this.limits.install,
      );
      if (trap) {
        c.rollback();
        this.debugSink(c.id, `pre_upgrade trapped at shutdown: ${trap.message}`);
      } else {
        const failure = this.commitDurably(c);
        if (failure) this.debugSink(c.id, `pre_upgrade at shutdown not saved: ${failure.message}`);
      }
    }
    try {
      this.checkpoint();
    } catch (err) {
      // The journal holds everything; the checkpoint only compacts it.
      if (!(err instanceof StorageError)) throw err;
      this.store?.syncNow();
      this.reportStorageError(err);
    }
    this.releaseDurableWaiters();
    this.store?.close();
  }

  // ---------------------------------------------------------------- admin API (CLI, tests)

  /** Creates an empty canister, optionally with a given id (like the provisional API). */
  createCanister(opts: {
    specifiedId?: Principal;
    controllers: Principal[];
    cycles?: bigint;
  }): Principal {
    return this.managementHost().createCanister({
      specifiedId: opts.specifiedId,
      controllers: opts.controllers,
      cycles: opts.cycles ?? this.defaultCycles,
    });
  }

  /**
   * Installs, reinstalls or upgrades a module through the management canister, as
   * `sender` (default: the first controller). Throws with the IC's reject message on failure.
   */
  async installCode(opts: {
    canisterId: Principal;
    wasm: Uint8Array;
    arg?: Uint8Array;
    mode?: InstallMode;
    sender?: Principal;
  }): Promise<void> {
    const c = this.canisters.get(opts.canisterId.toText());
    const sender = opts.sender ?? c?.controllers[0] ?? Principal.anonymous();
    const mode = opts.mode ?? 'install';
    // Straight to the install path: candid-encoding a multi-MB module only to decode it
    // again costs about a second.
    return new Promise((resolve, reject) => {
      this.enqueue(() => {
        const started = performance.now();
        let failure: Error | undefined;
        try {
          const target = this.canisters.get(opts.canisterId.toText());
          if (!target) throw this.missingCanisterError(opts.canisterId);
          if (!target.controllers.some((p) => p.compareTo(sender) === 'eq')) {
            throw new ManagementError(
              RejectCode.CanisterError,
              'IC0512',
              `Only controllers of canister ${opts.canisterId.toText()} can call ic00 method install_code. Sender ${sender.toText()} is not a controller.`,
            );
          }
          this.performInstall(
            target,
            opts.wasm,
            mode,
            false,
            opts.arg ?? new Uint8Array(IDL.encode([], [])),
            sender,
          );
        } catch (err) {
          failure = err instanceof Error ? err : new Error(String(err));
        }
        this.emit({
          canisterId: Principal.managementCanister(),
          methodName: 'install_code',
          caller: sender,
          kind: 'update',
          outcome: failure ? 'rejected' : 'replied',
          durationMs: performance.now() - started,
        });
        if (failure) reject(failure);
        else this.afterDurable(resolve);
      });
    });
  }

  /** Calls a management canister method as `sender` (candid-encoded argument). */
  async callManagement(method: string, arg: Uint8Array, sender: Principal): Promise<CallOutcome> {
    return this.update(Principal.managementCanister(), method, arg, sender);
  }

  /** Submits an update and waits for its outcome (a fresh request id each time). */
  async update(
    canisterId: Principal,
    methodName: string,
    arg: Uint8Array,
    sender: Principal,
  ): Promise<CallOutcome> {
    const result = this.submit(
      {
        requestId: new Uint8Array(randomBytes(32)),
        sender,
        canisterId,
        effectiveCanisterId: canisterId,
        methodName,
        arg,
        ingressExpiry: this.timeNanos() + 300_000_000_000n,
      },
      true,
    );
    if (!result.accepted) return result.rejection;
    return (
      result.outcome ?? {
        kind: 'rejected',
        rejectCode: RejectCode.SysFatal,
        rejectMessage: 'the request was already executed',
        errorCode: 'IC0101',
      }
    );
  }

  /** Creates a canister through the provisional API as `sender` with the given id. */
  async provisionalCreate(sender: Principal, specifiedId?: Principal): Promise<Principal> {
    const arg = IDL.encode(
      [ProvisionalCreateArgs],
      [
        {
          amount: [],
          settings: [],
          specified_id: specifiedId ? [specifiedId] : [],
          sender_canister_version: [],
        },
      ],
    );
    const outcome = await this.callManagement(
      'provisional_create_canister_with_cycles',
      new Uint8Array(arg),
      sender,
    );
    if (outcome.kind === 'rejected') throw new Error(outcome.rejectMessage);
    const [rec] = IDL.decode(
      [IDL.Record({ canister_id: IDL.Principal })],
      outcome.reply,
    ) as unknown as [{ canister_id: Principal }];
    return rec.canister_id;
  }

  /** Fires due global timers and waits until every queued message has run. */
  async tick(): Promise<void> {
    this.enqueueDueTimers();
    await this.idle();
  }

  /** Resolves when the message queue is empty. */
  idle(): Promise<void> {
    if (!this.pumping && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Heap, stable memory and module sizes of a canister, for status displays and benchmarks. */
  canisterStats(
    id: Principal,
  ): { heapBytes: number; stablePages: number; cycles: bigint; version: bigint } | undefined {
    const c = this.canisters.get(id.toText());
    if (!c) return undefined;
    return {
      heapBytes: c.instance?.heapBytes ?? 0,
      stablePages: c.stable.size,
      cycles: c.cyclesBalance,
      version: c.version,
    };
  }

  /** Global timer deadline of a canister (0 = none), for tests and tools. */
  globalTimer(id: Principal): bigint | undefined {
    return this.canisters.get(id.toText())?.globalTimer;
  }

  // ---------------------------------------------------------------- scheduling

  private assertOpen(): void {
    if (this.closed) throw new Error('the replica was shut down');
  }

  private enqueue(task: () => void): void {
    this.queue.push(task);
    if (!this.pumping) {
      this.pumping = true;
      setImmediate(() => this.pump());
    }
  }

  private pump(): void {
    // One task per event-loop turn keeps HTTP responsive while a backlog drains.
    const task = this.queue.shift();
    if (task) {
      try {
        task();
      } catch (err) {
        process.stderr.write(
          `localnet: internal error: ${err instanceof Error ? err.stack : String(err)}\n`,
        );
      }
    }
    if (this.queue.length > 0) {
      setImmediate(() => this.pump());
      return;
    }
    this.pumping = false;
    this.scheduleTimers();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private scheduleTimers(): void {
    if (!this.autoTimers || this.closed) return;
    if (this.timerHandle) clearTimeout(this.timerHandle);
    this.timerHandle = undefined;
    let earliest: bigint | undefined;
    for (const c of this.canisters.values()) {
      if (
        c.globalTimer !== 0n &&
        c.instance &&
        (earliest === undefined || c.globalTimer < earliest)
      ) {
        earliest = c.globalTimer;
      }
    }
    if (earliest === undefined) return;
    const delayMs = Number((earliest - this.timeNanos()) / 1_000_000n);
    this.timerHandle = setTimeout(
      () => {
        this.timerHandle = undefined;
        this.enqueueDueTimers();
        if (this.queue.length === 0) this.scheduleTimers();
      },
      Math.min(Math.max(delayMs, 0), 2 ** 31 - 1),
    );
    this.timerHandle.unref();
  }

  private enqueueDueTimers(): void {
    const now = this.timeNanos();
    for (const c of this.canisters.values()) {
      if (c.globalTimer !== 0n && c.globalTimer <= now && c.instance && c.status === 'running') {
        // The IC deactivates the timer before running the handler, trap or not.
        c.globalTimer = 0n;
        this.enqueue(() => this.runTimer(c));
      }
    }
  }

  // ---------------------------------------------------------------- execution

  private emit(entry: MessageLog): void {
    for (const l of this.listeners) {
      try {
        l(entry);
      } catch {
        // A failing listener must not break message execution.
      }
    }
  }

  /**
   * Runs one entry point against the current state without committing; the caller decides
   * whether to commit (updates) or roll back (queries, traps).
   */
  private runEntry(
    c: Canister,
    exe: Execution,
    method: string,
    fn: () => void,
    limit: bigint,
  ): CanisterTrap | undefined {
    const instance = c.instance;
    const started = performance.now();
    c.current = exe;
    instance?.resetInstructionCounter(limit);
    let trap: CanisterTrap | undefined;
    try {
      fn();
      if (exe.pendingCall) exe.pendingCall = undefined;
    } catch (err) {
      trap =
        err instanceof CanisterTrap
          ? err
          : new CanisterTrap(err instanceof Error ? err.message : String(err), false);
    }
    c.current = undefined;
    const entry: MessageLog = {
      canisterId: c.id,
      methodName: method,
      caller: Principal.fromUint8Array(exe.caller),
      kind: LOG_KIND[exe.kind],
      outcome: trap ? 'trapped' : exe.response?.kind === 'reject' ? 'rejected' : 'replied',
      durationMs: performance.now() - started,
    };
    if (this.metering && instance) entry.instructions = instance.instructionCounter();
    this.emit(entry);
    return trap;
  }

  /**
   * Runs a replicated message: journals and commits it, or rolls it back on a trap or when
   * the disk refuses its record (then the `StorageError` is returned).
   */
  private execute(
    c: Canister,
    exe: Execution,
    method: string,
    fn: () => void,
    keep = true,
    requests: ExecutedRequest[] = [],
  ): CanisterTrap | StorageError | undefined {
    c.begin();
    const trap = this.runEntry(c, exe, method, fn, this.limits.update);
    if (trap || !keep) {
      c.rollback();
      return trap;
    }
    return this.commitDurably(c, requests);
  }

  private missingCanisterError(id: Principal): ManagementError {
    return new ManagementError(
      RejectCode.DestinationInvalid,
      'IC0301',
      `Canister ${id.toText()} not found`,
    );
  }

  private missingCanister(id: Principal): Response {
    return reject(RejectCode.DestinationInvalid, 'IC0301', `Canister ${id.toText()} not found`);
  }

  private unavailable(c: Canister): Response | undefined {
    if (!c.instance) {
      const why = this.restartErrors.get(c.id.toText());
      return reject(
        RejectCode.DestinationInvalid,
        'IC0537',
        why
          ? `Canister ${c.id.toText()} failed to restart: ${why}`
          : `Attempted to execute a message, but the canister contains no Wasm module.`,
      );
    }
    if (c.status === 'stopped') {
      return reject(
        RejectCode.CanisterError,
        'IC0508',
        `Canister ${c.id.toText()} is stopped and therefore does not have a CallContextManager`,
      );
    }
    if (c.status === 'stopping') {
      return reject(RejectCode.CanisterError, 'IC0509', `Canister ${c.id.toText()} is stopping`);
    }
    return undefined;
  }

  private precheckIngress(
    message: IngressMessage,
    trusted: boolean,
  ): Extract<CallOutcome, { kind: 'rejected' }> | undefined {
    const asRejection = (r: Response): Extract<CallOutcome, { kind: 'rejected' }> =>
      toOutcome(r) as Extract<CallOutcome, { kind: 'rejected' }>;
    if (!trusted && message.arg.length > MAX_INGRESS_BYTES) {
      return asRejection(
        reject(
          RejectCode.CanisterReject,
          'IC0406',
          `Ingress message argument is larger than ${MAX_INGRESS_BYTES} bytes`,
        ),
      );
    }
    if (message.canisterId.compareTo(Principal.managementCanister()) === 'eq') return undefined;
    const c = this.canisters.get(message.canisterId.toText());
    if (!c) return asRejection(this.missingCanister(message.canisterId));
    const unavailable = this.unavailable(c);
    if (unavailable) return asRejection(unavailable);
    const instance = c.instance;
    if (instance?.hasExport('canister_inspect_message')) {
      const exe = newExecution({
        kind: 'inspect',
        timeNanos: this.timeNanos(),
        methodName: message.methodName,
        arg: message.arg,
        caller: message.sender.toUint8Array(),
        replicated: false,
      });
      c.begin();
      const trap = this.runEntry(
        c,
        exe,
        message.methodName,
        () => instance.invoke('canister_inspect_message'),
        this.limits.inspect,
      );
      c.rollback();
      if (trap) return asRejection(trapResponse(c, trap, 'inspect_message'));
      if (!exe.accepted) {
        return asRejection(
          reject(
            RejectCode.CanisterReject,
            'IC0406',
            `Canister ${c.id.toText()} rejected the message`,
          ),
        );
      }
    }
    return undefined;
  }

  private exportFor(
    c: Canister,
    method: string,
    asQuery: boolean,
  ): { name: string; query: boolean } | undefined {
    const instance = c.instance;
    if (!instance) return undefined;
    const candidates = asQuery
      ? [`canister_query ${method}`, `canister_composite_query ${method}`]
      : [`canister_update ${method}`, `canister_query ${method}`];
    for (const name of candidates) {
      if (instance.hasExport(name)) return { name, query: !name.startsWith('canister_update') };
    }
    return undefined;
  }

  private startCall(
    c: Canister,
    method: string,
    arg: Uint8Array,
    caller: Principal,
    cycles: bigint,
    origin: Origin,
  ): void {
    const ctx: CallContext = {
      canister: c,
      method,
      caller,
      origin,
      responded: false,
      outstanding: 0,
      cyclesAvailable: cycles,
    };
    c.openContexts++;
    const unavailable = this.unavailable(c);
    if (unavailable) {
      this.respond(ctx, unavailable);
      return;
    }
    const target = this.exportFor(c, method, false);
    if (!target) {
      this.respond(
        ctx,
        reject(
          RejectCode.DestinationInvalid,
          'IC0536',
          `Error from Canister ${c.id.toText()}: Canister has no update method '${method}'.`,
        ),
      );
      return;
    }
    const instance = c.instance as CanisterInstance;
    const exe = newExecution({
      kind: 'update',
      timeNanos: this.timeNanos(),
      methodName: method,
      arg,
      caller: caller.toUint8Array(),
      canRespond: true,
      cyclesAvailable: cycles,
    });
    const requests =
      origin.kind === 'ingress'
        ? [{ requestId: origin.requestId, expiryNanos: origin.expiry }]
        : [];
    // A query method called as an update runs replicated but keeps no state, like on the IC.
    const outcome = this.execute(
      c,
      exe,
      method,
      () => instance.invoke(target.name),
      !target.query,
      requests,
    );
    // Journaled with this record, or (storage failure) not executed and free to be retried.
    if (
      origin.kind === 'ingress' &&
      ((outcome === undefined && !target.query) || outcome instanceof StorageError)
    ) {
      origin.journaled = true;
    }
    this.afterExecution(ctx, exe, outcome);
  }

  private afterExecution(
    ctx: CallContext,
    exe: Execution,
    trap: CanisterTrap | StorageError | undefined,
    cleanup?: OutgoingCall['cleanup'],
  ): void {
    const c = ctx.canister;
    if (trap instanceof StorageError) {
      // Rolled back: nothing it did (replies, calls) happened.
      if (!ctx.responded && ctx.outstanding === 0) this.respond(ctx, outOfStorage(trap));
      return;
    }
    if (trap) {
      if (cleanup && c.instance) {
        const instance = c.instance;
        const cleanupExe = newExecution({
          kind: 'cleanup',
          timeNanos: exe.timeNanos,
          caller: exe.caller,
        });
        const cleanupTrap = this.execute(c, cleanupExe, `${ctx.method} (cleanup)`, () =>
          instance.invokeTable(cleanup.fun, cleanup.env),
        );
        if (cleanupTrap) this.debugSink(c.id, `cleanup callback trapped: ${cleanupTrap.message}`);
      }
      if (!ctx.responded && ctx.outstanding === 0) this.respond(ctx, trapResponse(c, trap));
      return;
    }
    ctx.cyclesAvailable = exe.cyclesAvailable;
    for (const call of exe.performedCalls) {
      ctx.outstanding++;
      this.dispatch(c, ctx, call);
    }
    if (exe.response) {
      this.respond(
        ctx,
        exe.response.kind === 'reply'
          ? { kind: 'reply', data: exe.response.data }
          : reject(RejectCode.CanisterReject, 'IC0406', exe.response.message),
      );
    } else if (!ctx.responded && ctx.outstanding === 0) {
      this.respond(
        ctx,
        reject(
          RejectCode.CanisterError,
          'IC0506',
          `Error from Canister ${c.id.toText()}: Canister did not reply to the call`,
        ),
      );
    }
  }

  private respond(ctx: CallContext, response: Response): void {
    if (ctx.responded) return;
    ctx.responded = true;
    const c = ctx.canister;
    c.openContexts--;
    const refund = ctx.cyclesAvailable;
    ctx.cyclesAvailable = 0n;
    const origin = ctx.origin;
    if (origin.kind === 'ingress') origin.settle(toOutcome(response));
    else if (origin.kind === 'system') origin.settle?.(toOutcome(response));
    else this.enqueue(() => this.deliverResponse(origin.callbackId, response, refund));
    if (c.status === 'stopping' && c.openContexts === 0) this.finishStop(c);
  }

  private dispatch(from: Canister, ctx: CallContext, call: OutgoingCall): void {
    const callbackId = this.nextCallbackId++;
    this.callbacks.set(callbackId, { canister: from, instance: from.instance, ctx, call });
    const callee = Principal.fromUint8Array(call.callee);
    const arg = concat(call.arg);
    this.enqueue(() => {
      if (call.argSize > MAX_INTER_CANISTER_BYTES) {
        this.deliverResponse(
          callbackId,
          reject(
            RejectCode.CanisterError,
            'IC0504',
            `Request argument is larger than ${MAX_INTER_CANISTER_BYTES} bytes`,
          ),
          call.cycles,
        );
        return;
      }
      if (callee.compareTo(Principal.managementCanister()) === 'eq') {
        this.runManagement(call.method, arg, from.id, (outcome) => {
          this.enqueue(() =>
            this.deliverResponse(
              callbackId,
              outcome.kind === 'replied'
                ? { kind: 'reply', data: outcome.reply }
                : reject(outcome.rejectCode, outcome.errorCode, outcome.rejectMessage),
              call.cycles,
            ),
          );
        });
        return;
      }
      const target = this.canisters.get(callee.toText());
      if (!target) {
        this.deliverResponse(callbackId, this.missingCanister(callee), call.cycles);
        return;
      }
      this.startCall(target, call.method, arg, from.id, call.cycles, {
        kind: 'canister',
        callbackId,
      });
    });
  }

  private deliverResponse(callbackId: number, response: Response, refund: bigint): void {
    const pending = this.callbacks.get(callbackId);
    if (!pending) return;
    this.callbacks.delete(callbackId);
    const { canister: c, ctx, call } = pending;
    ctx.outstanding--;
    const instance = c.instance;
    // The module that registered the callback is gone (upgraded, reinstalled or deleted):
    // its table indices mean nothing to another module, so the callback is dropped.
    if (!instance || instance !== pending.instance || this.canisters.get(c.id.toText()) !== c) {
      if (!ctx.responded && ctx.outstanding === 0) {
        this.respond(
          ctx,
          reject(
            RejectCode.CanisterError,
            'IC0506',
            `Canister ${c.id.toText()} was upgraded while awaiting a response`,
          ),
        );
      }
      return;
    }
    c.cyclesBalance += refund;
    const isReply = response.kind === 'reply';
    const exe = newExecution({
      kind: isReply ? 'reply_callback' : 'reject_callback',
      timeNanos: this.timeNanos(),
      methodName: ctx.method,
      arg: isReply ? response.data : EMPTY,
      caller: ctx.caller.toUint8Array(),
      canRespond: !ctx.responded,
      rejectCode: isReply ? 0 : response.code,
      rejectMessage: isReply ? '' : response.message,
      cyclesRefunded: refund,
    });
    const fn = isReply ? call.reply : call.reject;
    const trap = this.execute(c, exe, `${ctx.method} (callback)`, () =>
      instance.invokeTable(fn.fun, fn.env),
    );
    this.afterExecution(ctx, exe, trap, call.cleanup);
  }

  private runTimer(c: Canister): void {
    const instance = c.instance;
    if (!instance?.hasExport('canister_global_timer') || c.status !== 'running') return;
    const ctx: CallContext = {
      canister: c,
      method: 'canister_global_timer',
      caller: c.id,
      origin: { kind: 'system' },
      responded: false,
      outstanding: 0,
      cyclesAvailable: 0n,
    };
    c.openContexts++;
    const exe = newExecution({
      kind: 'timer',
      timeNanos: this.timeNanos(),
      caller: c.id.toUint8Array(),
    });
    const trap = this.execute(c, exe, 'canister_global_timer', () =>
      instance.invoke('canister_global_timer'),
    );
    if (trap) this.debugSink(c.id, `global timer trapped: ${trap.message}`);
    this.afterExecution(ctx, exe, trap);
  }

  private runManagement(
    method: string,
    arg: Uint8Array,
    sender: Principal,
    settle: (o: CallOutcome) => void,
  ): void {
    const started = performance.now();
    const finish = (o: CallOutcome): void => {
      this.emit({
        canisterId: Principal.managementCanister(),
        methodName: method,
        caller: sender,
        kind: 'update',
        outcome: o.kind === 'replied' ? 'replied' : 'rejected',
        durationMs: performance.now() - started,
      });
      settle(o);
    };
    this.management.call(method, arg, sender).then(
      (reply) => finish({ kind: 'replied', reply }),
      (err: unknown) => {
        if (err instanceof ManagementError) {
          finish({
            kind: 'rejected',
            rejectCode: err.rejectCode,
            rejectMessage: err.message,
            errorCode: err.errorCode,
          });
        } else {
          finish({
            kind: 'rejected',
            rejectCode: RejectCode.CanisterError,
            rejectMessage: `Management canister error: ${err instanceof Error ? err.message : String(err)}`,
            errorCode: 'IC0503',
          });
        }
      },
    );
  }

  // ---------------------------------------------------------------- queries

  private runQuery(c: Canister, method: string, arg: Uint8Array, caller: Principal): Response {
    const touched = new Set<Canister>();
    try {
      return this.queryCall(c, method, arg, caller, touched, [c], true);
    } finally {
      for (const t of touched) t.rollback();
    }
  }

  private queryCall(
    c: Canister,
    method: string,
    arg: Uint8Array,
    caller: Principal,
    touched: Set<Canister>,
    path: Canister[],
    top: boolean,
  ): Response {
    const target = this.exportFor(c, method, true);
    if (!target) {
      return reject(
        RejectCode.DestinationInvalid,
        'IC0536',
        `Error from Canister ${c.id.toText()}: Canister has no query method '${method}'.`,
      );
    }
    if (!touched.has(c)) {
      touched.add(c);
      c.begin();
    }
    const instance = c.instance as CanisterInstance;
    const composite = target.name.startsWith('canister_composite_query');
    const exe = newExecution({
      kind: composite ? 'composite_query' : 'query',
      timeNanos: this.timeNanos(),
      methodName: method,
      arg,
      caller: caller.toUint8Array(),
      replicated: false,
      canRespond: true,
      maxReplySize: MAX_QUERY_REPLY_BYTES,
    });
    if (top && !composite && this.certificateProvider) {
      exe.dataCertificate = this.certificateProvider(c.id, c.certifiedData);
    }
    const trap = this.runEntry(
      c,
      exe,
      method,
      () => instance.invoke(target.name),
      this.limits.query,
    );
    if (trap) return trapResponse(c, trap);
    let response = exe.response;
    const pending = [...exe.performedCalls];
    while (pending.length > 0) {
      const call = pending.shift() as OutgoingCall;
      const callee = this.canisters.get(Principal.fromUint8Array(call.callee).toText());
      let computed: Response;
      if (!callee) computed = this.missingCanister(Principal.fromUint8Array(call.callee));
      else if (path.includes(callee) || path.length >= MAX_QUERY_DEPTH) {
        computed = reject(
          RejectCode.CanisterError,
          'IC0516',
          'Loop detected in the composite query call graph',
        );
      } else {
        computed =
          this.unavailable(callee) ??
          this.queryCall(
            callee,
            call.method,
            concat(call.arg),
            c.id,
            touched,
            [...path, callee],
            false,
          );
      }
      const result = computed;
      const isReply = result.kind === 'reply';
      const cbExe = newExecution({
        kind: isReply ? 'reply_callback' : 'reject_callback',
        timeNanos: exe.timeNanos,
        methodName: method,
        arg: isReply ? result.data : EMPTY,
        caller: exe.caller,
        replicated: false,
        canRespond: response === undefined,
        maxReplySize: MAX_QUERY_REPLY_BYTES,
        rejectCode: isReply ? 0 : result.code,
        rejectMessage: isReply ? '' : result.message,
      });
      const fn = isReply ? call.reply : call.reject;
      const cbTrap = this.runEntry(
        c,
        cbExe,
        `${method} (callback)`,
        () => instance.invokeTable(fn.fun, fn.env),
        this.limits.query,
      );
      if (cbTrap) {
        const cleanup = call.cleanup;
        if (cleanup) {
          const cleanupExe = newExecution({
            kind: 'cleanup',
            timeNanos: exe.timeNanos,
            caller: exe.caller,
            replicated: false,
          });
          this.runEntry(
            c,
            cleanupExe,
            `${method} (cleanup)`,
            () => instance.invokeTable(cleanup.fun, cleanup.env),
            this.limits.query,
          );
        }
        if (response === undefined && pending.length === 0) return trapResponse(c, cbTrap);
        continue;
      }
      if (cbExe.response && response === undefined) response = cbExe.response;
      pending.push(...cbExe.performedCalls);
    }
    if (!response) {
      return reject(
        RejectCode.CanisterError,
        'IC0506',
        `Error from Canister ${c.id.toText()}: Canister did not reply to the call`,
      );
    }
    return response.kind === 'reply'
      ? { kind: 'reply', data: response.data }
      : reject(RejectCode.CanisterReject, 'IC0406', response.message);
  }

  // ---------------------------------------------------------------- install and management

  private prepare(wasm: Uint8Array, hashHex: string): PreparedModule {
    const key = `${hashHex}:${this.metering}`;
    let prepared = this.preparedCache.get(key);
    if (!prepared) {
      try {
        prepared = prepareModule(wasm, {
          metering: this.metering,
          cacheDir: this.stateDir && path.join(this.stateDir, 'prepared'),
        });
      } catch (err) {
        throw new ManagementError(
          RejectCode.CanisterError,
          'IC0505',
          `Error from Canister: Wasm module is invalid: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      this.preparedCache.set(key, prepared);
    }
    return prepared;
  }

  /**
   * Install, reinstall or upgrade as one transaction: on any trap the canister keeps its old
   * module, heap, stable memory, certified data and timer.
   */
  private performInstall(
    c: Canister,
    rawWasm: Uint8Array,
    mode: InstallMode,
    skipPreUpgrade: boolean,
    arg: Uint8Array,
    sender: Principal,
    restart = false,
  ): void {
    const wasm = decompressModule(rawWasm);
    const hash = new Uint8Array(createHash('sha256').update(wasm).digest());
    const hashHex = hex(hash);
    const id = c.id.toText();
    if (mode === 'install' && c.module) {
      throw new ManagementError(
        RejectCode.CanisterError,
        'IC0514',
        `Canister ${id} cannot be installed because the canister is not empty. Try installing with mode='reinstall' instead.`,
      );
    }
    if (mode === 'upgrade' && !c.module && !restart) {
      throw new ManagementError(
        RejectCode.DestinationInvalid,
        'IC0537',
        `Canister ${id} is empty: nothing to upgrade.`,
      );
    }
    const prepared = this.prepare(wasm, hashHex);
    const old = {
      instance: c.instance,
      certifiedData: c.certifiedData,
      globalTimer: c.globalTimer,
    };
    const timeNanos = this.timeNanos();
    c.stable.begin();
    const oldInstance = old.instance;
    if (
      mode === 'upgrade' &&
      oldInstance &&
      !skipPreUpgrade &&
      oldInstance.hasExport('canister_pre_upgrade')
    ) {
      const exe = newExecution({ kind: 'pre_upgrade', timeNanos, caller: sender.toUint8Array() });
      const trap = this.runEntry(
        c,
        exe,
        'canister_pre_upgrade',
        () => oldInstance.invoke('canister_pre_upgrade'),
        this.limits.install,
      );
      if (trap) {
        oldInstance.rollback();
        c.stable.rollback();
        c.certifiedData = old.certifiedData;
        c.globalTimer = old.globalTimer;
        const r = trapResponse(c, trap, 'pre_upgrade') as Extract<Response, { kind: 'reject' }>;
        throw new ManagementError(r.code, r.errorCode, r.message);
      }
    }
    const stableBackup =
      mode === 'upgrade' ? undefined : { size: c.stable.size, pages: c.stable.allPages() };
    if (stableBackup) c.stable.reset();
    const restore = (): void => {
      c.instance = oldInstance;
      oldInstance?.rollback();
      if (stableBackup) c.stable.load(stableBackup.size, stableBackup.pages);
      else c.stable.rollback();
      c.certifiedData = old.certifiedData;
      c.globalTimer = old.globalTimer;
    };
    let instance: CanisterInstance;
    try {
      instance = new CanisterInstance(prepared, c);
    } catch (err) {
      restore();
      if (err instanceof UnknownImportsError) {
        throw new ManagementError(
          RejectCode.CanisterError,
          'IC0505',
          `Error from Canister ${id}: ${err.message}`,
        );
      }
      if (err instanceof CanisterTrap) {
        const r = trapResponse(c, err, 'instantiation') as Extract<Response, { kind: 'reject' }>;
        throw new ManagementError(r.code, r.errorCode, r.message);
      }
      throw err;
    }
    c.instance = instance;
    c.globalTimer = 0n;
    if (mode !== 'upgrade') c.certifiedData = new Uint8Array(0);
    const entry = mode === 'upgrade' ? 'canister_post_upgrade' : 'canister_init';
    if (instance.hasExport(entry)) {
      const exe = newExecution({
        kind: mode === 'upgrade' ? 'post_upgrade' : 'init',
        timeNanos,
        arg,
        caller: sender.toUint8Array(),
      });
      const trap = this.runEntry(c, exe, entry, () => instance.invoke(entry), this.limits.install);
      if (trap) {
        restore();
        const r = trapResponse(c, trap, mode === 'upgrade' ? 'post_upgrade' : 'init') as Extract<
          Response,
          { kind: 'reject' }
        >;
        throw new ManagementError(r.code, r.errorCode, r.message);
      }
    }
    const previous = {
      module: c.module,
      version: c.version,
      installArg: c.installArg,
      installer: c.installer,
    };
    c.module = { hash, prepared };
    c.version++;
    c.installArg = arg;
    c.installer = sender;
    // Module and journal record are written before the install commits, so a full disk
    // leaves the canister exactly as it was.
    const undo = (): void => {
      Object.assign(c, previous);
      restore();
    };
    if (!restart) {
      try {
        this.store?.saveModule(hashHex, wasm);
      } catch (err) {
        if (!(err instanceof StorageError)) throw err;
        undo();
        const r = outOfStorage(err) as Extract<Response, { kind: 'reject' }>;
        throw new ManagementError(r.code, r.errorCode, r.message);
      }
    }
    this.persist(c, undo);
    instance.commit();
    c.stable.commit();
    c.stable.markJournaled();
    this.restartErrors.delete(id);
  }

  private finishStop(c: Canister): void {
    c.status = 'stopped';
    try {
      this.persist(c);
    } catch {
      // Not journaled: a restart finds it stopping, which a restart turns into stopped anyway.
    }
    const waiters = c.stopWaiters;
    c.stopWaiters = [];
    for (const w of waiters) w();
  }

  private managementHost(): ManagementHost {
    return {
      defaultCycles: this.defaultCycles,
      lookup: (id) => this.canisters.get(id.toText()),
      createCanister: ({ specifiedId, controllers, cycles }) => {
        let id: Principal;
        const indexBefore = this.nextIndex;
        const taken = (p: Principal): boolean =>
          this.canisters.has(p.toText()) || this.reserved.has(p.toText());
        if (specifiedId) {
          if (taken(specifiedId)) {
            // The IC's CanisterAlreadyExists, as PocketIC reports it for a specified id.
            throw new ManagementError(
              RejectCode.CanisterError,
              'IC0538',
              `Canister ${specifiedId.toText()} is already installed.`,
            );
          }
          id = specifiedId;
        } else {
          while (taken(canisterIdFromIndex(this.nextIndex))) this.nextIndex++;
          id = canisterIdFromIndex(this.nextIndex);
          this.nextIndex++;
        }
        const c = new Canister(id, controllers, cycles, (canister, text) =>
          this.debugSink(canister.id, text),
        );
        this.persist(c, () => {
          this.nextIndex = indexBefore;
        });
        this.canisters.set(id.toText(), c);
        return id;
      },
      installCode: ({ canisterId, mode, skipPreUpgrade, wasm, arg, sender }) => {
        const c = this.canisters.get(canisterId.toText());
        if (!c)
          throw new ManagementError(
            RejectCode.DestinationInvalid,
            'IC0301',
            `Canister ${canisterId.toText()} not found`,
          );
        this.performInstall(c, wasm, mode, skipPreUpgrade, arg, sender);
      },
      setControllers: (id, controllers) => {
        const c = this.canisters.get(id.toText());
        if (!c) return;
        const before = c.controllers;
        c.controllers = controllers;
        this.persist(c, () => {
          c.controllers = before;
        });
      },
      startCanister: (id) => {
        const c = this.canisters.get(id.toText());
        if (!c) return;
        const before = c.status;
        c.status = 'running';
        this.persist(c, () => {
          c.status = before;
        });
        const waiters = c.stopWaiters;
        c.stopWaiters = [];
        for (const w of waiters) w();
      },
      stopCanister: (id) => {
        const c = this.canisters.get(id.toText());
        if (!c || c.status === 'stopped') return Promise.resolve();
        const before = c.status;
        c.status = 'stopping';
        this.persist(c, () => {
          c.status = before;
        });
        const done = new Promise<void>((resolve) => c.stopWaiters.push(resolve));
        if (c.openContexts === 0) this.finishStop(c);
        return done;
      },
      deleteCanister: (id) => {
        const c = this.canisters.get(id.toText());
        if (!c) return;
        try {
          this.writeRecord([{ meta: { id: id.toText(), deleted: true } }]);
        } catch (err) {
          if (!(err instanceof StorageError)) throw err;
          this.reportStorageError(err);
          const r = outOfStorage(err) as Extract<Response, { kind: 'reject' }>;
          throw new ManagementError(r.code, r.errorCode, r.message);
        }
        this.canisters.delete(id.toText());
      },
    };
  }

  // ---------------------------------------------------------------- durability

  /**
   * Journals the canister's changes (including its open transaction) and the ingress request
   * ids they complete. Throws `StorageError` when the disk refuses the record: the caller then
   * rolls the message back, so memory never holds what the disk does not.
   */
  private writeRecord(changes: CanisterChange[], requests: ExecutedRequest[] = []): void {
    if (!this.store) return;
    this.store.write({
      timeNanos: this.lastTime,
      nextIndex: this.nextIndex,
      canisters: changes,
      requests,
    });
    this.scheduleSync();
  }

  /** Makes the canister's open transaction durable, then commits it; rolls back on failure. */
  private commitDurably(c: Canister, requests: ExecutedRequest[] = []): StorageError | undefined {
    if (!this.store) {
      c.commit();
      c.stable.markJournaled();
      return undefined;
    }
    try {
      this.writeRecord([{ meta: c.meta(), stable: c.stable.pendingChanges() }], requests);
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      c.rollback();
      this.reportStorageError(err);
      return err;
    }
    c.commit();
    c.stable.markJournaled();
    return undefined;
  }

  /**
   * Journals a change that was already made in memory (settings, status, install) and undoes
   * it with `undo` when the disk refuses, turning the failure into the management reject.
   */
  private persist(c: Canister, undo?: () => void): void {
    if (!this.store) {
      c.stable.markJournaled();
      return;
    }
    try {
      this.writeRecord([{ meta: c.meta(), stable: c.stable.pendingChanges() }]);
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      undo?.();
      this.reportStorageError(err);
      const r = outOfStorage(err) as Extract<Response, { kind: 'reject' }>;
      throw new ManagementError(r.code, r.errorCode, r.message);
    }
    c.stable.markJournaled();
  }

  private reportStorageError(err: StorageError): void {
    const now = Date.now();
    // One line per burst: a full disk fails every message until space returns.
    if (now - this.lastStorageReport < 5_000) return;
    this.lastStorageReport = now;
    process.stderr.write(`localnet: ${err.message}; rejecting updates until space returns\n`);
  }

  /** Runs `fn` once everything journaled so far is durable (at once without a state folder). */
  private afterDurable(fn: () => void): void {
    const store = this.store;
    if (!store || store.durableBytes >= store.writtenBytes) {
      fn();
      return;
    }
    this.durableWaiters.push({ at: store.writtenBytes, fn });
    this.scheduleSync();
  }

  /** Resolves once everything journaled so far is durable. */
  private durable(): Promise<void> {
    return new Promise((resolve) => this.afterDurable(resolve));
  }

  /**
   * Group commit: one fsync covers every record written since the previous one, and runs on
   * the thread pool while the queue keeps executing; outcomes wait for the fsync that covers
   * their record.
   */
  private scheduleSync(): void {
    const store = this.store;
    if (!store || this.syncScheduled || store.busy) return;
    if (store.durableBytes >= store.writtenBytes && !store.wantsCheckpoint) return;
    this.syncScheduled = true;
    setImmediate(() => {
      this.syncScheduled = false;
      if (store.busy) return;
      store.sync().then(
        () => {
          this.maybeCheckpoint();
          this.releaseDurableWaiters();
          this.scheduleSync();
        },
        (err: unknown) => this.fatalStorage(err),
      );
    });
  }

  private releaseDurableWaiters(): void {
    const store = this.store;
    if (!store) return;
    const durable = store.durableBytes;
    const ready = this.durableWaiters.filter((w) => w.at <= durable);
    if (ready.length === 0) return;
    this.durableWaiters = this.durableWaiters.filter((w) => w.at > durable);
    for (const w of ready) w.fn();
  }

  /**
   * An fsync failed: records already executed in memory may or may not be on disk, and
   * neither replying nor rejecting would be true. Exiting lets a restart replay exactly what
   * the disk holds, as after `kill -9`.
   */
  private fatalStorage(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(
      `localnet: fatal: ${message}; exiting so that a restart replays what is on disk\n`,
    );
    this.onFatalStorageError(err instanceof Error ? err : new Error(message));
  }

  private maybeCheckpoint(): void {
    const store = this.store;
    if (!store || !store.wantsCheckpoint || store.busy || this.pumping) return;
    if (Date.now() < this.checkpointRetryAt) return;
    try {
      this.checkpoint();
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      // The journal still holds everything; try again later.
      this.checkpointRetryAt = Date.now() + 60_000;
      this.reportStorageError(err);
    }
  }

  private checkpoint(): void {
    const store = this.store;
    if (!store) return;
    store.syncNow();
    store.checkpoint({
      timeNanos: this.lastTime,
      nextIndex: this.nextIndex,
      canisters: [...this.canisters.values()].map((c) => ({
        meta: c.meta(),
        stableSizePages: c.stable.size,
        pages: c.stable.allPages(),
      })),
      requests: this.liveRequestIds(),
    });
    for (const c of this.canisters.values()) c.stable.markJournaled();
  }
}
