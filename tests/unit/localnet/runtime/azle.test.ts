/**
 * The runtime against real Azle modules: a small fixture canister (StableBTreeMap, timers,
 * self-calls, raw_rand) built by the test, and the project's backend.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { IDL } from '@dfinity/candid';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Principal } from '@dfinity/principal';
import { ALICE, openReplica, query, replyOf, update } from '../fixtures/harness';
import { REPO_ROOT, backendWasm, buildAzleFixture } from '../fixtures/azle-build';
import type { LocalReplica } from '../../../../src/localnet/core/replica';

const enc = (types: IDL.Type[], values: unknown[]): Uint8Array =>
  new Uint8Array(IDL.encode(types, values));

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('localnet runtime with an Azle canister', { timeout: 240_000 }, () => {
  let fixture: Uint8Array;
  beforeAll(() => {
    fixture = readFileSync(buildAzleFixture());
  }, 300_000);

  async function install(replica: LocalReplica): Promise<Principal> {
    const id = replica.createCanister({ controllers: [ALICE] });
    await replica.installCode({ canisterId: id, wasm: fixture });
    return id;
  }

  const get = async (replica: LocalReplica, id: Principal, key: string): Promise<[] | [string]> =>
    IDL.decode(
      [IDL.Opt(IDL.Text)],
      replyOf(await query(replica, id, 'get', enc([IDL.Text], [key]))),
    )[0] as unknown as [] | [string];

  it('stores, rolls back a trapping update, fires timers, calls itself and the management canister, survives a crash', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'localnet-azle-'));
    const replica = await openReplica({ stateDir: dir, autoTimers: true });
    const id = await install(replica);
    replyOf(await update(replica, id, 'put', enc([IDL.Text, IDL.Text], ['a', 'one'])));
    expect(await get(replica, id, 'a')).toEqual(['one']);

    const failed = await update(replica, id, 'fail', enc([IDL.Text], ['no way']));
    expect(failed).toMatchObject({ kind: 'rejected', rejectCode: 5, errorCode: 'IC0503' });
    expect(failed.kind === 'rejected' && failed.rejectMessage).toContain('Uncaught Error: no way');
    expect(await get(replica, id, 'failed')).toEqual([]);

    replyOf(await update(replica, id, 'armTimer', enc([IDL.Nat64], [0n])));
    expect(await waitFor(async () => (await get(replica, id, 'timer')).length === 1, 10_000)).toBe(
      true,
    );

    const who = IDL.decode(
      [IDL.Text],
      replyOf(await update(replica, id, 'selfCall', enc([], []))),
    )[0];
    expect(who).toBe(id.toText());
    const rand = IDL.decode(
      [IDL.Vec(IDL.Nat8)],
      replyOf(await update(replica, id, 'rand', enc([], []))),
    )[0] as unknown as Uint8Array;
    expect(rand.length).toBe(32);

    // Abandon without shutdown, as kill -9 would; the map lives in stable memory.
    const reopened = await openReplica({ stateDir: dir });
    expect(reopened.restartErrors.size).toBe(0);
    expect(await get(reopened, id, 'a')).toEqual(['one']);
    expect(await get(reopened, id, 'timer')).toEqual(['fired']);
    await reopened.shutdown();
  });

  it('installs the real backend wasm, answers a query, and upgrades', async () => {
    const wasm = readFileSync(backendWasm());
    const replica = await openReplica();
    const id = replica.createCanister({ controllers: [ALICE] });
    const initArg = enc(
      [IDL.Opt(IDL.Record({ admins: IDL.Vec(IDL.Principal) }))],
      [[{ admins: [ALICE] }]],
    );
    const started = performance.now();
    await replica.installCode({ canisterId: id, wasm, arg: initArg });
    const installMs = performance.now() - started;
    process.stderr.write(`localnet test: backend install took ${installMs.toFixed(0)} ms\n`);
    const did = readFileSync(path.join(REPO_ROOT, 'src/backend/backend.did'), 'utf8');
    // Any no-argument query of the current contract will do.
    const method = /^\s*(\w+): \(\) -> \(.*\) query;/m.exec(did)?.[1];
    expect(method, 'backend.did has a no-argument query').toBeDefined();
    expect(await query(replica, id, method ?? '', enc([], []))).toMatchObject({ kind: 'replied' });
    await replica.installCode({ canisterId: id, wasm, arg: initArg, mode: 'upgrade' });
    expect(await query(replica, id, method ?? '', enc([], []))).toMatchObject({ kind: 'replied' });
  });
});
