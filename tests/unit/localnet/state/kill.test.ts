import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openReplica, readState, wasm } from '../fixtures/harness';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/crash-child.ts');

/** Runs the child until it has printed `replies` replies, then SIGKILLs it; returns the last one. */
function runAndKill(stateDir: string, wasmPath: string, replies: number): Promise<bigint> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, stateDir, wasmPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = 0;
    let last = -1n;
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^replied (\d+)$/.exec(line);
        if (!m?.[1]) continue;
        last = BigInt(m[1]);
        if (++seen === replies) child.kill('SIGKILL');
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(last);
      else reject(new Error(`child exited without being killed: ${stderr}`));
    });
  });
}

describe('localnet durability under kill -9', { timeout: 120_000 }, () => {
  it('keeps every update whose reply was returned, across two kills', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'localnet-kill-'));
    const wasmPath = path.join(dir, 'fixture.wasm');
    writeFileSync(wasmPath, wasm());
    const stateDir = path.join(dir, 'state');
    const first = await runAndKill(stateDir, wasmPath, 30);
    expect(first).toBeGreaterThanOrEqual(30n);
    const second = await runAndKill(stateDir, wasmPath, 20);
    expect(second).toBeGreaterThan(first);
    const replica = await openReplica({ stateDir });
    const [id] = replica.canisterIds();
    if (!id) throw new Error('the canister was not persisted');
    const state = await readState(replica, id);
    // Each reply was printed after its commit was durable; at most one more update may
    // have committed between the last printed reply and the kill.
    expect(state.counter).toBeGreaterThanOrEqual(second);
    expect(state.counter).toBeLessThanOrEqual(second + 1n);
    expect(state.stable0).toBe(state.counter);
  });
});
