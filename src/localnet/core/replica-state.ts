/**
 * What the parts of the replica share: the canisters, replica time, limits and listeners. The
 * parts (ingress history, scheduler, execution, install, durability) each own their own state
 * and reach the rest through this object.
 */
import { Principal } from '@dfinity/principal';
import { join } from 'node:path';
import { Canister } from './canister';
import type { NativeCanister } from './native-canister';
import type { DataCertificateProvider, MessageLog } from './replica-api';
import type { CanisterMeta, StorageIo } from '../state/store';

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
  /**
   * Serve the NNS system canisters (ICP ledger, cycles minting canister, cycles ledger) at
   * their mainnet ids, as the local networks of icp-cli and dfx do (default false).
   */
  systemCanisters?: boolean;
  /**
   * Instrument modules so that a message copies only the heap pages it wrote, instead of the
   * whole heap at every commit and every rollback (each query and inspect_message rolls back).
   * Costs a binaryen rewrite per module at install, kept in `preparedCacheDir`. Default: on
   * for a replica with a state folder (a network that lives long enough for the rewrite to pay
   * off: with a 15 MB Azle heap, copying the whole heap is most of an update's cost), off in
   * memory (tests of small modules); LOCALNET_DIRTY_TRACKING=1 or 0 overrides the default.
   */
  dirtyTracking?: boolean;
  /** Where rewritten modules are cached (content-addressed); default `<stateDir>/prepared`. */
  preparedCacheDir?: string;
  /** The subnet's id and root key (DER) canisters read with `ic0.subnet_self_*`/`root_key_*`. */
  network?: { subnetId: Principal; rootKeyDer: Uint8Array };
}

function defaultClock(): bigint {
  return (
    BigInt(Math.floor(performance.timeOrigin * 1000)) * 1000n +
    BigInt(Math.floor(performance.now() * 1e6))
  );
}

export class ReplicaState {
  readonly canisters = new Map<string, Canister>();
  /** Canisters implemented by localnet itself (the system canisters), by id. */
  readonly natives = new Map<string, NativeCanister>();
  /** Canisters whose restart (post_upgrade) failed, with the error. */
  readonly restartErrors = new Map<string, string>();
  readonly listeners = new Set<(entry: MessageLog) => void>();
  readonly reserved: Set<string>;
  readonly clock: () => bigint;
  readonly limits: InstructionLimits;
  readonly metering: boolean;
  readonly dirtyTracking: boolean;
  readonly preparedCacheDir: string | undefined;
  readonly autoTimers: boolean;
  readonly debugSink: (canisterId: Principal, text: string) => void;
  readonly certificateProvider: DataCertificateProvider | undefined;
  readonly defaultCycles: bigint;
  readonly stateDir: string | undefined;
  readonly network: { subnetId: Uint8Array; rootKey: Uint8Array } | undefined;
  lastTime = 0n;
  /** Index of the next canister id handed out without a specified id. */
  nextIndex = 0n;
  closed = false;

  constructor(options: LocalReplicaOptions) {
    this.stateDir = options.stateDir;
    this.clock = options.clock ?? defaultClock;
    this.metering = options.metering ?? false;
    const fromEnv = process.env.LOCALNET_DIRTY_TRACKING;
    this.dirtyTracking =
      options.dirtyTracking ??
      (fromEnv === '1' || (fromEnv !== '0' && options.stateDir !== undefined));
    this.preparedCacheDir =
      options.preparedCacheDir ?? (options.stateDir && join(options.stateDir, 'prepared'));
    this.limits = { ...IC_INSTRUCTION_LIMITS, ...options.instructionLimits };
    this.autoTimers = options.autoTimers ?? true;
    this.certificateProvider = options.dataCertificateProvider;
    this.defaultCycles = options.defaultCycles ?? 100_000_000_000_000n;
    this.debugSink =
      options.debugPrint ??
      ((id, text) => process.stderr.write(`[canister ${id.toText()}] ${text}\n`));
    this.reserved = new Set((options.reservedCanisterIds ?? []).map((p) => p.toText()));
    this.network = options.network && {
      subnetId: options.network.subnetId.toUint8Array(),
      rootKey: options.network.rootKeyDer,
    };
  }

  /** Replica time: the clock, but never below a time already handed out or persisted. */
  timeNanos(): bigint {
    const t = this.clock();
    if (t > this.lastTime) this.lastTime = t;
    return this.lastTime;
  }

  emit(entry: MessageLog): void {
    for (const l of this.listeners) {
      try {
        l(entry);
      } catch {
        // A failing listener must not break message execution.
      }
    }
  }

  newCanister(id: Principal, controllers: Principal[], cycles: bigint): Canister {
    const c = new Canister(id, controllers, cycles, (canister, text) =>
      this.debugSink(canister.id, text),
    );
    c.network = this.network;
    return c;
  }

  canisterFromMeta(meta: CanisterMeta): Canister {
    const c = this.newCanister(
      Principal.fromText(meta.id),
      meta.controllers.map((p) => Principal.fromText(p)),
      BigInt(meta.cycles),
    );
    c.status = meta.status === 'stopping' ? 'stopped' : meta.status;
    c.version = BigInt(meta.version);
    c.certifiedData = new Uint8Array(Buffer.from(meta.certifiedData, 'hex'));
    c.installArg = new Uint8Array(Buffer.from(meta.installArg, 'hex'));
    c.installer = Principal.fromText(meta.installer);
    if (meta.queryStats) {
      const [calls, instructions, requestBytes, responseBytes] = meta.queryStats.map(BigInt);
      c.queryStats = {
        calls: calls ?? 0n,
        instructions: instructions ?? 0n,
        requestBytes: requestBytes ?? 0n,
        responseBytes: responseBytes ?? 0n,
      };
    }
    return c;
  }
}
