/**
 * The management canister (`aaaaa-aa`): decodes candid arguments, checks controllers, and
 * asks the replica core (through `ManagementHost`) to change canister state. Reachable from
 * ingress and from canisters; both paths end here with the caller's principal.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createHash, randomBytes } from 'node:crypto';
import {
  CanisterIdRecord,
  CanisterInfoArgs,
  ChunkHash,
  CreateCanisterArgs,
  DeleteCanisterSnapshotArgs,
  FetchCanisterLogsResult,
  InstallChunkedCodeArgs,
  InstallCodeArgs,
  LoadCanisterSnapshotArgs,
  ProvisionalCreateArgs,
  ProvisionalTopUpArgs,
  TakeCanisterSnapshotArgs,
  UninstallCodeArgs,
  UpdateSettingsArgs,
  UploadChunkArgs,
  type InstallModeValue,
  type SettingsValue,
} from './candid';
import { encodeCanisterStatus } from './canister-status';
import {
  CANISTER_ONLY_METHODS,
  encodeCanisterInfo,
  encodeSnapshot,
  encodeSnapshotList,
  originOf,
  type ManagementCaller,
} from './history-and-snapshots';
import type { ChangeEntry, ChangeOrigin } from '../core/canister-history';
import { RejectCode } from '../core/replica-api';
import type { SnapshotInfo } from '../core/snapshots';

export type InstallMode = 'install' | 'reinstall' | 'upgrade';

export class ManagementError extends Error {
  constructor(
    readonly rejectCode: RejectCode,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** What the management canister needs from the replica core. */
export interface ManagementCanisterView {
  id: Principal;
  controllers: Principal[];
  status: 'running' | 'stopping' | 'stopped';
  cyclesBalance: bigint;
  moduleHash: Uint8Array | undefined;
  memorySize: bigint;
  version: bigint;
  memoryMetrics(): {
    wasmMemory: bigint;
    stableMemory: bigint;
    wasmBinary: bigint;
    customSections: bigint;
    chunkStore: bigint;
  };
  chunkStore: Map<string, Uint8Array>;
  logs: { idx: bigint; timestampNanos: bigint; content: Uint8Array }[];
  history: { total: bigint; recent: readonly ChangeEntry[] };
  queryStats: { calls: bigint; instructions: bigint; requestBytes: bigint; responseBytes: bigint };
}

export interface ManagementHost {
  lookup(id: Principal): ManagementCanisterView | undefined;
  /** `origin` defaults to the first controller as a user. */
  createCanister(opts: {
    specifiedId?: Principal;
    controllers: Principal[];
    cycles: bigint;
    origin?: ChangeOrigin;
  }): Principal;
  installCode(opts: {
    canisterId: Principal;
    mode: InstallMode;
    skipPreUpgrade: boolean;
    wasm: Uint8Array;
    arg: Uint8Array;
    sender: Principal;
    origin: ChangeOrigin;
  }): void;
  setControllers(id: Principal, controllers: Principal[], origin: ChangeOrigin): void;
  startCanister(id: Principal): void;
  stopCanister(id: Principal): Promise<void>;
  deleteCanister(id: Principal): void;
  /** Removes module, heap, stable memory, certified data and timer; keeps the canister. */
  uninstallCode(id: Principal, origin: ChangeOrigin): void;
  takeSnapshot(id: Principal, replace: Uint8Array | undefined): SnapshotInfo;
  loadSnapshot(id: Principal, snapshotId: Uint8Array, origin: ChangeOrigin): void;
  listSnapshots(id: Principal): SnapshotInfo[];
  deleteSnapshot(id: Principal, snapshotId: Uint8Array): void;
  /** Adds cycles to a canister (the provisional API of test networks). */
  topUp(id: Principal, amount: bigint): void;
  /** Cycles for canisters created without `amount` (provisional API). */
  defaultCycles: bigint;
}

export const MANAGEMENT_ID = Principal.managementCanister();
const MAX_CHUNKS = 10_000;
const MAX_CONTROLLERS = 10;

