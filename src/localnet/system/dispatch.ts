/**
 * Candid in and out of natively implemented canisters, with the IC's reject codes for a bad
 * argument and for a method the canister does not have.
 */
import { IDL } from '@dfinity/candid';
import { reject, type Rejection, type Response } from '../core/messages';
import { RejectCode } from '../core/replica-api';

export class CallRejected extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.message);
  }
}

export function decodeArg<T>(type: IDL.Type, arg: Uint8Array, method: string): T {
  try {
    const [value] = IDL.decode([type], arg);
    return value as T;
  } catch (err) {
    throw new CallRejected(
      reject(
        RejectCode.CanisterError,
        'IC0503',
        `Error decoding candid for method ${method}: ${err instanceof Error ? err.message : String(err)}`,
      ),
    );
  }
}

export function reply(type: IDL.Type, value: unknown): Response {
  return { kind: 'reply', data: new Uint8Array(IDL.encode([type], [value])) };
}

export function noSuchMethod(
  canisterId: string,
  method: string,
  kind: 'query' | 'update',
): Rejection {
  return reject(
    RejectCode.CanisterError,
    'IC0536',
    `Error from Canister ${canisterId}: Canister has no ${kind} method '${method}'.`,
  );
}

export function canisterReject(message: string): Rejection {
  return reject(RejectCode.CanisterReject, 'IC0406', message);
}
