/**
 * The ic0 System API as wasm imports. Each function reads the message being executed from
 * `host.execution()` and the canister's state from `host`, so the same import object serves
 * every message and the replica core decides what a message may do (the interface spec's
 * per-entry-point availability table is enforced here with traps, like the IC).
 *
 * Every write into the canister's heap goes through `output`, which bounds-checks the range
 * and reports it to `HeapAccess.written` (dirty-page tracking). The imports are on the hot
 * path of every message (an Azle canister makes hundreds of stable memory calls per update),
 * so they avoid allocating: no closures, views or byte copies per call where a loop will do.
 */
import { LIMIT_IMPORT } from './module';
import type { StableMemory } from './stable-memory';
import { PAGE_SIZE } from './stable-memory';

export type EntryKind =
  | 'init'
  | 'pre_upgrade'
  | 'post_upgrade'
  | 'update'
  | 'query'
  | 'composite_query'
  | 'inspect'
  | 'timer'
  | 'heartbeat'
  | 'reply_callback'
  | 'reject_callback'
  | 'cleanup';

export interface Callback {
  fun: number;
  env: number;
}

export interface OutgoingCall {
  callee: Uint8Array;
  method: string;
  arg: Uint8Array[];
  argSize: number;
  cycles: bigint;
  reply: Callback;
  reject: Callback;
  cleanup?: Callback;
  timeoutSeconds?: number;
}

/** One message execution: what the canister sees and what it produced. */
export interface Execution {
  kind: EntryKind;
  methodName: string;
  arg: Uint8Array;
  caller: Uint8Array;
  timeNanos: bigint;
  replicated: boolean;
  /** The call context can still be answered from this execution. */
  canRespond: boolean;
  response?: { kind: 'reply'; data: Uint8Array } | { kind: 'reject'; message: string };
  replyChunks: Uint8Array[];
  replySize: number;
  maxReplySize: number;
  /** For reject callbacks. */
  rejectCode: number;
  rejectMessage: string;
  /** Reply payload for reply callbacks. */
  cyclesAvailable: bigint;
  cyclesAccepted: bigint;
  cyclesRefunded: bigint;
  pendingCall?: OutgoingCall;
  performedCalls: OutgoingCall[];
  accepted: boolean;
  /**
   * The certificate for `ic0.data_certificate_*`, made when the canister first asks for it:
   * it costs a BLS signature, and most queries never read it.
   */
  dataCertificate?: () => Uint8Array;
}

export class CanisterTrap extends Error {
  constructor(
    message: string,
    /** True for `ic0.trap`, false for wasm faults and System API misuse. */
    readonly explicit: boolean,
    readonly errorCode = explicit ? 'IC0503' : 'IC0502',
  ) {
    super(message);
  }
}

/** How the System API reaches the canister's heap. */
export interface HeapAccess {
  /** The canister's heap; a view that the next `memory()` may replace (the heap grew). */
  memory(): Uint8Array;
  /** [dst, dst + size) of the heap was written by the System API (dirty-page tracking). */
  written(dst: number, size: number): void;
}

export interface SystemApiHost {
  execution(): Execution;
  memory(): Uint8Array;
  selfId: Uint8Array;
  stable: StableMemory;
  isController(principal: Uint8Array): boolean;
  canisterVersion(): bigint;
  certifiedData: Uint8Array;
  globalTimer: bigint;
  cyclesBalance: bigint;
  instructionCounter(): bigint;
  debugPrint(text: string): void;
  /** The subnet's id and the network's root key (DER), for `subnet_self_*` and `root_key_*`. */
  network?: { subnetId: Uint8Array; rootKey: Uint8Array };
}

