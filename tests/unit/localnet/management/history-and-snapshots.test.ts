/**
 * `canister_info` (a canister's recent changes, module hash and controllers; canisters only),
 * canister snapshots (take, load, list, delete; a snapshot restores heap, globals, stable
 * memory and module, and outlives a restart) and query stats in `canister_status`, through the
 * replica API with the spec's candid types written out here.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalReplica } from '../../../../src/localnet/core/replica';
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
import { httpFixtureWasm } from '../fixtures/http-fixture';
import { callArg, i64Arg } from '../fixtures/wat-fixture';

const sha256 = (b: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(b).digest());

const Change = IDL.Record({
  timestamp_nanos: IDL.Nat64,
  canister_version: IDL.Nat64,
  origin: IDL.Variant({
    from_user: IDL.Record({ user_id: IDL.Principal }),
    from_canister: IDL.Record({
      canister_id: IDL.Principal,
      canister_version: IDL.Opt(IDL.Nat64),
    }),
  }),
  details: IDL.Variant({
    creation: IDL.Record({ controllers: IDL.Vec(IDL.Principal) }),
    code_uninstall: IDL.Null,
    code_deployment: IDL.Record({
      mode: IDL.Variant({ install: IDL.Null, reinstall: IDL.Null, upgrade: IDL.Null }),
      module_hash: IDL.Vec(IDL.Nat8),
    }),
    load_snapshot: IDL.Record({
      canister_version: IDL.Nat64,
      snapshot_id: IDL.Vec(IDL.Nat8),
      taken_at_timestamp: IDL.Nat64,
    }),
    controllers_change: IDL.Record({ controllers: IDL.Vec(IDL.Principal) }),
  }),
});
const CanisterInfo = IDL.Record({
  total_num_changes: IDL.Nat64,
  recent_changes: IDL.Vec(Change),
  module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
  controllers: IDL.Vec(IDL.Principal),
});
interface Info {
  total_num_changes: bigint;
  recent_changes: {
    canister_version: bigint;
    origin: Record<string, { user_id?: Principal; canister_id?: Principal }>;
    details: Record<string, Record<string, unknown> | null>;
  }[];
  module_hash: [] | [Uint8Array];
  controllers: Principal[];
}

const Snapshot = IDL.Record({
  id: IDL.Vec(IDL.Nat8),
  taken_at_timestamp: IDL.Nat64,
  total_size: IDL.Nat64,
});
interface SnapshotValue {
  id: Uint8Array;
  taken_at_timestamp: bigint;
  total_size: bigint;
}

/** `canister_info` for `target`, asked by the fixture canister `asker` (a canister-only method). */
async function canisterInfo(
  replica: LocalReplica,
  asker: Principal,
  target: Principal,
  changes: bigint,
): Promise<Info> {
  const payload = enc(
    IDL.Record({ canister_id: IDL.Principal, num_requested_changes: IDL.Opt(IDL.Nat64) }),
    { canister_id: target, num_requested_changes: [changes] },
  );
  const reply = replyOf(
    await update(
      replica,
      asker,
      'call',
      callArg(new Uint8Array(0), 'canister_info', false, payload),
    ),
  );
  // The fixture prefixes the callee's reply with 'R'.
  expect(String.fromCharCode(reply[0] as number)).toBe('R');
  return (IDL.decode([CanisterInfo], reply.slice(1)) as unknown as [Info])[0];
}

async function takeSnapshot(replica: LocalReplica, id: Principal): Promise<SnapshotValue> {
  const arg = enc(
    IDL.Record({ canister_id: IDL.Principal, replace_snapshot: IDL.Opt(IDL.Vec(IDL.Nat8)) }),
    { canister_id: id, replace_snapshot: [] },
  );
  const reply = replyOf(await update(replica, MGMT, 'take_canister_snapshot', arg));
  return (IDL.decode([Snapshot], reply) as unknown as [SnapshotValue])[0];
}

const snapshotArg = (id: Principal, snapshot: Uint8Array) =>
  enc(IDL.Record({ canister_id: IDL.Principal, snapshot_id: IDL.Vec(IDL.Nat8) }), {
    canister_id: id,
    snapshot_id: snapshot,
  });

async function listSnapshots(replica: LocalReplica, id: Principal): Promise<SnapshotValue[]> {
  const reply = replyOf(await update(replica, MGMT, 'list_canister_snapshots', idArg(id)));
  return (IDL.decode([IDL.Vec(Snapshot)], reply) as unknown as [SnapshotValue[]])[0];
}

