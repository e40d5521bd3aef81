/**
 * Install-time preparation of a canister module: gunzip, validate, read `icp:` metadata,
 * and rewrite it with binaryen (`rewrite-module.mjs`, seconds; cached by content hash in
 * memory and, when given, on disk): every mutable global, the memory and the function table
 * exported, dirty-page tracking so a message costs the pages it writes, and with metering an
 * instruction counter. Without tracking and metering the export section is edited directly
 * (`export-globals.ts`, milliseconds).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { exportState, type ExportedState } from './export-globals';

export const COUNTER_EXPORT = '__localnet_instructions';
export const LIMIT_EXPORT = '__localnet_instruction_limit';
/** Imported function the metered module calls when the counter passes the limit. */
export const LIMIT_IMPORT = { module: '__localnet', name: 'instruction_limit_exceeded' };

const REWRITE_SCRIPT = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'rewrite-module.mjs',
);

/**
 * How the rewritten module tracks the pages a message writes (see `rewrite-module.mjs`,
 * `addDirtyTracking`, and `canister-instance.ts`).
 */
export interface DirtyLayout {
  /** log2 of the tracked page size (4 KiB pages: 12). */
  pageShift: number;
  /** Bytes a store may reach past the page it starts in. */
  spill: number;
  /** Wasm pages the bitmap occupies above the canister's memory. */
  bitmapPages: number;
  /** Wasm pages the canister may grow its memory to. */
  maxPages: number;
  /** Exported i32 global: the canister's memory size in wasm pages. */
  pagesExport: string;
  /** Exported i32 global: byte address of the bitmap. */
  baseExport: string;
  /** The module's start function, exported instead of run at instantiation. */
  startExport: string | null;
  /** Import the rewritten `memory.grow` calls. */
  growImport: { module: string; name: string };
}

export interface PreparedModule {
  module: WebAssembly.Module;
  /** Export names of all mutable globals, in declaration order. */
  globalExports: string[];
  memoryExport: string | undefined;
  tableExport: string | undefined;
  metered: boolean;
  /** Absent when the module could not be instrumented: messages then copy the whole heap. */
  dirty: DirtyLayout | undefined;
  /** `icp:public <name>` and `icp:private <name>` custom sections. */
  metadata: Map<string, { visibility: 'public' | 'private'; content: Uint8Array }>;
}

export class InvalidModuleError extends Error {}

/**
 * Compiled modules are immutable and shareable between instances, so one process-wide cache
 * serves every replica (tests open many).
 */
const processCache = new Map<string, PreparedModule>();

/** Accepts raw or gzipped wasm, as `install_code` does. */
export function decompressModule(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    return new Uint8Array(gunzipSync(bytes));
  }
  return bytes;
}

function readLeb(bytes: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[pos++];
    if (byte === undefined) throw new InvalidModuleError('truncated LEB128');
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7;
  }
}

/** Custom sections whose names start with `icp:` (the IC's metadata convention). */
export function readMetadata(
  wasm: Uint8Array,
): Map<string, { visibility: 'public' | 'private'; content: Uint8Array }> {
  const out = new Map<string, { visibility: 'public' | 'private'; content: Uint8Array }>();
  let pos = 8;
  const decoder = new TextDecoder();
  while (pos < wasm.length) {
    const id = wasm[pos++];
    const [size, start] = readLeb(wasm, pos);
    const end = start + size;
    if (id === 0) {
      const [nameLen, nameStart] = readLeb(wasm, start);
      const name = decoder.decode(wasm.subarray(nameStart, nameStart + nameLen));
      const match = /^icp:(public|private) (.*)$/s.exec(name);
      if (match?.[1] !== undefined && match[2] !== undefined) {
        out.set(match[2], {
          visibility: match[1] as 'public' | 'private',
          content: wasm.slice(nameStart + nameLen, end),
        });
      }
    }
    pos = end;
  }
  return out;
}

interface Description {
  globalExports: string[];
  memoryExport: string | null;
  tableExport: string | null;
  metered: boolean;
  dirty: DirtyLayout | null;
}

