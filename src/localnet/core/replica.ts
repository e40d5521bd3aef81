/**
 * The local replica: a state machine over messages (ingress calls, queries, inter-canister
 * requests and responses, timers) in the shape of the IC reference implementation. This file
 * is its front: the `Replica` interface the HTTP layer calls (calls, queries, statuses), the
 * admin API, and opening and shutting down. The parts it is made of, one IC concept each:
 *   ingress.ts          submission: replay protection, checks, queueing, durable outcomes
 *   ingress-history.ts  statuses and executed request ids until their expiry
 *   scheduler.ts        the FIFO task queue and global timers
 *   execution.ts        replicated messages, call contexts, callbacks, management calls
 *   query-execution.ts  queries and composite queries
 *   install.ts          install, reinstall and upgrade
 *   management-host.ts  canister creation, settings, start, stop, delete
 *   durability.ts       the journal, group commit and checkpoints
 *   restart.ts          restart as an upgrade of every canister; clean stop
 *   snapshots.ts        canister snapshots
 * All canister code runs synchronously inside one task at a time, so the updates of one
 * canister run one at a time in arrival order, and every committed task is journaled before
 * its outcome is reported. Disk and clock are injected at construction.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { randomBytes } from 'node:crypto';
import { Durability } from './durability';
import { Executor } from './execution';
import { Ingress } from './ingress';
import { IngressHistory } from './ingress-history';
import { Installer } from './install';
import { createManagementHost } from './management-host';
import {
  MAX_INGRESS_BYTES,
  hex,
  isManagement,
  missingCanister,
  principalText,
  reject,
  toOutcome,
  unavailable,
} from './messages';
import { QueryExecutor } from './query-execution';
import {
  RejectCode,
  type CallOutcome,
  type CanisterInfo,
  type IngressMessage,
  type MessageLog,
  type Replica,
  type RequestStatus,
  type SubmitResult,
} from './replica-api';
import { ReplicaState, type LocalReplicaOptions } from './replica-state';
import { restartCanisters, stopCleanly } from './restart';
import { Scheduler } from './scheduler';
import { Snapshots } from './snapshots';
import {
  ManagementCanister,
  MANAGEMENT_ID,
  ManagementError,
  type InstallMode,
  type ManagementHost,
} from '../management/management-canister';
import { ProvisionalCreateArgs } from '../management/candid';
import { StateStore } from '../state/store';
import { SystemCanisters } from '../system/system-canisters';

export { MAX_INGRESS_BYTES, MAX_QUERY_REPLY_BYTES, MAX_UPDATE_REPLY_BYTES } from './messages';
export {
  IC_INSTRUCTION_LIMITS,
  type InstructionLimits,
  type LocalReplicaOptions,
} from './replica-state';

export class LocalReplica implements Replica {
  private readonly state: ReplicaState;
  private readonly history: IngressHistory;
  private readonly scheduler: Scheduler;
  private readonly durability: Durability;
  private readonly installer: Installer;
  private readonly snapshots: Snapshots;
  private readonly host: ManagementHost;
  private readonly management: ManagementCanister;
  private readonly executor: Executor;
  private readonly queries: QueryExecutor;
  private readonly ingress: Ingress;
  private systemCanisters: SystemCanisters | undefined;

  private constructor(store: StateStore | undefined, options: LocalReplicaOptions) {
    const state = new ReplicaState(options);
    this.state = state;
    this.history = new IngressHistory(state);
    this.scheduler = new Scheduler(state);
    this.durability = new Durability(
      state,
      store,
      this.history,
      () => this.scheduler.busy,
      options.onFatalStorageError ?? (() => process.exit(74)),
    );
    this.installer = new Installer(state, this.durability);
    this.snapshots = new Snapshots(state, this.durability, this.installer);
    this.host = createManagementHost(state, this.durability, this.installer, this.snapshots);
    this.management = new ManagementCanister(this.host);
    this.executor = new Executor(state, this.scheduler, this.durability, this.management);
    this.queries = new QueryExecutor(state);
    this.ingress = new Ingress(state, this.history, this.scheduler, this.durability, this.executor);
    this.scheduler.onTimer = (c) => this.executor.runTimer(c);
  }

  /** Canisters whose restart (post_upgrade) failed, with the error. */
  get restartErrors(): Map<string, string> {
    return this.state.restartErrors;
  }

  /**
   * Opens a replica over `stateDir` (or in memory). Every persisted canister is restarted as
   * an upgrade to its own module: post_upgrade runs over its persisted stable memory.
   */
  static async open(options: LocalReplicaOptions = {}): Promise<LocalReplica> {
    if (!options.stateDir) {
      const replica = new LocalReplica(undefined, options);
      if (options.systemCanisters) replica.installSystemCanisters();
      return replica;
    }
    const { store, state: loadedState } = StateStore.open(options.stateDir, options.storageIo);
    const replica = new LocalReplica(store, options);
    const state = replica.state;
    state.lastTime = loadedState.timeNanos;
    state.nextIndex = loadedState.nextIndex;
    // Executed requests stay known until their expiry, so a replayed call does not run twice.
    replica.history.restore(loadedState.requests);
    restartCanisters(state, replica.installer, store, loadedState.canisters.values());
    replica.snapshots.restore();
    if (options.systemCanisters) replica.installSystemCanisters();
    replica.scheduler.scheduleTimers();
    await Promise.resolve();
    return replica;
  }

  /** The ICP ledger, cycles minting canister and cycles ledger, when this replica serves them. */
  get system(): SystemCanisters | undefined {
    return this.systemCanisters;
  }

  private installSystemCanisters(): void {
    this.systemCanisters = SystemCanisters.install(this.state, this.durability, this.host);
  }

  // ---------------------------------------------------------------- Replica interface

  timeNanos(): bigint {
    return this.state.timeNanos();
  }

  async submitCall(message: IngressMessage): Promise<SubmitResult> {
    return this.submit(message, false);
  }

  /** `trusted` submissions come from the admin API and skip the ingress size limit. */
  private submit(message: IngressMessage, trusted: boolean): SubmitResult {
    this.assertOpen();
    return this.ingress.submit(message, trusted);
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
    if (isManagement(message.canisterId)) {
      return this.managementQuery(message.methodName, message.arg, message.sender);
    }
    const c = this.state.canisters.get(principalText(message.canisterId));
    if (!c) return toOutcome(missingCanister(message.canisterId));
    const native = this.state.natives.get(c.idText);
    const refusal = native ? undefined : unavailable(this.state, c);
    if (refusal) return toOutcome(refusal);
    const { methodName: method, arg, sender: caller } = message;
    const outcome = toOutcome(
      native
        ? native.query({ method, arg, caller, timeNanos: this.timeNanos() })
        : this.queries.run(c, method, arg, caller),
    );
    const stats = c.queryStats;
    stats.calls++;
    stats.instructions += c.instance?.instructionCounter() ?? 0n;
    stats.requestBytes += BigInt(arg.length);
    if (outcome.kind === 'replied') stats.responseBytes += BigInt(outcome.reply.length);
    // A query may read effects of updates whose records are not yet fsynced; answering before
    // they are durable could show data that a crash then takes back.
    await this.durability.durable();
    return outcome;
  }

  private managementQuery(method: string, arg: Uint8Array, sender: Principal): CallOutcome {
    try {
      return { kind: 'replied', reply: this.management.query(method, arg, sender) };
    } catch (err) {
      if (!(err instanceof ManagementError)) throw err;
      return {
        kind: 'rejected',
        rejectCode: err.rejectCode,
        rejectMessage: err.message,
        errorCode: err.errorCode,
      };
    }
  }

  requestStatus(requestId: Uint8Array): RequestStatus | undefined {
    return this.history.live(hex(requestId));
  }

  canister(id: Principal): CanisterInfo | undefined {
    const c = this.state.canisters.get(id.toText());
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
    return [...this.state.canisters.values()].map((c) => c.id);
  }

  onMessage(listener: (entry: MessageLog) => void): () => void {
    this.state.listeners.add(listener);
    return () => this.state.listeners.delete(listener);
  }

  async shutdown(): Promise<void> {
    if (this.state.closed) return;
    await this.scheduler.idle();
    await this.durability.durable();
    this.state.closed = true;
    this.scheduler.stop();
    stopCleanly(this.state, this.durability);
    this.durability.releaseDurableWaiters();
    this.durability.store?.close();
  }

  // ---------------------------------------------------------------- admin API (CLI, tests)

  /** Creates an empty canister, optionally with a given id (like the provisional API). */
  createCanister(opts: {
    specifiedId?: Principal;
    controllers: Principal[];
    cycles?: bigint;
  }): Principal {
    return this.host.createCanister({
      specifiedId: opts.specifiedId,
      controllers: opts.controllers,
      cycles: opts.cycles ?? this.state.defaultCycles,
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
    const c = this.state.canisters.get(opts.canisterId.toText());
    const sender = opts.sender ?? c?.controllers[0] ?? Principal.anonymous();
    const mode = opts.mode ?? 'install';
    // Straight to the install path: candid-encoding a multi-MB module only to decode it
    // again costs about a second.
    return new Promise((resolve, reject) => {
      this.scheduler.enqueue(() => {
        const started = performance.now();
        let failure: Error | undefined;
        try {
          const target = this.state.canisters.get(opts.canisterId.toText());
          if (!target) throw managementErrorFor(missingCanister(opts.canisterId));
          if (!target.controllers.some((p) => p.compareTo(sender) === 'eq')) {
            throw new ManagementError(
              RejectCode.CanisterError,
              'IC0512',
              `Only controllers of canister ${opts.canisterId.toText()} can call ic00 method install_code. Sender ${sender.toText()} is not a controller.`,
            );
          }
          this.installer.performInstall(
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
        this.state.emit({
          canisterId: MANAGEMENT_ID,
          methodName: 'install_code',
          caller: sender,
          kind: 'update',
          outcome: failure ? 'rejected' : 'replied',
          durationMs: performance.now() - started,
        });
        if (failure) reject(failure);
        else this.durability.afterDurable(resolve);
      });
    });
  }

  /** Calls a management canister method as `sender` (candid-encoded argument). */
  async callManagement(method: string, arg: Uint8Array, sender: Principal): Promise<CallOutcome> {
    return this.update(MANAGEMENT_ID, method, arg, sender);
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
    this.scheduler.enqueueDueTimers();
    await this.scheduler.idle();
  }

  /** Resolves when the message queue is empty. */
  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  /** Heap, stable memory and module sizes of a canister, for status displays and benchmarks. */
  canisterStats(
    id: Principal,
  ): { heapBytes: number; stablePages: number; cycles: bigint; version: bigint } | undefined {
    const c = this.state.canisters.get(id.toText());
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
    return this.state.canisters.get(id.toText())?.globalTimer;
  }

  private assertOpen(): void {
    if (this.state.closed) throw new Error('the replica was shut down');
  }
}

function managementErrorFor(r: ReturnType<typeof missingCanister>): ManagementError {
  return new ManagementError(r.code, r.errorCode, r.message);
}
