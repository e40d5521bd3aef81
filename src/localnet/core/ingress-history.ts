/**
 * Ingress history, as the IC keeps it: the status of every ingress message until its expiry,
 * so that a request id is executed at most once and its reply can be read back, and statuses
 * are forgotten once the request has expired.
 */
import type { CallOutcome, RequestStatus } from './replica-api';
import type { ReplicaState } from './replica-state';
import type { ExecutedRequest } from '../state/store';

/** How often finished request statuses are swept for expiry. */
const REQUEST_SWEEP_NANOS = 1_000_000_000n;

export class IngressHistory {
  /** Ingress statuses, kept until the request's expiry (the IC forgets them then too). */
  private readonly requests = new Map<string, { status: RequestStatus; expiry: bigint }>();
  /** Outcomes of requests accepted and not yet answered, by request id (hex). */
  readonly inFlight = new Map<string, Promise<CallOutcome>>();
  private lastSweep = 0n;

  constructor(private readonly state: ReplicaState) {}

  set(requestId: string, status: RequestStatus, expiry: bigint): void {
    this.requests.set(requestId, { status, expiry });
  }

  /** Requests executed before a restart: known as `done` until their expiry. */
  restore(executed: ExecutedRequest[]): void {
    const now = this.state.timeNanos();
    for (const r of executed) {
      if (r.expiryNanos >= now) {
        this.requests.set(r.requestId, { status: { status: 'done' }, expiry: r.expiryNanos });
      }
    }
  }

  /** The status of a request whose expiry has not passed; expired statuses are dropped. */
  live(key: string): RequestStatus | undefined {
    const now = this.state.timeNanos();
    if (now - this.lastSweep >= REQUEST_SWEEP_NANOS) {
      this.lastSweep = now;
      for (const [k, r] of this.requests) {
        if (r.expiry < now && !this.inFlight.has(k)) this.requests.delete(k);
      }
    }
    const entry = this.requests.get(key);
    if (!entry) return undefined;
    if (entry.expiry < now && !this.inFlight.has(key)) {
      this.requests.delete(key);
      return undefined;
    }
    return entry.status;
  }

  /** Request ids executed and not yet expired, for checkpoints. */
  liveRequestIds(): ExecutedRequest[] {
    const now = this.state.timeNanos();
    const live: ExecutedRequest[] = [];
    for (const [requestId, r] of this.requests) {
      // A request still queued has not run: after a crash it may run.
      if (r.expiry >= now && r.status.status !== 'received') {
        live.push({ requestId, expiryNanos: r.expiry });
      }
    }
    return live;
  }
}
