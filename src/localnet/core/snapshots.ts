/**
 * Canister snapshots (`take_canister_snapshot`, `load_canister_snapshot`,
 * `list_canister_snapshots`, `delete_canister_snapshot`): a snapshot holds what the canister's
 * execution state is made of — the module, the heap and mutable globals as of the last commit,
 * stable memory, certified data and the global timer — so loading one puts the canister back
 * exactly there, for any module (the install-time rewrite exports every mutable global).
 *
 * With a state folder a snapshot is a file written and fsynced before the call replies, so it
 * outlives restarts; without one it is kept in memory. Snapshot ids are the IC's: the
 * subnet-local number (u64, big-endian) followed by the canister id.
 */
import type { Canister } from './canister';
import type { ChangeOrigin } from './canister-history';
import type { Durability } from './durability';
import { hex, managementError, outOfStorage } from './messages';
import type { Installer } from './install';
import { RejectCode } from './replica-api';
import type { ReplicaState } from './replica-state';
import { ManagementError } from '../management/management-canister';
import { CanisterInstance, type GlobalValue } from '../runtime/canister-instance';
import { PAGE_SIZE } from '../runtime/stable-memory';
import {
  deleteSnapshotFile,
  listSnapshotFiles,
  readSnapshotFile,
  saveSnapshotFile,
  type SnapshotFile,
  type SnapshotHeader,
} from '../state/snapshot-files';
import { StorageError } from '../state/store';

/** Snapshots a canister may keep at once, as on the IC. */
export const MAX_SNAPSHOTS_PER_CANISTER = 10;

export interface SnapshotInfo {
  id: Uint8Array;
  takenAtNanos: bigint;
  totalSize: bigint;
}

interface Entry {
  header: SnapshotHeader;
  /** The snapshot's contents when there is no state folder to keep them. */
  file?: SnapshotFile;
}

function encodeGlobals(globals: readonly GlobalValue[]): (number | string)[] {
  return globals.map((g) => (typeof g === 'bigint' ? g.toString() : g));
}

function decodeGlobals(globals: readonly (number | string)[]): GlobalValue[] {
  return globals.map((g) => (typeof g === 'string' ? BigInt(g) : g));
}

function notFound(snapshotId: string, canisterId: string): ManagementError {
  return new ManagementError(
    RejectCode.DestinationInvalid,
    'IC0305',
    `Could not find the snapshot ID ${snapshotId} for canister ${canisterId}.`,
  );
}

export class Snapshots {
  /** By canister id, then snapshot id (hex). */
  private readonly byCanister = new Map<string, Map<string, Entry>>();
  private nextLocalId = 0n;

  constructor(
    private readonly state: ReplicaState,
    private readonly durability: Durability,
    private readonly installer: Installer,
  ) {}

  /** Reads the headers of the snapshots in the state folder (the contents stay on disk). */
  restore(): void {
    const dir = this.state.stateDir;
    if (!dir) return;
    for (const [canisterId, found] of listSnapshotFiles(dir)) {
      const entries = new Map<string, Entry>();
      for (const [id, header] of found) {
        entries.set(id, { header });
        const local = Buffer.from(id, 'hex').readBigUInt64BE(0);
        if (local >= this.nextLocalId) this.nextLocalId = local + 1n;
      }
      this.byCanister.set(canisterId, entries);
    }
  }

  list(c: Canister): SnapshotInfo[] {
    return [...(this.byCanister.get(c.id.toText()) ?? new Map<string, Entry>())].map(([id, e]) => ({
      id: Buffer.from(id, 'hex'),
      takenAtNanos: BigInt(e.header.takenAtNanos),
      totalSize: BigInt(e.header.totalSize),
    }));
  }

