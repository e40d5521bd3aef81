/**
 * Metering counts what the IC's metering counts (`instruction_to_cost` and the dynamic cost
 * of bulk memory operations in the IC's `rs/embedders/src/wasm_utils/instrumentation.rs`):
 * each construct is measured as the difference between two functions that differ only in it.
 */
import binaryen from 'binaryen';
import { describe, expect, it } from 'vitest';

import {
  COUNTER_EXPORT,
  LIMIT_IMPORT,
  prepareModule,
} from '../../../../src/localnet/runtime/module';

const WAT = String.raw`
(module
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (table 1 funcref)
  (elem (i32.const 0) $empty)
  (type $v (func))
  (func $empty)
  (func (export "base") (param $a i32) (drop (i32.add (local.get $a) (i32.const 7))))
  (func (export "div") (param $a i32) (drop (i32.div_s (local.get $a) (i32.const 7))))
  (func (export "fdiv") (param $a i32) (drop (f64.div (f64.const 1) (f64.const 7))))
  (func (export "fadd") (param $a i32) (drop (f64.add (f64.const 1) (f64.const 7))))
  (func (export "nop") (param $a i32) (nop))
  (func (export "call") (param $a i32) (call $empty))
  (func (export "call_indirect") (param $a i32) (call_indirect (type $v) (i32.const 0)))
  (func (export "local") (param $a i32) (local.set $a (i32.const 1)))
  (func (export "global") (param $a i32) (global.set $g (i32.const 1)))
  (func (export "copy") (param $a i32) (memory.copy (i32.const 0) (i32.const 100) (local.get $a)))
  (func (export "fill") (param $a i32) (memory.fill (i32.const 0) (i32.const 9) (local.get $a)))
  (func (export "branch") (param $a i32) (block $b (br_if $b (local.get $a))))
  (func (export "block") (param $a i32) (block $b (drop (local.get $a))))
)`;

function meteredInstance() {
  const mod = binaryen.parseText(WAT);
  mod.setFeatures(binaryen.Features.MVP | binaryen.Features.BulkMemory);
  const wasm = mod.emitBinary();
  mod.dispose();
  const prepared = prepareModule(wasm, { metering: true, tracking: false });
  const instance = new WebAssembly.Instance(prepared.module, {
    [LIMIT_IMPORT.module]: { [LIMIT_IMPORT.name]: () => undefined },
  });
  const counter = instance.exports[COUNTER_EXPORT] as WebAssembly.Global;
  return (name: string, arg = 0): bigint => {
    const before = counter.value as bigint;
    (instance.exports[name] as (a: number) => void)(arg);
    return (counter.value as bigint) - before;
  };
}

describe('metering', () => {
  const run = meteredInstance();

  it('weighs instructions as the IC does', () => {
    const base = run('base');
    // i32.add costs 1, i32.div_s 10.
    expect(run('div') - base).toBe(9n);
    // f64.add 2, f64.div 5.
    expect(run('fdiv') - run('fadd')).toBe(3n);
    // A call costs 5 and the function it enters 1 more, against a nop's 1.
    expect(run('call') - run('nop')).toBe(5n);
    // An indirect call costs 10 and its table index (an i32.const) 1, against a call's 5.
    expect(run('call_indirect') - run('call')).toBe(6n);
    // Setting a global costs 2, a local 1.
    expect(run('global') - run('local')).toBe(1n);
    // A branch costs 2, against a drop's 1.
    expect(run('branch', 0) - run('block', 0)).toBe(1n);
  });

  it('charges memory.copy and memory.fill one instruction per byte on top of 100', () => {
    expect(run('copy', 5000) - run('copy', 0)).toBe(5000n);
    expect(run('fill', 12345) - run('fill', 345)).toBe(12000n);
    // memory.copy 100 and its three operands 3, against base's drop, add, get and const.
    expect(run('copy', 0) - run('base')).toBe(103n - 4n);
  });
});
