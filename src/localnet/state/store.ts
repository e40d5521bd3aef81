/**
 * Durable replica state in a folder:
 *
 *   CURRENT              generation number of the live checkpoint (written by rename)
 *   ckpt-<g>/state.json  replica + canister metadata and live request ids at checkpoint time
 *   ckpt-<g>/<id>.stable stable memory pages (u32 page index + 64 KiB, non-zero pages only)
 *   journal-<g>.log      commit records appended since that checkpoint
 *   modules/<sha256>     installed module bytes
 *   snapshots/<id>/<sid> canister snapshots (written whole and fsynced, like modules)
 *
 * Each committed message writes one record: the metadata of the canisters it changed (only
 * when it changed), the byte ranges of stable memory it wrote, and the ingress request ids it
 * executed (replay protection that survives restarts). Records are written at known offsets
 * and every written byte count is checked; a failed write is cut off again, so the journal
 * only ever holds whole records. Each record carries a sequence number and a checksum, so a
 * torn tail (a crash mid-write) is detected and cut at start-up. `write` puts a record in the
 * page cache; `sync` makes everything written so far durable. The replica reports an outcome
 * only after the `sync` covering its record, so a reply that was sent survives `kill -9`.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_RECENT_CHANGES, type ChangeEntry } from '../core/canister-history';
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
  /** Query calls, instructions, request and response bytes, as `canister_status` reports them. */
  queryStats?: [string, string, string, string];
}

/** Stable memory changes of one message: whole-memory reset, new size, written byte ranges. */
export interface StableChanges {
  reset: boolean;
  sizePages: number;
  ranges: [offset: number, data: Uint8Array][];
}

export interface CanisterChange {
  meta: CanisterMeta | { id: string; deleted: true };
  stable?: StableChanges;
  /** Canister history entries the message added (`canister_info`). */
  history?: ChangeEntry[];
}

/** An executed ingress message, remembered until its expiry so it never runs twice. */
export interface ExecutedRequest {
  requestId: string;
  expiryNanos: bigint;
}

export interface Commit {
  timeNanos: bigint;
  nextIndex: bigint;
  canisters: CanisterChange[];
  requests?: ExecutedRequest[];
}

export interface LoadedCanister {
  meta: CanisterMeta;
  stableSizePages: number;
  pages: Map<number, Uint8Array>;
  history: { total: bigint; recent: ChangeEntry[] };
}

export interface LoadedState {
  timeNanos: bigint;
  nextIndex: bigint;
  canisters: Map<string, LoadedCanister>;
  requests: ExecutedRequest[];
}

/** A write the disk refused (ENOSPC, EIO, ...); nothing of the record remains in the journal. */
export class StorageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The file operations the journal uses, replaceable in tests to simulate a failing disk. */
export interface StorageIo {
  writeSync(fd: number, data: Uint8Array, offset: number, length: number, position: number): number;
  fsync(fd: number, done: (err: NodeJS.ErrnoException | null) => void): void;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
}

/**
 * The journal's syncs are `fdatasync`: it makes the written bytes and the file size (what
 * reading them back needs) durable, as `fsync` does, but skips timestamps, which halves the
 * kernel time of a sync, paid once per group commit.
 */
export const nodeIo: StorageIo = {
  writeSync: (fd, data, offset, length, position) =>
    fs.writeSync(fd, data, offset, length, position),
  fsync: (fd, done) => fs.fdatasync(fd, done),
  fsyncSync: (fd) => fs.fdatasyncSync(fd),
  ftruncateSync: (fd, length) => fs.ftruncateSync(fd, length),
};

const MAGIC_V1 = 0x4c4e4a31; // "LNJ1": whole 64 KiB pages, no sequence number
const MAGIC = 0x4c4e4a32; // "LNJ2"
const HEADER_V1 = 16; // magic, length, 8-byte sha256 prefix
const HEADER = 24; // magic, length, u64 sequence, 8-byte sha256 prefix of (sequence, payload)

function checksum(parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  return hash.digest().subarray(0, 8);
}

export function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes all of `data` at `position`, or throws; a short write is retried, never ignored. */
function writeFully(io: StorageIo, fd: number, data: Uint8Array, position: number): void {
  let done = 0;
  while (done < data.length) {
    const n = io.writeSync(fd, data, done, data.length - done, position + done);
    if (n <= 0) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
    done += n;
  }
}