/** Bumped when the rewrite's output changes, so stale files in a cache folder are not used. */
const REWRITE_VERSION = 3;

function runRewrite(wasm: Uint8Array, metering: boolean, tracking: boolean): Buffer {
  const env = { ...process.env };
  // The child must load binaryen natively, without the parent's TypeScript loader.
  delete env.NODE_OPTIONS;
  // A file, not stdin: a pipe may be non-blocking and then a synchronous read fails.
  const dir = mkdtempSync(path.join(tmpdir(), 'localnet-rewrite-'));
  const input = path.join(dir, 'input.wasm');
  writeFileSync(input, wasm);
  const result = spawnSync(
    process.execPath,
    [REWRITE_SCRIPT, metering ? 'metered' : 'plain', input, tracking ? 'tracked' : 'untracked'],
    { env, maxBuffer: 1024 * 1024 * 1024 },
  );
  rmSync(dir, { recursive: true, force: true });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new InvalidModuleError(`module rewrite failed: ${result.stderr.toString().trim()}`);
  }
  return result.stdout;
}

/**
 * Prepares a module; `cacheDir` keeps rewritten modules across restarts, keyed by the
 * sha256 of the input and the options. Every module goes through the binaryen rewrite,
 * which adds dirty-page tracking (`tracking: false` leaves it out, for tests that compare);
 * only a module the rewrite rejects falls back to the export-section edit.
 */
export function prepareModule(
  rawBytes: Uint8Array,
  options: { metering: boolean; cacheDir?: string; tracking?: boolean },
): PreparedModule {
  const wasm = decompressModule(rawBytes);
  if (!WebAssembly.validate(wasm as Uint8Array<ArrayBuffer>)) {
    throw new InvalidModuleError('the module is not valid WebAssembly');
  }
  // Dirty-page tracking makes a message copy only the pages it wrote instead of the whole
  // heap; its cost is a longer rewrite at install (seconds for a large module, then cached).
  // Callers choose; the environment decides when they do not (see `LocalReplicaOptions`).
  const tracking = options.tracking ?? process.env.LOCALNET_DIRTY_TRACKING === '1';
  const key = `${createHash('sha256').update(wasm).digest('hex')}.${options.metering ? 'metered' : 'plain'}.${tracking ? 'tracked' : 'untracked'}.v${REWRITE_VERSION}`;
  const cached = processCache.get(key);
  if (cached) return cached;
  const metadata = readMetadata(wasm);
  const cacheFile = options.cacheDir ? path.join(options.cacheDir, key) : undefined;
  if (!options.metering && !tracking) {
    let exported: ExportedState;
    try {
      exported = exportState(wasm);
    } catch (err) {
      throw new InvalidModuleError(
        `cannot read the module: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const prepared: PreparedModule = {
      module: new WebAssembly.Module(exported.wasm as Uint8Array<ArrayBuffer>),
      globalExports: exported.globalExports,
      memoryExport: exported.memoryExport,
      tableExport: exported.tableExport,
      metered: false,
      dirty: undefined,
      metadata,
    };
    processCache.set(key, prepared);
    return prepared;
  }
  let output: Buffer;
  if (cacheFile && existsSync(cacheFile)) {
    output = readFileSync(cacheFile);
  } else {
    output = runRewrite(wasm, options.metering, tracking);
    if (cacheFile && options.cacheDir) {
      mkdirSync(options.cacheDir, { recursive: true });
      // The cache may be shared by several localnets at once: each writes a file of its own.
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, output);
      renameSync(tmp, cacheFile);
    }
  }
  const jsonLen = output.readUInt32LE(0);
  const description = JSON.parse(output.subarray(4, 4 + jsonLen).toString()) as Description;
  const rewritten = new Uint8Array(output.subarray(4 + jsonLen));
  const prepared: PreparedModule = {
    module: new WebAssembly.Module(rewritten),
    globalExports: description.globalExports,
    memoryExport: description.memoryExport ?? undefined,
    tableExport: description.tableExport ?? undefined,
    metered: description.metered,
    dirty: description.dirty ?? undefined,
    metadata,
  };
  processCache.set(key, prepared);
  return prepared;
}
