/**
 * A full disk must never make localnet lie: every update either replies after its effects are
 * durable, or is rolled back and rejected with an out-of-storage error; the queue keeps
 * running; service resumes by itself when space returns; and a restart finds exactly the
 * acknowledged writes. Runs on a real tmpfs (root, as in CI).
 */
import { closeSync, openSync, rmSync, writeSync, ftruncateSync, fstatSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Principal } from '@dfinity/principal';
import type { CallOutcome } from '../../../../src/localnet/core/replica-api';
import type { LocalReplica } from '../../../../src/localnet/core/replica';
import { installFixture, openReplica, query, update } from '../fixtures/harness';
import { i64Arg } from '../fixtures/wat-fixture';
import { mountTmpfs, sayLoudly, type Tmpfs } from '../fixtures/tmpfs';

const SLOT_BYTES = 4096;
const FIRST_SLOT = 65536;

function slotArg(slot: number): Uint8Array {
  const data = new Uint8Array(SLOT_BYTES).fill((slot % 250) + 1);
  return new Uint8Array([...i64Arg(BigInt(FIRST_SLOT + slot * SLOT_BYTES)), ...data]);
}

async function readSlot(replica: LocalReplica, id: Principal, slot: number): Promise<number[]> {
  const outcome = await query(
    replica,
    id,
    'stable_read_at',
    i64Arg(BigInt(FIRST_SLOT + slot * SLOT_BYTES), BigInt(SLOT_BYTES)),
  );
  if (outcome.kind !== 'replied') throw new Error(outcome.rejectMessage);
  return [...new Set(outcome.reply)];
}

type Result = 'replied' | 'out-of-storage' | 'hung' | `other: ${string}`;

async function write(replica: LocalReplica, id: Principal, slot: number): Promise<Result> {
  const hung = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 5_000));
  const outcome: CallOutcome | 'hung' = await Promise.race([
    update(replica, id, 'stable_write_at', slotArg(slot)),
    hung,
  ]);
  if (outcome === 'hung') return 'hung';
  if (outcome.kind === 'replied') return 'replied';
  if (/out of storage/i.test(outcome.rejectMessage)) return 'out-of-storage';
  return `other: ${outcome.errorCode} ${outcome.rejectMessage}`;
}

/** Fills the file system, then gives back `headroom` bytes. */
function fill(dir: string, headroom: number): string {
  const file = path.join(dir, 'filler');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 7);
  try {
    for (;;) writeSync(fd, chunk);
  } catch {
    // ENOSPC: the disk is full.
  }
  const size = fstatSync(fd).size;
  ftruncateSync(fd, Math.max(0, size - headroom));
  closeSync(fd);
  return file;
}

const mounted: Tmpfs[] = [];
afterAll(() => {
  for (const m of mounted) m.unmount();
});

describe('localnet on a full disk', { timeout: 120_000 }, () => {
  const tmpfs = mountTmpfs(8 * 1024 * 1024);
  if ('unavailable' in tmpfs) {
    sayLoudly(
      `DISK-FULL TEST NOT RUN: ${tmpfs.unavailable}. Run as root (as CI does) to exercise ENOSPC.`,
    );
  } else {
    mounted.push(tmpfs);
  }

  it.runIf(!('unavailable' in tmpfs))(
    'rejects and rolls back what it cannot write, keeps serving, recovers, and restarts with exactly the acknowledged writes',
    async () => {
      if ('unavailable' in tmpfs) return;
      const stateDir = path.join(tmpfs.dir, 'replica');
      const first = await openReplica({ stateDir });
      const id = await installFixture(first);
      // Room for 1,000 slots after the first page.
      expect(await update(first, id, 'grow_stable', i64Arg(64n))).toMatchObject({
        kind: 'replied',
      });
      expect(await write(first, id, 0)).toBe('replied');

      const filler = fill(tmpfs.dir, 48 * 1024);
      const results: Result[] = [];
      for (let slot = 1; slot < 200; slot++) {
        const result = await write(first, id, slot);
        results.push(result);
        expect(result === 'replied' || result === 'out-of-storage', result).toBe(true);
        if (result === 'out-of-storage') {
          // Rolled back: a query does not see it.
          expect(await readSlot(first, id, slot)).toEqual([0]);
        }
        if (results.filter((r) => r === 'out-of-storage').length >= 3) break;
      }
      expect(results).toContain('out-of-storage');

      // Space comes back: service resumes without a restart.
      rmSync(filler);
      const resumedFrom = results.length + 1;
      for (let slot = resumedFrom; slot < resumedFrom + 5; slot++) {
        expect(await write(first, id, slot)).toBe('replied');
      }

      // kill -9: the first replica is abandoned; a second one opens the same folder.
      const second = await openReplica({ stateDir });
      const outcomes = [
        'replied',
        ...results,
        'replied',
        'replied',
        'replied',
        'replied',
        'replied',
      ];
      for (const [slot, result] of outcomes.entries()) {
        const expected = result === 'replied' ? [(slot % 250) + 1] : [0];
        expect(await readSlot(second, id, slot), `slot ${slot} (${result})`).toEqual(expected);
      }
      expect(await write(second, id, outcomes.length)).toBe('replied');
      await second.shutdown();
    },
  );
});
