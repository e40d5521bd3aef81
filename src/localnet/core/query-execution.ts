/**
 * Query execution: queries and composite queries run against the current state and never keep
 * a change; a composite query's calls to other canisters run as nested queries in the same
 * rolled-back transaction, with loop detection and the IC's depth limit.
 */
import { Principal } from '@dfinity/principal';
import type { Canister } from './canister';
import {
  EMPTY,
  MAX_QUERY_DEPTH,
  MAX_QUERY_REPLY_BYTES,
  concat,
  exportFor,
  missingCanister,
  newExecution,
  principalText,
  reject,
  runEntry,
  trapResponse,
  unavailable,
  type Response,
} from './messages';
import { RejectCode } from './replica-api';
import type { ReplicaState } from './replica-state';
import type { CanisterInstance } from '../runtime/canister-instance';
import type { OutgoingCall } from '../runtime/system-api';

export class QueryExecutor {
  constructor(private readonly state: ReplicaState) {}

  run(c: Canister, method: string, arg: Uint8Array, caller: Principal): Response {
    const touched = new Set<Canister>();
    try {
      return this.queryCall(c, method, arg, caller, touched, [c], true);
    } finally {
      for (const t of touched) t.rollback();
    }
  }

  private queryCall(
    c: Canister,
    method: string,
    arg: Uint8Array,
    caller: Principal,
    touched: Set<Canister>,
    path: Canister[],
    top: boolean,
  ): Response {
    const target = exportFor(c, method, true);
    if (!target) {
      return reject(
        RejectCode.CanisterError,
        'IC0536',
        `Error from Canister ${c.idText}: Canister has no query method '${method}'.`,
      );
    }
    if (!touched.has(c)) {
      touched.add(c);
      c.begin();
    }
    const instance = c.instance as CanisterInstance;
    const composite = target.name.startsWith('canister_composite_query');
    const exe = newExecution({
      kind: composite ? 'composite_query' : 'query',
      timeNanos: this.state.timeNanos(),
      methodName: method,
      arg,
      caller: caller.toUint8Array(),
      replicated: false,
      canRespond: true,
      maxReplySize: MAX_QUERY_REPLY_BYTES,
    });
    if (top && !composite && this.state.certificateProvider) {
      const provider = this.state.certificateProvider;
      const certifiedData = c.certifiedData;
      let certificate: Uint8Array | undefined;
      // Made on first use and kept for the message, so size and copy see the same bytes.
      exe.dataCertificate = () => (certificate ??= provider(c.id, certifiedData));
    }
    const trap = runEntry(
      this.state,
      c,
      exe,
      method,
      () => instance.invoke(target.name),
      this.state.limits.query,
    );
    if (trap) return trapResponse(c, trap);
    let response = exe.response;
    const pending = [...exe.performedCalls];
    while (pending.length > 0) {
      const call = pending.shift() as OutgoingCall;
      const callee = this.state.canisters.get(principalText(Principal.fromUint8Array(call.callee)));
      let computed: Response;
      if (!callee) computed = missingCanister(Principal.fromUint8Array(call.callee));
      else if (path.includes(callee) || path.length >= MAX_QUERY_DEPTH) {
        computed = reject(
          RejectCode.CanisterError,
          'IC0516',
          'Loop detected in the composite query call graph',
        );
      } else {
        computed =
          unavailable(this.state, callee) ??
          this.queryCall(
            callee,
            call.method,
            concat(call.arg),
            c.id,
            touched,
            [...path, callee],
            false,
          );
      }
      const result = computed;
      const isReply = result.kind === 'reply';
      const cbExe = newExecution({
        kind: isReply ? 'reply_callback' : 'reject_callback',
        timeNanos: exe.timeNanos,
        methodName: method,
        arg: isReply ? result.data : EMPTY,
        caller: exe.caller,
        replicated: false,
        canRespond: response === undefined,
        maxReplySize: MAX_QUERY_REPLY_BYTES,
        rejectCode: isReply ? 0 : result.code,
        rejectMessage: isReply ? '' : result.message,
      });
      const fn = isReply ? call.reply : call.reject;
      const cbTrap = runEntry(
        this.state,
        c,
        cbExe,
        `${method} (callback)`,
        () => instance.invokeTable(fn.fun, fn.env),
        this.state.limits.query,
      );
      if (cbTrap) {
        const cleanup = call.cleanup;
        if (cleanup) {
          const cleanupExe = newExecution({
            kind: 'cleanup',
            timeNanos: exe.timeNanos,
            caller: exe.caller,
            replicated: false,
          });
          runEntry(
            this.state,
            c,
            cleanupExe,
            `${method} (cleanup)`,
            () => instance.invokeTable(cleanup.fun, cleanup.env),
            this.state.limits.query,
          );
        }
        if (response === undefined && pending.length === 0) return trapResponse(c, cbTrap);
        continue;
      }
      if (cbExe.response && response === undefined) response = cbExe.response;
      pending.push(...cbExe.performedCalls);
    }
    if (!response) {
      return reject(
        RejectCode.CanisterError,
        'IC0506',
        `Error from Canister ${c.idText}: Canister did not reply to the call`,
      );
    }
    return response.kind === 'reply'
      ? { kind: 'reply', data: response.data }
      : reject(RejectCode.CanisterReject, 'IC0406', response.message);
  }
}