/** Fees of a 13-node application subnet, as the interface specification's cost_* report them. */
const SUBNET_SIZE = 13n;
const CREATE_CANISTER_FEE = 500_000_000_000n;
const HTTP_REQUEST_BASE_FEE = (3_000_000n + 60_000n * SUBNET_SIZE) * SUBNET_SIZE;
const HTTP_REQUEST_PER_BYTE_FEE = 400n * SUBNET_SIZE;
const HTTP_RESPONSE_PER_BYTE_FEE = 800n * SUBNET_SIZE;
/** `cost_sign_with_*` result codes: 0 known key, 1 invalid curve or algorithm, 2 unknown key. */
const UNKNOWN_KEY_NAME = 2;

type Num = number | bigint;
const n = (x: Num): number => Number(x);
const MAX_PRINCIPAL = 29;
const MAX_REJECT_MESSAGE = 8 * 1024;

function contractViolation(message: string): CanisterTrap {
  return new CanisterTrap(message, false, 'IC0504');
}

const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();
/** Copies up to this size go byte by byte: cheaper than a view and a native copy. */
const SMALL_COPY = 32;

/** Heap access straight through the host, without dirty-page tracking. */
function untrackedHeap(host: SystemApiHost): HeapAccess {
  return { memory: () => host.memory(), written: () => undefined };
}