function decode<T>(type: IDL.Type, arg: Uint8Array, method: string): T {
  try {
    const [value] = IDL.decode([type], arg);
    return value as T;
  } catch (err) {
    throw new ManagementError(
      RejectCode.CanisterError,
      'IC0503',
      `Error decoding candid for method ${method}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

function encode(type: IDL.Type, value: unknown): Uint8Array {
  return new Uint8Array(IDL.encode([type], [value]));
}

const EMPTY_REPLY = new Uint8Array(IDL.encode([], []));

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function modeOf(mode: InstallModeValue): { mode: InstallMode; skipPreUpgrade: boolean } {
  if ('install' in mode) return { mode: 'install', skipPreUpgrade: false };
  if ('reinstall' in mode) return { mode: 'reinstall', skipPreUpgrade: false };
  const flags = mode.upgrade[0];
  return { mode: 'upgrade', skipPreUpgrade: flags?.skip_pre_upgrade[0] === true };
}

function controllersOf(settings: [] | [SettingsValue], fallback: Principal[]): Principal[] {
  const list = settings[0]?.controllers[0];
  if (list === undefined) return fallback;
  if (list.length > MAX_CONTROLLERS) {
    throw new ManagementError(
      RejectCode.CanisterReject,
      'IC0406',
      `Invalid settings: at most ${MAX_CONTROLLERS} controllers are allowed`,
    );
  }
  return list;
}

function notFound(id: Principal): ManagementError {
  return new ManagementError(
    RejectCode.DestinationInvalid,
    'IC0301',
    `Canister ${id.toText()} not found`,
  );
}

export class ManagementCanister {
  constructor(private readonly host: ManagementHost) {}

  private controlled(id: Principal, sender: Principal, method: string): ManagementCanisterView {
    const canister = this.host.lookup(id);
    if (!canister) throw notFound(id);
    if (!canister.controllers.some((c) => c.compareTo(sender) === 'eq')) {
      throw new ManagementError(
        RejectCode.CanisterError,
        'IC0512',
        `Only controllers of canister ${id.toText()} can call ic00 method ${method}. Sender ${sender.toText()} is not a controller.`,
      );
    }
    return canister;
  }

  /**
   * The methods the IC serves as queries (non-replicated); any other method called as a query
   * is refused, as the IC refuses it.
   */
  query(method: string, arg: Uint8Array, sender: Principal): Uint8Array {
    if (method !== 'fetch_canister_logs') {
      throw new ManagementError(
        RejectCode.CanisterReject,
        'IC0406',
        `Management canister method ${method} cannot be called as a query`,
      );
    }
    const a = decode<{ canister_id: Principal }>(CanisterIdRecord, arg, method);
    // log_visibility is always `controllers` on localnet.
    const c = this.controlled(a.canister_id, sender, method);
    return encode(FetchCanisterLogsResult, {
      canister_log_records: c.logs.map((r) => ({
        idx: r.idx,
        timestamp_nanos: r.timestampNanos,
        content: r.content,
      })),
    });
  }

  /** Returns the candid-encoded reply or throws `ManagementError`. */
  async call(
    method: string,
    arg: Uint8Array,
    sender: Principal,
    caller: ManagementCaller = 'ingress',
  ): Promise<Uint8Array> {
    const host = this.host;
    if (caller === 'ingress' && CANISTER_ONLY_METHODS.has(method)) {
      throw new ManagementError(
        RejectCode.CanisterReject,
        'IC0406',
        `Only canisters can call ic00 method ${method}`,
      );
    }
    // Every argument record that names a sender version has it here; others decode to [].
    const origin = (a: { sender_canister_version?: [] | [bigint] }): ChangeOrigin =>
      originOf(sender, caller, a.sender_canister_version);
    switch (method) {
      case 'fetch_canister_logs':
        throw new ManagementError(
          RejectCode.CanisterReject,
          'IC0406',
          'fetch_canister_logs can only be called as a query (non-replicated)',
        );
      case 'provisional_create_canister_with_cycles': {
        const a = decode<{
          amount: [] | [bigint];
          settings: [] | [SettingsValue];
          specified_id: [] | [Principal];
          sender_canister_version: [] | [bigint];
        }>(ProvisionalCreateArgs, arg, method);
        const id = host.createCanister({
          specifiedId: a.specified_id[0],
          controllers: controllersOf(a.settings, [sender]),
          cycles: a.amount[0] ?? host.defaultCycles,
          origin: origin(a),
        });
        return encode(CanisterIdRecord, { canister_id: id });
      }
      case 'create_canister': {
        const a = decode<{
          settings: [] | [SettingsValue];
          sender_canister_version: [] | [bigint];
        }>(CreateCanisterArgs, arg, method);
        const id = host.createCanister({
          controllers: controllersOf(a.settings, [sender]),
          cycles: host.defaultCycles,
          origin: origin(a),
        });
        return encode(CanisterIdRecord, { canister_id: id });
      }
      case 'install_code': {
        const a = decode<{
          mode: InstallModeValue;
          canister_id: Principal;
          wasm_module: Uint8Array;
          arg: Uint8Array;
          sender_canister_version: [] | [bigint];
        }>(InstallCodeArgs, arg, method);
        this.controlled(a.canister_id, sender, method);
        host.installCode({
          canisterId: a.canister_id,
          ...modeOf(a.mode),
          wasm: new Uint8Array(a.wasm_module),
          arg: new Uint8Array(a.arg),
          sender,
          origin: origin(a),
        });
        return EMPTY_REPLY;
      }
      case 'upload_chunk': {
        const a = decode<{ canister_id: Principal; chunk: Uint8Array }>(
          UploadChunkArgs,
          arg,
          method,
        );
        const c = this.controlled(a.canister_id, sender, method);
        if (a.chunk.length > 1024 * 1024) {
          throw new ManagementError(
            RejectCode.CanisterReject,
            'IC0406',
            'Chunk is larger than 1 MiB',
          );
        }
        if (c.chunkStore.size >= MAX_CHUNKS) {
          throw new ManagementError(RejectCode.CanisterReject, 'IC0406', 'Chunk store is full');
        }
        const hash = createHash('sha256').update(a.chunk).digest();
        c.chunkStore.set(hex(hash), new Uint8Array(a.chunk));
        return encode(ChunkHash, { hash });
      }
      case 'clear_chunk_store': {
        const a = decode<{ canister_id: Principal }>(CanisterIdRecord, arg, method);
        this.controlled(a.canister_id, sender, method).chunkStore.clear();
        return EMPTY_REPLY;
      }
      case 'stored_chunks': {
        const a = decode<{ canister_id: Principal }>(CanisterIdRecord, arg, method);
        const c = this.controlled(a.canister_id, sender, method);
        return encode(
          IDL.Vec(ChunkHash),
          [...c.chunkStore.keys()].map((h) => ({ hash: Buffer.from(h, 'hex') })),
        );
      }
      case 'install_chunked_code': {
        const a = decode<{
          mode: InstallModeValue;
          target_canister: Principal;
          store_canister: [] | [Principal];
          chunk_hashes_list: { hash: Uint8Array }[];
          wasm_module_hash: Uint8Array;
          arg: Uint8Array;
          sender_canister_version: [] | [bigint];
        }>(InstallChunkedCodeArgs, arg, method);
        this.controlled(a.target_canister, sender, method);
        const store = this.controlled(a.store_canister[0] ?? a.target_canister, sender, method);
        const parts = a.chunk_hashes_list.map(({ hash }) => {
          const chunk = store.chunkStore.get(hex(hash));
          if (!chunk) {
            throw new ManagementError(
              RejectCode.CanisterReject,
              'IC0406',
              `Chunk ${hex(hash)} is not in the chunk store`,
            );
          }
          return chunk;
        });
        const wasm = Buffer.concat(parts);
        const actual = createHash('sha256').update(wasm).digest();
        if (hex(actual) !== hex(a.wasm_module_hash)) {
          throw new ManagementError(
            RejectCode.CanisterReject,
            'IC0406',
            `Wasm module hash mismatch: expected ${hex(a.wasm_module_hash)}, got ${hex(actual)}`,
          );
        }
        host.installCode({
          canisterId: a.target_canister,
          ...modeOf(a.mode),
          wasm: new Uint8Array(wasm),
          arg: new Uint8Array(a.arg),
          sender,
          origin: origin(a),
        });
        return EMPTY_REPLY;
      }
      case 'canister_status': {
        const a = decode<{ canister_id: Principal }>(CanisterIdRecord, arg, method);
        const c = this.controlled(a.canister_id, sender, method);
        const snapshots = host.listSnapshots(a.canister_id);
        return encodeCanisterStatus(
          c,
          snapshots.reduce((sum, s) => sum + s.totalSize, 0n),
        );
      }
      case 'uninstall_code': {
        const a = decode<{ canister_id: Principal; sender_canister_version: [] | [bigint] }>(
          UninstallCodeArgs,
          arg,
          method,
        );
        this.controlled(a.canister_id, sender, method);
        host.uninstallCode(a.canister_id, origin(a));
        return EMPTY_REPLY;
      }
      case 'provisional_top_up_canister': {
        const a = decode<{ canister_id: Principal; amount: bigint }>(
          ProvisionalTopUpArgs,
          arg,
          method,
        );
        if (!host.lookup(a.canister_id)) {
          throw new ManagementError(
            RejectCode.DestinationInvalid,
            'IC0301',
            `Canister ${a.canister_id.toText()} not found`,
          );
        }
        host.topUp(a.canister_id, a.amount);
        return EMPTY_REPLY;
      }
      case 'update_settings': {
        const a = decode<{
          canister_id: Principal;
          settings: SettingsValue;
          sender_canister_version: [] | [bigint];
        }>(UpdateSettingsArgs, arg, method);
        const c = this.controlled(a.canister_id, sender, method);
        host.setControllers(a.canister_id, controllersOf([a.settings], c.controllers), origin(a));
        return EMPTY_REPLY;
      }
      case 'start_canister': {
        const a = decode<{ canister_id: Principal }>(CanisterIdRecord, arg, method);
        this.controlled(a.canister_id, sender, method);
        host.startCanister(a.canister_id);
        return EMPTY_REPLY;
      }
      case 'stop_canister': {
        const a = decode<{ canister_id: Principal }>(CanisterIdRecord, arg, method);
        this.controlled(a.canister_id, sender, method);
        await host.stopCanister(a.canister_id);
        return EMPTY_REPLY;
      }
      case 'delete_canister': {
        const a = decode<{ canister_id: Principal }>(CanisterIdRecord, arg, method);
        const c = this.controlled(a.canister_id, sender, method);
        if (c.status !== 'stopped') {
          throw new ManagementError(
            RejectCode.CanisterError,
            'IC0510',
            `Canister ${a.canister_id.toText()} must be stopped before it is deleted.`,
          );
        }
        host.deleteCanister(a.canister_id);
        return EMPTY_REPLY;
      }
      case 'canister_info': {
        const a = decode<{ canister_id: Principal; num_requested_changes: [] | [bigint] }>(
          CanisterInfoArgs,
          arg,
          method,
        );
        const c = host.lookup(a.canister_id);
        if (!c) throw notFound(a.canister_id);
        return encodeCanisterInfo(c, a.num_requested_changes);
      }
      case 'take_canister_snapshot': {
        const a = decode<{ canister_id: Principal; replace_snapshot: [] | [Uint8Array] }>(
          TakeCanisterSnapshotArgs,
          arg,
          method,
        );
        this.controlled(a.canister_id, sender, method);
        return encodeSnapshot(host.takeSnapshot(a.canister_id, a.replace_snapshot[0]));
      }
      case 'load_canister_snapshot': {
        const a = decode<{
          canister_id: Principal;
          snapshot_id: Uint8Array;
          sender_canister_version: [] | [bigint];
        }>(LoadCanisterSnapshotArgs, arg, method);
        this.controlled(a.canister_id, sender, method);
        host.loadSnapshot(a.canister_id, new Uint8Array(a.snapshot_id), origin(a));
        return EMPTY_REPLY;
      }
      case 'list_canister_snapshots': {
        const a = decode<{ canister_id: Principal }>(CanisterIdRecord, arg, method);
        this.controlled(a.canister_id, sender, method);
        return encodeSnapshotList(host.listSnapshots(a.canister_id));
      }
      case 'delete_canister_snapshot': {
        const a = decode<{ canister_id: Principal; snapshot_id: Uint8Array }>(
          DeleteCanisterSnapshotArgs,
          arg,
          method,
        );
        this.controlled(a.canister_id, sender, method);
        host.deleteSnapshot(a.canister_id, new Uint8Array(a.snapshot_id));
        return EMPTY_REPLY;
      }
      case 'raw_rand':
        IDL.decode([], arg);
        return encode(IDL.Vec(IDL.Nat8), randomBytes(32));
      case 'deposit_cycles':
        return EMPTY_REPLY;
      default:
        throw new ManagementError(
          RejectCode.CanisterError,
          'IC0536',
          `Management canister has no method '${method}' in localnet`,
        );
    }
  }
}
