/**
 * Instruction metering on the project's real backend wasm (an Azle canister of several MB):
 * the binaryen rewrite must accept it, the metered module must run init, a query and an
 * update, and `ic0.performance_counter` must read the same counter `MessageLog` reports.
 */
import { describe, expect, it, vi } from 'vitest';
import { IDL } from '@dfinity/candid';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ALICE, openReplica, query, replyOf, update } from '../fixtures/harness';
import { backendWasm } from '../fixtures/azle-build';
import type { MessageLog } from '../../../../src/localnet/core/replica-api';
import { idlFactory, init } from '../../../../src/declarations/backend';

// Every ic0 call the canister makes first reads `ic0.performance_counter(0)`, so each
// message leaves the sequence of counter values its own code could have observed.
const counterReads = vi.hoisted(() => ({ current: [] as bigint[] }));
vi.mock('../../../../src/localnet/runtime/system-api', async (importOriginal) => {
  const actual =
    await importOriginal<typeof import('../../../../src/localnet/runtime/system-api')>();
  return {
    ...actual,
    systemApi: (...args: Parameters<typeof actual.systemApi>): WebAssembly.Imports => {
      const imports = actual.systemApi(...args);
      const ic0 = imports.ic0 as Record<string, (...args: unknown[]) => unknown>;
      const counter = ic0.performance_counter as (kind: number) => bigint;
      for (const [name, fn] of Object.entries(ic0)) {
        ic0[name] = (...args: unknown[]): unknown => {
          counterReads.current.push(counter(0));
          return fn(...args);
        };
      }
      return imports;
    },
  };
});

const service = idlFactory({ IDL }) as IDL.ServiceClass;
const methods = new Map<string, IDL.FuncClass>(service._fields);
const func = (name: string): IDL.FuncClass => {
  const f = methods.get(name);
  if (!f) throw new Error(`backend.did has no method ${name}`);
  return f;
};
const encodeArgs = (name: string, values: unknown[]): Uint8Array =>
  new Uint8Array(IDL.encode(func(name).argTypes, values));
const decodeReply = (name: string, reply: Uint8Array): unknown =>
  IDL.decode(func(name).retTypes, reply)[0];

interface Metered {
  log: MessageLog;
  reads: bigint[];
}