export function writeFileDurable(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    writeFully(nodeIo, fd, typeof data === 'string' ? Buffer.from(data) : data, 0);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

interface RecordHeader {
  timeNanos: string;
  nextIndex: string;
  canisters: {
    /** Absent when the canister's metadata is the same as in its previous record. */
    meta?: CanisterMeta | { id: string; deleted: true };
    id: string;
    stable?: { reset: boolean; sizePages: number; ranges: [number, number][] };
    history?: ChangeEntry[];
  }[];
  requests?: [string, string][];
}

/**
 * The record's bytes, and the JSON of each canister's metadata (to remember once the record
 * is written). Metadata equal to the last written is left out; the replica hands out the same
 * metadata object while nothing in it changed, so that case costs no JSON at all.
 */
function encodePayload(
  commit: Commit,
  lastMeta: Map<string, { meta: object; json: string }>,
): { payload: Buffer; metaJson: Map<string, { meta: object; json: string }> } {
  const metaJson = new Map<string, { meta: object; json: string }>();
  const blobs: Uint8Array[] = [];
  const header: RecordHeader = {
    timeNanos: commit.timeNanos.toString(),
    nextIndex: commit.nextIndex.toString(),
    canisters: commit.canisters.map((c) => {
      const entry: RecordHeader['canisters'][number] = { id: c.meta.id };
      const last = lastMeta.get(c.meta.id);
      if (last?.meta !== c.meta) {
        const json = JSON.stringify(c.meta);
        metaJson.set(c.meta.id, { meta: c.meta, json });
        if (last?.json !== json) entry.meta = c.meta;
      }
      if (c.history && c.history.length > 0) entry.history = c.history;
      if (c.stable) {
        entry.stable = {
          reset: c.stable.reset,
          sizePages: c.stable.sizePages,
          ranges: c.stable.ranges.map(([offset, data]) => {
            blobs.push(data);
            return [offset, data.length];
          }),
        };
      }
      return entry;
    }),
  };
  if (commit.requests && commit.requests.length > 0) {
    header.requests = commit.requests.map((r) => [r.requestId, r.expiryNanos.toString()]);
  }
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  return { payload: Buffer.concat([len, json, ...blobs]), metaJson };
}

function canisterEntry(state: LoadedState, meta: CanisterMeta): LoadedCanister {
  let entry = state.canisters.get(meta.id);
  if (!entry) {
    entry = { meta, stableSizePages: 0, pages: new Map(), history: { total: 0n, recent: [] } };
    state.canisters.set(meta.id, entry);
  }
  entry.meta = meta;
  return entry;
}

function writeRange(pages: Map<number, Uint8Array>, offset: number, data: Uint8Array): void {
  let done = 0;
  while (done < data.length) {
    const pos = offset + done;
    const index = Math.floor(pos / PAGE_SIZE);
    const inPage = pos % PAGE_SIZE;
    const n = Math.min(PAGE_SIZE - inPage, data.length - done);
    let page = pages.get(index);
    if (!page) {
      page = new Uint8Array(PAGE_SIZE);
      pages.set(index, page);
    }
    page.set(data.subarray(done, done + n), inPage);
    done += n;
  }
}

function applyPayload(state: LoadedState, payload: Buffer): void {
  const jsonLen = payload.readUInt32LE(0);
  const header = JSON.parse(payload.subarray(4, 4 + jsonLen).toString()) as RecordHeader;
  state.timeNanos = BigInt(header.timeNanos);
  state.nextIndex = BigInt(header.nextIndex);
  let pos = 4 + jsonLen;
  for (const change of header.canisters) {
    if (change.meta && 'deleted' in change.meta) {
      state.canisters.delete(change.id);
      continue;
    }
    const entry = change.meta ? canisterEntry(state, change.meta) : state.canisters.get(change.id);
    if (!entry) throw new Error(`journal names unknown canister ${change.id}`);
    if (change.stable) {
      if (change.stable.reset) entry.pages.clear();
      entry.stableSizePages = change.stable.sizePages;
      for (const [offset, length] of change.stable.ranges) {
        writeRange(entry.pages, offset, payload.subarray(pos, pos + length));
        pos += length;
      }
    }
    for (const h of change.history ?? []) {
      entry.history.recent.push(h);
      entry.history.total++;
    }
    const excess = entry.history.recent.length - MAX_RECENT_CHANGES;
    if (excess > 0) entry.history.recent.splice(0, excess);
  }
  for (const [requestId, expiry] of header.requests ?? []) {
    state.requests.push({ requestId, expiryNanos: BigInt(expiry) });
  }
}

/** Records of the first journal format (whole pages), still read so old folders open. */
function applyPayloadV1(state: LoadedState, payload: Buffer): void {
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
    const entry = canisterEntry(state, change.meta);
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
  /** End of the last whole record: where the next record goes. */
  private journalBytes = 0;
  private nextSeq = 0n;
  /** Metadata last written per canister (object and JSON), so unchanged metadata is not written again. */
  private readonly lastMeta = new Map<string, { meta: object; json: string }>();
  /** Bytes ever written to journals (across generations) and how many of them are durable. */
  private written = 0;
  private synced = 0;
  private syncing: Promise<void> | undefined;
  private checkpointBytes = 0;

  private constructor(
    readonly dir: string,
    private generation: number,
    private readonly io: StorageIo,
  ) {}

  /** Opens (creating if needed) a state folder and reads everything in it. */
  static open(dir: string, io: StorageIo = nodeIo): { store: StateStore; state: LoadedState } {
    fs.mkdirSync(path.join(dir, 'modules'), { recursive: true });
    const currentFile = path.join(dir, 'CURRENT');
    const generation = fs.existsSync(currentFile)
      ? Number(fs.readFileSync(currentFile, 'utf8').trim())
      : 0;
    const store = new StateStore(dir, generation, io);
    const state = store.readCheckpoint();
    store.replayJournal(state);
    for (const c of state.canisters.values()) store.rememberMeta(c.meta);
    return { store, state };
  }

  private ckptDir(gen: number): string {
    return path.join(this.dir, `ckpt-${gen}`);
  }

  private journalFile(gen: number): string {
    return path.join(this.dir, `journal-${gen}.log`);
  }

  private readCheckpoint(): LoadedState {
    const state: LoadedState = {
      timeNanos: 0n,
      nextIndex: 0n,
      canisters: new Map(),
      requests: [],
    };
    if (this.generation === 0) return state;
    const dir = this.ckptDir(this.generation);
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')) as {
      timeNanos: string;
      nextIndex: string;
      canisters: {
        meta: CanisterMeta;
        stableSizePages: number;
        history?: { total: string; recent: ChangeEntry[] };
      }[];
      requests?: [string, string][];
    };
    state.timeNanos = BigInt(saved.timeNanos);
    state.nextIndex = BigInt(saved.nextIndex);
    state.requests = (saved.requests ?? []).map(([requestId, expiry]) => ({
      requestId,
      expiryNanos: BigInt(expiry),
    }));
    for (const c of saved.canisters) {
      const pages = new Map<number, Uint8Array>();
      const file = path.join(dir, `${c.meta.id}.stable`);
      if (fs.existsSync(file)) {
        const data = fs.readFileSync(file);
        this.checkpointBytes += data.length;
        for (let pos = 0; pos + 4 + PAGE_SIZE <= data.length; pos += 4 + PAGE_SIZE) {
          pages.set(
            data.readUInt32LE(pos),
            new Uint8Array(data.subarray(pos + 4, pos + 4 + PAGE_SIZE)),
          );
        }
      }
      const history = {
        total: BigInt(c.history?.total ?? '0'),
        recent: c.history?.recent ?? [],
      };
      state.canisters.set(c.meta.id, {
        meta: c.meta,
        stableSizePages: c.stableSizePages,
        pages,
        history,
      });
    }
    return state;
  }

  private replayJournal(state: LoadedState): void {
    const file = this.journalFile(this.generation);
    let valid = 0;
    let seq = 0n;
    if (fs.existsSync(file)) {
      const data = fs.readFileSync(file);
      let pos = 0;
      for (;;) {
        if (pos + HEADER_V1 > data.length) break;
        const magic = data.readUInt32LE(pos);
        const len = data.readUInt32LE(pos + 4);
        if (magic === MAGIC_V1) {
          if (pos + HEADER_V1 + len > data.length) break;
          const payload = data.subarray(pos + HEADER_V1, pos + HEADER_V1 + len);
          if (!checksum([payload]).equals(data.subarray(pos + 8, pos + 16))) break;
          applyPayloadV1(state, payload);
          pos += HEADER_V1 + len;
        } else if (magic === MAGIC) {
          if (pos + HEADER + len > data.length) break;
          const seqBytes = data.subarray(pos + 8, pos + 16);
          // Records are numbered from 0 in each journal: anything else is stale bytes past
          // the real end, never a record that was acknowledged.
          if (seqBytes.readBigUInt64LE() !== seq) break;
          const payload = data.subarray(pos + HEADER, pos + HEADER + len);
          if (!checksum([seqBytes, payload]).equals(data.subarray(pos + 16, pos + 24))) break;
          applyPayload(state, payload);
          seq++;
          pos += HEADER + len;
        } else {
          break;
        }
        valid = pos;
      }
      // Cut a torn tail so later records follow the last complete one.
      if (valid < data.length) {
        fs.truncateSync(file, valid);
        const fd = fs.openSync(file, 'r+');
        try {
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
      }
    }
    // Not 'a': positional writes to an O_APPEND file would ignore the position.
    this.journalFd = fs.openSync(file, fs.existsSync(file) ? 'r+' : 'w+');
    this.journalBytes = valid;
    this.nextSeq = seq;
  }

  /**
   * Writes one record (not yet durable: see `sync`). On failure nothing of it remains in the
   * journal and a `StorageError` is thrown; the caller rolls the message back.
   */
  write(commit: Commit): void {
    const fd = this.journalFd;
    if (fd === undefined) throw new Error('state store is closed');
    const { payload, metaJson } = encodePayload(commit, this.lastMeta);
    const head = Buffer.alloc(HEADER);
    head.writeUInt32LE(MAGIC, 0);
    head.writeUInt32LE(payload.length, 4);
    head.writeBigUInt64LE(this.nextSeq, 8);
    checksum([head.subarray(8, 16), payload]).copy(head, 16);
    const record = Buffer.concat([head, payload]);
    try {
      writeFully(this.io, fd, record, this.journalBytes);
    } catch (err) {
      // Cut what part of the record did reach the file; if even that fails, the next record
      // overwrites it at the same offset, and start-up cuts whatever is left past the end.
      try {
        this.io.ftruncateSync(fd, this.journalBytes);
      } catch {
        // Nothing more to do: see above.
      }
      const code = errorCode(err);
      throw new StorageError(
        code,
        `could not write the state journal in ${this.dir} (${code}: ${err instanceof Error ? err.message : String(err)})`,
      );
    }
    this.journalBytes += record.length;
    this.written += record.length;
    this.nextSeq++;
    for (const c of commit.canisters) {
      if ('deleted' in c.meta) this.lastMeta.delete(c.meta.id);
      else {
        const written = metaJson.get(c.meta.id);
        if (written) this.lastMeta.set(c.meta.id, written);
      }
    }
  }

  private rememberMeta(meta: CanisterMeta): void {
    this.lastMeta.set(meta.id, { meta, json: JSON.stringify(meta) });
  }

  /** Writes one record and makes it durable before returning (tools and tests). */
  append(commit: Commit): void {
    this.write(commit);
    this.syncNow();
  }

  /** A position that becomes durable once `durableBytes` reaches it. */
  get writtenBytes(): number {
    return this.written;
  }

  get durableBytes(): number {
    return this.synced;
  }

  /**
   * Makes every record written so far durable (fsync on the thread pool, so execution goes on
   * meanwhile: records written during one fsync ride on the next, which is group commit).
   * Rejects when the disk fails to sync; what was written is then of unknown durability.
   */
  sync(): Promise<void> {
    if (this.synced === this.written) return Promise.resolve();
    if (this.syncing) return this.syncing.then(() => this.sync());
    const fd = this.journalFd;
    if (fd === undefined) return Promise.reject(new Error('state store is closed'));
    const target = this.written;
    this.syncing = new Promise<void>((resolve, reject) => {
      this.io.fsync(fd, (err) => {
        this.syncing = undefined;
        if (err) {
          reject(
            new StorageError(errorCode(err), `fsync of the state journal failed: ${err.message}`),
          );
          return;
        }
        if (target > this.synced) this.synced = target;
        resolve();
      });
    });
    return this.syncing;
  }

  /** Synchronous fsync, for shutdown and checkpoints. */
  syncNow(): void {
    if (this.journalFd === undefined || this.synced === this.written) return;
    this.io.fsyncSync(this.journalFd);
    this.synced = this.written;
  }

  get journalSize(): number {
    return this.journalBytes;
  }

  /** A checkpoint pays off once the journal is larger than the checkpoint it would replace. */
  get wantsCheckpoint(): boolean {
    return this.journalBytes > Math.max(32 * 1024 * 1024, this.checkpointBytes);
  }

  get busy(): boolean {
    return this.syncing !== undefined;
  }

  saveModule(hash: string, bytes: Uint8Array): void {
    const file = path.join(this.dir, 'modules', hash);
    if (fs.existsSync(file)) return;
    try {
      writeFileDurable(file, bytes);
      fsyncDir(path.join(this.dir, 'modules'));
    } catch (err) {
      fs.rmSync(`${file}.tmp`, { force: true });
      const code = errorCode(err);
      throw new StorageError(code, `could not save the module in ${this.dir} (${code})`);
    }
  }

  loadModule(hash: string): Uint8Array {
    return new Uint8Array(fs.readFileSync(path.join(this.dir, 'modules', hash)));
  }

  /**
   * Writes a full checkpoint into a new generation, switches CURRENT to it, then removes the
   * previous generation and its journal. A crash or a full disk at any point leaves one
   * complete generation (on failure the new one is removed and the journal goes on).
   */
  checkpoint(state: {
    timeNanos: bigint;
    nextIndex: bigint;
    canisters: {
      meta: CanisterMeta;
      stableSizePages: number;
      pages: [number, Uint8Array][];
      history: { total: bigint; recent: readonly ChangeEntry[] };
    }[];
    requests: ExecutedRequest[];
  }): void {
    if (this.syncing) throw new Error('checkpoint while a journal sync is in flight');
    const next = this.generation + 1;
    const dir = this.ckptDir(next);
    const newJournal = this.journalFile(next);
    let bytes = 0;
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir);
      for (const c of state.canisters) {
        const fd = fs.openSync(path.join(dir, `${c.meta.id}.stable`), 'w');
        try {
          const index = Buffer.alloc(4);
          for (const [i, data] of c.pages) {
            index.writeUInt32LE(i);
            writeFully(nodeIo, fd, index, bytes);
            writeFully(nodeIo, fd, data, bytes + 4);
            bytes += 4 + data.length;
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
            history: { total: c.history.total.toString(), recent: c.history.recent },
          })),
          requests: state.requests.map((r) => [r.requestId, r.expiryNanos.toString()]),
        }),
      );
      fsyncDir(dir);
      fs.writeFileSync(newJournal, new Uint8Array(0));
      fsyncDir(this.dir);
      writeFileDurable(path.join(this.dir, 'CURRENT'), String(next));
      fsyncDir(this.dir);
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(newJournal, { force: true });
      fs.rmSync(path.join(this.dir, 'CURRENT.tmp'), { force: true });
      const code = errorCode(err);
      throw new StorageError(code, `checkpoint failed in ${this.dir} (${code})`);
    }
    if (this.journalFd !== undefined) fs.closeSync(this.journalFd);
    const old = this.generation;
    this.generation = next;
    this.journalFd = fs.openSync(newJournal, 'r+');
    this.journalBytes = 0;
    this.nextSeq = 0n;
    this.checkpointBytes = bytes;
    this.synced = this.written;
    this.lastMeta.clear();
    for (const c of state.canisters) this.rememberMeta(c.meta);
    fs.rmSync(this.ckptDir(old), { recursive: true, force: true });
    fs.rmSync(this.journalFile(old), { force: true });
  }

  close(): void {
    if (this.journalFd !== undefined) fs.closeSync(this.journalFd);
    this.journalFd = undefined;
  }
}
