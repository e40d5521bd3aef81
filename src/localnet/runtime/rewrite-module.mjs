// Install-time rewrite of a canister module with binaryen, run as a plain Node child process.
//
// It is plain JavaScript and runs in its own process because binaryen.js is a 15 MB ES
// module: under a TypeScript loader (tsx, used by `npm start`) importing it takes about a
// minute, natively about a second. Protocol: argv[2] = "metered" or "plain", argv[3] = the
// wasm file; stdout = u32 LE length of a JSON description, the JSON, then the new module.
//
// The rewrite exports every mutable global, the memory and the function table (JavaScript
// can read a global or call a callback only through an export), and with metering adds an
// instruction counter: each function entry adds the static size of its body and each loop
// iteration the static size of the loop body (nested loops count at their own headers).
// Skipped branches still count, so the figure is an upper bound that tracks the IC's count
// for straight-line code. At the same points the counter is compared with a limit, so
// runaway loops trap with the IC's "instruction limit exceeded".
import binaryen from 'binaryen';
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import process from 'node:process';

const GLOBAL_EXPORT_PREFIX = '__localnet_global_';
const MEMORY_EXPORT = '__localnet_memory';
const TABLE_EXPORT = '__localnet_table';
const COUNTER_EXPORT = '__localnet_instructions';
const LIMIT_EXPORT = '__localnet_instruction_limit';
const LIMIT_IMPORT = { module: '__localnet', name: 'instruction_limit_exceeded' };

const CHILD_FIELDS = [
  'condition',
  'ifTrue',
  'ifFalse',
  'body',
  'value',
  'target',
  'ptr',
  'left',
  'right',
  'delta',
  'expected',
  'replacement',
  'timeout',
  'notifyCount',
  'vec',
  'shift',
  'a',
  'b',
  'c',
  'dest',
  'offset',
  'size',
  'source',
  'index',
  'ref',
  'init',
];
const ARRAY_FIELDS = ['children', 'operands', 'catchBodies'];
const LEAVES = new Set([
  binaryen.ConstId,
  binaryen.LocalGetId,
  binaryen.GlobalGetId,
  binaryen.MemorySizeId,
  binaryen.NopId,
  binaryen.UnreachableId,
]);

/** Direct children of an expression, read generically from binaryen's info records. */
function childrenOf(expr) {
  // Leaves whose info records use child-like field names for literal payloads.
  if (LEAVES.has(binaryen.getExpressionId(expr))) return [];
  const info = binaryen.getExpressionInfo(expr);
  const out = [];
  for (const field of CHILD_FIELDS) {
    const v = info[field];
    if (typeof v === 'number' && v !== 0) out.push(v);
  }
  for (const field of ARRAY_FIELDS) {
    const v = info[field];
    if (Array.isArray(v)) for (const c of v) if (typeof c === 'number' && c !== 0) out.push(c);
  }
  return out;
}

