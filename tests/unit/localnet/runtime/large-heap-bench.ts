/**
 * `npx tsx tests/unit/localnet/runtime/large-heap-bench.ts [MiB]`: the per-message cost of
 * atomicity alone, with and without dirty-page tracking, on a heap of the given size (default
 * 400 MiB): an "update" writes a few scattered words and commits, a "query" does the same
 * and rolls back. Not a test: it allocates twice the heap per variant.
 */
import binaryen from 'binaryen';
import { CanisterInstance } from '../../../../src/localnet/runtime/canister-instance';
import { prepareModule } from '../../../../src/localnet/runtime/module';
import { StableMemory } from '../../../../src/localnet/runtime/stable-memory';
import type { SystemApiHost } from '../../../../src/localnet/runtime/system-api';

const MIB = Number(process.argv[2] ?? 400);
const WAT = String.raw`
(module
  (memory 1)
  (func (export "grow") (param $n i32) (drop (memory.grow (local.get $n))))
  ;; 16 stores spread over the heap, like an update touching a few records.
  (func (export "touch") (param $seed i32) (local $i i32) (local $a i32)
    (local.set $a (local.get $seed))
    (loop $l
      (local.set $a (i32.rem_u (i32.add (i32.mul (local.get $a) (i32.const 1103515245)) (i32.const 12345)) (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 8))))
      (i64.store (local.get $a) (i64.extend_i32_u (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 16))))))`;

const mod = binaryen.parseText(WAT);
const wasm = mod.emitBinary();
mod.dispose();

function run(tracking: boolean): void {
  const prepared = prepareModule(wasm, { metering: false, tracking });
  // The host reads the heap through the instance it is passed to.
  const ref: { inst?: CanisterInstance } = {};
  const host = {
    memory: () => (ref.inst as CanisterInstance).memory(),
    stable: new StableMemory(),
  } as unknown as SystemApiHost;
  const inst = new CanisterInstance(prepared, host);
  ref.inst = inst;
  inst.invoke('grow', MIB * 16 - 1);
  inst.commit();
  const time = (label: string, end: () => void): void => {
    const n = 200;
    let run = 0;
    let close = 0;
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      inst.invoke('touch', i * 7919 + 1);
      const t1 = performance.now();
      end();
      close += performance.now() - t1;
      run += t1 - t0;
    }
    console.log(
      `${tracking ? 'tracked  ' : 'untracked'} ${MIB} MiB heap, ${label}: ` +
        `${((run + close) / n).toFixed(3)} ms/message (execution ${(run / n).toFixed(3)}, ` +
        `commit/rollback ${(close / n).toFixed(3)})`,
    );
  };
  time('update (commit)', () => inst.commit());
  time('query (rollback)', () => inst.rollback());
}

run(true);
run(false);
