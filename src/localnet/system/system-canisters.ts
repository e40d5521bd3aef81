/**
 * The NNS system canisters on localnet — ICP ledger, cycles minting canister, cycles ledger,
 * governance's neurons (governance.ts) —
 * at their mainnet ids, implemented natively the way the management canister is. Each is a
 * canister in the replica's table (no module; controlled by NNS root, as on mainnet) whose
 * stable memory holds its history as an append-only log, so balances persist through the
 * journal and checkpoints like any canister's state and are rebuilt by replay at start.
 *
 * A message may change several of them (minting burns ICP and mints cycles): its log
 * appends are journaled in one record with the ingress request id it completes, and when the
 * disk refuses the record every change is rolled back and memory is rebuilt from the logs.
 * (A canister that a message created is journaled on its own first, so it stays: the ledger
 * then did not charge for it, which errs on the user's side.)
 */
import { Principal } from '@dfinity/principal';
import { accountKey } from './accounts';
import { CallRejected, noSuchMethod } from './dispatch';
import {
  CYCLES_LEDGER_CONFIG,
  cyclesLedgerQuery,
  cyclesLedgerUpdate,
  type CanisterFactory,
} from './cycles-ledger';
import { cmcQuery, cmcUpdate, type MintingContext, type Notification } from './cycles-minting';
import { ICP_LEDGER_CONFIG, icpLedgerQuery, icpLedgerUpdate } from './icp-ledger';
import { Governance, type GovernanceEvent } from './governance';
import {
  CYCLES_LEDGER_ID,
  CYCLES_MINTING_CANISTER_ID,
  ICP_LEDGER_ID,
  NNS_GOVERNANCE_ID,
  NNS_ROOT_ID,
} from './ids';
import { Ledger, type Block } from './ledger';
import { StableLog } from './stable-log';
import type { Canister } from '../core/canister';
import type { Durability } from '../core/durability';
import { outOfStorage, reject, type Response } from '../core/messages';
import type { NativeCall, NativeCanister } from '../core/native-canister';
import { RejectCode } from '../core/replica-api';
import type { ReplicaState } from '../core/replica-state';
import type { ManagementHost } from '../management/management-canister';
import { StorageError, type ExecutedRequest } from '../state/store';

/** What `icp network start` gives each identity: 1,000,000 ICP and 1,000 T cycles. */
export const IDENTITY_FUNDING = { icpE8s: 100_000_000_000_000n, cycles: 1_000_000_000_000_000n };
/**
 * The anonymous principal holds the rest at genesis, as on icp-cli's local networks, so that
 * `--identity anonymous` can fund any other account.
 */
export const ANONYMOUS_GENESIS = {
  icpE8s: 1_000_000_000n * 100_000_000n,
  cycles: 1_000_000_000n * 1_000_000_000_000n,
};

/** The subnet reported where no network keys are configured (in-memory test replicas). */
const DEFAULT_SUBNET_ID = Principal.fromText(
  'tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe',
);

type Handler = {
  query: (call: NativeCall) => Response | undefined;
  update: (call: NativeCall) => Response | undefined;
};

export class SystemCanisters {
  readonly icp: Ledger;
  readonly cycles: Ledger;
  readonly governance: Governance;
  private readonly notified = new Map<string, Notification>();
  private readonly notifications: StableLog<Notification>;
  private readonly members: Canister[];
  private readonly touched = new Set<Canister>();

  private constructor(
    private readonly state: ReplicaState,
    private readonly durability: Durability,
    private readonly host: ManagementHost,
  ) {
    const canister = (id: Principal): Canister => {
      const existing = state.canisters.get(id.toText());
      if (existing) return existing;
      host.createCanister({
        specifiedId: id,
        controllers: [NNS_ROOT_ID],
        cycles: state.defaultCycles,
      });
      return state.canisters.get(id.toText()) as Canister;
    };
    const icpCanister = canister(ICP_LEDGER_ID);
    const cmcCanister = canister(CYCLES_MINTING_CANISTER_ID);
    const cyclesCanister = canister(CYCLES_LEDGER_ID);
    const governanceCanister = canister(NNS_GOVERNANCE_ID);
    this.members = [icpCanister, cmcCanister, cyclesCanister, governanceCanister];
    this.icp = new Ledger(ICP_LEDGER_CONFIG, this.logOf<Block>(icpCanister));
    this.cycles = new Ledger(CYCLES_LEDGER_CONFIG, this.logOf<Block>(cyclesCanister));
    this.governance = new Governance(this.icp, this.logOf<GovernanceEvent>(governanceCanister));
    this.notifications = this.logOf<Notification>(cmcCanister);
    this.replay();
  }

