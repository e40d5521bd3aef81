import { describe, expect, it } from 'vitest';
import binaryen from 'binaryen';
import { exportState } from '../../../../src/localnet/runtime/export-globals';

function compile(text: string): Uint8Array {
  const mod = binaryen.parseText(text);
  try {
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

describe('exportState', () => {
  it('exports mutable globals, memory and table of a module without an export section', () => {
    const wasm = compile(`(module
      (import "env" "g" (global $imported (mut i64)))
      (global $a (mut i32) (i32.const 5))
      (global $b i32 (i32.const 6))
      (global $c (mut i64) (i64.const -1))
      (memory 1)
      (table 1 funcref)
      (func $f))`);
    const out = exportState(wasm);
    expect(out.globalExports).toEqual([
      '__localnet_global_0',
      '__localnet_global_1',
      '__localnet_global_3',
    ]);
    const imported = new WebAssembly.Global({ value: 'i64', mutable: true }, 7n);
    const instance = new WebAssembly.Instance(
      new WebAssembly.Module(out.wasm as Uint8Array<ArrayBuffer>),
      {
        env: { g: imported },
      },
    );
    const g = (name: string): WebAssembly.Global => instance.exports[name] as WebAssembly.Global;
    expect(g('__localnet_global_1').value).toBe(5);
    expect(g('__localnet_global_3').value).toBe(-1n);
    expect(instance.exports[out.memoryExport ?? '']).toBeInstanceOf(WebAssembly.Memory);
    expect(instance.exports[out.tableExport ?? '']).toBeInstanceOf(WebAssembly.Table);
  });

  it('keeps existing exports and reuses their names', () => {
    const wasm = compile(`(module
      (global $a (mut i32) (i32.const 1))
      (memory 1)
      (export "mem" (memory 0))
      (export "counter" (global $a))
      (func (export "canister_update x")))`);
    const out = exportState(wasm);
    expect(out).toMatchObject({
      globalExports: ['counter'],
      memoryExport: 'mem',
      tableExport: undefined,
    });
    const exports = WebAssembly.Module.exports(
      new WebAssembly.Module(out.wasm as Uint8Array<ArrayBuffer>),
    );
    expect(exports.map((e) => e.name).sort()).toEqual(['canister_update x', 'counter', 'mem']);
  });
});
