/**
 * An in-memory stand-in for the execution core behind the `Replica` seam: one "echo"
 * canister whose methods are plain functions, so the HTTP edge can be tested with the real
 * agent without compiling a canister.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import {
  RejectCode,
  type CallOutcome,
  type CanisterInfo,
  type IngressMessage,
  type MessageLog,
  type Replica,
  type RequestStatus,
  type SubmitResult,
} from '../../../../src/localnet/core/replica-api';

export const ECHO_ID = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
export const CONTROLLER = Principal.fromText('aaaaa-aa');

export const echoIdl: IDL.InterfaceFactory = ({ IDL: I }) =>
  I.Service({
    echo: I.Func([I.Text], [I.Text], []),
    echo_query: I.Func([I.Text], [I.Text], ['query']),
    whoami: I.Func([], [I.Principal], []),
    whoami_query: I.Func([], [I.Principal], ['query']),
    fail: I.Func([], [], []),
    fail_query: I.Func([], [], ['query']),
    blocked: I.Func([], [], []),
  });

export class FakeReplica implements Replica {
  readonly statuses = new Map<string, RequestStatus>();
  readonly messages: IngressMessage[] = [];
  /** Added to wall-clock time, to test clock skew handling. */
  offsetNanos = 0n;
  info: CanisterInfo = {
    id: ECHO_ID,
    controllers: [Principal.fromText('2vxsx-fae')],
    moduleHash: new Uint8Array(32).fill(0xab),
    metadata: new Map([
      ['candid:service', { visibility: 'public', content: utf8ToBytes('service : {}') }],
      ['secret', { visibility: 'private', content: utf8ToBytes('hidden') }],
    ]),
    certifiedData: new Uint8Array([1, 2, 3]),
    status: 'running',
  };

  timeNanos(): bigint {
    return BigInt(Date.now()) * 1_000_000n + this.offsetNanos;
  }

  #execute(message: Omit<IngressMessage, 'ingressExpiry'>): CallOutcome {
    switch (message.methodName) {
      case 'echo':
      case 'echo_query':
        return { kind: 'replied', reply: message.arg };
      case 'whoami':
      case 'whoami_query':
        return {
          kind: 'replied',
          reply: new Uint8Array(IDL.encode([IDL.Principal], [message.sender])),
        };
      default:
        return {
          kind: 'rejected',
          rejectCode: RejectCode.CanisterReject,
          rejectMessage: `${message.methodName} says no`,
          errorCode: 'IC0406',
        };
    }
  }

  async submitCall(message: IngressMessage): Promise<SubmitResult> {
    this.messages.push(message);
    if (message.canisterId.compareTo(ECHO_ID) !== 'eq') {
      return {
        accepted: false,
        rejection: {
          kind: 'rejected',
          rejectCode: RejectCode.DestinationInvalid,
          rejectMessage: `Canister ${message.canisterId.toText()} not found`,
          errorCode: 'IC0301',
        },
      };
    }
    if (message.methodName === 'blocked') {
      return {
        accepted: false,
        rejection: {
          kind: 'rejected',
          rejectCode: RejectCode.CanisterReject,
          rejectMessage: 'inspect_message rejected the call',
          errorCode: 'IC0516',
        },
      };
    }
    const key = bytesToHex(message.requestId);
    this.statuses.set(key, { status: 'processing' });
    const outcome = (async () => {
      await new Promise((r) => setTimeout(r, 20));
      const result = this.#execute(message);
      this.statuses.set(key, {
        status: result.kind,
        outcome: result,
        finishedAtNanos: this.timeNanos(),
      });
      return result;
    })();
    return { accepted: true, outcome };
  }

  async query(message: Omit<IngressMessage, 'ingressExpiry'>): Promise<CallOutcome> {
    if (message.canisterId.compareTo(ECHO_ID) !== 'eq') {
      return {
        kind: 'rejected',
        rejectCode: RejectCode.DestinationInvalid,
        rejectMessage: `Canister ${message.canisterId.toText()} not found`,
        errorCode: 'IC0301',
      };
    }
    return this.#execute(message);
  }

  requestStatus(requestId: Uint8Array): RequestStatus | undefined {
    return this.statuses.get(bytesToHex(requestId));
  }

  canister(id: Principal): CanisterInfo | undefined {
    return id.compareTo(ECHO_ID) === 'eq' ? this.info : undefined;
  }

  canisterIds(): Principal[] {
    return [ECHO_ID];
  }

  onMessage(_listener: (entry: MessageLog) => void): () => void {
    return () => {};
  }

  async shutdown(): Promise<void> {}
}
