/**
 * Execution of replicated messages: ingress prechecks (inspect_message), update calls and the
 * call contexts they open, inter-canister requests and responses with their callbacks, global
 * timers, and calls to the management canister. Each message commits durably or rolls back.
 */
import { Principal } from '@dfinity/principal';
import type { Canister } from './canister';
import type { Durability } from './durability';
import type { NativeCanister } from './native-canister';
import { finishStop } from './management-host';
import {
  EMPTY,
  MAX_INGRESS_BYTES,
  MAX_INTER_CANISTER_BYTES,
  concat,
  exportFor,
  isManagement,
  missingCanister,
  newExecution,
  outOfStorage,
  principalText,
  reject,
  runEntry,
  toOutcome,
  trapResponse,
  unavailable,
  type CallContext,
  type Origin,
  type PendingCallback,
  type Response,
} from './messages';
import { RejectCode, type CallOutcome, type IngressMessage } from './replica-api';
import type { ReplicaState } from './replica-state';
import type { Scheduler } from './scheduler';
import { CANISTER_ONLY_METHODS, type ManagementCaller } from '../management/history-and-snapshots';
import {
  MANAGEMENT_ID,
  ManagementError,
  type ManagementCanister,
} from '../management/management-canister';
import type { CanisterInstance } from '../runtime/canister-instance';
import type { CanisterTrap, Execution, OutgoingCall } from '../runtime/system-api';
import { StorageError, type ExecutedRequest } from '../state/store';

export class Executor {
  private readonly callbacks = new Map<number, PendingCallback>();
  private nextCallbackId = 1;

  constructor(
    private readonly state: ReplicaState,
    private readonly scheduler: Scheduler,
    private readonly durability: Durability,
    private readonly management: ManagementCanister,
  ) {}

  /**
   * Runs a replicated message: journals and commits it, or rolls it back on a trap or when
   * the disk refuses its record (then the `StorageError` is returned).
   */
  execute(
    c: Canister,
    exe: Execution,
    method: string,
    fn: () => void,
    keep = true,
    requests: ExecutedRequest[] = [],
  ): CanisterTrap | StorageError | undefined {
    c.begin();
    const trap = runEntry(this.state, c, exe, method, fn, this.state.limits.update);
    if (trap || !keep) {
      c.rollback();
      return trap;
    }
    return this.durability.commitDurably(c, requests);
  }

  precheckIngress(
    message: IngressMessage,
    trusted: boolean,
  ): Extract<CallOutcome, { kind: 'rejected' }> | undefined {
    const asRejection = (r: Response): Extract<CallOutcome, { kind: 'rejected' }> =>
      toOutcome(r) as Extract<CallOutcome, { kind: 'rejected' }>;
    if (!trusted && message.arg.length > MAX_INGRESS_BYTES) {
      return asRejection(
        reject(
          RejectCode.CanisterReject,
          'IC0406',
          `Ingress message argument is larger than ${MAX_INGRESS_BYTES} bytes`,
        ),
      );
    }
    if (isManagement(message.canisterId)) {
      // Turned away before execution, as the IC's ingress filter does.
      if (CANISTER_ONLY_METHODS.has(message.methodName)) {
        return asRejection(
          reject(
            RejectCode.CanisterReject,
            'IC0406',
            `Only canisters can call ic00 method ${message.methodName}`,
          ),
        );
      }
      return undefined;
    }
    const c = this.state.canisters.get(principalText(message.canisterId));
    if (!c) return asRejection(missingCanister(message.canisterId));
    if (this.state.natives.has(c.idText)) return undefined;
    const refusal = unavailable(this.state, c);
    if (refusal) return asRejection(refusal);
    const instance = c.instance;
    if (instance?.hasExport('canister_inspect_message')) {
      const exe = newExecution({
        kind: 'inspect',
        timeNanos: this.state.timeNanos(),
        methodName: message.methodName,
        arg: message.arg,
        caller: message.sender.toUint8Array(),
        replicated: false,
      });
      c.begin();
      const trap = runEntry(
        this.state,
        c,
        exe,
        message.methodName,
        () => instance.invoke('canister_inspect_message'),
        this.state.limits.inspect,
      );
      c.rollback();
      if (trap) return asRejection(trapResponse(c, trap, 'inspect_message'));
      if (!exe.accepted) {
        return asRejection(
          reject(RejectCode.CanisterReject, 'IC0406', `Canister ${c.idText} rejected the message`),
        );
      }
    }
    return undefined;
  }