const dirs: string[] = [];
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'localnet-snapshots-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('canister_info', { timeout: 60_000 }, () => {
  it('reports creation, deployments and controller changes, oldest first, and keeps them over a restart', async () => {
    const dir = stateDir();
    const replica = await openReplica({ stateDir: dir });
    const target = await installFixture(replica);
    const asker = await installFixture(replica);
    let info = await canisterInfo(replica, asker, target, 10n);
    expect(info.total_num_changes).toBe(2n);
    expect(info.controllers.map((p) => p.toText())).toEqual([ALICE.toText()]);
    expect(info.module_hash[0]).toEqual(sha256(wasm()));
    const [creation, install] = info.recent_changes;
    expect(creation?.details.creation?.controllers).toEqual([ALICE]);
    expect(creation?.canister_version).toBe(0n);
    expect(creation?.origin.from_user?.user_id?.toText()).toBe(ALICE.toText());
    expect(install?.details.code_deployment?.mode).toEqual({ install: null });
    expect(install?.details.code_deployment?.module_hash).toEqual(sha256(wasm()));
    expect(install?.canister_version).toBe(1n);

    const settings = enc(
      IDL.Record({
        canister_id: IDL.Principal,
        settings: IDL.Record({ controllers: IDL.Opt(IDL.Vec(IDL.Principal)) }),
      }),
      { canister_id: target, settings: { controllers: [[ALICE, BOB]] } },
    );
    replyOf(await update(replica, MGMT, 'update_settings', settings));
    // Changes a canister makes through the management canister are changes from a canister.
    const victim = await installFixture(replica, { controllers: [ALICE, asker] });
    const uninstall = enc(IDL.Record({ canister_id: IDL.Principal }), { canister_id: victim });
    replyOf(
      await update(
        replica,
        asker,
        'call',
        callArg(new Uint8Array(0), 'uninstall_code', false, uninstall),
      ),
    );

    await replica.shutdown();
    const reopened = await openReplica({ stateDir: dir });
    const other = await installFixture(reopened);
    info = await canisterInfo(reopened, other, target, 1n);
    expect(info.total_num_changes).toBe(3n);
    expect(info.recent_changes).toHaveLength(1);
    expect(info.recent_changes[0]?.details.controllers_change?.controllers).toEqual([ALICE, BOB]);
    expect(info.controllers).toEqual([ALICE, BOB]);

    const asked = await canisterInfo(reopened, other, victim, 1n);
    expect(asked.module_hash).toEqual([]);
    const last = asked.recent_changes[0];
    expect(last?.details).toEqual({ code_uninstall: null });
    expect(last?.origin.from_canister?.canister_id?.toText()).toBe(asker.toText());
    expect(asked.total_num_changes).toBe(3n);
    expect((await canisterInfo(reopened, other, target, 0n)).recent_changes).toEqual([]);
    await reopened.shutdown();
  });

  it('refuses ingress callers, as only canisters may call it', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    const arg = enc(
      IDL.Record({ canister_id: IDL.Principal, num_requested_changes: IDL.Opt(IDL.Nat64) }),
      { canister_id: id, num_requested_changes: [] },
    );
    const outcome = await update(replica, MGMT, 'canister_info', arg);
    expect(outcome).toMatchObject({ kind: 'rejected', rejectCode: 4, errorCode: 'IC0406' });
  });
});

