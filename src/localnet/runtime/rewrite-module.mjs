// Install-time rewrite of a canister module with binaryen, run as a plain Node child process.
//
// It is plain JavaScript and runs in its own process because binaryen.js is a 15 MB ES
// module: under a TypeScript loader (tsx, used by `npm start`) importing it takes about a
// minute, natively about a second. Protocol: argv[2] = "metered" or "plain", argv[3] = the
// wasm file; stdout = u32 LE length of a JSON description, the JSON, then the new module.
//
// The rewrite exports every mutable global, the memory and the function table (JavaScript
// can read a global or call a callback only through an export), and with metering adds an
// instruction counter per basic block (see `visit`): the count is the number of wasm
// instructions executed, close to what the IC meters (a branch out of the middle of a
// segment still counts the rest of it). At each counter the total is compared with a
// limit, so runaway loops trap with the IC's "instruction limit exceeded".
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

// Child expressions per expression kind, read with binaryen's C getters: a single field
// (`Unary`, `Value` calls `_BinaryenUnaryGetValue`) or a list (`Call`, `Operand*` calls
// `_BinaryenCallGetNumOperands` and `_BinaryenCallGetOperandAt`). Going through
// `getExpressionInfo` instead builds an object of every field per expression and takes
// seconds on a large module. Kinds not in the table are leaves.
const B = binaryen;
const CHILD_FIELDS = [
  [B.BreakId, 'Break', ['Condition', 'Value']],
  [B.SwitchId, 'Switch', ['Condition', 'Value']],
  [B.CallId, 'Call', ['Operand*']],
  [B.CallIndirectId, 'CallIndirect', ['Target', 'Operand*']],
  [B.LocalSetId, 'LocalSet', ['Value']],
  [B.GlobalSetId, 'GlobalSet', ['Value']],
  [B.LoadId, 'Load', ['Ptr']],
  [B.StoreId, 'Store', ['Ptr', 'Value']],
  [B.UnaryId, 'Unary', ['Value']],
  [B.BinaryId, 'Binary', ['Left', 'Right']],
  [B.SelectId, 'Select', ['IfTrue', 'IfFalse', 'Condition']],
  [B.DropId, 'Drop', ['Value']],
  [B.ReturnId, 'Return', ['Value']],
  [B.MemoryGrowId, 'MemoryGrow', ['Delta']],
  [B.AtomicRMWId, 'AtomicRMW', ['Ptr', 'Value']],
  [B.AtomicCmpxchgId, 'AtomicCmpxchg', ['Ptr', 'Expected', 'Replacement']],
  [B.AtomicWaitId, 'AtomicWait', ['Ptr', 'Expected', 'Timeout']],
  [B.AtomicNotifyId, 'AtomicNotify', ['Ptr', 'NotifyCount']],
  [B.SIMDExtractId, 'SIMDExtract', ['Vec']],
  [B.SIMDReplaceId, 'SIMDReplace', ['Vec', 'Value']],
  [B.SIMDShuffleId, 'SIMDShuffle', ['Left', 'Right']],
  [B.SIMDTernaryId, 'SIMDTernary', ['A', 'B', 'C']],
  [B.SIMDShiftId, 'SIMDShift', ['Vec', 'Shift']],
  [B.SIMDLoadId, 'SIMDLoad', ['Ptr']],
  [B.SIMDLoadStoreLaneId, 'SIMDLoadStoreLane', ['Ptr', 'Vec']],
  [B.MemoryInitId, 'MemoryInit', ['Dest', 'Offset', 'Size']],
  [B.MemoryCopyId, 'MemoryCopy', ['Dest', 'Source', 'Size']],
  [B.MemoryFillId, 'MemoryFill', ['Dest', 'Value', 'Size']],
  [B.RefIsNullId, 'RefIsNull', ['Value']],
  [B.RefAsId, 'RefAs', ['Value']],
  [B.RefEqId, 'RefEq', ['Left', 'Right']],
  [B.TableGetId, 'TableGet', ['Index']],
  [B.TableSetId, 'TableSet', ['Index', 'Value']],
  [B.TableGrowId, 'TableGrow', ['Value', 'Delta']],
  [B.TryId, 'Try', ['Body', 'CatchBody*']],
  [B.ThrowId, 'Throw', ['Operand*']],
  [B.TupleMakeId, 'TupleMake', ['Operand*']],
  [B.TupleExtractId, 'TupleExtract', ['Tuple']],
];

function cGetter(name) {
  const fn = binaryen[`_Binaryen${name}`];
  if (typeof fn !== 'function') throw new Error(`binaryen.js lacks _Binaryen${name}`);
  return fn;
}

