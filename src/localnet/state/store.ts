/**
 * Durable replica state in a folder:
 *
 *   CURRENT              generation number of the live checkpoint (written by rename)
 *   ckpt-<g>/state.json  replica + canister metadata at checkpoint time
 *   ckpt-<g>/<id>.stable stable memory pages (u32 page index + 64 KiB, non-zero pages only)
 *   journal-<g>.log      commit records appended since that checkpoint
 *   modules/<sha256>     installed module bytes
 *
 * Each committed message appends one record (metadata of the canisters it changed plus
 * their dirty stable pages) and fsyncs before the replica reports the outcome, so a reply
 * that was sent survives `kill -9`. A torn or corrupt tail record is dropped on open: the
 * message it belonged to never replied.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PAGE_SIZE } from '../runtime/stable-memory';

export interface CanisterMeta {
  id: string;
  controllers: string[];
  status: 'running' | 'stopping' | 'stopped';
  cycles: string;
  version: string;
  certifiedData: string;
  moduleHash?: string;
  /** Argument and caller of the last install, replayed as post_upgrade on restart. */
  installArg: string;
  installer: string;
}

export interface CanisterChange {
  meta: CanisterMeta | { id: string; deleted: true };
  stable?: { reset: boolean; sizePages: number; pages: [number, Uint8Array][] };
}

export interface Commit {
  timeNanos: bigint;
  nextIndex: bigint;
  canisters: CanisterChange[];
}

export interface LoadedCanister {
  meta: CanisterMeta;
  stableSizePages: number;
  pages: Map<number, Uint8Array>;
}

export interface LoadedState {
  timeNanos: bigint;
  nextIndex: bigint;
  canisters: Map<string, LoadedCanister>;
}

const MAGIC = 0x4c4e4a31; // "LNJ1"
const HEADER = 16; // magic, length, 8-byte sha256 prefix

