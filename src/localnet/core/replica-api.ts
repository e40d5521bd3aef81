/**
 * The seam between localnet's execution core (runtime, management canister, persistence)
 * and its edges (HTTP interface, certification, gateway, CLI). The core is a state machine
 * over messages; the edges turn bytes on sockets into these calls. Keeping this one file
 * small lets each side be tested without the other.
 */
import type { Principal } from '@dfinity/principal';

/** IC reject codes (interface specification, "Reject codes"). */
export const RejectCode = {
  SysFatal: 1,
  SysTransient: 2,
  DestinationInvalid: 3,
  CanisterReject: 4,
  CanisterError: 5,
} as const;
export type RejectCode = (typeof RejectCode)[keyof typeof RejectCode];

/** What a finished message produced. `errorCode` is the IC's textual code, e.g. `IC0503`. */
export type CallOutcome =
  | { kind: 'replied'; reply: Uint8Array }
  | { kind: 'rejected'; rejectCode: RejectCode; rejectMessage: string; errorCode: string };

/** A message that arrived through the HTTP interface, already authenticated. */
export interface IngressMessage {
  /** Representation-independent hash of the request content (32 bytes). */
  requestId: Uint8Array;
  sender: Principal;
  /** The callee; `aaaaa-aa` addresses the management canister. */
  canisterId: Principal;
  /** From the URL; for management calls it names the canister the call is about. */
  effectiveCanisterId: Principal;
  methodName: string;
  arg: Uint8Array;
  ingressExpiry: bigint;
}

/**
 * Status of an update call as read_state reports it under `request_status/<id>`.
 * `rejected` before execution (inspect_message said no, canister missing or stopped) is
 * reported by `submitCall` instead and never enters this map.
 */
export type RequestStatus =
  | { status: 'received' | 'processing' }
  | ({ status: 'replied' | 'rejected' } & { outcome: CallOutcome; finishedAtNanos: bigint })
  | { status: 'done' };

export type SubmitResult =
  | { accepted: true; outcome: Promise<CallOutcome> }
  /**
   * The request was executed before and its reply is no longer kept (status `done`, e.g.
   * after a restart): it is not executed again until its ingress expiry has passed.
   */
  | { accepted: true; outcome: undefined; status: 'done' }
  | { accepted: false; rejection: Extract<CallOutcome, { kind: 'rejected' }> };

export interface CanisterInfo {
  id: Principal;
  controllers: Principal[];
  /** sha256 of the installed module; absent for an empty canister. */
  moduleHash?: Uint8Array;
  /** Public and private `icp:*` custom sections of the installed module, by name without prefix. */
  metadata: Map<string, { visibility: 'public' | 'private'; content: Uint8Array }>;
  /** Set by the canister through `ic0.certified_data_set` (≤ 32 bytes). */
  certifiedData: Uint8Array;
  status: 'running' | 'stopping' | 'stopped';
}

/** Counted per executed message, for logs and benchmarks. */
export interface MessageLog {
  canisterId: Principal;
  methodName: string;
  caller: Principal;
  kind: 'update' | 'query' | 'init' | 'upgrade' | 'timer' | 'inspect';
  outcome: 'replied' | 'rejected' | 'trapped';
  /** Executed wasm instructions as the IC meters them, when metering is on. */
  instructions?: bigint;
  durationMs: number;
}

export interface Replica {
  /** Current replica time in nanoseconds since the epoch (monotonic across restarts). */
  timeNanos(): bigint;
  /**
   * Runs the pre-execution checks (canister exists and is running, `canister_inspect_message`
   * accepts, argument size) and, when accepted, enqueues the update; updates to one canister
   * run one at a time in arrival order. The outcome promise settles after the new state is
   * durable, so a reply that was sent survives `kill -9`.
   */
  submitCall(message: IngressMessage): Promise<SubmitResult>;
  /** Executes a query (or composite query) and discards every change it made. */
  query(
    message: Omit<IngressMessage, 'ingressExpiry'> & { ingressExpiry?: bigint },
  ): Promise<CallOutcome>;
  requestStatus(requestId: Uint8Array): RequestStatus | undefined;
  canister(id: Principal): CanisterInfo | undefined;
  canisterIds(): Principal[];
  /** Called once per executed message. */
  onMessage(listener: (entry: MessageLog) => void): () => void;
  /** Runs pre_upgrade on every canister and flushes state; the replica is unusable after. */
  shutdown(): Promise<void>;
}

/**
 * Supplied by the certification module: a CBOR certificate whose tree holds
 * `/canister/<id>/certified_data` and `/time`, for `ic0.data_certificate_*` in queries.
 */
export type DataCertificateProvider = (
  canisterId: Principal,
  certifiedData: Uint8Array,
) => Uint8Array;
