/**
 * Dirty-page tracking (`rewrite-module.mjs` `addDirtyTracking`, `canister-instance.ts`): a
 * message that writes random pages in every way wasm and the System API can, grows the
 * memory and then traps (or is a query) must leave heap, memory size and globals exactly
 * as the last commit; a committed one must be kept exactly. The model is a full copy of
 * the heap taken by the test itself.
 */
import { describe, expect, it } from 'vitest';
import binaryen from 'binaryen';
import { CanisterInstance } from '../../../../src/localnet/runtime/canister-instance';
import { prepareModule } from '../../../../src/localnet/runtime/module';
import { StableMemory } from '../../../../src/localnet/runtime/stable-memory';
import type { Execution, SystemApiHost } from '../../../../src/localnet/runtime/system-api';

const WAT = String.raw`
(module
  (import "ic0" "stable64_read" (func $sread (param i64 i64 i64)))
  (import "ic0" "msg_arg_data_copy" (func $arg_copy (param i32 i32 i32)))
  (memory 2 64)
  (global $g (mut i64) (i64.const 0))
  (global $h (mut i32) (i32.const 7))
  (data (i32.const 100) "initial data")
  (func (export "store8") (param $a i32) (param $v i32) (i32.store8 (local.get $a) (local.get $v)))
  (func (export "store64") (param $a i32) (param $v i32)
    (i64.store offset=3 (local.get $a) (i64.extend_i32_u (local.get $v))))
  (func (export "store128") (param $a i32) (param $v i32)
    (v128.store (local.get $a) (i32x4.splat (local.get $v))))
  (func (export "lane") (param $a i32) (param $v i32)
    (v128.store32_lane 1 (local.get $a) (i32x4.splat (local.get $v))))
  (func (export "fill") (param $d i32) (param $v i32) (param $n i32)
    (memory.fill (local.get $d) (local.get $v) (local.get $n)))
  (func (export "copy") (param $d i32) (param $s i32) (param $n i32)
    (memory.copy (local.get $d) (local.get $s) (local.get $n)))
  (func (export "grow") (param $n i32) (drop (memory.grow (local.get $n))))
  (func (export "globals") (param $v i32)
    (global.set $g (i64.extend_i32_u (local.get $v)))
    (global.set $h (local.get $v)))
  (func (export "stable_read") (param $d i32) (param $n i32)
    (call $sread (i64.extend_i32_u (local.get $d)) (i64.const 0) (i64.extend_i32_u (local.get $n))))
  (func (export "arg_copy") (param $d i32) (param $n i32)
    (call $arg_copy (local.get $d) (i32.const 0) (local.get $n)))
  ;; Reports memory.size through memory (the runtime compares it with its own view).
  (func (export "size_to") (param $a i32) (i32.store (local.get $a) (memory.size)))
  (func (export "global_to") (param $a i32) (i64.store (local.get $a) (global.get $g)))
  (func (export "boom") unreachable))`;

