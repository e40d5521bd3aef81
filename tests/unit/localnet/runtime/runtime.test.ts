import { describe, expect, it } from 'vitest';
import { Principal } from '@dfinity/principal';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  ALICE,
  BOB,
  FakeClock,
  installFixture,
  openReplica,
  query,
  readState,
  replyOf,
  update,
  wasm,
} from '../fixtures/harness';
import { callArg, i64Arg, readI64, unknownImportsWasm } from '../fixtures/wat-fixture';
import type { MessageLog } from '../../../../src/localnet/core/replica-api';

describe('localnet runtime: atomic messages', { timeout: 60_000 }, () => {
  it('commits an update to heap, globals and stable memory', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    expect(readI64(replyOf(await update(replica, id, 'inc')))).toBe(1n);
    expect(readI64(replyOf(await update(replica, id, 'inc')))).toBe(2n);
    const s = await readState(replica, id);
    expect([s.counter, s.global, s.stable0]).toEqual([2n, 2n, 2n]);
  });

  it('rolls back heap, globals, stable memory, certified data, timer and memory growth on ic0.trap', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    await update(replica, id, 'inc');
    const before = await readState(replica, id);
    const certBefore = replica.canister(id)?.certifiedData;
    const outcome = await update(replica, id, 'inc_then_trap');
    expect(outcome).toMatchObject({ kind: 'rejected', rejectCode: 5, errorCode: 'IC0503' });
    expect(outcome.kind === 'rejected' && outcome.rejectMessage).toContain("with message: 'boom'");
    expect(await readState(replica, id)).toEqual(before);
    expect(replica.canister(id)?.certifiedData).toEqual(certBefore);
    expect(replica.globalTimer(id)).toBe(0n);
    // The instance still works after a rollback that had to re-create the memory.
    expect(readI64(replyOf(await update(replica, id, 'inc')))).toBe(2n);
  });

  it('rolls back a wasm fault (unreachable) with IC0502', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    const outcome = await update(replica, id, 'inc_then_fault');
    expect(outcome).toMatchObject({ kind: 'rejected', rejectCode: 5, errorCode: 'IC0502' });
    expect((await readState(replica, id)).counter).toBe(0n);
  });

  it('never keeps changes made by a query', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    expect(readI64(replyOf(await query(replica, id, 'inc_query')))).toBe(1n);
    expect(readI64(replyOf(await query(replica, id, 'inc_query')))).toBe(1n);
    const s = await readState(replica, id);
    expect([s.counter, s.global, s.stable0]).toEqual([0n, 0n, 0n]);
  });

  it('runs updates to one canister one at a time in arrival order', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    const results = await Promise.all(Array.from({ length: 10 }, () => update(replica, id, 'inc')));
    expect(results.map((r) => readI64(replyOf(r)))).toEqual(
      Array.from({ length: 10 }, (_, i) => BigInt(i + 1)),
    );
  });

  it('reports the caller', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    expect(
      Principal.fromUint8Array(
        replyOf(await query(replica, id, 'whoami', undefined, BOB)),
      ).toText(),
    ).toBe(BOB.toText());
  });
});

