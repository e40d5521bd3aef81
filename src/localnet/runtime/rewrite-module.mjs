// Install-time rewrite of a canister module with binaryen, run as a plain Node child process.
//
// It is plain JavaScript and runs in its own process because binaryen.js is a 15 MB ES
// module: under a TypeScript loader (tsx, used by `npm start`) importing it takes about a
// minute, natively about a second. Protocol: argv[2] = "metered" or "plain", argv[3] = the
// wasm file; stdout = u32 LE length of a JSON description, the JSON, then the new module.
//
// The rewrite exports every mutable global, the memory and the function table (JavaScript
// can read a global or call a callback only through an export), and with metering adds an
// instruction counter per basic block (see `visit`) that counts what the IC's metering
// counts: each executed instruction at the IC's weight (`instructionCost`: a call 5, an
// indirect call 10, a branch 2, a global access 2, an integer division 10, a bulk memory
// operation 100, …) and, before `memory.copy`, `memory.fill` and `memory.init`, one more per
// byte they move (a branch out of the middle of a segment still counts the rest of it). At
// each counter the total is compared with a limit, so runaway loops trap with the IC's
// "instruction limit exceeded".
//
// Dirty-page tracking (`addDirtyTracking`, after metering so that the counts are those of
// the original code) lets the runtime make a message atomic at the cost of the pages it
// wrote instead of the whole heap; see `canister-instance.ts` for the layout.
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

// The IC's cost of one instruction of a 32-bit module (`instruction_to_cost` in the IC's
// `rs/embedders/src/wasm_utils/instrumentation.rs`), by binaryen expression kind and operator.
// Block, Loop and the end of a block cost nothing; kinds and operators not listed cost 1.
/** Operator → cost for one kind of operator (binaryen numbers unary and binary ones apart). */
const costsOf = (groups) =>
  new Map(
    groups.flatMap(([cost, names]) =>
      names
        .split(' ')
        .filter((name) => binaryen[name] !== undefined)
        .map((name) => [binaryen[name], cost]),
    ),
  );
const BINARY_COSTS = costsOf([
  [10, 'DivSInt32 DivUInt32 RemSInt32 RemUInt32 DivSInt64 DivUInt64 RemSInt64 RemUInt64'],
  [2, 'AddFloat32 SubFloat32 MulFloat32 AddFloat64 SubFloat64 MulFloat64 CopySignFloat32'],
  [3, 'DivFloat32 CopySignFloat64'],
  [5, 'DivFloat64'],
  [18, 'MinFloat32 MaxFloat32 MinFloat64 MaxFloat64'],
  [3, 'EqFloat32 NeFloat32 LtFloat32 GtFloat32 LeFloat32 GeFloat32'],
  [3, 'EqFloat64 NeFloat64 LtFloat64 GtFloat64 LeFloat64 GeFloat64'],
]);
const UNARY_COSTS = costsOf([
  [2, 'CeilFloat32 FloorFloat32 TruncFloat32 NearestFloat32'],
  [2, 'CeilFloat64 FloorFloat64 TruncFloat64 NearestFloat64'],
  [5, 'SqrtFloat32'],
  [8, 'SqrtFloat64'],
  [3, 'ConvertSInt32ToFloat32 ConvertSInt64ToFloat64 ConvertSInt64ToFloat32'],
  [3, 'ConvertSInt32ToFloat64'],
  [16, 'ConvertUInt32ToFloat64 ConvertUInt64ToFloat32 ConvertUInt32ToFloat32'],
  [16, 'ConvertUInt64ToFloat64'],
  [
    20,
    'TruncSatSFloat32ToInt32 TruncSatSFloat32ToInt64 TruncSatUFloat32ToInt32 ' +
      'TruncSatUFloat32ToInt64 TruncSatSFloat64ToInt32 TruncSatSFloat64ToInt64 ' +
      'TruncSatUFloat64ToInt32 TruncSatUFloat64ToInt64 TruncSFloat32ToInt32 ' +
      'TruncSFloat32ToInt64 TruncUFloat32ToInt32 TruncUFloat32ToInt64 TruncSFloat64ToInt32 ' +
      'TruncSFloat64ToInt64 TruncUFloat64ToInt32 TruncUFloat64ToInt64',
  ],
]);
const KIND_COSTS = new Map(
  [
    [B.BlockId, 0],
    [B.LoopId, 0],
    [B.IfId, 2],
    [B.BreakId, 2],
    [B.SwitchId, 2],
    [B.GlobalGetId, 2],
    [B.GlobalSetId, 2],
    [B.TableGetId, 5],
    [B.TableSetId, 5],
    [B.MemoryGrowId, 300],
    [B.TableGrowId, 300],
    [B.MemorySizeId, 20],
    [B.TableSizeId, 100],
    [B.MemoryCopyId, 100],
    [B.MemoryFillId, 100],
    [B.MemoryInitId, 100],
    [B.TableCopyId, 100],
    [B.TableFillId, 100],
    [B.TableInitId, 100],
    [B.DataDropId, 300],
    [B.ElemDropId, 300],
    [B.RefIsNullId, 5],
    [B.RefFuncId, 130],
  ].filter(([id]) => id !== undefined),
);
const isReturnCall = cGetter('CallIsReturn');
const isReturnCallIndirect = cGetter('CallIndirectIsReturn');
const unaryOp = cGetter('UnaryGetOp');
const binaryOp = cGetter('BinaryGetOp');