  take(c: Canister, replace: Uint8Array | undefined): SnapshotInfo {
    const canisterId = c.id.toText();
    const entries = this.byCanister.get(canisterId) ?? new Map<string, Entry>();
    const replaced = replace && hex(replace);
    if (replaced !== undefined && !entries.has(replaced)) throw notFound(replaced, canisterId);
    if (replaced === undefined && entries.size >= MAX_SNAPSHOTS_PER_CANISTER) {
      throw new ManagementError(
        RejectCode.CanisterReject,
        'IC0406',
        `Canister ${canisterId} has reached the maximum number of snapshots allowed: ${MAX_SNAPSHOTS_PER_CANISTER}.`,
      );
    }
    const module = c.module;
    const instance = c.instance;
    if (!module || !instance) {
      throw new ManagementError(
        RejectCode.CanisterError,
        'IC0537',
        `Canister ${canisterId} has no module: there is nothing to snapshot.`,
      );
    }
    const { heap, globals } = instance.committedState();
    const pages = c.stable.allPages().map(([i, data]): [number, Uint8Array] => [i, data.slice()]);
    const takenAt = this.state.timeNanos();
    const totalSize =
      BigInt(heap.length) +
      BigInt(c.stable.size * PAGE_SIZE) +
      BigInt(module.size) +
      BigInt(c.certifiedData.length);
    const file: SnapshotFile = {
      header: {
        version: 1,
        takenAtNanos: takenAt.toString(),
        canisterVersion: c.version.toString(),
        moduleHash: hex(module.hash),
        moduleSize: module.size,
        heapBytes: heap.length,
        globals: encodeGlobals(globals),
        stableSizePages: c.stable.size,
        certifiedData: hex(c.certifiedData),
        globalTimer: c.globalTimer.toString(),
        totalSize: totalSize.toString(),
      },
      heap,
      pages,
    };
    const idBytes = Buffer.alloc(8);
    idBytes.writeBigUInt64BE(this.nextLocalId);
    const id = Buffer.concat([idBytes, c.id.toUint8Array()]);
    const idHex = hex(id);
    const dir = this.state.stateDir;
    if (dir) {
      try {
        saveSnapshotFile(dir, canisterId, idHex, file);
      } catch (err) {
        if (!(err instanceof StorageError)) throw err;
        this.durability.reportStorageError(err);
        throw managementError(outOfStorage(err));
      }
      if (replaced !== undefined) deleteSnapshotFile(dir, canisterId, replaced);
    }
    this.nextLocalId++;
    if (replaced !== undefined) entries.delete(replaced);
    entries.set(idHex, dir ? { header: file.header } : { header: file.header, file });
    this.byCanister.set(canisterId, entries);
    return { id, takenAtNanos: takenAt, totalSize };
  }

  /**
   * Replaces the canister's module, heap, globals, stable memory, certified data and timer with
   * the snapshot's, as one change journaled before it is acknowledged (and undone if the disk
   * refuses it). Call contexts the current instance left open are answered with rejects, as
   * after an uninstall.
   */
  load(c: Canister, snapshotId: Uint8Array, origin: ChangeOrigin): void {
    const canisterId = c.id.toText();
    const idHex = hex(snapshotId);
    const entry = this.byCanister.get(canisterId)?.get(idHex);
    if (!entry) throw notFound(idHex, canisterId);
    const dir = this.state.stateDir;
    const file = entry.file ?? (dir ? readSnapshotFile(dir, canisterId, idHex) : undefined);
    if (!file) throw notFound(idHex, canisterId);
    const { header } = file;
    const prepared =
      c.module && hex(c.module.hash) === header.moduleHash
        ? c.module.prepared
        : this.installer.preparedModule(header.moduleHash);
    let instance: CanisterInstance;
    try {
      instance = new CanisterInstance(prepared, c);
      instance.restoreState(file.heap, decodeGlobals(header.globals));
    } catch (err) {
      throw new ManagementError(
        RejectCode.CanisterError,
        'IC0505',
        `Canister ${canisterId} cannot load snapshot ${idHex}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const before = {
      module: c.module,
      instance: c.instance,
      certifiedData: c.certifiedData,
      globalTimer: c.globalTimer,
      version: c.version,
    };
    c.stable.begin();
    const stableBackup = { size: c.stable.size, pages: c.stable.allPages() };
    c.stable.reset();
    c.stable.grow(header.stableSizePages);
    for (const [index, data] of file.pages) c.stable.write(index * PAGE_SIZE, data);
    c.module = {
      hash: new Uint8Array(Buffer.from(header.moduleHash, 'hex')),
      prepared,
      size: header.moduleSize,
    };
    c.instance = instance;
    c.certifiedData = new Uint8Array(Buffer.from(header.certifiedData, 'hex'));
    c.globalTimer = BigInt(header.globalTimer);
    c.version++;
    c.history.record({
      timestampNanos: this.state.timeNanos().toString(),
      canisterVersion: c.version.toString(),
      origin,
      details: {
        kind: 'load_snapshot',
        canisterVersion: header.canisterVersion,
        snapshotId: idHex,
        takenAtNanos: header.takenAtNanos,
      },
    });
    this.durability.persist(c, () => {
      Object.assign(c, before);
      c.stable.load(stableBackup.size, stableBackup.pages);
    });
    c.stable.commit();
    c.stable.markJournaled();
    this.state.restartErrors.delete(canisterId);
  }

  delete(c: Canister, snapshotId: Uint8Array): void {
    const canisterId = c.id.toText();
    const idHex = hex(snapshotId);
    const entries = this.byCanister.get(canisterId);
    if (!entries?.has(idHex)) throw notFound(idHex, canisterId);
    const dir = this.state.stateDir;
    if (dir) deleteSnapshotFile(dir, canisterId, idHex);
    entries.delete(idHex);
  }

  /** A deleted canister's snapshots go with it. */
  deleteAll(canisterId: string): void {
    const dir = this.state.stateDir;
    for (const idHex of this.byCanister.get(canisterId)?.keys() ?? []) {
      if (dir) deleteSnapshotFile(dir, canisterId, idHex);
    }
    this.byCanister.delete(canisterId);
  }
}