function addMetering(mod) {
  const counter = '__localnet_counter';
  const limit = '__localnet_limit';
  const onLimit = '__localnet_on_limit';
  mod.addGlobal(counter, binaryen.i64, true, mod.i64.const(0, 0));
  mod.addGlobal(limit, binaryen.i64, true, mod.i64.const(-1, 0x7fffffff));
  mod.addGlobalExport(counter, COUNTER_EXPORT);
  mod.addGlobalExport(limit, LIMIT_EXPORT);
  mod.addFunctionImport(
    onLimit,
    LIMIT_IMPORT.module,
    LIMIT_IMPORT.name,
    binaryen.none,
    binaryen.none,
  );
  const bump = (n) =>
    mod.block(null, [
      mod.global.set(
        counter,
        mod.i64.add(mod.global.get(counter, binaryen.i64), mod.i64.const(n, 0)),
      ),
      mod.if(
        mod.i64.gt_u(mod.global.get(counter, binaryen.i64), mod.global.get(limit, binaryen.i64)),
        mod.call(onLimit, [], binaryen.none),
      ),
    ]);
  // Counts the instructions of a region and collects the loops found inside it.
  const measure = (root, loops) => {
    let count = 0;
    const stack = [root];
    while (stack.length > 0) {
      const e = stack.pop();
      const id = binaryen.getExpressionId(e);
      if (id === binaryen.LoopId && e !== root) {
        loops.push(e);
        count += 1;
        continue;
      }
      if (id !== binaryen.BlockId) count += 1;
      for (const c of childrenOf(e)) stack.push(c);
    }
    return count;
  };
  for (let i = 0; i < mod.getNumFunctions(); i++) {
    const fn = mod.getFunctionByIndex(i);
    const info = binaryen.getFunctionInfo(fn);
    if (info.module !== '' || info.body === 0) continue;
    const loops = [];
    const entryCount = measure(info.body, loops);
    while (loops.length > 0) {
      const loop = loops.pop();
      const body = binaryen.Loop.getBody(loop);
      const n = measure(body, loops);
      binaryen.Loop.setBody(
        loop,
        mod.block(null, [bump(n), body], binaryen.getExpressionType(body)),
      );
    }
    binaryen.Function.setBody(
      fn,
      mod.block(null, [bump(entryCount), info.body], binaryen.getExpressionType(info.body)),
    );
  }
}

export function rewrite(wasm, metering) {
  const mod = binaryen.readBinary(wasm);
  try {
    // Only features Node's engine accepts without flags; with `All` binaryen may emit
    // encodings (e.g. compact imports) that WebAssembly.Module rejects.
    const F = binaryen.Features;
    mod.setFeatures(
      F.MVP |
        F.MutableGlobals |
        F.BulkMemory |
        F.BulkMemoryOpt |
        F.SignExt |
        F.NontrappingFPToInt |
        F.SIMD128 |
        F.Multivalue |
        F.ReferenceTypes,
    );
    const exports = [];
    for (let i = 0; i < mod.getNumExports(); i++) {
      exports.push(binaryen.getExportInfo(mod.getExportByIndex(i)));
    }
    const globalExports = [];
    for (let i = 0; i < mod.getNumGlobals(); i++) {
      const g = binaryen.getGlobalInfo(mod.getGlobalByIndex(i));
      if (!g.mutable) continue;
      const existing = exports.find(
        (e) => e.kind === binaryen.ExternalGlobal && e.value === g.name,
      );
      if (existing) globalExports.push(existing.name);
      else {
        const name = `${GLOBAL_EXPORT_PREFIX}${i}`;
        mod.addGlobalExport(g.name, name);
        globalExports.push(name);
      }
    }
    let memoryExport = null;
    if (mod.hasMemory()) {
      const existing = exports.find((e) => e.kind === binaryen.ExternalMemory);
      if (existing) memoryExport = existing.name;
      else {
        mod.addMemoryExport('0', MEMORY_EXPORT);
        memoryExport = MEMORY_EXPORT;
      }
    }
    let tableExport = null;
    if (mod.getNumTables() > 0) {
      const table = binaryen.getTableInfo(mod.getTableByIndex(0));
      const existing = exports.find(
        (e) => e.kind === binaryen.ExternalTable && e.value === table.name,
      );
      if (existing) tableExport = existing.name;
      else {
        mod.addTableExport(table.name, TABLE_EXPORT);
        tableExport = TABLE_EXPORT;
      }
    }
    if (metering) addMetering(mod);
    return {
      description: { globalExports, memoryExport, tableExport, metered: metering },
      wasm: mod.emitBinary(),
    };
  } finally {
    mod.dispose();
  }
}

const input = new Uint8Array(readFileSync(process.argv[3] ?? ''));
try {
  const { description, wasm } = rewrite(input, process.argv[2] === 'metered');
  const json = Buffer.from(JSON.stringify(description));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(json.length);
  process.stdout.write(Buffer.concat([head, json, wasm]));
} catch (err) {
  process.stderr.write(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}
