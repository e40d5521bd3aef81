/**
 * Messages as the execution core sees them: responses and reject codes, where a call came
 * from, the call contexts that wait for responses, and the size limits of the interface
 * specification. Also how one entry point runs against a canister's current state.
 */
import { Principal } from '@dfinity/principal';
import type { Canister } from './canister';
import { RejectCode, type CallOutcome, type MessageLog } from './replica-api';
import type { ReplicaState } from './replica-state';
import { ManagementError } from '../management/management-canister';
import type { CanisterInstance } from '../runtime/canister-instance';
import {
  CanisterTrap,
  type EntryKind,
  type Execution,
  type OutgoingCall,
} from '../runtime/system-api';
import type { StorageError } from '../state/store';

export const MAX_INGRESS_BYTES = 2 * 1024 * 1024;
export const MAX_UPDATE_REPLY_BYTES = 2 * 1024 * 1024;
export const MAX_QUERY_REPLY_BYTES = 3 * 1024 * 1024;
export const MAX_INTER_CANISTER_BYTES = 2 * 1024 * 1024;
export const MAX_QUERY_DEPTH = 20;

export type Response =
  | { kind: 'reply'; data: Uint8Array }
  | { kind: 'reject'; code: RejectCode; message: string; errorCode: string };

export type Rejection = Extract<Response, { kind: 'reject' }>;

export type Origin =
  | {
      kind: 'ingress';
      requestId: string;
      expiry: bigint;
      settle: (outcome: CallOutcome) => void;
      /** Whether a journal record already names this request (for replay protection). */
      journaled: boolean;
    }
  | { kind: 'canister'; callbackId: number }
  | { kind: 'system'; settle?: (outcome: CallOutcome) => void };

export interface CallContext {
  canister: Canister;
  method: string;
  caller: Principal;
  origin: Origin;
  responded: boolean;
  outstanding: number;
  cyclesAvailable: bigint;
}

export interface PendingCallback {
  canister: Canister;
  /** The instance whose table holds the callback; an upgrade in between invalidates it. */
  instance: CanisterInstance | undefined;
  ctx: CallContext;
  call: OutgoingCall;
}

export const EMPTY = new Uint8Array(0);

const texts = new WeakMap<Principal, string>();
/**
 * The same by the principal's bytes, for the new principal objects every request decodes:
 * `toText` (a CRC and a base32 encoding, about 12 µs) ran several times per message.
 */
const textsByBytes = new Map<string, string>();
const MAX_TEXTS_BY_BYTES = 4096;

/**
 * `p.toText()`, remembered per principal object and per principal: callers that hold on to
 * a canister id (the admin API, tools) look canisters up by it for every message, and every
 * request names its canister and sender afresh.
 */
export function principalText(p: Principal): string {
  let text = texts.get(p);
  if (text === undefined) {
    const bytes = p.toUint8Array();
    const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
    text = textsByBytes.get(key);
    if (text === undefined) {
      text = p.toText();
      if (textsByBytes.size >= MAX_TEXTS_BY_BYTES) textsByBytes.clear();
      textsByBytes.set(key, text);
    }
    texts.set(p, text);
  }
  return text;
}