describe('localnet runtime: reject codes and limits', { timeout: 60_000 }, () => {
  it('maps msg_reject to code 4 IC0406, a missing method to code 5 IC0536, no reply to IC0506', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    expect(await update(replica, id, 'reject')).toMatchObject({
      kind: 'rejected',
      rejectCode: 4,
      errorCode: 'IC0406',
      rejectMessage: 'nope',
    });
    // The IC maps CanisterMethodNotFound to CANISTER_ERROR, not DESTINATION_INVALID.
    expect(await update(replica, id, 'missing')).toMatchObject({
      rejectCode: 5,
      errorCode: 'IC0536',
    });
    expect(await query(replica, id, 'missing')).toMatchObject({
      rejectCode: 5,
      errorCode: 'IC0536',
    });
    expect(await update(replica, id, 'no_reply')).toMatchObject({
      rejectCode: 5,
      errorCode: 'IC0506',
    });
    expect(await update(replica, Principal.fromText('aaaaa-aa'), 'no_such')).toMatchObject({
      rejectCode: 5,
      errorCode: 'IC0536',
    });
  });

  it('rejects calls to missing, empty and stopped canisters', async () => {
    const replica = await openReplica();
    const missing = Principal.fromText('rdmx6-jaaaa-aaaaa-aaadq-cai');
    expect(await query(replica, missing, 'read')).toMatchObject({
      rejectCode: 3,
      errorCode: 'IC0301',
    });
    const empty = replica.createCanister({ controllers: [ALICE] });
    const submitted = await replica.submitCall({
      requestId: new Uint8Array(randomBytes(32)),
      sender: ALICE,
      canisterId: empty,
      effectiveCanisterId: empty,
      methodName: 'inc',
      arg: new Uint8Array(0),
      ingressExpiry: 0n,
    });
    // CanisterWasmModuleNotFound is CANISTER_ERROR on the IC.
    expect(submitted).toMatchObject({
      accepted: false,
      rejection: { rejectCode: 5, errorCode: 'IC0537' },
    });
    expect(await query(replica, empty, 'read')).toMatchObject({
      rejectCode: 5,
      errorCode: 'IC0537',
    });
    const id = await installFixture(replica);
    const { IDL } = await import('@dfinity/candid');
    const arg = new Uint8Array(
      IDL.encode([IDL.Record({ canister_id: IDL.Principal })], [{ canister_id: id }]),
    );
    expect(await replica.callManagement('stop_canister', arg, ALICE)).toMatchObject({
      kind: 'replied',
    });
    expect(replica.canister(id)?.status).toBe('stopped');
    expect(await update(replica, id, 'inc')).toMatchObject({ rejectCode: 5, errorCode: 'IC0508' });
    expect(await replica.callManagement('start_canister', arg, ALICE)).toMatchObject({
      kind: 'replied',
    });
    expect(readI64(replyOf(await update(replica, id, 'inc')))).toBe(1n);
  });

  it('rejects ingress over 2 MiB before execution and accepts exactly 2 MiB', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    const submitted = await replica.submitCall({
      requestId: new Uint8Array(randomBytes(32)),
      sender: ALICE,
      canisterId: id,
      effectiveCanisterId: id,
      methodName: 'echo',
      arg: big,
      ingressExpiry: 0n,
    });
    expect(submitted.accepted).toBe(false);
    const ok = await update(replica, id, 'echo', big.subarray(1));
    expect(replyOf(ok).length).toBe(2 * 1024 * 1024);
  });

  it('limits replies to 2 MiB for updates and 3 MiB for queries', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    const mib = 1024n * 1024n;
    expect(replyOf(await update(replica, id, 'reply_n', i64Arg(2n * mib))).length).toBe(
      2 * 1024 * 1024,
    );
    expect(await update(replica, id, 'reply_n', i64Arg(2n * mib + 1n))).toMatchObject({
      rejectCode: 5,
      errorCode: 'IC0504',
    });
    expect(replyOf(await query(replica, id, 'reply_n_q', i64Arg(3n * mib))).length).toBe(
      3 * 1024 * 1024,
    );
    expect(await query(replica, id, 'reply_n_q', i64Arg(3n * mib + 1n))).toMatchObject({
      rejectCode: 5,
      errorCode: 'IC0504',
    });
  });

  it('applies canister_inspect_message before accepting ingress', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    const submitted = await replica.submitCall({
      requestId: new Uint8Array(randomBytes(32)),
      sender: ALICE,
      canisterId: id,
      effectiveCanisterId: id,
      methodName: 'xdenied',
      arg: new Uint8Array(0),
      ingressExpiry: 0n,
    });
    expect(submitted).toMatchObject({
      accepted: false,
      rejection: { rejectCode: 4, errorCode: 'IC0406' },
    });
  });

  it('fails install with the names of unknown imports', async () => {
    const replica = await openReplica();
    const id = replica.createCanister({ controllers: [ALICE] });
    await expect(
      replica.installCode({ canisterId: id, wasm: unknownImportsWasm() }),
    ).rejects.toThrow(/ic0\.no_such_api, env\.mystery/);
    expect(replica.canister(id)?.moduleHash).toBeUndefined();
  });

  it('meters instructions and enforces the instruction limit when metering is on', async () => {
    const replica = await openReplica({
      metering: true,
      instructionLimits: { query: 50_000_000n },
    });
    const logs: MessageLog[] = [];
    replica.onMessage((l) => logs.push(l));
    const id = await installFixture(replica);
    const counted = readI64(replyOf(await query(replica, id, 'spin')));
    // One million loop iterations of 9 instructions each at the IC's weights (a br_if costs 2).
    expect(counted).toBeGreaterThanOrEqual(9_000_000n);
    expect(counted).toBeLessThan(9_000_100n);
    expect(logs.find((l) => l.methodName === 'spin')?.instructions).toBeGreaterThanOrEqual(counted);
    const limited = await openReplica({ metering: true, instructionLimits: { query: 1_000_000n } });
    const id2 = await installFixture(limited);
    expect(await query(limited, id2, 'spin')).toMatchObject({ rejectCode: 5, errorCode: 'IC0522' });
  });
});

