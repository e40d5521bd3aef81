import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  ALICE,
  FakeClock,
  installFixture,
  openReplica,
  readState,
  replyOf,
  update,
} from '../fixtures/harness';
import { readI64 } from '../fixtures/wat-fixture';
import { StableMemory } from '../../../../src/localnet/runtime/stable-memory';

const tempDir = (): string => mkdtempSync(path.join(tmpdir(), 'localnet-state-'));

describe('localnet durability', { timeout: 60_000 }, () => {
  it('keeps every replied update after a crash (no shutdown) and restarts as an upgrade', async () => {
    const dir = tempDir();
    const first = await openReplica({ stateDir: dir });
    const id = await installFixture(first, { controllers: [ALICE] });
    for (let i = 1; i <= 5; i++)
      expect(readI64(replyOf(await update(first, id, 'inc')))).toBe(BigInt(i));
    // A trapped update is never persisted.
    expect(await update(first, id, 'inc_then_trap')).toMatchObject({ kind: 'rejected' });
    await update(first, id, 'set_cert', new Uint8Array([1, 2, 3]));
    // Simulated kill -9: the first replica is abandoned without shutdown.
    const second = await openReplica({ stateDir: dir });
    const s = await readState(second, id);
    // post_upgrade restored the counter from stable memory; pre_upgrade did not run.
    expect([s.counter, s.stable0, s.stable8]).toEqual([5n, 5n, 0n]);
    expect(second.canister(id)).toMatchObject({ status: 'running', controllers: [ALICE] });
    expect([...(second.canister(id)?.certifiedData ?? [])]).toEqual([1, 2, 3]);
    expect(second.canisterStats(id)?.version).toBe(2n);
    expect(readI64(replyOf(await update(second, id, 'inc')))).toBe(6n);
  });

  it('runs pre_upgrade on a clean shutdown', async () => {
    const dir = tempDir();
    const first = await openReplica({ stateDir: dir });
    const id = await installFixture(first);
    await update(first, id, 'inc');
    await first.shutdown();
    const second = await openReplica({ stateDir: dir });
    const s = await readState(second, id);
    expect([s.counter, s.stable8]).toEqual([1n, 1001n]);
  });

  it('drops a torn journal tail and keeps the committed prefix', async () => {
    const dir = tempDir();
    const first = await openReplica({ stateDir: dir });
    const id = await installFixture(first);
    await update(first, id, 'inc');
    await update(first, id, 'inc');
    const journal = readdirSync(dir).find((f) => f.startsWith('journal-'));
    expect(journal).toBeDefined();
    const file = path.join(dir, journal ?? '');
    expect(statSync(file).size).toBeGreaterThan(0);
    // Half a record header and garbage, as a crash in the middle of a write leaves it.
    appendFileSync(file, Buffer.from([0x31, 0x4a, 0x4e, 0x4c, 0xff, 0xff, 0x00]));
    const second = await openReplica({ stateDir: dir });
    expect((await readState(second, id)).counter).toBe(2n);
    expect(readI64(replyOf(await update(second, id, 'inc')))).toBe(3n);
    // Had the garbage stayed, this later record would be unreachable behind it.
    const third = await openReplica({ stateDir: dir });
    expect((await readState(third, id)).counter).toBe(3n);
  });

  it('keeps time monotonic across restarts even when the clock goes back', async () => {
    const dir = tempDir();
    const clock = new FakeClock(2_000_000_000_000_000_000n);
    const first = await openReplica({ stateDir: dir, clock: clock.now });
    const id = await installFixture(first);
    await update(first, id, 'inc');
    const before = first.timeNanos();
    const second = await openReplica({ stateDir: dir, clock: () => 1_000n });
    expect(second.timeNanos()).toBeGreaterThanOrEqual(before);
  });

  it('allocates fresh ids after restart and honours specified ids', async () => {
    const dir = tempDir();
    const first = await openReplica({ stateDir: dir });
    const a = first.createCanister({ controllers: [ALICE] });
    const second = await openReplica({ stateDir: dir });
    const b = second.createCanister({ controllers: [ALICE] });
    expect(b.toText()).not.toBe(a.toText());
    expect(second.canisterIds().map((p) => p.toText())).toContain(a.toText());
  });
});

describe('stable memory changes', () => {
  it('rolls back only touched pages and reports committed byte ranges to the journal once', () => {
    const m = new StableMemory();
    m.begin();
    m.grow(3);
    m.write(65_530, new Uint8Array(10).fill(7));
    m.commit();
    // The 10 bytes written across the page boundary, not the two 64 KiB pages.
    expect(m.takeChanges().ranges).toEqual([[65_530, new Uint8Array(10).fill(7)]]);
    expect(m.takeChanges().ranges).toEqual([]);
    m.begin();
    m.write(0, new Uint8Array([9]));
    m.grow(2);
    m.rollback();
    const out = new Uint8Array(1);
    m.read(0, out);
    expect(out[0]).toBe(0);
    expect(m.size).toBe(3);
    expect(m.takeChanges().ranges).toEqual([]);
  });
});
