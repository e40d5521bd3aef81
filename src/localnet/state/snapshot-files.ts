/**
 * Canister snapshots on disk: `snapshots/<canister id>/<snapshot id hex>`, one file each,
 * written whole to a temporary name, fsynced and renamed (as modules are), so a crash leaves
 * either the complete snapshot or none. A file is a little-endian u32 header length, the JSON
 * header, the heap bytes, then the stable memory's non-zero pages (u32 index + 64 KiB each).
 * Snapshots live outside the checkpoint generations: they outlive checkpoints, restarts and
 * uninstalls, and go with the canister.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PAGE_SIZE } from '../runtime/stable-memory';
import { StorageError, errorCode, fsyncDir, writeFileDurable } from './store';

export interface SnapshotHeader {
  version: 1;
  takenAtNanos: string;
  /** Canister version when the snapshot was taken (reported by `canister_info`). */
  canisterVersion: string;
  moduleHash: string;
  moduleSize: number;
  heapBytes: number;
  /** Exported mutable globals in declaration order: i64 values as decimal strings. */
  globals: (number | string)[];
  stableSizePages: number;
  certifiedData: string;
  globalTimer: string;
  totalSize: string;
}

export interface SnapshotFile {
  header: SnapshotHeader;
  heap: Uint8Array;
  pages: [number, Uint8Array][];
}

function snapshotDir(stateDir: string, canisterId: string): string {
  return path.join(stateDir, 'snapshots', canisterId);
}

export function encodeSnapshot(file: SnapshotFile): Buffer {
  const json = Buffer.from(JSON.stringify(file.header));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const parts: Uint8Array[] = [len, json, file.heap];
  for (const [index, data] of file.pages) {
    const i = Buffer.alloc(4);
    i.writeUInt32LE(index);
    parts.push(i, data);
  }
  return Buffer.concat(parts);
}

function decodeHeader(data: Buffer): { header: SnapshotHeader; end: number } {
  const len = data.readUInt32LE(0);
  return {
    header: JSON.parse(data.subarray(4, 4 + len).toString()) as SnapshotHeader,
    end: 4 + len,
  };
}

export function decodeSnapshot(data: Buffer): SnapshotFile {
  const { header, end } = decodeHeader(data);
  const heap = new Uint8Array(data.subarray(end, end + header.heapBytes));
  const pages: [number, Uint8Array][] = [];
  for (let pos = end + header.heapBytes; pos + 4 + PAGE_SIZE <= data.length; pos += 4 + PAGE_SIZE) {
    pages.push([
      data.readUInt32LE(pos),
      new Uint8Array(data.subarray(pos + 4, pos + 4 + PAGE_SIZE)),
    ]);
  }
  return { header, heap, pages };
}

/** Writes a snapshot durably, or throws `StorageError` with nothing left behind. */
export function saveSnapshotFile(
  stateDir: string,
  canisterId: string,
  snapshotId: string,
  file: SnapshotFile,
): void {
  const dir = snapshotDir(stateDir, canisterId);
  const target = path.join(dir, snapshotId);
  try {
    fs.mkdirSync(dir, { recursive: true });
    writeFileDurable(target, encodeSnapshot(file));
    fsyncDir(dir);
  } catch (err) {
    fs.rmSync(`${target}.tmp`, { force: true });
    const code = errorCode(err);
    throw new StorageError(code, `could not save the snapshot in ${stateDir} (${code})`);
  }
}

export function readSnapshotFile(
  stateDir: string,
  canisterId: string,
  snapshotId: string,
): SnapshotFile {
  return decodeSnapshot(fs.readFileSync(path.join(snapshotDir(stateDir, canisterId), snapshotId)));
}

export function deleteSnapshotFile(stateDir: string, canisterId: string, snapshotId: string): void {
  const dir = snapshotDir(stateDir, canisterId);
  fs.rmSync(path.join(dir, snapshotId), { force: true });
  if (fs.existsSync(dir)) fsyncDir(dir);
}

/** Every snapshot's header by canister id and snapshot id (the heap and pages stay on disk). */
export function listSnapshotFiles(stateDir: string): Map<string, Map<string, SnapshotHeader>> {
  const out = new Map<string, Map<string, SnapshotHeader>>();
  const root = path.join(stateDir, 'snapshots');
  if (!fs.existsSync(root)) return out;
  for (const canisterId of fs.readdirSync(root)) {
    const found = new Map<string, SnapshotHeader>();
    for (const name of fs.readdirSync(path.join(root, canisterId))) {
      if (name.endsWith('.tmp')) continue;
      const fd = fs.openSync(path.join(root, canisterId, name), 'r');
      try {
        const len = Buffer.alloc(4);
        fs.readSync(fd, len, 0, 4, 0);
        const json = Buffer.alloc(len.readUInt32LE(0));
        fs.readSync(fd, json, 0, json.length, 4);
        found.set(name, JSON.parse(json.toString()) as SnapshotHeader);
      } finally {
        fs.closeSync(fd);
      }
    }
    if (found.size > 0) out.set(canisterId, found);
  }
  return out;
}