function checksum(payload: Uint8Array): Buffer {
  return createHash('sha256').update(payload).digest().subarray(0, 8);
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function writeFileDurable(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

function encodeCommit(commit: Commit): Buffer {
  const header = {
    timeNanos: commit.timeNanos.toString(),
    nextIndex: commit.nextIndex.toString(),
    canisters: commit.canisters.map((c) => ({
      meta: c.meta,
      stable: c.stable && {
        reset: c.stable.reset,
        sizePages: c.stable.sizePages,
        pages: c.stable.pages.map(([i]) => i),
      },
    })),
  };
  const json = Buffer.from(JSON.stringify(header));
  const parts: Uint8Array[] = [Buffer.alloc(4), json];
  (parts[0] as Buffer).writeUInt32LE(json.length);
  for (const c of commit.canisters) for (const [, data] of c.stable?.pages ?? []) parts.push(data);
  const payload = Buffer.concat(parts);
  const head = Buffer.alloc(HEADER);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(payload.length, 4);
  checksum(payload).copy(head, 8);
  return Buffer.concat([head, payload]);
}

function applyCommit(state: LoadedState, payload: Buffer): void {
  const jsonLen = payload.readUInt32LE(0);
  const header = JSON.parse(payload.subarray(4, 4 + jsonLen).toString()) as {
    timeNanos: string;
    nextIndex: string;
    canisters: {
      meta: CanisterMeta | { id: string; deleted: true };
      stable?: { reset: boolean; sizePages: number; pages: number[] };
    }[];
  };
  state.timeNanos = BigInt(header.timeNanos);
  state.nextIndex = BigInt(header.nextIndex);
  let pos = 4 + jsonLen;
  for (const change of header.canisters) {
    if ('deleted' in change.meta) {
      state.canisters.delete(change.meta.id);
      continue;
    }
    let entry = state.canisters.get(change.meta.id);
    if (!entry) {
      entry = { meta: change.meta, stableSizePages: 0, pages: new Map() };
      state.canisters.set(change.meta.id, entry);
    }
    entry.meta = change.meta;
    if (change.stable) {
      if (change.stable.reset) entry.pages.clear();
      entry.stableSizePages = change.stable.sizePages;
      for (const index of change.stable.pages) {
        entry.pages.set(index, new Uint8Array(payload.subarray(pos, pos + PAGE_SIZE)));
        pos += PAGE_SIZE;
      }
    }
  }
}

export class StateStore {
  private journalFd: number | undefined;
  private journalBytes = 0;

  private constructor(
    readonly dir: string,
    private generation: number,
  ) {}

  /** Opens (creating if needed) a state folder and reads everything in it. */
  static open(dir: string): { store: StateStore; state: LoadedState } {
    fs.mkdirSync(path.join(dir, 'modules'), { recursive: true });
    const currentFile = path.join(dir, 'CURRENT');
    const generation = fs.existsSync(currentFile)
      ? Number(fs.readFileSync(currentFile, 'utf8').trim())
      : 0;
    const store = new StateStore(dir, generation);
    const state = store.readCheckpoint();
    store.replayJournal(state);
    return { store, state };
  }

  private ckptDir(gen: number): string {
    return path.join(this.dir, `ckpt-${gen}`);
  }

  private journalFile(gen: number): string {
    return path.join(this.dir, `journal-${gen}.log`);
  }

  private readCheckpoint(): LoadedState {
    const state: LoadedState = { timeNanos: 0n, nextIndex: 0n, canisters: new Map() };
    if (this.generation === 0) return state;
    const dir = this.ckptDir(this.generation);
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')) as {
      timeNanos: string;
      nextIndex: string;
      canisters: { meta: CanisterMeta; stableSizePages: number }[];
    };
    state.timeNanos = BigInt(saved.timeNanos);
    state.nextIndex = BigInt(saved.nextIndex);
    for (const c of saved.canisters) {
      const pages = new Map<number, Uint8Array>();
      const file = path.join(dir, `${c.meta.id}.stable`);
      if (fs.existsSync(file)) {
        const data = fs.readFileSync(file);
        for (let pos = 0; pos + 4 + PAGE_SIZE <= data.length; pos += 4 + PAGE_SIZE) {
          pages.set(
            data.readUInt32LE(pos),
            new Uint8Array(data.subarray(pos + 4, pos + 4 + PAGE_SIZE)),
          );
        }
      }
      state.canisters.set(c.meta.id, { meta: c.meta, stableSizePages: c.stableSizePages, pages });
    }
    return state;
  }

  private replayJournal(state: LoadedState): void {
    const file = this.journalFile(this.generation);
    let valid = 0;
    if (fs.existsSync(file)) {
      const data = fs.readFileSync(file);
      let pos = 0;
      while (pos + HEADER <= data.length) {
        if (data.readUInt32LE(pos) !== MAGIC) break;
        const len = data.readUInt32LE(pos + 4);
        if (pos + HEADER + len > data.length) break;
        const payload = data.subarray(pos + HEADER, pos + HEADER + len);
        if (!checksum(payload).equals(data.subarray(pos + 8, pos + 16))) break;
        applyCommit(state, payload);
        pos += HEADER + len;
        valid = pos;
      }
      // Drop a torn tail so later appends follow the last complete record.
      if (valid < data.length) fs.truncateSync(file, valid);
    }
    this.journalFd = fs.openSync(file, 'a');
    this.journalBytes = valid;
  }

  /** Appends one commit and fsyncs it; returns after the data is durable. */
  append(commit: Commit): void {
    if (this.journalFd === undefined) throw new Error('state store is closed');
    const record = encodeCommit(commit);
    fs.writeSync(this.journalFd, record);
    fs.fsyncSync(this.journalFd);
    this.journalBytes += record.length;
  }

  get journalSize(): number {
    return this.journalBytes;
  }

  saveModule(hash: string, bytes: Uint8Array): void {
    const file = path.join(this.dir, 'modules', hash);
    if (fs.existsSync(file)) return;
    writeFileDurable(file, bytes);
    fsyncDir(path.join(this.dir, 'modules'));
  }

  loadModule(hash: string): Uint8Array {
    return new Uint8Array(fs.readFileSync(path.join(this.dir, 'modules', hash)));
  }

  /**
   * Writes a full checkpoint into a new generation, switches CURRENT to it, then removes the
   * previous generation and its journal. A crash at any point leaves one complete generation.
   */
  checkpoint(state: {
    timeNanos: bigint;
    nextIndex: bigint;
    canisters: { meta: CanisterMeta; stableSizePages: number; pages: [number, Uint8Array][] }[];
  }): void {
    const next = this.generation + 1;
    const dir = this.ckptDir(next);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    for (const c of state.canisters) {
      const fd = fs.openSync(path.join(dir, `${c.meta.id}.stable`), 'w');
      try {
        const index = Buffer.alloc(4);
        for (const [i, data] of c.pages) {
          index.writeUInt32LE(i);
          fs.writeSync(fd, index);
          fs.writeSync(fd, data);
        }
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    writeFileDurable(
      path.join(dir, 'state.json'),
      JSON.stringify({
        timeNanos: state.timeNanos.toString(),
        nextIndex: state.nextIndex.toString(),
        canisters: state.canisters.map((c) => ({
          meta: c.meta,
          stableSizePages: c.stableSizePages,
        })),
      }),
    );
    fsyncDir(dir);
    const newJournal = this.journalFile(next);
    fs.writeFileSync(newJournal, new Uint8Array(0));
    fsyncDir(this.dir);
    writeFileDurable(path.join(this.dir, 'CURRENT'), String(next));
    fsyncDir(this.dir);
    if (this.journalFd !== undefined) fs.closeSync(this.journalFd);
    const old = this.generation;
    this.generation = next;
    this.journalFd = fs.openSync(newJournal, 'a');
    this.journalBytes = 0;
    fs.rmSync(this.ckptDir(old), { recursive: true, force: true });
    fs.rmSync(this.journalFile(old), { force: true });
  }

  close(): void {
    if (this.journalFd !== undefined) fs.closeSync(this.journalFd);
    this.journalFd = undefined;
  }
}