function instructionCost(expr, id) {
  if (id === B.CallId) return isReturnCall(expr) ? 3 : 5;
  if (id === B.CallIndirectId) return isReturnCallIndirect(expr) ? 60 : 10;
  if (id === B.UnaryId) return UNARY_COSTS.get(unaryOp(expr)) ?? 1;
  if (id === B.BinaryId) return BINARY_COSTS.get(binaryOp(expr)) ?? 1;
  return KIND_COSTS.get(id) ?? 1;
}

/** Size operands of the bulk memory operations the IC charges per byte. */
const BULK_SIZES = new Map(
  [
    [B.MemoryCopyId, 'MemoryCopy'],
    [B.MemoryFillId, 'MemoryFill'],
    [B.MemoryInitId, 'MemoryInit'],
  ]
    .filter(([id]) => id !== undefined)
    .map(([id, kind]) => [id, { get: cGetter(`${kind}GetSize`), set: cGetter(`${kind}SetSize`) }]),
);

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
  const bumpBy = (amount) =>
    mod.block(null, [
      mod.global.set(counter, mod.i64.add(mod.global.get(counter, binaryen.i64), amount)),
      mod.if(
        mod.i64.gt_u(mod.global.get(counter, binaryen.i64), mod.global.get(limit, binaryen.i64)),
        mod.call(onLimit, [], binaryen.none),
      ),
    ]);
  const bump = (n) => bumpBy(mod.i64.const(BigInt(n)));
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
      return { count: cond.count + instructionCost(expr, id), control: true };
    }
    let count = instructionCost(expr, id);
    let control = id === binaryen.BreakId || id === binaryen.SwitchId || id === binaryen.ReturnId;
    for (const c of childrenOf(expr)) {
      const r = visit(c);
      count += r.count;
      control ||= r.control;
    }
    const bulk = BULK_SIZES.get(id);
    if (bulk !== undefined) {
      // The size is the last operand: counting it on its way in keeps the operands' order.
      sizeLocal ??= B._BinaryenFunctionAddVar(currentFn, binaryen.i32);
      const size = sizeLocal;
      bulk.set(
        expr,
        mod.block(
          null,
          [
            mod.local.set(size, bulk.get(expr)),
            bumpBy(mod.i64.extend_u(mod.local.get(size, binaryen.i32))),
            mod.local.get(size, binaryen.i32),
          ],
          binaryen.i32,
        ),
      );
    }
    return { count, control };
  };
  let currentFn = 0;
  let sizeLocal;
  for (let i = 0; i < mod.getNumFunctions(); i++) {
    const fn = mod.getFunctionByIndex(i);
    const info = binaryen.getFunctionInfo(fn);
    if (info.module !== '' || info.body === 0) continue;
    currentFn = fn;
    sizeLocal = undefined;
    const r = visit(info.body);
    // Every call costs at least one instruction even when the body is a single block.
    binaryen.Function.setBody(
      fn,
      mod.block(null, [bump(r.count + 1), info.body], binaryen.getExpressionType(info.body)),
    );
  }
}

// ---------------------------------------------------------------- dirty-page tracking

