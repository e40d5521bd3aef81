import { describe, expect, it } from 'vitest';

import type { ReplicaState } from '../../../../src/localnet/core/replica-state';
import { Scheduler } from '../../../../src/localnet/core/scheduler';

function scheduler() {
  const state = { closed: false, autoTimers: false, canisters: new Map() };
  return { state, scheduler: new Scheduler(state as unknown as ReplicaState) };
}

describe('Scheduler', () => {
  it('runs tasks one at a time in arrival order', async () => {
    const { scheduler: s } = scheduler();
    const ran: number[] = [];
    for (let i = 0; i < 5; i++) s.enqueue(() => ran.push(i));
    await s.idle();
    expect(ran).toEqual([0, 1, 2, 3, 4]);
  });

  it('runs nothing once the replica is shut down, even a task queued just before', async () => {
    const { state, scheduler: s } = scheduler();
    const ran: string[] = [];
    s.enqueue(() => ran.push('before'));
    await s.idle();
    s.enqueue(() => ran.push('queued, then the replica stopped'));
    state.closed = true;
    s.enqueue(() => ran.push('after'));
    await s.idle();
    expect(ran).toEqual(['before']);
    expect(s.queueLength).toBe(0);
  });
});
