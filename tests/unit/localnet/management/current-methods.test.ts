/**
 * Management canister methods and fields of the current interface specification:
 * `uninstall_code`, `provisional_top_up_canister`, and `canister_status` with `memory_metrics`,
 * `version` and `ready_for_migration`. Decoded with the spec's own types, written out here.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  installFixture,
  openReplica,
  query,
  readState,
  replyOf,
  update,
  wasm,
  enc,
  idArg,
  MGMT,
} from '../fixtures/harness';
import { i64Arg } from '../fixtures/wat-fixture';

const StatusSubset = IDL.Record({
  version: IDL.Nat64,
  ready_for_migration: IDL.Bool,
  module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
  cycles: IDL.Nat,
  settings: IDL.Record({
    environment_variables: IDL.Vec(IDL.Record({ name: IDL.Text, value: IDL.Text })),
  }),
  memory_metrics: IDL.Record({
    wasm_memory_size: IDL.Nat,
    stable_memory_size: IDL.Nat,
    global_memory_size: IDL.Nat,
    wasm_binary_size: IDL.Nat,
    custom_sections_size: IDL.Nat,
    canister_history_size: IDL.Nat,
    wasm_chunk_store_size: IDL.Nat,
    snapshots_size: IDL.Nat,
  }),
});
interface Status {
  version: bigint;
  ready_for_migration: boolean;
  module_hash: [] | [Uint8Array];
  cycles: bigint;
  settings: { environment_variables: unknown[] };
  memory_metrics: Record<string, bigint>;
}

async function status(
  replica: Awaited<ReturnType<typeof openReplica>>,
  id: Principal,
): Promise<Status> {
  const reply = replyOf(await update(replica, MGMT, 'canister_status', idArg(id), ALICE));
  return (IDL.decode([StatusSubset], reply) as unknown as [Status])[0];
}

describe('current management canister methods', { timeout: 60_000 }, () => {
  it('reports memory_metrics, version and ready_for_migration in canister_status', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    replyOf(await update(replica, id, 'grow_stable', i64Arg(2n)));
    const s = await status(replica, id);
    expect(s.version).toBe(1n);
    expect(s.ready_for_migration).toBe(false);
    expect(s.settings.environment_variables).toEqual([]);
    expect(s.memory_metrics.wasm_binary_size).toBe(BigInt(wasm().length));
    expect(s.memory_metrics.stable_memory_size).toBe(2n * 65536n);
    expect(s.memory_metrics.wasm_memory_size).toBeGreaterThanOrEqual(65536n);
  });

  it('tops a canister up with provisional_top_up_canister', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    const before = (await status(replica, id)).cycles;
    const arg = enc(IDL.Record({ canister_id: IDL.Principal, amount: IDL.Nat }), {
      canister_id: id,
      amount: 1_234n,
    });
    replyOf(await update(replica, MGMT, 'provisional_top_up_canister', arg, BOB));
    expect((await status(replica, id)).cycles).toBe(before + 1_234n);
    const missing = enc(IDL.Record({ canister_id: IDL.Principal, amount: IDL.Nat }), {
      canister_id: Principal.fromText('bd3sg-teaaa-aaaaa-qaaba-cai'),
      amount: 1n,
    });
    expect(await update(replica, MGMT, 'provisional_top_up_canister', missing, BOB)).toMatchObject({
      kind: 'rejected',
      errorCode: 'IC0301',
    });
  });

  it('uninstalls code: module, heap and stable memory go, the canister stays, across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'localnet-uninstall-'));
    try {
      let replica = await openReplica({ stateDir: dir });
      const id = await installFixture(replica);
      replyOf(await update(replica, id, 'inc'));
      const uninstall = enc(
        IDL.Record({ canister_id: IDL.Principal, sender_canister_version: IDL.Opt(IDL.Nat64) }),
        { canister_id: id, sender_canister_version: [] },
      );
      expect(await update(replica, MGMT, 'uninstall_code', uninstall, BOB)).toMatchObject({
        kind: 'rejected',
        errorCode: 'IC0512',
      });
      replyOf(await update(replica, MGMT, 'uninstall_code', uninstall, ALICE));
      const s = await status(replica, id);
      expect(s.module_hash).toEqual([]);
      expect(s.version).toBe(2n);
      expect(s.memory_metrics.stable_memory_size).toBe(0n);
      expect(await query(replica, id, 'read')).toMatchObject({
        kind: 'rejected',
        rejectCode: 5,
        errorCode: 'IC0537',
      });
      await replica.shutdown();
      replica = await openReplica({ stateDir: dir });
      expect(replica.canister(id)?.moduleHash).toBeUndefined();
      await replica.installCode({ canisterId: id, wasm: wasm() });
      const state = await readState(replica, id);
      expect(state.counter).toBe(0n);
      expect(state.stablePages).toBe(0n);
      await replica.shutdown();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps traps of replicated messages in the log that fetch_canister_logs reads as a query', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    expect(await update(replica, id, 'inc_then_trap')).toMatchObject({ kind: 'rejected' });
    const LogRecords = IDL.Record({
      canister_log_records: IDL.Vec(
        IDL.Record({ idx: IDL.Nat64, timestamp_nanos: IDL.Nat64, content: IDL.Vec(IDL.Nat8) }),
      ),
    });
    const reply = replyOf(await query(replica, MGMT, 'fetch_canister_logs', idArg(id), ALICE));
    const [logs] = IDL.decode([LogRecords], reply) as unknown as [
      { canister_log_records: { idx: bigint; timestamp_nanos: bigint; content: Uint8Array }[] },
    ];
    const texts = logs.canister_log_records.map((r) =>
      new TextDecoder().decode(Uint8Array.from(r.content)),
    );
    expect(texts).toEqual(['[TRAP]: boom']);
    expect(logs.canister_log_records[0]?.timestamp_nanos).toBeGreaterThan(0n);
    expect(await query(replica, MGMT, 'fetch_canister_logs', idArg(id), BOB)).toMatchObject({
      kind: 'rejected',
      errorCode: 'IC0512',
    });
    expect(await update(replica, MGMT, 'fetch_canister_logs', idArg(id), ALICE)).toMatchObject({
      kind: 'rejected',
    });
  });
});