// 4 KiB pages: a typical update dirties a few dozen scattered pages, so 64 KiB pages copied
// about 16x more bytes per message for no saving in the marking code (measured in the
// runtime's heap benchmark).
const DIRTY_PAGE_SHIFT = 12;
// Widest store (v128): a store that starts in page p ends at most this far into page p + 1,
// so the runtime copies each dirty page plus this many bytes instead of marking two pages.
const DIRTY_SPILL = 16;
const WASM_PAGE = 65536;
const MAX_WASM32_PAGES = 65536;
const PAGES_GLOBAL = '__localnet_heap_pages_g';
const BASE_GLOBAL = '__localnet_dirty_base_g';
const PAGES_EXPORT = '__localnet_heap_pages';
const BASE_EXPORT = '__localnet_dirty_base';
const START_EXPORT = '__localnet_start';
const GROW_IMPORT = { module: '__localnet', name: 'memory_grow' };
const MARK_RANGE = '__localnet_mark_range';

// Expression kinds without children; any kind neither here nor in SLOTS makes the module
// untrackable (a store hidden in an unknown node would escape the bitmap).
const LEAVES = new Set(
  [
    B.LocalGetId,
    B.GlobalGetId,
    B.ConstId,
    B.MemorySizeId,
    B.NopId,
    B.UnreachableId,
    B.AtomicFenceId,
    B.DataDropId,
    B.RefNullId,
    B.RefFuncId,
    B.TableSizeId,
    B.RethrowId,
    B.PopId,
  ].filter((id) => id !== undefined),
);