/** Expression id → function pushing the expression's non-null children onto `out`. */
const CHILDREN = new Map(
  CHILD_FIELDS.filter(([id]) => id !== undefined).map(([id, kind, fields]) => {
    const readers = fields.map((field) => {
      if (field.endsWith('*')) {
        const base = field.slice(0, -1);
        const plural = base.endsWith('y') ? `${base.slice(0, -1)}ies` : `${base}s`;
        const count = cGetter(`${kind}GetNum${plural}`);
        const at = cGetter(`${kind}Get${base}At`);
        return (expr, out) => {
          const n = count(expr);
          for (let i = 0; i < n; i++) {
            const c = at(expr, i);
            if (c !== 0) out.push(c);
          }
        };
      }
      const get = cGetter(`${kind}Get${field}`);
      return (expr, out) => {
        const c = get(expr);
        if (c !== 0) out.push(c);
      };
    });
    return [
      id,
      (expr, out) => {
        for (const read of readers) read(expr, out);
      },
    ];
  }),
);
const expressionId = cGetter('ExpressionGetId');

/** Direct children of an expression; kinds not in the table count as leaves. */
function childrenOf(expr) {
  const out = [];
  CHILDREN.get(expressionId(expr))?.(expr, out);
  return out;
}

function addMetering(mod) {
  const counter = '__localnet_counter';
  const limit = '__localnet_limit';
  const onLimit = '__localnet_on_limit';
  // `i64.const` takes one bigint in the binaryen this file resolves (the project's, 132);
  // the (low, high) pair of older releases, such as the 116 under azle, throws here.
  mod.addGlobal(counter, binaryen.i64, true, mod.i64.const(0n));
  mod.addGlobal(limit, binaryen.i64, true, mod.i64.const(0x7fffffffffffffffn));
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
        mod.i64.add(mod.global.get(counter, binaryen.i64), mod.i64.const(BigInt(n))),
      ),
      mod.if(
        mod.i64.gt_u(mod.global.get(counter, binaryen.i64), mod.global.get(limit, binaryen.i64)),
        mod.call(onLimit, [], binaryen.none),
      ),
    ]);
  const Block = binaryen.Block;
  const { Loop, If } = binaryen;
  // Returns the number of instructions of `expr` that execute straight-line with the code
  // around it, and whether it contains control flow. Nested blocks, loop bodies and if arms
  // get their own counters: a block's children are split into segments at each child that
  // contains control flow (a branch can land after it), and each segment is counted once at
  // its start.
  const visit = (expr) => {
    const id = expressionId(expr);
    if (id === binaryen.BlockId) {
      let index = 0;
      let segmentStart = 0;
      let acc = 0;
      const close = () => {
        if (acc > 0) {
          Block.insertChildAt(expr, segmentStart, bump(acc));
          index++;
        }
        acc = 0;
      };
      while (index < Block.getNumChildren(expr)) {
        const r = visit(Block.getChildAt(expr, index));
        acc += r.count;
        index++;
        if (r.control) {
          close();
          segmentStart = index;
        }
      }
      close();
      return { count: 0, control: true };
    }
    if (id === binaryen.LoopId) {
      const body = Loop.getBody(expr);
      const r = visit(body);
      if (r.count > 0) {
        Loop.setBody(
          expr,
          mod.block(null, [bump(r.count), body], binaryen.getExpressionType(body)),
        );
      }
      return { count: 0, control: true };
    }
    if (id === binaryen.IfId) {
      const cond = visit(If.getCondition(expr));
      for (const [get, set] of [
        [If.getIfTrue, If.setIfTrue],
        [If.getIfFalse, If.setIfFalse],
      ]) {
        const arm = get(expr);
        if (!arm) continue;
        const r = visit(arm);
        if (r.count > 0) {
          set(expr, mod.block(null, [bump(r.count), arm], binaryen.getExpressionType(arm)));
        }
      }
      return { count: cond.count + 1, control: true };
    }
    let count = 1;
    let control = id === binaryen.BreakId || id === binaryen.SwitchId || id === binaryen.ReturnId;
    for (const c of childrenOf(expr)) {
      const r = visit(c);
      count += r.count;
      control ||= r.control;
    }
    return { count, control };
  };
  for (let i = 0; i < mod.getNumFunctions(); i++) {
    const fn = mod.getFunctionByIndex(i);
    const info = binaryen.getFunctionInfo(fn);
    if (info.module !== '' || info.body === 0) continue;
    const r = visit(info.body);
    // Every call costs at least one instruction even when the body is a single block.
    binaryen.Function.setBody(
      fn,
      mod.block(null, [bump(r.count + 1), info.body], binaryen.getExpressionType(info.body)),
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
  process.stderr.write(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
}