  startCall(
    c: Canister,
    method: string,
    arg: Uint8Array,
    caller: Principal,
    cycles: bigint,
    origin: Origin,
  ): void {
    const ctx: CallContext = {
      canister: c,
      method,
      caller,
      origin,
      responded: false,
      outstanding: 0,
      cyclesAvailable: cycles,
    };
    c.openContexts++;
    const native = this.state.natives.get(c.idText);
    if (native) {
      this.runNative(ctx, native, arg);
      return;
    }
    const refusal = unavailable(this.state, c);
    if (refusal) {
      this.respond(ctx, refusal);
      return;
    }
    const target = exportFor(c, method, false);
    if (!target) {
      this.respond(
        ctx,
        reject(
          RejectCode.CanisterError,
          'IC0536',
          `Error from Canister ${c.idText}: Canister has no update method '${method}'.`,
        ),
      );
      return;
    }
    const instance = c.instance as CanisterInstance;
    const exe = newExecution({
      kind: 'update',
      timeNanos: this.state.timeNanos(),
      methodName: method,
      arg,
      caller: caller.toUint8Array(),
      canRespond: true,
      cyclesAvailable: cycles,
    });
    const requests =
      origin.kind === 'ingress'
        ? [{ requestId: origin.requestId, expiryNanos: origin.expiry }]
        : [];
    // A query method called as an update runs replicated but keeps no state, like on the IC.
    const outcome = this.execute(
      c,
      exe,
      method,
      () => instance.invoke(target.name),
      !target.query,
      requests,
    );
    // Journaled with this record, or (storage failure) not executed and free to be retried.
    if (
      origin.kind === 'ingress' &&
      ((outcome === undefined && !target.query) || outcome instanceof StorageError)
    ) {
      origin.journaled = true;
    }
    this.afterExecution(ctx, exe, outcome);
  }

  /** A call to a system canister: it runs to completion at once; attached cycles go back. */
  private runNative(ctx: CallContext, native: NativeCanister, arg: Uint8Array): void {
    const started = performance.now();
    const origin = ctx.origin;
    const requests =
      origin.kind === 'ingress'
        ? [{ requestId: origin.requestId, expiryNanos: origin.expiry }]
        : [];
    const { response, journaled } = native.update(
      { method: ctx.method, arg, caller: ctx.caller, timeNanos: this.state.timeNanos() },
      requests,
    );
    if (origin.kind === 'ingress' && journaled) origin.journaled = true;
    this.state.emit({
      canisterId: ctx.canister.id,
      methodName: ctx.method,
      caller: ctx.caller,
      kind: 'update',
      outcome: response.kind === 'reply' ? 'replied' : 'rejected',
      durationMs: performance.now() - started,
    });
    this.respond(ctx, response);
  }

  private afterExecution(
    ctx: CallContext,
    exe: Execution,
    trap: CanisterTrap | StorageError | undefined,
    cleanup?: OutgoingCall['cleanup'],
  ): void {
    const c = ctx.canister;
    if (trap instanceof StorageError) {
      // Rolled back: nothing it did (replies, calls) happened.
      if (!ctx.responded && ctx.outstanding === 0) this.respond(ctx, outOfStorage(trap));
      return;
    }
    if (trap) {
      if (cleanup && c.instance) {
        const instance = c.instance;
        const cleanupExe = newExecution({
          kind: 'cleanup',
          timeNanos: exe.timeNanos,
          caller: exe.caller,
        });
        const cleanupTrap = this.execute(c, cleanupExe, `${ctx.method} (cleanup)`, () =>
          instance.invokeTable(cleanup.fun, cleanup.env),
        );
        if (cleanupTrap)
          this.state.debugSink(c.id, `cleanup callback trapped: ${cleanupTrap.message}`);
      }
      if (!ctx.responded && ctx.outstanding === 0) this.respond(ctx, trapResponse(c, trap));
      return;
    }
    ctx.cyclesAvailable = exe.cyclesAvailable;
    for (const call of exe.performedCalls) {
      ctx.outstanding++;
      this.dispatch(c, ctx, call);
    }
    if (exe.response) {
      this.respond(
        ctx,
        exe.response.kind === 'reply'
          ? { kind: 'reply', data: exe.response.data }
          : reject(RejectCode.CanisterReject, 'IC0406', exe.response.message),
      );
    } else if (!ctx.responded && ctx.outstanding === 0) {
      this.respond(
        ctx,
        reject(
          RejectCode.CanisterError,
          'IC0506',
          `Error from Canister ${c.idText}: Canister did not reply to the call`,
        ),
      );
    }
  }

  private respond(ctx: CallContext, response: Response): void {
    if (ctx.responded) return;
    ctx.responded = true;
    const c = ctx.canister;
    c.openContexts--;
    const refund = ctx.cyclesAvailable;
    ctx.cyclesAvailable = 0n;
    const origin = ctx.origin;
    if (origin.kind === 'ingress') origin.settle(toOutcome(response));
    else if (origin.kind === 'system') origin.settle?.(toOutcome(response));
    else this.scheduler.enqueue(() => this.deliverResponse(origin.callbackId, response, refund));
    if (c.status === 'stopping' && c.openContexts === 0) finishStop(this.durability, c);
  }

