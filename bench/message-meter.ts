/**
 * The instructions of a call and of the follow-up timer messages it leaves, from the metered
 * replica's message log (bench cases that measure work spread over several messages).
 */
import type { Principal } from '@dfinity/principal';
import type { LocalReplica } from '../src/localnet/core/replica';
import type { MessageLog } from '../src/localnet/core/replica-api';
import type { BackendClient } from './canister';

/** Azle runs a timer's callback in a self-call, logged as the CDK's timer executor. */
export const isTimerMessage = (entry: MessageLog): boolean =>
  entry.methodName.includes('timer_executor');

/** The timer messages among `entries`: how many, and their instructions summed. */
export function timerMessages(entries: readonly MessageLog[]): {
  messages: number;
  instructions: bigint;
} {
  let messages = 0;
  let instructions = 0n;
  for (const entry of entries) {
    if (isTimerMessage(entry)) {
      messages++;
      instructions += entry.instructions ?? 0n;
    }
  }
  return { messages, instructions };
}

/**
 * Runs the canister's due timers a round at a time (a replica opened with `autoTimers: false`)
 * until none is due within a second: the follow-up work is a zero-delay timer, the periodic
 * ones (NNS polls) are minutes away.
 */
export async function runDueTimers(replica: LocalReplica, canisterId: Principal): Promise<void> {
  for (let round = 0; round < 100_000; round++) {
    const timer = replica.globalTimer(canisterId) ?? 0n;
    if (timer === 0n || timer > replica.timeNanos() + 1_000_000_000n) return;
    await replica.tick();
  }
}

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
  const sum = (entries: MessageLog[]): number =>
    entries.reduce((total, e) => total + Number(e.instructions ?? 0n), 0);
  return {
    async total(run) {
      const from = log.length;
      await run();
      await replica.idle();
      return sum(log.slice(from).filter((e) => !isTimerMessage(e)));
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
      const timers = log.slice(from).filter(isTimerMessage);
      return { messages: timers.length, instructions: sum(timers) };
    },
    position: () => log.length,
    since: (from) => sum(log.slice(from)),
    stop,
  };
}