  /**
   * Creates the system canisters in a replica that lacks them (a new state folder, or one
   * from before they existed), restores their state from their logs, and serves them.
   */
  static install(
    state: ReplicaState,
    durability: Durability,
    host: ManagementHost,
  ): SystemCanisters {
    const system = new SystemCanisters(state, durability, host);
    if (system.icp.length === 0n && system.cycles.length === 0n) {
      const anonymous = accountKey({ owner: Principal.anonymous(), subaccount: [] });
      system.transaction(() => {
        const now = state.timeNanos();
        system.icp.mint(anonymous, ANONYMOUS_GENESIS.icpE8s, now);
        system.cycles.mint(anonymous, ANONYMOUS_GENESIS.cycles, now);
        return { kind: 'reply', data: new Uint8Array(0) };
      }, []);
    }
    const factory = system.factory();
    const minting: MintingContext = {
      icp: system.icp,
      cycles: system.cycles,
      factory,
      log: system.notifications,
      notified: system.notified,
      subnetId: state.network
        ? Principal.fromUint8Array(state.network.subnetId)
        : DEFAULT_SUBNET_ID,
    };
    system.serve(ICP_LEDGER_ID, {
      query: (call) => icpLedgerQuery(system.icp, call),
      update: (call) => icpLedgerUpdate(system.icp, call),
    });
    system.serve(CYCLES_LEDGER_ID, {
      query: (call) => cyclesLedgerQuery(system.cycles, call),
      update: (call) => cyclesLedgerUpdate(system.cycles, factory, call),
    });
    system.serve(NNS_GOVERNANCE_ID, {
      query: (call) => system.governance.query(call),
      update: (call) => system.governance.update(call),
    });
    system.serve(CYCLES_MINTING_CANISTER_ID, {
      query: (call) => cmcQuery(minting, call),
      update: (call) => cmcUpdate(minting, call),
    });
    return system;
  }

  /**
   * Gives each principal not funded before the ICP and cycles that icp-cli's own local
   * network gives its identities at start; returns the principals funded now.
   */
  fund(principals: Principal[]): Principal[] {
    const now = this.state.timeNanos();
    const fresh = principals.filter(
      (p) => !p.isAnonymous() && !this.icp.seeded.has(accountKey({ owner: p, subaccount: [] })),
    );
    if (fresh.length === 0) return [];
    const outcome = this.transaction(() => {
      for (const p of fresh) {
        const key = accountKey({ owner: p, subaccount: [] });
        this.icp.mint(key, IDENTITY_FUNDING.icpE8s, now, { seed: true });
        this.cycles.mint(key, IDENTITY_FUNDING.cycles, now, { seed: true });
      }
      return { kind: 'reply', data: new Uint8Array(0) };
    }, []);
    if (outcome.response.kind === 'reject') throw new Error(outcome.response.message);
    return fresh;
  }

  private logOf<T>(c: Canister): StableLog<T> {
    return new StableLog<T>(
      () => c.stable,
      () => this.touched.add(c),
    );
  }

  private replay(): void {
    this.icp.replay();
    this.cycles.replay();
    this.governance.replay();
    this.notified.clear();
    for (const n of this.notifications.records()) this.notified.set(n.block, n);
  }

  private factory(): CanisterFactory {
    return {
      create: (controllers, cycles) => this.host.createCanister({ controllers, cycles }),
      topUp: (id, cycles) => {
        if (!this.host.lookup(id)) return false;
        this.host.topUp(id, cycles);
        return true;
      },
    };
  }

  private serve(id: Principal, handler: Handler): void {
    const text = id.toText();
    const native: NativeCanister = {
      query: (call) =>
        this.guard(() => handler.query(call) ?? noSuchMethod(text, call.method, 'query')),
      update: (call, requests) =>
        this.transaction(
          // A query method called as an update runs as one and changes nothing, as on the IC.
          () =>
            handler.update(call) ??
            handler.query(call) ??
            noSuchMethod(text, call.method, 'update'),
          requests,
        ),
    };
    this.state.natives.set(text, native);
  }

  private guard(fn: () => Response): Response {
    try {
      return fn();
    } catch (err) {
      if (err instanceof CallRejected) return err.rejection;
      throw err;
    }
  }

  /** Runs `fn` atomically over the system canisters' logs; see the file comment. */
  private transaction(
    fn: () => Response,
    requests: ExecutedRequest[],
  ): { response: Response; journaled: boolean } {
    this.touched.clear();
    for (const c of this.members) c.stable.begin();
    const rollback = (): void => {
      for (const c of this.members) c.stable.rollback();
      this.replay();
    };
    let response: Response;
    try {
      response = fn();
    } catch (err) {
      rollback();
      if (err instanceof CallRejected) return { response: err.rejection, journaled: false };
      // A broken invariant: the message fails like a trapping canister's, localnet goes on.
      const message = err instanceof Error ? err.message : String(err);
      return {
        response: reject(RejectCode.CanisterError, 'IC0503', `Canister trapped: ${message}`),
        journaled: false,
      };
    }
    const touched = this.members.filter((c) => this.touched.has(c));
    if (touched.length === 0) {
      for (const c of this.members) c.stable.commit();
      return { response, journaled: false };
    }
    try {
      this.durability.writeRecord(
        touched.map((c) => ({ meta: c.meta(), stable: c.stable.pendingChanges() })),
        requests,
      );
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      rollback();
      this.durability.reportStorageError(err);
      // Not executed, so free to be retried: no record of the request is wanted either.
      return { response: outOfStorage(err), journaled: true };
    }
    for (const c of this.members) {
      c.stable.commit();
      if (touched.includes(c)) c.stable.markJournaled();
    }
    return { response, journaled: true };
  }
}
