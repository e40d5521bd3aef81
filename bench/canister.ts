/**
 * Direct access to the backend canister inside a LocalReplica: candid encoding with the
 * generated idlFactory, no HTTP and no signatures, so that loading data costs only the
 * canister's own execution. Every call reports the instructions the replica metered for it.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { randomBytes } from 'node:crypto';
import type { LocalReplica } from '../src/localnet/core/replica';
import type { MessageLog } from '../src/localnet/core/replica-api';
import { idlFactory, init } from '../src/declarations/backend';

const service = idlFactory({ IDL }) as IDL.ServiceClass;
const methods = new Map<string, IDL.FuncClass>(service._fields);

export interface Measured<T> {
  value: T;
  /** Executed wasm instructions of the method's entry point (undefined without metering). */
  instructions: bigint | undefined;
  /** Wall time of the whole replica round trip, including candid encoding in Node. */
  ms: number;
}

/** A fresh self-authenticating principal, as an Internet Identity user would have. */
export function randomMember(): Principal {
  return Principal.selfAuthenticating(new Uint8Array(randomBytes(44)));
}

export function initArg(admins: Principal[]): Uint8Array {
  return new Uint8Array(IDL.encode(init({ IDL }), [[{ admins, frontend: [] }]]));
}

export class BackendClient {
  private last: MessageLog | undefined;
  /** The method of the call being measured. */
  private calling: string | undefined;

  constructor(
    readonly replica: LocalReplica,
    readonly canisterId: Principal,
  ) {
    // Canister code runs synchronously inside one replica task, so the log entry for a call
    // is emitted before its outcome promise settles: the latest entry of the called method is
    // this call's. Other messages may run in between (the timer a write sets, which indexes
    // for search), so entries of other methods are not taken.
    replica.onMessage((entry) => {
      if (
        (entry.kind === 'update' || entry.kind === 'query') &&
        entry.methodName === this.calling
      ) {
        this.last = entry;
      }
    });
  }

  private method(name: string): IDL.FuncClass {
    const fn = methods.get(name);
    if (!fn) throw new Error(`backend.did has no method ${name}`);
    return fn;
  }

  /** The size of a call's candid argument, as the agent would send it. */
  argumentBytes(name: string, args: unknown[]): number {
    return IDL.encode(this.method(name).argTypes, args).byteLength;
  }

  async call<T>(name: string, args: unknown[], sender: Principal): Promise<Measured<T>> {
    const fn = this.method(name);
    const arg = new Uint8Array(IDL.encode(fn.argTypes, args));
    const isQuery = fn.annotations.includes('query');
    this.last = undefined;
    this.calling = name;
    const started = performance.now();
    const outcome = isQuery
      ? await this.replica.query({
          requestId: new Uint8Array(randomBytes(32)),
          sender,
          canisterId: this.canisterId,
          effectiveCanisterId: this.canisterId,
          methodName: name,
          arg,
        })
      : await this.replica.update(this.canisterId, name, arg, sender);
    const ms = performance.now() - started;
    if (outcome.kind !== 'replied') {
      throw new Error(`${name} was rejected: ${outcome.rejectMessage}`);
    }
    const entry = this.last as MessageLog | undefined;
    const instructions = entry?.methodName === name ? entry.instructions : undefined;
    const value = IDL.decode(fn.retTypes, outcome.reply)[0] as T;
    return { value, instructions, ms };
  }

  /** Calls an update that returns `Result<T>` and fails loudly on `Err`. */
  async ok<T>(name: string, args: unknown[], sender: Principal): Promise<Measured<T>> {
    const measured = await this.call<{ Ok: T } | { Err: unknown }>(name, args, sender);
    const result = measured.value;
    if ('Err' in result) {
      throw new Error(`${name} failed: ${JSON.stringify(result.Err, bigintJson)}`);
    }
    return { ...measured, value: result.Ok };
  }
}

export function bigintJson(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