describe('localnet runtime: timers, stable memory, upgrades', { timeout: 60_000 }, () => {
  it('fires the global timer once when due, and a trap rolls back an armed timer', async () => {
    const clock = new FakeClock();
    const replica = await openReplica({ clock: clock.now });
    const id = await installFixture(replica);
    const deadline = clock.nanos + 10_000_000_000n;
    expect(readI64(replyOf(await update(replica, id, 'arm_timer', i64Arg(deadline))))).toBe(0n);
    await replica.tick();
    expect((await readState(replica, id)).timerFirings).toBe(0n);
    clock.advance(11);
    await replica.tick();
    await replica.tick();
    expect((await readState(replica, id)).timerFirings).toBe(1n);
    expect(replica.globalTimer(id)).toBe(0n);
  });

  it('grows 64-bit stable memory and reads back what it wrote across pages', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    expect(readI64(replyOf(await update(replica, id, 'grow_stable', i64Arg(70_000n))))).toBe(0n);
    const offset = 70_000n * 65_536n - 100_000n; // above 4 GiB, spans two pages
    const data = new Uint8Array(randomBytes(100_000));
    const arg = new Uint8Array([...i64Arg(offset), ...data]);
    expect(readI64(replyOf(await update(replica, id, 'stable_write_at', arg)))).toBe(70_000n);
    expect(replyOf(await query(replica, id, 'stable_read_at', i64Arg(offset, 100_000n)))).toEqual(
      data,
    );
    expect(
      await update(
        replica,
        id,
        'stable_write_at',
        new Uint8Array([...i64Arg(offset + 1n), ...data]),
      ),
    ).toMatchObject({
      rejectCode: 5,
      errorCode: 'IC0504',
    });
  });

  it('upgrade runs pre_upgrade and post_upgrade and keeps stable memory; reinstall clears it', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica);
    await update(replica, id, 'inc');
    await update(replica, id, 'inc');
    await replica.installCode({ canisterId: id, wasm: gzipSync(wasm()), mode: 'upgrade' });
    let s = await readState(replica, id);
    expect([s.counter, s.stable0, s.stable8]).toEqual([2n, 2n, 1002n]);
    await replica.installCode({ canisterId: id, wasm: wasm(), mode: 'reinstall' });
    s = await readState(replica, id);
    expect([s.counter, s.stable0, s.stablePages]).toEqual([0n, 0n, 0n]);
    await expect(
      replica.installCode({ canisterId: id, wasm: wasm(), mode: 'install' }),
    ).rejects.toThrow(/not empty/);
  });
});

describe('localnet runtime: inter-canister calls', { timeout: 60_000 }, () => {
  it('delivers replies to the reply callback of a local canister', async () => {
    const replica = await openReplica();
    const a = await installFixture(replica);
    const b = await installFixture(replica);
    await update(replica, b, 'inc');
    const reply = replyOf(await update(replica, a, 'call', callArg(b.toUint8Array(), 'inc')));
    expect(String.fromCharCode(reply[0] ?? 0)).toBe('R');
    expect(readI64(reply.subarray(1))).toBe(2n);
    expect((await readState(replica, a)).counter).toBe(1n);
  });

  it('delivers rejects with their code to the reject callback', async () => {
    const replica = await openReplica();
    const a = await installFixture(replica);
    const b = await installFixture(replica);
    const toReject = replyOf(await update(replica, a, 'call', callArg(b.toUint8Array(), 'reject')));
    expect([...toReject]).toEqual([74, 4]);
    const missing = Principal.fromText('rdmx6-jaaaa-aaaaa-aaadq-cai').toUint8Array();
    expect([...replyOf(await update(replica, a, 'call', callArg(missing, 'inc')))]).toEqual([
      74, 3,
    ]);
  });

  it('runs the cleanup callback when a callback traps, and rolls the callback back', async () => {
    const replica = await openReplica();
    const a = await installFixture(replica);
    const b = await installFixture(replica);
    const outcome = await update(replica, a, 'call', callArg(b.toUint8Array(), 'inc', true));
    expect(outcome).toMatchObject({ kind: 'rejected', rejectCode: 5, errorCode: 'IC0503' });
    const s = await readState(replica, a);
    expect([s.counter, s.cleanupRuns]).toEqual([0n, 1n]);
    expect((await readState(replica, b)).counter).toBe(1n);
  });

  it('drops the calls of a message that traps', async () => {
    const replica = await openReplica();
    const a = await installFixture(replica);
    const b = await installFixture(replica);
    expect(
      await update(replica, a, 'call_then_trap', callArg(b.toUint8Array(), 'inc')),
    ).toMatchObject({
      errorCode: 'IC0503',
    });
    await replica.idle();
    expect((await readState(replica, b)).counter).toBe(0n);
  });

  it('calls the management canister from a canister (raw_rand)', async () => {
    const replica = await openReplica();
    const a = await installFixture(replica);
    const reply = replyOf(await update(replica, a, 'call', callArg(new Uint8Array(0), 'raw_rand')));
    expect(reply[0]).toBe(82);
    const { IDL } = await import('@dfinity/candid');
    const [bytes] = IDL.decode([IDL.Vec(IDL.Nat8)], reply.slice(1)) as unknown as [Uint8Array];
    expect(bytes.length).toBe(32);
  });

  it('runs composite queries across canisters and keeps nothing', async () => {
    const replica = await openReplica();
    const a = await installFixture(replica);
    const b = await installFixture(replica);
    await update(replica, b, 'inc');
    const reply = replyOf(await query(replica, a, 'cq', callArg(b.toUint8Array(), 'inc_query')));
    expect(readI64(reply.subarray(1))).toBe(2n);
    expect((await readState(replica, a)).counter).toBe(0n);
    expect((await readState(replica, b)).counter).toBe(1n);
  });
});
