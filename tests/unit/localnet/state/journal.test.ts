/**
 * The journal under failing writes and its size per update: whole records only (a refused
 * write leaves nothing behind), stale bytes past the end never replayed, and only the bytes a
 * message changed written (not whole 64 KiB pages).
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  StateStore,
  StorageError,
  nodeIo,
  type Commit,
  type StorageIo,
} from '../../../../src/localnet/state/store';
import { installFixture, openReplica, update } from '../fixtures/harness';
import { i64Arg } from '../fixtures/wat-fixture';

const tempDir = (): string => mkdtempSync(path.join(tmpdir(), 'localnet-journal-'));

const meta = (id: string, cycles: string) => ({
  id,
  controllers: [],
  status: 'running' as const,
  cycles,
  version: '1',
  certifiedData: '',
  installArg: '',
  installer: id,
});

function commit(cycles: string, bytes = 100): Commit {
  return {
    timeNanos: 1n,
    nextIndex: 0n,
    canisters: [
      {
        meta: meta('rwlgt-iiaaa-aaaaa-aaaaa-cai', cycles),
        stable: { reset: false, sizePages: 1, ranges: [[0, new Uint8Array(bytes).fill(1)]] },
      },
    ],
    requests: [{ requestId: `r${cycles}`, expiryNanos: 10n ** 30n }],
  };
}

function journalOf(dir: string): string {
  const name = readdirSync(dir).find((f) => f.startsWith('journal-'));
  if (!name) throw new Error('no journal');
  return path.join(dir, name);
}

// Each update waits for an fsync of its record; on a loaded machine with a busy disk two dozen
// of them take several seconds.
describe('state journal', { timeout: 60_000 }, () => {
  it('leaves no trace of a write the disk refused half-way, and the next record follows the last whole one', () => {
    const dir = tempDir();
    let failNext = false;
    const io: StorageIo = {
      ...nodeIo,
      writeSync(fd, data, offset, length, position) {
        if (!failNext) return nodeIo.writeSync(fd, data, offset, length, position);
        failNext = false;
        // Half the record reaches the file, then the disk is full.
        nodeIo.writeSync(fd, data, offset, Math.floor(length / 2), position);
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
    };
    const { store } = StateStore.open(dir, io);
    store.append(commit('1'));
    const sizeAfterFirst = statSync(journalOf(dir)).size;
    failNext = true;
    expect(() => store.write(commit('2', 5000))).toThrow(StorageError);
    expect(statSync(journalOf(dir)).size).toBe(sizeAfterFirst);
    store.append(commit('3'));
    store.close();
    const { state } = StateStore.open(dir);
    expect(state.canisters.get('rwlgt-iiaaa-aaaaa-aaaaa-cai')?.meta.cycles).toBe('3');
    expect(state.requests.map((r) => r.requestId)).toEqual(['r1', 'r3']);
  });

  it('cuts a torn tail at start-up, and never replays whole-looking records past it', () => {
    const dir = tempDir();
    const { store } = StateStore.open(dir);
    store.append(commit('1'));
    store.append(commit('2'));
    store.close();
    const file = journalOf(dir);
    const data = readFileSync(file);
    const secondStart = data.length / 2;
    // A torn second record followed by a copy of a whole record (stale bytes from earlier).
    writeFileSync(
      file,
      Buffer.concat([
        data.subarray(0, secondStart + 10),
        data.subarray(secondStart),
        data.subarray(secondStart),
      ]),
    );
    const { state, store: reopened } = StateStore.open(dir);
    expect(state.canisters.get('rwlgt-iiaaa-aaaaa-aaaaa-cai')?.meta.cycles).toBe('1');
    expect(statSync(file).size).toBe(secondStart);
    reopened.close();
  });

  it('writes at most 8 KB per update that changes 4 KB of stable memory, and a few hundred bytes for a counter', async () => {
    const dir = tempDir();
    const replica = await openReplica({ stateDir: dir });
    const id = await installFixture(replica);
    await update(replica, id, 'grow_stable', i64Arg(16n));
    const file = journalOf(dir);
    const sizes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const before = statSync(file).size;
      const data = new Uint8Array(4096).fill(i + 1);
      await update(
        replica,
        id,
        'stable_write_at',
        new Uint8Array([...i64Arg(BigInt(70_000 + i * 4096)), ...data]),
      );
      sizes.push(statSync(file).size - before);
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(8 * 1024);
    const before = statSync(file).size;
    await update(replica, id, 'inc');
    expect(statSync(file).size - before).toBeLessThan(1024);
    await replica.shutdown();
  });
});