export function systemApi(
  host: SystemApiHost,
  heap: HeapAccess = untrackedHeap(host),
): WebAssembly.Imports {
  const exe = (): Execution => host.execution();
  /** The heap, after checking that [start, start + len) lies in it. */
  const checked = (name: string, start: number, len: number): Uint8Array => {
    const mem = heap.memory();
    if (start < 0 || len < 0 || start + len > mem.length) {
      throw contractViolation(`${name}: heap out of bounds`);
    }
    return mem;
  };
  /** A heap range the canister hands to the System API, to read. */
  const slice = (name: string, src: Num, size: Num): Uint8Array => {
    const start = n(src);
    const len = n(size);
    return checked(name, start, len).subarray(start, start + len);
  };
  /** The heap, checked and marked as written over [dst, dst + len). */
  const output = (name: string, dst: number, len: number): Uint8Array => {
    const mem = checked(name, dst, len);
    heap.written(dst, len);
    return mem;
  };
  const copyOut = (name: string, data: Uint8Array, dst: Num, offset: Num, size: Num): void => {
    const off = n(offset);
    const len = n(size);
    if (off < 0 || len < 0 || off + len > data.length) {
      throw contractViolation(`${name}: src out of bounds`);
    }
    const at = n(dst);
    const mem = output(name, at, len);
    if (len <= SMALL_COPY) for (let i = 0; i < len; i++) mem[at + i] = data[off + i]!;
    else mem.set(data.subarray(off, off + len), at);
  };
  const write128 = (name: string, dst: Num, value: bigint): void => {
    const at = n(dst);
    const mem = output(name, at, 16);
    let v = BigInt.asUintN(128, value);
    for (let i = 0; i < 16; i++) {
      mem[at + i] = Number(v & 0xffn);
      v >>= 8n;
    }
  };
  const network = (name: string): { subnetId: Uint8Array; rootKey: Uint8Array } => {
    if (!host.network) {
      throw new CanisterTrap(`${name}: this replica was started without a subnet identity`, false);
    }
    return host.network;
  };
  const only = (name: string, kinds: EntryKind[]): Execution => {
    const e = exe();
    if (!kinds.includes(e.kind)) {
      throw contractViolation(`"${name}" cannot be executed in ${e.kind} mode`);
    }
    return e;
  };
  const withArgs: EntryKind[] = [
    'init',
    'post_upgrade',
    'update',
    'query',
    'composite_query',
    'inspect',
    'reply_callback',
  ];
  const withCaller: EntryKind[] = [
    'init',
    'post_upgrade',
    'pre_upgrade',
    'update',
    'query',
    'composite_query',
    'inspect',
    'reply_callback',
    'reject_callback',
    'cleanup',
  ];
  const canCall: EntryKind[] = [
    'update',
    'composite_query',
    'timer',
    'heartbeat',
    'reply_callback',
    'reject_callback',
  ];
  const respond = (name: string): Execution => {
    const e = exe();
    if (!e.canRespond || e.response) {
      throw contractViolation(`${name}: the call was already replied to or cannot be replied to`);
    }
    return e;
  };

  const ic0 = {
    msg_arg_data_size: (): number => only('ic0_msg_arg_data_size', withArgs).arg.length,
    msg_arg_data_copy: (dst: Num, offset: Num, size: Num): void =>
      copyOut(
        'ic0.msg_arg_data_copy',
        only('ic0_msg_arg_data_copy', withArgs).arg,
        dst,
        offset,
        size,
      ),
    msg_caller_size: (): number => only('ic0_msg_caller_size', withCaller).caller.length,
    msg_caller_copy: (dst: Num, offset: Num, size: Num): void =>
      copyOut(
        'ic0.msg_caller_copy',
        only('ic0_msg_caller_copy', withCaller).caller,
        dst,
        offset,
        size,
      ),
    msg_reject_code: (): number => {
      const e = only('ic0_msg_reject_code', ['reply_callback', 'reject_callback']);
      return e.kind === 'reject_callback' ? e.rejectCode : 0;
    },
    msg_reject_msg_size: (): number =>
      encoder.encode(only('ic0_msg_reject_msg_size', ['reject_callback']).rejectMessage).length,
    msg_reject_msg_copy: (dst: Num, offset: Num, size: Num): void =>
      copyOut(
        'ic0.msg_reject_msg_copy',
        encoder.encode(only('ic0_msg_reject_msg_copy', ['reject_callback']).rejectMessage),
        dst,
        offset,
        size,
      ),
    msg_method_name_size: (): number =>
      encoder.encode(
        only('ic0_msg_method_name_size', ['inspect', 'update', 'query', 'composite_query'])
          .methodName,
      ).length,
    msg_method_name_copy: (dst: Num, offset: Num, size: Num): void =>
      copyOut(
        'ic0.msg_method_name_copy',
        encoder.encode(
          only('ic0_msg_method_name_copy', ['inspect', 'update', 'query', 'composite_query'])
            .methodName,
        ),
        dst,
        offset,
        size,
      ),
    accept_message: (): void => {
      const e = only('ic0_accept_message', ['inspect']);
      if (e.accepted) throw contractViolation('ic0.accept_message: message already accepted');
      e.accepted = true;
    },
    msg_reply_data_append: (src: Num, size: Num): void => {
      const e = respond('ic0.msg_reply_data_append');
      const len = n(size);
      if (e.replySize + len > e.maxReplySize) {
        throw contractViolation(
          `ic0.msg_reply_data_append: application payload size (${e.replySize + len}) cannot be larger than ${e.maxReplySize}.`,
        );
      }
      e.replyChunks.push(slice('ic0.msg_reply_data_append', src, size).slice());
      e.replySize += len;
    },
    msg_reply: (): void => {
      const e = respond('ic0.msg_reply');
      const data = new Uint8Array(e.replySize);
      let pos = 0;
      for (const c of e.replyChunks) {
        data.set(c, pos);
        pos += c.length;
      }
      e.response = { kind: 'reply', data };
    },
    msg_reject: (src: Num, size: Num): void => {
      const e = respond('ic0.msg_reject');
      if (n(size) > MAX_REJECT_MESSAGE) {
        throw contractViolation('ic0.msg_reject: reject message is too long');
      }
      e.response = { kind: 'reject', message: decoder.decode(slice('ic0.msg_reject', src, size)) };
    },
    msg_cycles_available128: (dst: Num): void =>
      write128('ic0.msg_cycles_available128', dst, exe().cyclesAvailable),
    msg_cycles_refunded128: (dst: Num): void =>
      write128(
        'ic0.msg_cycles_refunded128',
        dst,
        only('ic0_msg_cycles_refunded128', ['reply_callback', 'reject_callback']).cyclesRefunded,
      ),
    msg_cycles_accept128: (high: Num, low: Num, dst: Num): void => {
      const e = exe();
      const max = (BigInt(high) << 64n) | BigInt.asUintN(64, BigInt(low));
      const amount = max < e.cyclesAvailable ? max : e.cyclesAvailable;
      e.cyclesAvailable -= amount;
      e.cyclesAccepted += amount;
      host.cyclesBalance += amount;
      write128('ic0.msg_cycles_accept128', dst, amount);
    },
    canister_self_size: (): number => host.selfId.length,
    canister_self_copy: (dst: Num, offset: Num, size: Num): void =>
      copyOut('ic0.canister_self_copy', host.selfId, dst, offset, size),
    canister_cycle_balance128: (dst: Num): void =>
      write128('ic0.canister_cycle_balance128', dst, host.cyclesBalance),
    canister_liquid_cycle_balance128: (dst: Num): void =>
      write128('ic0.canister_liquid_cycle_balance128', dst, host.cyclesBalance),
    canister_status: (): number => 1,
    canister_version: (): bigint => host.canisterVersion(),
    cycles_burn128: (high: Num, low: Num, dst: Num): void => {
      const want = (BigInt(high) << 64n) | BigInt.asUintN(64, BigInt(low));
      const amount = want < host.cyclesBalance ? want : host.cyclesBalance;
      host.cyclesBalance -= amount;
      write128('ic0.cycles_burn128', dst, amount);
    },
    is_controller: (src: Num, size: Num): number => {
      if (n(size) > MAX_PRINCIPAL) throw contractViolation('ic0.is_controller: invalid principal');
      return host.isController(slice('ic0.is_controller', src, size).slice()) ? 1 : 0;
    },
    in_replicated_execution: (): number => (exe().replicated ? 1 : 0),
    time: (): bigint => exe().timeNanos,
    global_timer_set: (timestamp: Num): bigint => {
      const e = exe();
      if (e.kind === 'query' || e.kind === 'composite_query' || e.kind === 'inspect') {
        throw contractViolation(`"ic0_global_timer_set" cannot be executed in ${e.kind} mode`);
      }
      const previous = host.globalTimer;
      host.globalTimer = BigInt.asUintN(64, BigInt(timestamp));
      return previous;
    },
    performance_counter: (kind: Num): bigint => {
      if (n(kind) !== 0 && n(kind) !== 1) {
        throw contractViolation(`ic0.performance_counter: unknown counter type ${kind}`);
      }
      return host.instructionCounter();
    },
    certified_data_set: (src: Num, size: Num): void => {
      const e = exe();
      if (e.kind === 'query' || e.kind === 'composite_query' || e.kind === 'inspect') {
        throw contractViolation(`"ic0_certified_data_set" cannot be executed in ${e.kind} mode`);
      }
      if (n(size) > 32)
        throw contractViolation('ic0.certified_data_set: data is longer than 32 bytes');
      host.certifiedData = slice('ic0.certified_data_set', src, size).slice();
    },
    data_certificate_present: (): number => (exe().dataCertificate ? 1 : 0),
    data_certificate_size: (): number => {
      const cert = exe().dataCertificate;
      if (!cert) throw contractViolation('ic0.data_certificate_size: no certificate available');
      return cert().length;
    },
    data_certificate_copy: (dst: Num, offset: Num, size: Num): void => {
      const cert = exe().dataCertificate;
      if (!cert) throw contractViolation('ic0.data_certificate_copy: no certificate available');
      copyOut('ic0.data_certificate_copy', cert(), dst, offset, size);
    },
    debug_print: (src: Num, size: Num): void => {
      host.debugPrint(decoder.decode(slice('ic0.debug_print', src, size)));
    },
    trap: (src: Num, size: Num): never => {
      throw new CanisterTrap(decoder.decode(slice('ic0.trap', src, size)), true);
    },
    msg_deadline: (): bigint => {
      only('ic0_msg_deadline', [
        'update',
        'query',
        'composite_query',
        'reply_callback',
        'reject_callback',
      ]);
      // Ingress and guaranteed-response calls have no deadline; localnet makes no others.
      return 0n;
    },
    // Localnet sets no canister environment variables.
    env_var_count: (): number => 0,
    env_var_name_size: (index: Num): never => {
      throw contractViolation(`ic0.env_var_name_size: index ${index} out of bounds`);
    },
    env_var_name_copy: (index: Num): never => {
      throw contractViolation(`ic0.env_var_name_copy: index ${index} out of bounds`);
    },
    env_var_name_exists: (src: Num, size: Num): number => {
      slice('ic0.env_var_name_exists', src, size);
      return 0;
    },
    env_var_value_size: (src: Num, size: Num): never => {
      const name = decoder.decode(slice('ic0.env_var_value_size', src, size));
      throw contractViolation(`ic0.env_var_value_size: no environment variable '${name}'`);
    },
    env_var_value_copy: (src: Num, size: Num): never => {
      const name = decoder.decode(slice('ic0.env_var_value_copy', src, size));
      throw contractViolation(`ic0.env_var_value_copy: no environment variable '${name}'`);
    },
    cost_create_canister: (dst: Num): void =>
      write128('ic0.cost_create_canister', dst, CREATE_CANISTER_FEE),
    cost_http_request: (requestSize: Num, maxResponseBytes: Num, dst: Num): void =>
      write128(
        'ic0.cost_http_request',
        dst,
        HTTP_REQUEST_BASE_FEE +
          HTTP_REQUEST_PER_BYTE_FEE * BigInt(requestSize) +
          HTTP_RESPONSE_PER_BYTE_FEE * BigInt(maxResponseBytes),
      ),
    // Localnet holds no threshold keys, so every key name is unknown.
    cost_sign_with_ecdsa: (src: Num, size: Num): number => {
      slice('ic0.cost_sign_with_ecdsa', src, size);
      return UNKNOWN_KEY_NAME;
    },
    cost_sign_with_schnorr: (src: Num, size: Num): number => {
      slice('ic0.cost_sign_with_schnorr', src, size);
      return UNKNOWN_KEY_NAME;
    },
    cost_vetkd_derive_key: (src: Num, size: Num): number => {
      slice('ic0.cost_vetkd_derive_key', src, size);
      return UNKNOWN_KEY_NAME;
    },
    subnet_self_size: (): number => network('ic0.subnet_self_size').subnetId.length,
    subnet_self_copy: (dst: Num, offset: Num, size: Num): void =>
      copyOut('ic0.subnet_self_copy', network('ic0.subnet_self_copy').subnetId, dst, offset, size),
    root_key_size: (): number => network('ic0.root_key_size').rootKey.length,
    root_key_copy: (dst: Num, offset: Num, size: Num): void =>
      copyOut('ic0.root_key_copy', network('ic0.root_key_copy').rootKey, dst, offset, size),
    cost_call: (methodNameSize: Num, payloadSize: Num, dst: Num): void => {
      // Fees of a 13-node application subnet: base fee plus per-byte fee.
      const cost = 260_000n + 1_000n * (BigInt(methodNameSize) + BigInt(payloadSize));
      write128('ic0.cost_call', dst, cost);
    },
    call_new: (
      calleeSrc: Num,
      calleeSize: Num,
      nameSrc: Num,
      nameSize: Num,
      replyFun: Num,
      replyEnv: Num,
      rejectFun: Num,
      rejectEnv: Num,
    ): void => {
      const e = only('ic0_call_new', canCall);
      if (e.pendingCall)
        throw contractViolation('ic0.call_new: a call is already being constructed');
      e.pendingCall = {
        callee: slice('ic0.call_new', calleeSrc, calleeSize).slice(),
        method: decoder.decode(slice('ic0.call_new', nameSrc, nameSize)),
        arg: [],
        argSize: 0,
        cycles: 0n,
        reply: { fun: n(replyFun), env: n(replyEnv) },
        reject: { fun: n(rejectFun), env: n(rejectEnv) },
      };
    },
    call_on_cleanup: (fun: Num, env: Num): void => {
      const call = exe().pendingCall;
      if (!call) throw contractViolation('ic0.call_on_cleanup: no call is being constructed');
      if (call.cleanup) throw contractViolation('ic0.call_on_cleanup: cleanup already set');
      call.cleanup = { fun: n(fun), env: n(env) };
    },
    call_data_append: (src: Num, size: Num): void => {
      const call = exe().pendingCall;
      if (!call) throw contractViolation('ic0.call_data_append: no call is being constructed');
      call.arg.push(slice('ic0.call_data_append', src, size).slice());
      call.argSize += n(size);
    },
    call_cycles_add128: (high: Num, low: Num): void => {
      const call = exe().pendingCall;
      if (!call) throw contractViolation('ic0.call_cycles_add128: no call is being constructed');
      const amount = (BigInt(high) << 64n) | BigInt.asUintN(64, BigInt(low));
      if (amount > host.cyclesBalance) {
        throw contractViolation('ic0.call_cycles_add128: not enough cycles');
      }
      host.cyclesBalance -= amount;
      call.cycles += amount;
    },
    call_cycles_add: (amount: Num): void => ic0.call_cycles_add128(0, amount),
    call_with_best_effort_response: (timeout: Num): void => {
      const call = exe().pendingCall;
      if (!call)
        throw contractViolation('ic0.call_with_best_effort_response: no call is being constructed');
      call.timeoutSeconds = Math.min(n(timeout), 300);
    },
    call_perform: (): number => {
      const e = exe();
      const call = e.pendingCall;
      if (!call) throw contractViolation('ic0.call_perform: no call is being constructed');
      e.pendingCall = undefined;
      e.performedCalls.push(call);
      return 0;
    },
    stable_size: (): number => {
      if (host.stable.size > 65536)
        throw contractViolation('ic0.stable_size: memory exceeds 4 GiB');
      return host.stable.size;
    },
    stable_grow: (pages: Num): number => {
      if (host.stable.size + n(pages) > 65536) return -1;
      return host.stable.grow(n(pages));
    },
    stable_read: (dst: Num, offset: Num, size: Num): void => ic0.stable64_read(dst, offset, size),
    stable_write: (offset: Num, src: Num, size: Num): void => ic0.stable64_write(offset, src, size),
    stable64_size: (): bigint => BigInt(host.stable.size),
    stable64_grow: (pages: Num): bigint => BigInt(host.stable.grow(n(pages))),
    stable64_read: (dst: Num, offset: Num, size: Num): void => {
      const stable = host.stable;
      const from = n(offset);
      const len = n(size);
      if (!stable.inBounds(from, len)) {
        throw contractViolation('ic0.stable64_read: stable memory out of bounds');
      }
      const at = n(dst);
      stable.readInto(from, output('ic0.stable64_read', at, len), at, len);
    },
    stable64_write: (offset: Num, src: Num, size: Num): void => {
      const stable = host.stable;
      const to = n(offset);
      const len = n(size);
      if (!stable.inBounds(to, len)) {
        throw contractViolation('ic0.stable64_write: stable memory out of bounds');
      }
      const at = n(src);
      stable.writeFrom(to, checked('ic0.stable64_write', at, len), at, len);
    },
  };
  return {
    ic0,
    [LIMIT_IMPORT.module]: {
      [LIMIT_IMPORT.name]: (): never => {
        throw new CanisterTrap(
          'Canister exceeded the limit of instructions for a single message execution.',
          false,
          'IC0522',
        );
      },
    },
  };
}

/** Names a module imports that this System API does not provide. */
export function unknownImports(module: WebAssembly.Module, imports: WebAssembly.Imports): string[] {
  return WebAssembly.Module.imports(module)
    .filter((imp) => {
      const ns = imports[imp.module] as Record<string, unknown> | undefined;
      return imp.kind !== 'function' || !ns || !(imp.name in ns);
    })
    .map((imp) => `${imp.module}.${imp.name}`);
}

export { PAGE_SIZE };
