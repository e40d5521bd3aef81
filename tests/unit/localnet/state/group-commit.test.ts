/**
 * Group commit: updates keep executing while the journal is being synced, one sync covers
 * every record written meanwhile, and no update replies (and no query answers) before the
 * sync covering what it wrote or read has finished.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeIo, type StorageIo } from '../../../../src/localnet/state/store';
import { installFixture, openReplica, query, update } from '../fixtures/harness';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Syncs the real journal, but only when the test lets each sync finish. */
class HeldSyncs {
  held = false;
  readonly waiting: (() => void)[] = [];
  syncs = 0;

  readonly io: StorageIo = {
    ...nodeIo,
    fsync: (fd, done) => {
      this.syncs++;
      const finish = (): void => nodeIo.fsync(fd, done);
      if (this.held) this.waiting.push(finish);
      else finish();
    },
  };

  releaseOne(): void {
    this.waiting.shift()?.();
  }
}

/** `p`, noting its name in `seen` once it settles. */
const settled = <T>(name: string, p: Promise<T>, seen: Set<string>): Promise<T> =>
  p.then((v) => {
    seen.add(name);
    return v;
  });

const tick = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('group commit', { timeout: 60_000 }, () => {
  it('replies only after the sync that covers the record, one sync for all written meanwhile', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'localnet-group-commit-'));
    dirs.push(stateDir);
    const syncs = new HeldSyncs();
    const replica = await openReplica({ stateDir, storageIo: syncs.io });
    const id = await installFixture(replica);
    syncs.held = true;
    syncs.syncs = 0;

    const done = new Set<string>();
    const first = settled('first', update(replica, id, 'inc'), done);
    await tick();
    // The first record's sync is in flight; four more updates execute meanwhile.
    expect(syncs.waiting).toHaveLength(1);
    const more = [1, 2, 3, 4].map((i) => settled(`more ${i}`, update(replica, id, 'inc'), done));
    await tick();
    // This query reads what the four updates wrote, so it answers once that is durable.
    const read = settled('read', query(replica, id, 'read'), done);
    await tick();
    expect(done.size).toBe(0);

    // The first sync covers only the first record: it replies, the others wait.
    syncs.releaseOne();
    await first;
    await tick();
    expect([...done]).toEqual(['first']);

    // One more sync covers the four records written meanwhile, and the query that read them.
    expect(syncs.waiting).toHaveLength(1);
    syncs.releaseOne();
    const outcomes = await Promise.all(more);
    expect(outcomes.every((o) => o.kind === 'replied')).toBe(true);
    expect((await read).kind).toBe('replied');
    expect(syncs.syncs).toBe(2);
    syncs.held = false;
    await replica.shutdown();
  });
});