/** Whether `p` is the management canister (`aaaaa-aa`, the empty principal). */
export function isManagement(p: Principal): boolean {
  return p.toUint8Array().length === 0;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export function reject(code: RejectCode, errorCode: string, message: string): Rejection {
  return { kind: 'reject', code, message, errorCode };
}

export function toOutcome(r: Response): CallOutcome {
  return r.kind === 'reply'
    ? { kind: 'replied', reply: r.data }
    : { kind: 'rejected', rejectCode: r.code, rejectMessage: r.message, errorCode: r.errorCode };
}

/** The management canister's way of failing with a response the core built. */
export function managementError(r: Rejection): ManagementError {
  return new ManagementError(r.code, r.errorCode, r.message);
}

/**
 * The disk refused a message's record. The IC's answer when a subnet has no storage left is
 * SubnetOversubscribed; the message names the folder so the developer knows what to free.
 */
export function outOfStorage(err: StorageError): Rejection {
  return reject(
    RejectCode.SysFatal,
    'IC0101',
    `Localnet is out of storage: ${err.message}. The message was rolled back; free disk space and retry.`,
  );
}

export function trapResponse(canister: Canister, trap: CanisterTrap, during?: string): Rejection {
  const id = canister.idText;
  const where = during ? ` during ${during}` : '';
  let message: string;
  if (trap.explicit) {
    message = `Error from Canister ${id}: Canister called \`ic0.trap\` with message: '${trap.message}'${where}`;
  } else if (trap.errorCode === 'IC0504') {
    message = `Error from Canister ${id}: Canister violated contract${where}: ${trap.message}`;
  } else if (trap.errorCode === 'IC0522') {
    message = `Error from Canister ${id}: ${trap.message}`;
  } else {
    message = `Error from Canister ${id}: Canister trapped${where}: ${trap.message}`;
  }
  return reject(RejectCode.CanisterError, trap.errorCode, message);
}

export function missingCanister(id: Principal): Rejection {
  return reject(RejectCode.DestinationInvalid, 'IC0301', `Canister ${id.toText()} not found`);
}

/** Why a canister cannot take a message now (no module, stopped, stopping), if it cannot. */
export function unavailable(state: ReplicaState, c: Canister): Rejection | undefined {
  if (!c.instance) {
    const why = state.restartErrors.get(c.idText);
    return reject(
      RejectCode.CanisterError,
      'IC0537',
      why
        ? `Canister ${c.idText} failed to restart: ${why}`
        : `Attempted to execute a message, but the canister contains no Wasm module.`,
    );
  }
  if (c.status === 'stopped') {
    return reject(
      RejectCode.CanisterError,
      'IC0508',
      `Canister ${c.idText} is stopped and therefore does not have a CallContextManager`,
    );
  }
  if (c.status === 'stopping') {
    return reject(RejectCode.CanisterError, 'IC0509', `Canister ${c.idText} is stopping`);
  }
  return undefined;
}

export function newExecution(
  init: Partial<Execution> & Pick<Execution, 'kind' | 'timeNanos'>,
): Execution {
  return {
    methodName: '',
    arg: EMPTY,
    caller: EMPTY,
    replicated: true,
    canRespond: false,
    replyChunks: [],
    replySize: 0,
    maxReplySize: MAX_UPDATE_REPLY_BYTES,
    rejectCode: 0,
    rejectMessage: '',
    cyclesAvailable: 0n,
    cyclesAccepted: 0n,
    cyclesRefunded: 0n,
    performedCalls: [],
    accepted: false,
    ...init,
  };
}

const LOG_KIND: Record<EntryKind, MessageLog['kind']> = {
  init: 'init',
  post_upgrade: 'upgrade',
  pre_upgrade: 'upgrade',
  update: 'update',
  query: 'query',
  composite_query: 'query',
  inspect: 'inspect',
  timer: 'timer',
  heartbeat: 'timer',
  reply_callback: 'update',
  reject_callback: 'update',
  cleanup: 'update',
};

/**
 * Runs one entry point against the current state without committing; the caller decides
 * whether to commit (updates) or roll back (queries, traps).
 */
export function runEntry(
  state: ReplicaState,
  c: Canister,
  exe: Execution,
  method: string,
  fn: () => void,
  limit: bigint,
): CanisterTrap | undefined {
  const instance = c.instance;
  const started = performance.now();
  c.current = exe;
  instance?.resetInstructionCounter(limit);
  let trap: CanisterTrap | undefined;
  try {
    fn();
    if (exe.pendingCall) exe.pendingCall = undefined;
  } catch (err) {
    trap =
      err instanceof CanisterTrap
        ? err
        : new CanisterTrap(err instanceof Error ? err.message : String(err), false);
  }
  c.current = undefined;
  if (trap && exe.replicated) c.appendLog(`[TRAP]: ${trap.message}`, exe.timeNanos);
  // The log entry has observers only when a tool or test listens.
  if (state.listeners.size === 0) return trap;
  const entry: MessageLog = {
    canisterId: c.id,
    methodName: method,
    caller: Principal.fromUint8Array(exe.caller),
    kind: LOG_KIND[exe.kind],
    outcome: trap ? 'trapped' : exe.response?.kind === 'reject' ? 'rejected' : 'replied',
    durationMs: performance.now() - started,
  };
  if (state.metering && instance) entry.instructions = instance.instructionCounter();
  state.emit(entry);
  return trap;
}

/** The export that serves `method` called as a query or as an update, if any. */
export function exportFor(
  c: Canister,
  method: string,
  asQuery: boolean,
): { name: string; query: boolean } | undefined {
  const instance = c.instance;
  if (!instance) return undefined;
  const candidates = asQuery
    ? [`canister_query ${method}`, `canister_composite_query ${method}`]
    : [`canister_update ${method}`, `canister_query ${method}`];
  for (const name of candidates) {
    if (instance.hasExport(name)) return { name, query: !name.startsWith('canister_update') };
  }
  return undefined;
}