  private dispatch(from: Canister, ctx: CallContext, call: OutgoingCall): void {
    const callbackId = this.nextCallbackId++;
    this.callbacks.set(callbackId, { canister: from, instance: from.instance, ctx, call });
    const callee = Principal.fromUint8Array(call.callee);
    const arg = concat(call.arg);
    this.scheduler.enqueue(() => {
      if (call.argSize > MAX_INTER_CANISTER_BYTES) {
        this.deliverResponse(
          callbackId,
          reject(
            RejectCode.CanisterError,
            'IC0504',
            `Request argument is larger than ${MAX_INTER_CANISTER_BYTES} bytes`,
          ),
          call.cycles,
        );
        return;
      }
      if (isManagement(callee)) {
        this.runManagement(call.method, arg, from.id, 'canister', (outcome) => {
          this.scheduler.enqueue(() =>
            this.deliverResponse(
              callbackId,
              outcome.kind === 'replied'
                ? { kind: 'reply', data: outcome.reply }
                : reject(outcome.rejectCode, outcome.errorCode, outcome.rejectMessage),
              call.cycles,
            ),
          );
        });
        return;
      }
      const target = this.state.canisters.get(principalText(callee));
      if (!target) {
        this.deliverResponse(callbackId, missingCanister(callee), call.cycles);
        return;
      }
      this.startCall(target, call.method, arg, from.id, call.cycles, {
        kind: 'canister',
        callbackId,
      });
    });
  }

  private deliverResponse(callbackId: number, response: Response, refund: bigint): void {
    const pending = this.callbacks.get(callbackId);
    if (!pending) return;
    this.callbacks.delete(callbackId);
    const { canister: c, ctx, call } = pending;
    ctx.outstanding--;
    const instance = c.instance;
    // The module that registered the callback is gone (upgraded, reinstalled or deleted):
    // its table indices mean nothing to another module, so the callback is dropped.
    if (!instance || instance !== pending.instance || this.state.canisters.get(c.idText) !== c) {
      if (!ctx.responded && ctx.outstanding === 0) {
        this.respond(
          ctx,
          reject(
            RejectCode.CanisterError,
            'IC0506',
            `Canister ${c.idText} was upgraded while awaiting a response`,
          ),
        );
      }
      return;
    }
    c.cyclesBalance += refund;
    const isReply = response.kind === 'reply';
    const exe = newExecution({
      kind: isReply ? 'reply_callback' : 'reject_callback',
      timeNanos: this.state.timeNanos(),
      methodName: ctx.method,
      arg: isReply ? response.data : EMPTY,
      caller: ctx.caller.toUint8Array(),
      canRespond: !ctx.responded,
      rejectCode: isReply ? 0 : response.code,
      rejectMessage: isReply ? '' : response.message,
      cyclesRefunded: refund,
    });
    const fn = isReply ? call.reply : call.reject;
    const trap = this.execute(c, exe, `${ctx.method} (callback)`, () =>
      instance.invokeTable(fn.fun, fn.env),
    );
    this.afterExecution(ctx, exe, trap, call.cleanup);
  }

  runTimer(c: Canister): void {
    const instance = c.instance;
    if (!instance?.hasExport('canister_global_timer') || c.status !== 'running') return;
    const ctx: CallContext = {
      canister: c,
      method: 'canister_global_timer',
      caller: c.id,
      origin: { kind: 'system' },
      responded: false,
      outstanding: 0,
      cyclesAvailable: 0n,
    };
    c.openContexts++;
    const exe = newExecution({
      kind: 'timer',
      timeNanos: this.state.timeNanos(),
      caller: c.id.toUint8Array(),
    });
    const trap = this.execute(c, exe, 'canister_global_timer', () =>
      instance.invoke('canister_global_timer'),
    );
    if (trap) this.state.debugSink(c.id, `global timer trapped: ${trap.message}`);
    this.afterExecution(ctx, exe, trap);
  }

  runManagement(
    method: string,
    arg: Uint8Array,
    sender: Principal,
    caller: ManagementCaller,
    settle: (o: CallOutcome) => void,
  ): void {
    const started = performance.now();
    const finish = (o: CallOutcome): void => {
      this.state.emit({
        canisterId: MANAGEMENT_ID,
        methodName: method,
        caller: sender,
        kind: 'update',
        outcome: o.kind === 'replied' ? 'replied' : 'rejected',
        durationMs: performance.now() - started,
      });
      settle(o);
    };
    this.management.call(method, arg, sender, caller).then(
      (reply) => finish({ kind: 'replied', reply }),
      (err: unknown) => {
        if (err instanceof ManagementError) {
          finish({
            kind: 'rejected',
            rejectCode: err.rejectCode,
            rejectMessage: err.message,
            errorCode: err.errorCode,
          });
        } else {
          finish({
            kind: 'rejected',
            rejectCode: RejectCode.CanisterError,
            rejectMessage: `Management canister error: ${err instanceof Error ? err.message : String(err)}`,
            errorCode: 'IC0503',
          });
        }
      },
    );
  }
}
