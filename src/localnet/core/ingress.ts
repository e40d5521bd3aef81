/**
 * Ingress: an update call from outside enters the replica here. A request id already in
 * flight or executed before its expiry is never run again (replay protection, kept across
 * restarts by the journal); a new one is checked (size, canister, inspect_message), recorded
 * as received, queued, and its outcome is reported only once the record of what it did is
 * durable.
 */
import type { Durability } from './durability';
import type { Executor } from './execution';
import type { IngressHistory } from './ingress-history';
import {
  hex,
  isManagement,
  missingCanister,
  principalText,
  toOutcome,
  type Origin,
} from './messages';
import type { CallOutcome, IngressMessage, SubmitResult } from './replica-api';
import type { ReplicaState } from './replica-state';
import type { Scheduler } from './scheduler';
import { StorageError } from '../state/store';

export class Ingress {
  constructor(
    private readonly state: ReplicaState,
    private readonly history: IngressHistory,
    private readonly scheduler: Scheduler,
    private readonly durability: Durability,
    private readonly executor: Executor,
  ) {}

  /** `trusted` submissions come from the admin API and skip the ingress size limit. */
  submit(message: IngressMessage, trusted: boolean): SubmitResult {
    const key = hex(message.requestId);
    const existing = this.history.inFlight.get(key);
    if (existing) return { accepted: true, outcome: existing };
    const known = this.history.live(key);
    if (known) {
      // Executed before: the IC never runs a request twice before its expiry.
      if (known.status === 'replied' || known.status === 'rejected') {
        return { accepted: true, outcome: Promise.resolve(known.outcome) };
      }
      return { accepted: true, outcome: undefined, status: 'done' };
    }
    const pre = this.executor.precheckIngress(message, trusted);
    if (pre) return { accepted: false, rejection: pre };
    const expiry = message.ingressExpiry;
    this.history.set(key, { status: 'received' }, expiry);
    const outcome = new Promise<CallOutcome>((resolve) => {
      const origin: Extract<Origin, { kind: 'ingress' }> = {
        kind: 'ingress',
        requestId: key,
        expiry,
        journaled: false,
        settle: (o) => {
          if (!origin.journaled && this.durability.store) {
            // The message changed nothing durable (a trap, a query run as an update, a
            // management call): a record of its id alone keeps it from running again.
            try {
              this.durability.writeRecord([], [{ requestId: key, expiryNanos: expiry }]);
            } catch (err) {
              if (!(err instanceof StorageError)) throw err;
              this.durability.reportStorageError(err);
            }
          }
          this.durability.afterDurable(() => {
            this.history.set(
              key,
              {
                status: o.kind === 'replied' ? 'replied' : 'rejected',
                outcome: o,
                finishedAtNanos: this.state.timeNanos(),
              },
              expiry,
            );
            this.history.inFlight.delete(key);
            resolve(o);
          });
        },
      };
      this.scheduler.enqueue(() => {
        this.history.set(key, { status: 'processing' }, expiry);
        if (isManagement(message.canisterId)) {
          this.executor.runManagement(
            message.methodName,
            message.arg,
            message.sender,
            'ingress',
            origin.settle,
          );
          return;
        }
        const c = this.state.canisters.get(principalText(message.canisterId));
        if (!c) {
          origin.settle(toOutcome(missingCanister(message.canisterId)));
          return;
        }
        this.executor.startCall(c, message.methodName, message.arg, message.sender, 0n, origin);
      });
    });
    this.history.inFlight.set(key, outcome);
    return { accepted: true, outcome };
  }
}