describe('localnet metering with the real backend wasm', { timeout: 300_000 }, () => {
  it('counts instructions for init, a query and an update, as performance_counter sees them', async () => {
    const wasm = readFileSync(backendWasm());
    const stateDir = mkdtempSync(path.join(tmpdir(), 'localnet-metering-'));
    const replica = await openReplica({ metering: true, stateDir });
    const messages: Metered[] = [];
    replica.onMessage((log) => {
      messages.push({ log, reads: counterReads.current });
      counterReads.current = [];
    });
    const only = (method: string, kind: MessageLog['kind']): Metered => {
      const found = messages.filter((m) => m.log.methodName === method && m.log.kind === kind);
      expect(found, `${kind} ${method}`).toHaveLength(1);
      return found[0] as Metered;
    };

    const id = replica.createCanister({ controllers: [ALICE] });
    const started = performance.now();
    await replica.installCode({
      canisterId: id,
      wasm,
      arg: new Uint8Array(IDL.encode(init({ IDL }), [[{ admins: [ALICE], frontend: [] }]])),
    });
    const installMs = performance.now() - started;
    // The rewritten module is kept for the next start of this state folder.
    const prepared = path.join(stateDir, 'prepared');
    expect(existsSync(prepared) && readdirSync(prepared).some((f) => f.includes('.metered.'))).toBe(
      true,
    );

    const me = decodeReply(
      'whoami',
      replyOf(await query(replica, id, 'whoami', encodeArgs('whoami', []))),
    ) as { principal: { toText(): string } };
    expect(me.principal.toText()).toBe(ALICE.toText());

    const profile = decodeReply(
      'setProfile',
      replyOf(
        await update(
          replica,
          id,
          'setProfile',
          encodeArgs('setProfile', [{ displayName: 'Alice', bio: 'metered' }]),
        ),
      ),
    ) as Record<string, unknown>;
    expect(Object.keys(profile)).toEqual(['Ok']);

    const initMsg = only('canister_init', 'init');
    const whoami = only('whoami', 'query');
    const setProfile = only('setProfile', 'update');
    for (const m of [initMsg, whoami, setProfile]) {
      const total = m.log.instructions;
      expect(typeof total).toBe('bigint');
      expect(total).toBeGreaterThan(0n);
      // The canister reads a live counter: it starts from zero at each message, never
      // goes back, and never passes what the replica reports at the end.
      expect(m.reads.length).toBeGreaterThan(0);
      expect(m.reads[0]).toBeGreaterThan(0n);
      expect(m.reads[0]).toBeLessThan(total ?? 0n);
      for (let i = 1; i < m.reads.length; i++) {
        expect(m.reads[i]).toBeGreaterThanOrEqual(m.reads[i - 1] ?? 0n);
      }
      expect(m.reads[m.reads.length - 1]).toBeLessThanOrEqual(total ?? 0n);
    }
    const initTotal = initMsg.log.instructions ?? 0n;
    const whoamiTotal = whoami.log.instructions ?? 0n;
    const updateTotal = setProfile.log.instructions ?? 0n;
    // Init builds the JavaScript environment; a query or an update only runs a handler.
    expect(whoamiTotal).toBeLessThan(initTotal);
    expect(updateTotal).toBeLessThan(initTotal);
    expect(whoamiTotal).toBeLessThan(updateTotal);
    // The IC's limits: the backend's messages must fit them under metering too.
    expect(initTotal).toBeLessThan(300_000_000_000n);
    expect(whoamiTotal).toBeLessThan(5_000_000_000n);
    expect(updateTotal).toBeLessThan(40_000_000_000n);
    process.stderr.write(
      `localnet test: metered backend install ${installMs.toFixed(0)} ms; instructions: init ${initTotal}, whoami ${whoamiTotal}, setProfile ${updateTotal}\n`,
    );
  });

  it('counts exactly the same with and without dirty-page tracking (its code is not metered)', async () => {
    const wasm = readFileSync(backendWasm());
    const run = async (
      tracking: boolean,
    ): Promise<{ method: string; instructions: bigint | undefined; reads: bigint[] }[]> => {
      const saved = process.env.LOCALNET_DIRTY_TRACKING;
      process.env.LOCALNET_DIRTY_TRACKING = tracking ? '1' : '0';
      try {
        // One fixed time for both runs: the backend's work depends on the time a little (rate
        // windows, timers), and only the tracking may differ between them.
        const replica = await openReplica({
          metering: true,
          clock: () => 1_780_000_000_000_000_000n,
        });
        const seen: { method: string; instructions: bigint | undefined; reads: bigint[] }[] = [];
        replica.onMessage((log) => {
          seen.push({
            method: log.methodName,
            instructions: log.instructions,
            reads: counterReads.current,
          });
          counterReads.current = [];
        });
        const id = replica.createCanister({ controllers: [ALICE] });
        await replica.installCode({
          canisterId: id,
          wasm,
          arg: new Uint8Array(IDL.encode(init({ IDL }), [[{ admins: [ALICE], frontend: [] }]])),
        });
        replyOf(await query(replica, id, 'whoami', encodeArgs('whoami', [])));
        replyOf(
          await update(
            replica,
            id,
            'setProfile',
            encodeArgs('setProfile', [{ displayName: 'Alice', bio: 'metered' }]),
          ),
        );
        await replica.shutdown();
        return seen;
      } finally {
        if (saved === undefined) delete process.env.LOCALNET_DIRTY_TRACKING;
        else process.env.LOCALNET_DIRTY_TRACKING = saved;
      }
    };
    const tracked = await run(true);
    const untracked = await run(false);
    expect(tracked.length).toBeGreaterThanOrEqual(3);
    // Same totals and the same performance_counter values at every System API call.
    expect(tracked).toEqual(untracked);
  });
});
