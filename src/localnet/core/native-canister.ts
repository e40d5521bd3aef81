/**
 * Canisters that localnet implements natively rather than with a wasm module: the NNS system
 * canisters (ledgers, cycles minting). They live in the replica's canister table with their
 * ids, status and stable memory like any canister, and the executor hands their messages to
 * this interface instead of a module instance.
 */
import type { Principal } from '@dfinity/principal';
import type { Response } from './messages';
import type { ExecutedRequest } from '../state/store';

export interface NativeCall {
  method: string;
  arg: Uint8Array;
  caller: Principal;
  timeNanos: bigint;
}

export interface NativeCanister {
  /**
   * Runs a replicated call to completion. What it changes is journaled together with
   * `requests` (the ingress request ids it completes) before it returns; `journaled` says
   * whether such a record was written.
   */
  update(call: NativeCall, requests: ExecutedRequest[]): { response: Response; journaled: boolean };
  /** Runs a query: reads only. */
  query(call: NativeCall): Response;
}