describe('canister snapshots', { timeout: 60_000 }, () => {
  it('restores heap, globals, stable memory and module, after a restart too', async () => {
    const dir = stateDir();
    let replica = await openReplica({ stateDir: dir });
    const id = await installFixture(replica);
    replyOf(await update(replica, id, 'inc'));
    replyOf(await update(replica, id, 'inc'));
    replyOf(await update(replica, id, 'stable_write_at', i64Arg(16n, 77n)));
    const before = await readState(replica, id);
    const snapshot = await takeSnapshot(replica, id);
    expect(snapshot.id.subarray(8)).toEqual(id.toUint8Array());
    expect(snapshot.total_size).toBeGreaterThan(BigInt(wasm().length));

    // Diverge: more increments, other stable bytes, then another module altogether.
    replyOf(await update(replica, id, 'inc'));
    replyOf(await update(replica, id, 'stable_write_at', i64Arg(16n, 5n)));
    await replica.installCode({ canisterId: id, wasm: httpFixtureWasm(), mode: 'upgrade' });
    expect(replica.canister(id)?.moduleHash).toEqual(sha256(httpFixtureWasm()));

    await replica.shutdown();
    replica = await openReplica({ stateDir: dir });
    expect((await listSnapshots(replica, id)).map((s) => s.id)).toEqual([snapshot.id]);
    replyOf(await update(replica, MGMT, 'load_canister_snapshot', snapshotArg(id, snapshot.id)));
    expect(replica.canister(id)?.moduleHash).toEqual(sha256(wasm()));
    const after = await readState(replica, id);
    // `read` reports the heap counter and the mutable global separately: both come back.
    expect(after).toEqual(before);
    expect(replyOf(await query(replica, id, 'stable_read_at', i64Arg(16n, 8n)))).toEqual(
      i64Arg(77n),
    );

    // The load is journaled: a restart finds the loaded module and stable memory.
    await replica.shutdown();
    replica = await openReplica({ stateDir: dir });
    expect(replica.canister(id)?.moduleHash).toEqual(sha256(wasm()));
    expect(replyOf(await query(replica, id, 'stable_read_at', i64Arg(16n, 8n)))).toEqual(
      i64Arg(77n),
    );

    replyOf(await update(replica, MGMT, 'delete_canister_snapshot', snapshotArg(id, snapshot.id)));
    expect(await listSnapshots(replica, id)).toEqual([]);
    const missing = await update(
      replica,
      MGMT,
      'load_canister_snapshot',
      snapshotArg(id, snapshot.id),
    );
    expect(missing).toMatchObject({ kind: 'rejected', rejectCode: 3, errorCode: 'IC0305' });
    await replica.shutdown();
  });

  it('restores the heap of a module rewritten for dirty-page tracking, grown since', async () => {
    const replica = await openReplica({ dirtyTracking: true });
    const id = await installFixture(replica);
    replyOf(await update(replica, id, 'inc'));
    const before = await readState(replica, id);
    const snapshot = await takeSnapshot(replica, id);
    // `reply_n` grows the heap by two pages before replying.
    replyOf(await update(replica, id, 'reply_n', i64Arg(70_000n)));
    replyOf(await update(replica, id, 'inc'));
    expect((await readState(replica, id)).heapPages).toBeGreaterThan(before.heapPages);
    replyOf(await update(replica, MGMT, 'load_canister_snapshot', snapshotArg(id, snapshot.id)));
    expect(await readState(replica, id)).toEqual(before);
    // Later messages commit and roll back against the restored heap.
    replyOf(await update(replica, id, 'inc'));
    expect((await update(replica, id, 'inc_then_trap')).kind).toBe('rejected');
    expect((await readState(replica, id)).counter).toBe(before.counter + 1n);
  });

  it('records a load in the canister history and only lets controllers take snapshots', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    const asker = await installFixture(replica);
    const snapshot = await takeSnapshot(replica, id);
    replyOf(await update(replica, MGMT, 'load_canister_snapshot', snapshotArg(id, snapshot.id)));
    const info = await canisterInfo(replica, asker, id, 1n);
    expect(info.recent_changes[0]?.details.load_snapshot).toEqual({
      canister_version: 1n,
      snapshot_id: snapshot.id,
      taken_at_timestamp: snapshot.taken_at_timestamp,
    });
    expect(info.recent_changes[0]?.canister_version).toBe(2n);
    const arg = enc(
      IDL.Record({ canister_id: IDL.Principal, replace_snapshot: IDL.Opt(IDL.Vec(IDL.Nat8)) }),
      { canister_id: id, replace_snapshot: [] },
    );
    const refused = await update(replica, MGMT, 'take_canister_snapshot', arg, BOB);
    expect(refused).toMatchObject({ kind: 'rejected', errorCode: 'IC0512' });
  });

  it('replaces a snapshot in place and limits each canister to ten', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    const first = await takeSnapshot(replica, id);
    const replaceArg = enc(
      IDL.Record({ canister_id: IDL.Principal, replace_snapshot: IDL.Opt(IDL.Vec(IDL.Nat8)) }),
      { canister_id: id, replace_snapshot: [first.id] },
    );
    const replaced = IDL.decode(
      [Snapshot],
      replyOf(await update(replica, MGMT, 'take_canister_snapshot', replaceArg)),
    ) as unknown as [SnapshotValue];
    expect((await listSnapshots(replica, id)).map((s) => s.id)).toEqual([replaced[0].id]);
    for (let i = 1; i < 10; i++) await takeSnapshot(replica, id);
    const arg = enc(
      IDL.Record({ canister_id: IDL.Principal, replace_snapshot: IDL.Opt(IDL.Vec(IDL.Nat8)) }),
      { canister_id: id, replace_snapshot: [] },
    );
    const eleventh = await update(replica, MGMT, 'take_canister_snapshot', arg);
    expect(eleventh).toMatchObject({ kind: 'rejected', errorCode: 'IC0406' });
  });
});

const QueryStats = IDL.Record({
  query_stats: IDL.Record({
    num_calls_total: IDL.Nat,
    num_instructions_total: IDL.Nat,
    request_payload_bytes_total: IDL.Nat,
    response_payload_bytes_total: IDL.Nat,
  }),
});

describe('query stats in canister_status', { timeout: 60_000 }, () => {
  it('counts queries, their instructions and their request and response bytes', async () => {
    const replica = await openReplica({ metering: true });
    const id = await installFixture(replica);
    const args = [new Uint8Array(3), new Uint8Array(40), new Uint8Array(0)];
    let replyBytes = 0;
    for (const arg of args) replyBytes += replyOf(await query(replica, id, 'echo_q', arg)).length;
    const reply = replyOf(await update(replica, MGMT, 'canister_status', idArg(id)));
    const [{ query_stats: stats }] = IDL.decode([QueryStats], reply) as unknown as [
      { query_stats: Record<string, bigint> },
    ];
    expect(stats.num_calls_total).toBe(3n);
    expect(stats.request_payload_bytes_total).toBe(43n);
    expect(stats.response_payload_bytes_total).toBe(BigInt(replyBytes));
    expect(stats.num_instructions_total).toBeGreaterThan(0n);
  });
});
