/**
 * Scheduling: one FIFO queue of tasks (ingress messages, inter-canister requests and
 * responses, timers) run one per event-loop turn, so the messages of one canister run one at a
 * time in arrival order while HTTP stays responsive; and the global timers, fired from the
 * event loop when they fall due.
 */
import type { Canister } from './canister';
import type { ReplicaState } from './replica-state';

export class Scheduler {
  private queue: (() => void)[] = [];
  private pumping = false;
  private idleWaiters: (() => void)[] = [];
  private timerHandle: NodeJS.Timeout | undefined;
  /** Runs a canister's due global timer (set by the replica once execution exists). */
  onTimer: (c: Canister) => void = () => undefined;

  constructor(private readonly state: ReplicaState) {}

  /** Whether a task is running or waiting. */
  get busy(): boolean {
    return this.pumping;
  }

  get queueLength(): number {
    return this.queue.length;
  }

  /**
   * Queues a task. Once the replica is shut down nothing runs any more: a task that arrives
   * later (an answer from a native canister that was still on its way) is dropped, as a
   * stopped node would, rather than run against a closed state store.
   */
  enqueue(task: () => void): void {
    if (this.state.closed) return;
    this.queue.push(task);
    if (!this.pumping) {
      this.pumping = true;
      setImmediate(() => this.pump());
    }
  }

  /** Resolves when the message queue is empty. */
  idle(): Promise<void> {
    if (!this.pumping && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    if (this.timerHandle) clearTimeout(this.timerHandle);
    this.timerHandle = undefined;
  }

  private pump(): void {
    // One task per event-loop turn keeps HTTP responsive while a backlog drains.
    if (this.state.closed) this.queue = [];
    const task = this.queue.shift();
    if (task) {
      try {
        task();
      } catch (err) {
        process.stderr.write(
          `localnet: internal error: ${err instanceof Error ? err.stack : String(err)}\n`,
        );
      }
    }
    if (this.queue.length > 0) {
      setImmediate(() => this.pump());
      return;
    }
    this.pumping = false;
    this.scheduleTimers();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  scheduleTimers(): void {
    if (!this.state.autoTimers || this.state.closed) return;
    if (this.timerHandle) clearTimeout(this.timerHandle);
    this.timerHandle = undefined;
    let earliest: bigint | undefined;
    for (const c of this.state.canisters.values()) {
      if (
        c.globalTimer !== 0n &&
        c.instance &&
        (earliest === undefined || c.globalTimer < earliest)
      ) {
        earliest = c.globalTimer;
      }
    }
    if (earliest === undefined) return;
    const delayMs = Number((earliest - this.state.timeNanos()) / 1_000_000n);
    this.timerHandle = setTimeout(
      () => {
        this.timerHandle = undefined;
        this.enqueueDueTimers();
        if (this.queue.length === 0) this.scheduleTimers();
      },
      Math.min(Math.max(delayMs, 0), 2 ** 31 - 1),
    );
    this.timerHandle.unref();
  }

  enqueueDueTimers(): void {
    const now = this.state.timeNanos();
    for (const c of this.state.canisters.values()) {
      if (c.globalTimer !== 0n && c.globalTimer <= now && c.instance && c.status === 'running') {
        // The IC deactivates the timer before running the handler, trap or not.
        c.globalTimer = 0n;
        this.enqueue(() => this.onTimer(c));
      }
    }
  }
}