function compile(text: string): Uint8Array {
  const mod = binaryen.parseText(text);
  try {
    mod.setFeatures(
      binaryen.Features.MVP |
        binaryen.Features.BulkMemory |
        binaryen.Features.BulkMemoryOpt |
        binaryen.Features.SIMD128 |
        binaryen.Features.MutableGlobals,
    );
    if (!mod.validate()) throw new Error('fixture module does not validate');
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

/** Deterministic xorshift, so a failure replays. */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

function setup(tracking: boolean): { inst: CanisterInstance; stable: StableMemory } {
  const prepared = prepareModule(compile(WAT), { metering: false, tracking });
  const stable = new StableMemory();
  stable.grow(2);
  const pattern = new Uint8Array(2 * 65536).map((_, i) => (i * 7 + 3) & 0xff);
  stable.write(0, pattern);
  const arg = new Uint8Array(70_000).map((_, i) => (i * 13 + 1) & 0xff);
  const exe = { kind: 'update', arg } as unknown as Execution;
  // The host reads the heap through the instance it is passed to.
  const ref: { inst?: CanisterInstance } = {};
  const host = {
    execution: () => exe,
    memory: () => (ref.inst as CanisterInstance).memory(),
    stable,
  } as unknown as SystemApiHost;
  const inst = new CanisterInstance(prepared, host);
  ref.inst = inst;
  return { inst, stable };
}

/** One random write of any kind, in bounds of the current memory. */
function randomOp(inst: CanisterInstance, r: (n: number) => number): void {
  const size = inst.memory().length;
  // Addresses near 4 KiB boundaries more often: stores that straddle two pages.
  const addr = (limit: number): number =>
    r(3) === 0 ? Math.max(0, Math.min(limit, (1 + r(limit >> 12)) * 4096 - 1 - r(20))) : r(limit);
  switch (r(10)) {
    case 0:
      inst.invoke('store8', addr(size - 1), r(256));
      break;
    case 1:
      inst.invoke('store64', addr(size - 11), 1 + r(1_000_000));
      break;
    case 2:
      inst.invoke('store128', addr(size - 16), 1 + r(1_000_000));
      break;
    case 3:
      inst.invoke('lane', addr(size - 4), 1 + r(1_000_000));
      break;
    case 4: {
      const n = r(3 * 4096 + 5);
      inst.invoke('fill', addr(size - n), 1 + r(255), n);
      break;
    }
    case 5: {
      const n = r(9000);
      inst.invoke('copy', addr(size - n), r(size - n), n);
      break;
    }
    case 6:
      if (size < 20 * 65536) inst.invoke('grow', 1 + r(2));
      break;
    case 7: {
      const n = r(10_000);
      inst.invoke('stable_read', addr(size - n), n);
      break;
    }
    case 8: {
      const n = r(70_000);
      if (size > n) inst.invoke('arg_copy', r(size - n), n);
      break;
    }
    default:
      inst.invoke('globals', r(1_000_000));
  }
}

/** `memory.size` as the canister sees it (written to address 0: roll back afterwards). */
function sizeSeen(inst: CanisterInstance): number {
  inst.invoke('size_to', 0);
  const mem = inst.memory();
  return new DataView(mem.buffer, mem.byteOffset).getInt32(0, true);
}

function globalSeen(inst: CanisterInstance): bigint {
  inst.invoke('global_to', 0);
  const mem = inst.memory();
  return new DataView(mem.buffer, mem.byteOffset).getBigInt64(0, true);
}

describe('dirty-page tracking', { timeout: 120_000 }, () => {
  it('the rewrite tracks the fixture (no fallback to whole-heap copies)', () => {
    const prepared = prepareModule(compile(WAT), { metering: false, tracking: true });
    expect(prepared.dirty).toBeDefined();
    expect(prepared.dirty?.pageShift).toBe(12);
  });

  it('restores exactly after random writes, grows and a trap; keeps committed writes exactly', () => {
    const { inst } = setup(true);
    const r = rng(20240601);
    let model = inst.memory().slice();
    for (let message = 0; message < 300; message++) {
      const ops = 1 + r(12);
      for (let i = 0; i < ops; i++) randomOp(inst, r);
      const outcome = r(3); // 0: commit, 1: trap, 2: query (rolled back without a trap)
      if (outcome === 1) expect(() => inst.invoke('boom')).toThrow();
      if (outcome === 0) {
        inst.commit();
        model = inst.memory().slice();
      } else {
        inst.rollback();
      }
      const mem = inst.memory();
      expect(mem.length, `message ${message}`).toBe(model.length);
      // Byte-exact; compare as a Buffer for a quick diff on failure.
      const diff = Buffer.compare(Buffer.from(mem), Buffer.from(model));
      if (diff !== 0) {
        const at = mem.findIndex((b, i) => b !== model[i]);
        expect.fail(
          `message ${message} (${['commit', 'trap', 'query'][outcome]}): byte ${at} differs`,
        );
      }
    }
    // memory.size as the canister sees it matches the committed size; reading it wrote
    // page 0, so roll that back.
    expect(sizeSeen(inst)).toBe(model.length / 65536);
    inst.rollback();
    expect(Buffer.compare(Buffer.from(inst.memory()), Buffer.from(model))).toBe(0);
  });

  it('rolls back globals and a memory.grow without a new instance; the heap grows again from zeros', () => {
    const { inst } = setup(true);
    inst.invoke('globals', 5);
    inst.commit();
    const sizeBefore = inst.memory().length;
    inst.invoke('grow', 3);
    inst.invoke('fill', sizeBefore, 0xab, 3 * 65536);
    inst.invoke('globals', 9);
    expect(inst.memory().length).toBe(sizeBefore + 3 * 65536);
    expect(() => inst.invoke('boom')).toThrow();
    inst.rollback();
    expect(inst.memory().length).toBe(sizeBefore);
    expect(sizeSeen(inst)).toBe(sizeBefore / 65536);
    inst.rollback();
    expect(globalSeen(inst)).toBe(5n);
    inst.rollback();
    // Growing again must expose zeroed pages, not the rolled-back 0xab.
    inst.invoke('grow', 3);
    const grown = inst.memory().subarray(sizeBefore);
    expect(grown.length).toBe(3 * 65536);
    expect(grown.every((b) => b === 0)).toBe(true);
  });

  it('moves the bitmap when the heap grows past it and keeps the marks made before', () => {
    const { inst } = setup(true);
    const before = inst.memory().slice();
    inst.invoke('store64', 10, 42);
    // Far past the initial physical memory: the bitmap moves while marks are set.
    inst.invoke('grow', 40);
    inst.invoke('store64', 41 * 65536, 43);
    inst.rollback();
    expect(Buffer.compare(Buffer.from(inst.memory()), Buffer.from(before))).toBe(0);
  });

  it('honours the declared maximum of the memory', () => {
    const { inst } = setup(true);
    inst.invoke('grow', 62);
    expect(inst.memory().length).toBe(64 * 65536);
    inst.invoke('grow', 1); // -1: stays at the maximum
    expect(inst.memory().length).toBe(64 * 65536);
  });

  it('matches the untracked runtime on the same random program', () => {
    const a = setup(true).inst;
    const b = setup(false).inst;
    b.commit();
    const ra = rng(7);
    const rb = rng(7);
    for (let message = 0; message < 60; message++) {
      const ops = 1 + ra(8);
      rb(8);
      for (let i = 0; i < ops; i++) {
        randomOp(a, ra);
        randomOp(b, rb);
      }
      const keep = ra(2) === 0;
      rb(2);
      if (keep) {
        a.commit();
        b.commit();
      } else {
        a.rollback();
        b.rollback();
      }
      expect(Buffer.compare(Buffer.from(a.memory()), Buffer.from(b.memory()))).toBe(0);
    }
  });
});
