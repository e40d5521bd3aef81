/**
 * The instructions of a call and of the follow-up timer messages it leaves, from the metered
 * replica's message log (bench cases that measure work spread over several messages).
 */
import type { LocalReplica } from '../src/localnet/core/replica';
import type { MessageLog } from '../src/localnet/core/replica-api';
import type { BackendClient } from './canister';

export type MessageMeter = {
  /**
   * The messages of a call while `run` runs, summed: its request and the callbacks of its
   * calls to other canisters, not the follow-up timer messages it sets (see `followUps`).
   */
  total(run: () => Promise<void>): Promise<number>;
  /** Waits for the follow-up messages set since log entry `from`, and sums them. */
  followUps(from: number): Promise<{ messages: number; instructions: number }>;
  /** Log entries so far: where `followUps` starts counting. */
  position(): number;
  /** Every message since log entry `from`, summed, timers included. */
  since(from: number): number;
  stop(): void;
};

export function meterMessages(replica: LocalReplica, client: BackendClient): MessageMeter {
  const backend = client.canisterId.toText();
  const log: MessageLog[] = [];
  const stop = replica.onMessage((entry) => {
    if (entry.canisterId.toText() === backend) log.push(entry);
  });
  const isTimer = (e: MessageLog): boolean => e.methodName.includes('timer_executor');
  const sum = (entries: MessageLog[]): number =>
    entries.reduce((total, e) => total + Number(e.instructions ?? 0n), 0);
  return {
    async total(run) {
      const from = log.length;
      await run();
      await replica.idle();
      return sum(log.slice(from).filter((e) => !isTimer(e)));
    },
    async followUps(from) {
      for (let i = 0; i < 600; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await replica.idle();
        const timer = replica.globalTimer(client.canisterId);
        if (timer === undefined || timer === 0n || timer > replica.timeNanos() + 5_000_000_000n) {
          break;
        }
      }
      const timers = log.slice(from).filter(isTimer);
      return { messages: timers.length, instructions: sum(timers) };
    },
    position: () => log.length,
    since: (from) => sum(log.slice(from)),
    stop,
  };
}