/** Expression id → function listing the expression's children with a setter for each. */
const SLOTS = new Map(
  [
    ...CHILD_FIELDS,
    [B.BlockId, 'Block', ['Child*']],
    [B.IfId, 'If', ['Condition', 'IfTrue', 'IfFalse']],
    [B.LoopId, 'Loop', ['Body']],
  ]
    .filter(([id]) => id !== undefined)
    .map(([id, kind, fields]) => {
      const readers = fields.map((field) => {
        if (field.endsWith('*')) {
          const base = field.slice(0, -1);
          const plural =
            base === 'Child'
              ? 'Children'
              : base.endsWith('y')
                ? `${base.slice(0, -1)}ies`
                : `${base}s`;
          const count = cGetter(`${kind}GetNum${plural}`);
          const at = cGetter(`${kind}Get${base}At`);
          const setAt = cGetter(`${kind}Set${base}At`);
          return (expr, out) => {
            const n = count(expr);
            for (let i = 0; i < n; i++) {
              const c = at(expr, i);
              if (c !== 0) out.push([c, (v) => setAt(expr, i, v)]);
            }
          };
        }
        const get = cGetter(`${kind}Get${field}`);
        const set = cGetter(`${kind}Set${field}`);
        return (expr, out) => {
          const c = get(expr);
          if (c !== 0) out.push([c, (v) => set(expr, v)]);
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

/**
 * Instruments every write to linear memory so that it first marks the 4 KiB page it starts
 * in (a shift, an add and a byte store into a bitmap), and virtualises the memory size so a
 * rolled-back `memory.grow` can be undone without a new instance. Layout, kept by the
 * runtime: [0, heap_pages * 64 KiB) is the canister's memory; then zero pages left by
 * rolled-back growth; then the bitmap, one byte per 4 KiB page of the 4 GiB address space
 * (1 MiB), at `dirty_base`. The runtime moves the bitmap up when the heap grows into it.
 * Returns the description for the runtime, or null when the module cannot be tracked.
 */
function addDirtyTracking(mod) {
  if (!mod.hasMemory()) return null;
  const memory = mod.getMemoryInfo('0');
  // 64-bit memories and imported memories are not produced for the IC by any toolchain
  // the project uses; they keep whole-heap copies.
  if (memory.is64 || memory.shared || memory.module !== '') return null;
  const bitmapBytes = 2 ** (32 - DIRTY_PAGE_SHIFT);
  const bitmapPages = bitmapBytes / WASM_PAGE;
  // Collect first, change afterwards: an unsupported node must leave the module untouched.
  const sites = [];
  const funcs = [];
  const walk = (expr, set, fn) => {
    const id = expressionId(expr);
    const slots = SLOTS.get(id);
    if (!slots && !LEAVES.has(id)) throw new Untrackable(`expression kind ${id}`);
    if (slots) {
      const out = [];
      slots(expr, out);
      for (const [c, setChild] of out) walk(c, setChild, fn);
    }
    if (
      id === B.StoreId ||
      id === B.AtomicRMWId ||
      id === B.AtomicCmpxchgId ||
      (id === B.SIMDLoadStoreLaneId && B._BinaryenSIMDLoadStoreLaneIsStore(expr)) ||
      id === B.MemoryCopyId ||
      id === B.MemoryFillId ||
      id === B.MemoryInitId ||
      id === B.MemorySizeId ||
      id === B.MemoryGrowId
    ) {
      sites.push({ id, expr, set, fn });
    }
  };
  try {
    for (let i = 0; i < mod.getNumFunctions(); i++) {
      const fn = mod.getFunctionByIndex(i);
      const info = binaryen.getFunctionInfo(fn);
      if (info.module !== '' || info.body === 0) continue;
      funcs.push(fn);
      walk(info.body, (v) => binaryen.Function.setBody(fn, v), fn);
    }
  } catch (err) {
    if (err instanceof Untrackable) return null;
    throw err;
  }

  const i32 = binaryen.i32;
  mod.addGlobal(PAGES_GLOBAL, i32, true, mod.i32.const(memory.initial));
  mod.addGlobal(BASE_GLOBAL, i32, true, mod.i32.const(memory.initial * WASM_PAGE));
  mod.addGlobalExport(PAGES_GLOBAL, PAGES_EXPORT);
  mod.addGlobalExport(BASE_GLOBAL, BASE_EXPORT);
  const grow = '__localnet_memory_grow';
  mod.addFunctionImport(grow, GROW_IMPORT.module, GROW_IMPORT.name, i32, i32);

  const markAt = (addr) =>
    mod.i32.store8(
      0,
      1,
      mod.i32.add(
        mod.global.get(BASE_GLOBAL, i32),
        mod.i32.shr_u(addr, mod.i32.const(DIRTY_PAGE_SHIFT)),
      ),
      mod.i32.const(1),
    );
  // mark_range(dest, n): every page of [dest, dest + n). When the end wraps past 4 GiB the
  // operation traps anyway; marking to the end of the bitmap keeps the loop bounded.
  {
    const [d, n, p, e] = [0, 1, 2, 3];
    const get = (x) => mod.local.get(x, i32);
    mod.addFunction(
      MARK_RANGE,
      binaryen.createType([i32, i32]),
      binaryen.none,
      [i32, i32],
      mod.block(null, [
        mod.if(mod.i32.eqz(get(n)), mod.return()),
        mod.local.set(p, mod.i32.shr_u(get(d), mod.i32.const(DIRTY_PAGE_SHIFT))),
        mod.local.set(
          e,
          mod.i32.shr_u(
            mod.i32.add(get(d), mod.i32.sub(get(n), mod.i32.const(1))),
            mod.i32.const(DIRTY_PAGE_SHIFT),
          ),
        ),
        mod.if(mod.i32.lt_u(get(e), get(p)), mod.local.set(e, mod.i32.const(bitmapBytes - 1))),
        mod.loop(
          'mark',
          mod.block(null, [
            mod.i32.store8(
              0,
              1,
              mod.i32.add(mod.global.get(BASE_GLOBAL, i32), get(p)),
              mod.i32.const(1),
            ),
            mod.local.set(p, mod.i32.add(get(p), mod.i32.const(1))),
            mod.br('mark', mod.i32.le_u(get(p), get(e))),
          ]),
        ),
      ]),
    );
  }

  const scratch = new Map();
  const local = (fn, slot) => {
    let locals = scratch.get(fn);
    if (!locals) {
      locals = [];
      scratch.set(fn, locals);
    }
    locals[slot] ??= B._BinaryenFunctionAddVar(fn, i32);
    return locals[slot];
  };
  const ptrKinds = new Map([
    [B.StoreId, 'Store'],
    [B.AtomicRMWId, 'AtomicRMW'],
    [B.AtomicCmpxchgId, 'AtomicCmpxchg'],
    [B.SIMDLoadStoreLaneId, 'SIMDLoadStoreLane'],
  ]);
  const rangeKinds = new Map([
    [B.MemoryCopyId, 'MemoryCopy'],
    [B.MemoryFillId, 'MemoryFill'],
    [B.MemoryInitId, 'MemoryInit'],
  ]);
  // Post-order: a memory.size inside a grow's delta is replaced before the grow reads it.
  for (const { id, expr, set, fn } of sites) {
    if (id === B.MemorySizeId) {
      set(mod.global.get(PAGES_GLOBAL, i32));
    } else if (id === B.MemoryGrowId) {
      set(mod.call(grow, [B._BinaryenMemoryGrowGetDelta(expr)], i32));
    } else if (ptrKinds.has(id)) {
      // ptr := { t = ptr; mark(t + offset); t } — evaluated before the stored value, as the
      // pointer is; a value that traps leaves only a harmless extra dirty page.
      const kind = ptrKinds.get(id);
      const t = local(fn, 0);
      const offset = cGetter(`${kind}GetOffset`)(expr) >>> 0;
      const addr =
        offset === 0
          ? mod.local.get(t, i32)
          : mod.i32.add(mod.local.get(t, i32), mod.i32.const(offset | 0));
      cGetter(`${kind}SetPtr`)(
        expr,
        mod.block(
          null,
          [mod.local.set(t, cGetter(`${kind}GetPtr`)(expr)), markAt(addr), mod.local.get(t, i32)],
          i32,
        ),
      );
    } else {
      // dest := tee d; size := { s = size; mark_range(d, s); s } keeps the operand order.
      const kind = rangeKinds.get(id);
      const d = local(fn, 1);
      const n = local(fn, 2);
      cGetter(`${kind}SetDest`)(expr, mod.local.tee(d, cGetter(`${kind}GetDest`)(expr), i32));
      cGetter(`${kind}SetSize`)(
        expr,
        mod.block(
          null,
          [
            mod.local.set(n, cGetter(`${kind}GetSize`)(expr)),
            mod.call(MARK_RANGE, [mod.local.get(d, i32), mod.local.get(n, i32)], binaryen.none),
            mod.local.get(n, i32),
          ],
          i32,
        ),
      );
    }
  }

  // The start function would run before the runtime has placed the bitmap: the runtime
  // calls it instead, right after.
  let startExport = null;
  const start = B._BinaryenGetStart(mod.ptr);
  if (start !== 0) {
    mod.addFunctionExport(binaryen.getFunctionInfo(start).name, START_EXPORT);
    B._BinaryenSetStart(mod.ptr, 0);
    startExport = START_EXPORT;
  }
  const declaredMax = memory.max ?? null;
  return {
    pageShift: DIRTY_PAGE_SHIFT,
    spill: DIRTY_SPILL,
    bitmapPages,
    // What the canister may grow to; the module's own maximum is raised by the bitmap.
    maxPages: Math.min(declaredMax ?? MAX_WASM32_PAGES, MAX_WASM32_PAGES - bitmapPages),
    patchMax:
      declaredMax !== null && declaredMax < MAX_WASM32_PAGES
        ? Math.min(declaredMax + bitmapPages, MAX_WASM32_PAGES)
        : null,
    pagesExport: PAGES_EXPORT,
    baseExport: BASE_EXPORT,
    startExport,
    growImport: GROW_IMPORT,
  };
}

class Untrackable extends Error {}

function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

function readLeb(bytes, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7;
  }
}

/** Rewrites the maximum of the (single, defined) memory in the emitted binary. */
function raiseMemoryMax(wasm, maxPages) {
  let pos = 8;
  while (pos < wasm.length) {
    const start = pos;
    const id = wasm[pos];
    const [size, body] = readLeb(wasm, pos + 1);
    const end = body + size;
    if (id === 5) {
      const [count, p0] = readLeb(wasm, body);
      if (count !== 1) throw new Error('expected one memory');
      const flags = wasm[p0];
      const [initial] = readLeb(wasm, p0 + 1);
      const content = [1, 1 | (flags & ~1), ...leb(initial), ...leb(maxPages)];
      const section = [5, ...leb(content.length), ...content];
      const out = new Uint8Array(start + section.length + (wasm.length - end));
      out.set(wasm.subarray(0, start), 0);
      out.set(section, start);
      out.set(wasm.subarray(end), start + section.length);
      return out;
    }
    pos = end;
  }
  throw new Error('memory section not found');
}

export function rewrite(wasm, metering, tracking = true) {
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
    let dirty = null;
    if (tracking) {
      // Refuses (returns null) before changing anything when the module is one it cannot
      // instrument completely; the runtime then copies the whole heap per message.
      dirty = addDirtyTracking(mod);
    }
    let out = mod.emitBinary();
    if (dirty && dirty.patchMax !== null) out = raiseMemoryMax(out, dirty.patchMax);
    return {
      description: { globalExports, memoryExport, tableExport, metered: metering, dirty },
      wasm: out,
    };
  } finally {
    mod.dispose();
  }
}

const input = new Uint8Array(readFileSync(process.argv[3] ?? ''));
try {
  const { description, wasm } = rewrite(
    input,
    process.argv[2] === 'metered',
    process.argv[4] !== 'untracked',
  );
  const json = Buffer.from(JSON.stringify(description));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(json.length);
  process.stdout.write(Buffer.concat([head, json, wasm]));
} catch (err) {
  process.stderr.write(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
}
